from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..web.forms import Form

MIN_PASSWORD_LENGTH = 12


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Indiquez votre adresse e-mail."), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[
        DataRequired("Indiquez votre mot de passe."), Length(max=200)])


class ForgottenPasswordForm(FlaskForm):
    email = EmailField("Adresse e-mail de votre compte", validators=[
        DataRequired("Indiquez votre adresse e-mail."), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "Nouveau mot de passe",
        description=f"Au moins {MIN_PASSWORD_LENGTH} caractères\u202f; une phrase facile à "
                    "retenir convient très bien.",
        validators=[DataRequired("Choisissez un mot de passe."),
                    Length(min=MIN_PASSWORD_LENGTH, max=200,
                           message=f"Le mot de passe doit compter au moins "
                                   f"{MIN_PASSWORD_LENGTH} caractères.")])
    confirm = PasswordField("Confirmez le nouveau mot de passe", validators=[
        DataRequired("Saisissez à nouveau le mot de passe."),
        EqualTo("password", "Les deux mots de passe ne sont pas identiques.")])


class AccountForm(Form):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Indiquez l’adresse e-mail de la personne."), Length(max=254)])
    name = StringField("Nom affiché", validators=[Length(max=200)])
    is_admin = BooleanField("Administrateur·rice (toutes les journées et les comptes)")
    may_create_events = BooleanField("Peut créer des journées")
    active = BooleanField("Compte actif", default=True)


class MembershipForm(FlaskForm):
    event_id = SelectField("Journée", coerce=int)
    role = RadioField("Rôle", choices=[
        SelectChoice("organiser", "Organisateur·rice\u202f: toute la journée (programme, "
                                  "inscriptions, documents)"),
        SelectChoice("reception", "Accueil\u202f: pointage des présences et inscription sur "
                                  "place seulement")],
        default="reception",
        validators=[DataRequired("Choisissez un rôle.")])
