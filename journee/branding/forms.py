from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from ..formatting import NBSP
from ..web.forms import STRIP, Form
from .colours import MINIMUM_RATIO, darker_variant, normalised, weakest_contrast
from .legal import NumberRefused, checked_nda, checked_siret
from .logo import MAX_BYTES, LogoRefused, checked_logo


def _ratio(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + NBSP + ":" + NBSP + "1"


class BrandingForm(Form):
    name = StringField(
        "Nom de l’institut", filters=STRIP,
        description="Affiché en haut des pages et des e-mails, par exemple «\u202fIRTS-IDS "
                    "Normandie\u202f». Vide\u202f: «\u202fJournée\u202f».",
        validators=[Length(max=200, message="200 caractères au plus.")])
    accent = StringField(
        "Couleur principale", filters=STRIP,
        description="En notation hexadécimale, par exemple #004f8a\u202f: liens, boutons et "
                    "bandeau du haut. Elle doit rester lisible (contraste d’au moins "
                    "4,5\u202f: 1 avec le blanc et les fonds clairs, RGAA)\u202f; vide\u202f: la couleur "
                    "de Journée.")
    logo = FileField(
        f"Logo (PNG ou SVG, {MAX_BYTES // 1024}{NBSP}Ko au plus)",
        description="Un PNG de 16 à 2\u202f048\u00a0pixels de côté, ou un SVG sans script ni "
                    "contenu extérieur. Les e-mails, le programme PDF et les badges "
                    "n’affichent qu’un logo PNG\u202f: un logo SVG n’apparaît que sur les pages "
                    "et comme icône de l’onglet.")
    remove_logo = BooleanField("Retirer le logo actuel")

    #: The checked logo, once validated.
    checked = None

    def validate_accent(self, field):
        if not field.data:
            return
        colour = normalised(field.data)
        if colour is None:
            raise ValidationError("Saisissez une couleur en notation hexadécimale, par "
                                  "exemple #004f8a.")
        ratio, background = weakest_contrast(colour)
        if ratio < MINIMUM_RATIO:
            raise ValidationError(
                f"La couleur {colour} n’offre qu’un contraste de {_ratio(ratio)} sur "
                f"{background}\u202f; il faut au moins {_ratio(MINIMUM_RATIO)} pour que les "
                f"liens et les boutons restent lisibles. Essayez {darker_variant(colour)}, "
                "la même teinte, plus sombre.")
        field.data = colour

    def validate_logo(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.stream.read()
        try:
            self.checked = checked_logo(data)
        except LogoRefused as refusal:
            raise ValidationError(str(refusal)) from refusal


def _number(check):
    """A validator that keeps the number's digits only, or refuses it with the reason."""
    def validate(_form, field):
        if not field.data:
            return
        try:
            field.data = check(field.data)
        except NumberRefused as refusal:
            raise ValidationError(str(refusal)) from None
    return validate


class LegalIdentityForm(Form):
    legal_name = StringField(
        "Raison sociale", filters=STRIP,
        description="Le nom officiel de l’organisme de formation, par exemple «\u00a0IRTS-IDS "
                    "Normandie\u00a0».",
        validators=[Length(max=200, message="200 caractères au plus.")])
    address = TextAreaField(
        "Adresse du siège", filters=STRIP,
        validators=[Length(max=500, message="500 caractères au plus.")])
    siret = StringField(
        "Numéro SIRET", filters=STRIP, validators=[_number(checked_siret)],
        description="14\u00a0chiffres, espaces permis, par exemple 123 456 789 00012.",
        render_kw={"inputmode": "numeric"})
    nda = StringField(
        "Numéro de déclaration d’activité (NDA)", filters=STRIP,
        validators=[_number(checked_nda)],
        description="11\u00a0chiffres, tels que le récépissé de la préfecture de région les "
                    "donne, par exemple 28 76 01234 76.",
        render_kw={"inputmode": "numeric"})
    nda_region = StringField(
        "Région de la déclaration d’activité", filters=STRIP,
        description="La région dont le préfet a enregistré la déclaration, par exemple "
                    "«\u00a0Normandie\u00a0».",
        validators=[Length(max=100, message="100 caractères au plus.")])
    representative_name = StringField(
        "Nom du ou de la représentant·e légal·e", filters=STRIP,
        description="La personne qui signe les certificats de réalisation, par exemple "
                    "«\u00a0Marie Durand\u00a0».",
        validators=[Length(max=200, message="200 caractères au plus.")])
    representative_role = StringField(
        "Sa fonction", filters=STRIP,
        description="Par exemple «\u00a0directrice générale\u00a0».",
        validators=[Length(max=200, message="200 caractères au plus.")])
    city = StringField(
        "Ville de signature («\u00a0Fait à\u00a0»)", filters=STRIP,
        validators=[Length(max=120, message="120 caractères au plus.")])

    def validate_nda_region(self, field):
        if self.nda.data and not field.data:
            raise ValidationError("Indiquez la région qui a enregistré la déclaration "
                                  "d’activité.")
