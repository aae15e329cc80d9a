"""Checking an uploaded logo: what the bytes are, not what the file name says.

PNG is decoded by Pillow within size limits; SVG is parsed without entities (defusedxml)
and refused if anything in it could run, or fetch something from elsewhere, when a
browser shows it. A refused logo says why, in French.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image

from ..formatting import NBSP

MAX_BYTES = 512 * 1024
MIN_PIXELS, MAX_PIXELS = 16, 2048
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
#: Elements that run code, embed another document or play media.
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "audio",
                       "video", "handler", "listener"}
_LINK_ATTRIBUTES = {"href", "src"}
_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_STYLESHEET_PI = re.compile(rb"<\?xml-stylesheet", re.IGNORECASE)
_IMPORT = re.compile(r"@import|javascript:|expression\s*\(", re.IGNORECASE)


class LogoRefused(ValueError):
    """The reason is the message, in French, for the person who sent the file."""


@dataclass(frozen=True)
class Logo:
    data: bytes
    mimetype: str  # image/png or image/svg+xml
    width: int | None = None
    height: int | None = None

    @property
    def is_png(self) -> bool:
        return self.mimetype == "image/png"


def checked_logo(data: bytes) -> Logo:
    """The logo if ``data`` is a sound PNG or a harmless SVG; else :class:`LogoRefused`."""
    if not data:
        raise LogoRefused("Le fichier envoyé est vide.")
    if len(data) > MAX_BYTES:
        raise LogoRefused(f"Le logo pèse {_kilobytes(len(data))}\u202f; il doit peser "
                          f"{MAX_BYTES // 1024}{NBSP}Ko au plus.")
    if data.startswith(PNG_SIGNATURE):
        return _png(data)
    if _looks_like_xml(data):
        return _svg(data)
    raise LogoRefused("Ce fichier n’est pas une image PNG ni une image SVG, quel que soit "
                      "son nom\u202f: enregistrez le logo au format PNG ou SVG.")


def _kilobytes(size: int) -> str:
    return f"{-(-size // 1024)}{NBSP}Ko"


def _png(data: bytes) -> Logo:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=["PNG"]) as image:
                width, height = image.size
                if not (MIN_PIXELS <= width <= MAX_PIXELS and MIN_PIXELS <= height <= MAX_PIXELS):
                    raise LogoRefused(
                        f"Le logo mesure {width}{NBSP}×{NBSP}{height} pixels\u202f; chaque côté "
                        f"doit mesurer de {MIN_PIXELS} à {MAX_PIXELS} pixels.")
                image.load()
    except LogoRefused:
        raise
    except Exception as error:  # truncated, corrupt, a bomb…
        raise LogoRefused("Ce fichier PNG est abîmé ou incomplet\u202f: il ne peut pas être "
                          "lu. Enregistrez-le à nouveau depuis votre logiciel.") from error
    return Logo(data, "image/png", width, height)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _svg(data: bytes) -> Logo:
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise LogoRefused("Ce fichier n’est pas une image SVG lisible (ou il déclare des "
                          "entités XML, refusées)\u202f: enregistrez le logo au format PNG ou "
                          "SVG simple.") from error
    # The parser drops processing instructions; a browser would follow this one.
    if _STYLESHEET_PI.search(data):
        raise LogoRefused(_EXTERNAL)
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise LogoRefused("Ce fichier XML n’est pas une image SVG\u202f: enregistrez le logo au "
                          "format PNG ou SVG.")
    for element in root.iter():
        _check_element(element)
    return Logo(data, "image/svg+xml")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _check_element(element) -> None:
    name = _local(element.tag) if isinstance(element.tag, str) else ""
    if name in _FORBIDDEN_ELEMENTS:
        raise LogoRefused(f"Ce SVG contient un élément «\u202f{name}\u202f» (un script ou un contenu "
                          "extérieur)\u202f: il est refusé. Enregistrez-le sans, ou envoyez un "
                          "PNG.")
    if name == "style" and _dangerous_css(element.text or ""):
        raise LogoRefused(_EXTERNAL)
    for attribute, value in element.attrib.items():
        local = _local(attribute)
        if local.startswith("on"):
            raise LogoRefused(f"Ce SVG contient un gestionnaire d’événement («\u202f{local}\u202f») "
                              "qui lancerait un script\u202f: il est refusé. Enregistrez-le "
                              "sans, ou envoyez un PNG.")
        if local in _LINK_ATTRIBUTES and not value.strip().startswith("#"):
            raise LogoRefused(_EXTERNAL)
        if _dangerous_css(value):
            raise LogoRefused(_EXTERNAL)


_EXTERNAL = ("Ce SVG fait référence à un fichier ou à une adresse extérieurs (lien, "
             "image, feuille de style)\u202f: il est refusé. Enregistrez-le avec tout son "
             "contenu à l’intérieur, ou envoyez un PNG.")


def _dangerous_css(text: str) -> bool:
    return bool(_URL.search(text) or _IMPORT.search(text))
