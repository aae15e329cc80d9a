from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from ..web.forms import Form


class PrivacySettingsForm(Form):
    controller = StringField(
        "Responsable du traitement",
        description="L’organisme qui décide de l’usage des données, par exemple "
                    "«\u202fIRTS-IDS Normandie\u202f». Vide\u202f: l’organisateur de chaque journée.",
        validators=[Length(max=300, message="300 caractères au plus.")])
    address = StringField("Adresse postale du responsable",
                          validators=[Length(max=500, message="500 caractères au plus.")])
    dpo_contact = EmailField(
        "Adresse du délégué ou de la déléguée à la protection des données (DPO)",
        validators=[Optional(), Email("Cette adresse e-mail n’est pas valide."),
                    Length(max=254)])
    extra = TextAreaField(
        "Informations complémentaires",
        description="Ajoutées à la fin de l’information complète (Markdown accepté).",
        validators=[Length(max=5000, message="5\u202f000\u00a0caractères au plus.")])
