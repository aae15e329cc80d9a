"""Domain errors and the error pages."""

from flask import Flask, render_template

from .extensions import db


class JourneeError(Exception):
    """An error a person can act on; its message is French and shown as is."""


class ValidationProblem(JourneeError):
    """Input that breaks a rule of the programme; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


ERROR_TITLES = {
    400: "Requête invalide",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    413: "Fichier trop volumineux",
    429: "Trop de tentatives",
    500: "Erreur du serveur",
}


def render_error(error):
    code = getattr(error, "code", 500) or 500
    if code >= 500:
        db.session.rollback()
    return render_template("errors/error.html", code=code,
                           title=ERROR_TITLES.get(code, "Erreur")), code


def init_app(app: Flask) -> None:
    for code in ERROR_TITLES:
        app.register_error_handler(code, render_error)
