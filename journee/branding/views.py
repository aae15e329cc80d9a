"""What every page loads: the favicon, the logo and the colours' stylesheet.

The colours come as a stylesheet of their own (``/identite.css?v=<version>``) rather than
a ``<style>`` in each page: the Content-Security-Policy allows no inline style.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request

from .services import SVG, current_look, logo_bytes

bp = Blueprint("branding", __name__)

#: A year: every URL carries the version, which any change bumps.
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
#: An SVG opened on its own is a document: nothing in it may run or load.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _cached(response: Response) -> Response:
    versioned = request.args.get("v") == str(current_look().version)
    response.headers["Cache-Control"] = LONG_CACHE if versioned else SHORT_CACHE
    return response


@bp.get("/identite.css")
def stylesheet():
    look = current_look()
    css = f":root {{ --accent: {look.accent}; --accent-dark: {look.accent_dark}; }}\n"
    return _cached(Response(css, mimetype="text/css"))


@bp.get("/identite/logo")
def logo():
    found = logo_bytes()
    if found is None:
        abort(404)
    return _image(*found)


@bp.get("/favicon.ico")
def favicon():
    found = logo_bytes()
    if found is None:
        default = Path(current_app.static_folder, "favicon.ico").read_bytes()
        return _cached(Response(default, mimetype="image/vnd.microsoft.icon"))
    return _image(*found)


def _image(data: bytes, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    if mimetype == SVG:
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return _cached(response)
