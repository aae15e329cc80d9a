"""The small form of the facilitator links page: a facilitator's e-mail address."""

from wtforms import EmailField, HiddenField
from wtforms.validators import Length

from ..web.forms import STRIP, Form


class FacilitatorEmailForm(Form):
    """One per facilitator row; empty removes the address. The address itself is
    checked by :func:`journee.programme.people.save_person`, as in the directory."""

    email = EmailField("Adresse e-mail", filters=STRIP, validators=[
        Length(max=254, message="Saisissez 254\u202fcaractères au maximum.")])
    # The row the form was sent from (« workshop-person »): the page comes back to it.
    row = HiddenField()
