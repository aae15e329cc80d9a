"""An attendee's own attendance certificate, from their self-service link."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
