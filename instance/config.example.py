# Copy to instance/config.py and adapt. Environment variables JOURNEE_* override these.
# Never commit instance/config.py: it holds secrets.

# A long random value: python3 -c "import secrets; print(secrets.token_hex(32))"
SECRET_KEY = "change-me"

# SQLite (default) or PostgreSQL:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://journee:motdepasse@localhost/journee"

# The public address of the site, used in calendar files and e-mails.
PUBLIC_BASE_URL = "https://journees.exemple.fr"

INSTITUTE_NAME = "IRTS-IDS Normandie"
