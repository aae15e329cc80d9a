"""The institute's look: name, logo and accent colour, set by an administrator and shown
on the pages, the e-mails, the programme PDF and the badges."""

from __future__ import annotations

from flask import Flask

from .. import mail
from .services import current_look, png_logo

#: The Content-ID of the logo in HTML e-mails (``<img src="cid:…">``).
LOGO_CID = "logo@journee.local"


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"look": current_look(), "logo_cid": LOGO_CID})
    mail.register_inline_image(app, LOGO_CID, png_logo)
