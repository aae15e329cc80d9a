"""A facilitator's space, reached by their personal link: their workshops, lists, sheets."""

from flask import Blueprint

bp = Blueprint("facilitation", __name__)
