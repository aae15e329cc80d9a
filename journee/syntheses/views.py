"""Facilitators write their workshop's synthesis; the public reads the published ones."""

from flask import Blueprint

bp = Blueprint("syntheses", __name__)
