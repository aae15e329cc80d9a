"""A form sent after its session expired comes back with what was typed in it.

CSRFProtect refuses such a POST before the view runs: a registration typed on a phone in
the evening and sent the next morning (the signed session lasts 8 hours), or sent after
the phone's browser dropped its cookies, would end on an error page with every answer
lost. The views marked :func:`keeps_input_when_expired` validate a FlaskForm, its CSRF
token included, before they write anything; running them again after the refusal shows
the form with the answers as typed, the French message below on the token, and a fresh
token. Nothing is written until the person sends the form again.

Only views that write nothing without a valid form may be marked: a view that acts on
any POST (a cancel button) must stay behind the refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, make_response, request
from flask_wtf.csrf import CSRFError, _FlaskFormCSRF
from wtforms.validators import ValidationError

SESSION_EXPIRED = ("Par sécurité, ce formulaire n’a pas été envoyé\u202f: la page est restée "
                   "ouverte longtemps, ou votre navigateur a effacé ses cookies. Vos réponses "
                   "sont conservées ci-dessous\u202f: vérifiez-les, puis envoyez à nouveau le "
                   "formulaire.")

_views: set[Callable] = set()


def keeps_input_when_expired(view: Callable) -> Callable:
    """Mark a view that may run again after a CSRF refusal (put it under the route)."""
    _views.add(view)
    return view


class FrenchCSRF(_FlaskFormCSRF):
    """Flask-WTF's form CSRF check, with one French message whatever went wrong: the
    person can only send the form again, which the fresh token then lets through."""

    def validate_csrf_token(self, form, field):
        try:
            super().validate_csrf_token(form, field)
        except ValidationError:
            raise ValidationError(SESSION_EXPIRED) from None


def init_app(app: Flask) -> None:
    from .errors import render_error

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError):
        view = app.view_functions.get(request.endpoint)
        if request.method == "POST" and view in _views:
            # The form again, answered « not accepted » rather than « OK ».
            response = make_response(view(**(request.view_args or {})))
            if response.status_code == 200:
                response.status_code = 400
            return response
        return render_error(error)
