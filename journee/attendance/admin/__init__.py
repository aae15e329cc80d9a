"""The day itself, in the back office: badges, the check-in desk, sign-in sheets and
attendance certificates. One blueprint per subject."""
