"""The usual outgoing message written as MIME bytes directly, not by the ``email`` package.

``journee worker`` writes the confirmation of every public registration, and issue 18 counts
it in the cost of a registration. Built as an :class:`~email.message.EmailMessage` and
generated with the modern policy (the header registry, a parse of every header, the
folding, the generator), the message cost about 3.7 ms of the worker's 12–14 ms per
confirmation, measured in-process (26 ms under cProfile). :func:`write` joins the same
bytes from their pieces: the bodies in quoted-printable by the C encoder, attachments and
images in base64 lines of 76, and each header either written as is, where the ``email``
package writes it unchanged (a plain ASCII address, the date, the Message-ID), or folded by
the package itself once per value (the sender, the subject, the headers of an attachment or
of an image: a round of confirmations shares them).

:func:`write` returns ``None`` for a message it does not write exactly as the package
would: an address that is not a plain ASCII addr-spec, a line break or a non-ASCII
character in an address or an extra header, a header line the package would fold, an
attachment whose content is not bytes (text would need another encoding), a non-ASCII
file name or parameter… The caller then builds the message with the package
(``journee.mail._mime``). tests/test_mime_fast.py checks that both give the same message.
"""

from __future__ import annotations

import base64
import binascii
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.policy import default as DEFAULT_POLICY
from functools import lru_cache

CRLF = "\r\n"
MAX_LINE = SMTP_POLICY.max_line_length
"""Beyond it the package folds a header: a longer line goes to the package."""

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+>")
_MIMETYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_PRINTABLE_ASCII = re.compile(r"[ -~]*")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
"""What ``str.splitlines`` breaks at, and the other controls: a header must not hold any."""

WRITTEN_HERE = frozenset({"from", "to", "subject", "reply-to", "date", "message-id",
                          "mime-version"})
"""Headers that :func:`write` writes itself (and Content-*): no extra header is one."""

_TEXT_HEADERS = ('Content-Type: text/{}; charset="utf-8"' + CRLF
                 + "Content-Transfer-Encoding: quoted-printable" + CRLF)
_MIME_VERSION = "MIME-Version: 1.0" + CRLF


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"
    params: dict[str, str] | None = None
    """Extra Content-Type parameters, e.g. ``{"method": "PUBLISH"}`` for a calendar."""


Written = tuple[bytes, dict[str, str]]
"""The message, and the quoted-printable payload of each body as set in it, by subtype
(``plain``, ``html``): what the kept copy swaps for its masked bodies."""


def quoted_printable(text: str) -> str:
    """*text* in UTF-8 as quoted-printable, as ``set_content`` writes it, by the C encoder
    of :mod:`binascii` rather than the pure-Python one of the ``email`` package (several
    times quicker: every confirmation goes through here)."""
    return binascii.b2a_qp(b"\n".join(text.encode("utf-8").splitlines()) + b"\n",
                           quotetabs=False, istext=True, header=False).decode("ascii")


@lru_cache(maxsize=256)
def folded_subject(subject: str, linesep: str) -> str:
    """A non-ASCII subject folded by the legacy :class:`email.header.Header` (see
    ``journee.mail._Subject``), once per subject: the confirmations of a day share theirs."""
    header = Header(subject, "utf-8", header_name="Subject")
    return f"Subject: {header.encode(linesep=linesep)}{linesep}"


def write(*, sender: str, to_address: str, subject: str, reply_to: str | None, date: str,
          message_id: str, headers: dict[str, str] | None, text_body: str,
          html_body: str | None, images: Sequence[tuple[str, bytes]],
          attachments: Iterable[Attachment]) -> Written | None:
    """The message as ``journee.mail._mime`` builds it and ``SMTP_POLICY`` writes it
    (only its boundaries differ), or ``None`` when it is not the usual message.

    :param images: ``(content id, PNG)`` of each image the HTML body shows inline.
    """
    head = _head(sender, to_address, subject, reply_to, date, message_id, headers or {})
    if head is None or not isinstance(text_body, str) or not isinstance(html_body,
                                                                        (str, type(None))):
        return None
    attached = [_attachment(attachment) for attachment in attachments]
    shown = [_image(cid, data) for cid, data in images]
    if None in attached or None in shown:
        return None
    payloads = {"plain": quoted_printable(text_body)}
    if html_body is not None:
        payloads["html"] = quoted_printable(html_body)
    if html_body is None and not attached:
        # A single part: the package adds MIME-Version after the content headers.
        return (head + _TEXT_HEADERS.format("plain") + _MIME_VERSION + CRLF
                + _lines(payloads["plain"])).encode("ascii"), payloads
    boundaries = _boundaries(3)
    body = _TEXT_HEADERS.format("plain") + CRLF + _lines(payloads["plain"])
    if html_body is not None:
        html_headers, html = _TEXT_HEADERS.format("html"), CRLF + _lines(payloads["html"])
        if shown:
            # The HTML part and its images in a multipart/related, which has the
            # MIME-Version the HTML part had, first.
            html = _MIME_VERSION + _multipart("related", boundaries.pop(),
                                              [html_headers + html, *shown])
        else:
            html = html_headers + _MIME_VERSION + html
        body = _multipart("alternative", boundaries.pop(), [body, html])
    if attached:
        body = _multipart("mixed", boundaries.pop(), [body, *attached])
    return (head + _MIME_VERSION + body).encode("ascii"), payloads


def _head(sender: str, to_address: str, subject: str, reply_to: str | None, date: str,
          message_id: str, headers: dict[str, str]) -> str | None:
    """The headers before the content's, as the package writes them, or ``None``."""
    if _LINE_BREAKS.search(sender) or _LINE_BREAKS.search(subject):
        return None
    lines = [_folded("From", sender), _address_line("To", to_address)]
    lines.append(_folded("Subject", subject) if subject.isascii()
                 else folded_subject(subject, CRLF))
    if reply_to:
        lines.append(_address_line("Reply-To", reply_to))
    lines.append(_short_line("Date", date))
    lines.append(_short_line("Message-ID", message_id)
                 if _MESSAGE_ID.fullmatch(message_id) else None)
    names = set()
    for name, value in headers.items():
        key = name.lower()
        # The package drops extra Content-* headers when it sets the content.
        if (key in WRITTEN_HERE or key.startswith("content-") or key in names
                or not _FIELD_NAME.fullmatch(name)
                or not _PRINTABLE_ASCII.fullmatch(value)):
            return None
        names.add(key)
        # Not cached: such headers (List-Unsubscribe) differ from one person to the next.
        lines.append(_fold(name, value))
    if None in lines:
        return None
    return "".join(lines)


def _address_line(name: str, address: str) -> str | None:
    return _short_line(name, address) if _PLAIN_ADDRESS.fullmatch(address) else None


def _short_line(name: str, value: str) -> str | None:
    """``Name: value`` on one line, if the package would leave it so."""
    line = f"{name}: {value}"
    return line + CRLF if len(line) <= MAX_LINE and line.isascii() else None


def _fold(name: str, value: str) -> str:
    """The header as the package writes it."""
    return DEFAULT_POLICY.header_factory(name, value).fold(policy=SMTP_POLICY)


_folded = lru_cache(maxsize=256)(_fold)
""":func:`_fold` once per value: the sender, the subject of a day's confirmations."""


def _attachment(attachment: Attachment) -> str | None:
    params = tuple((attachment.params or {}).items())
    if (not isinstance(attachment.content, bytes)
            or not _MIMETYPE.fullmatch(attachment.mimetype)
            or not _PRINTABLE_ASCII.fullmatch(attachment.filename
                                              + "".join(key + value for key, value in params))):
        return None
    return (_attachment_headers(attachment.mimetype, attachment.filename, params) + CRLF
            + _base64(attachment.content))


@lru_cache(maxsize=64)
def _attachment_headers(mimetype: str, filename: str, params: tuple) -> str:
    """The headers of an attachment, as the package writes them (once for each file name
    and parameters: a round of confirmations attaches one calendar file name)."""
    maintype, subtype = mimetype.split("/")
    message = EmailMessage()
    message.set_content("")
    message.add_attachment(b"", maintype=maintype, subtype=subtype, filename=filename,
                           params=dict(params))
    return _headers_of(message.get_payload()[1])


def _image(cid: str, data: bytes) -> str | None:
    if not isinstance(data, bytes) or not _PRINTABLE_ASCII.fullmatch(cid):
        return None
    return _image_headers(cid) + CRLF + _base64(data)


@lru_cache(maxsize=16)
def _image_headers(cid: str) -> str:
    """The headers of an inline image, as the package writes them (once per id)."""
    message = EmailMessage()
    message.set_content("")
    message.add_related(b"", maintype="image", subtype="png", cid=f"<{cid}>",
                        disposition="inline")
    return _headers_of(message.get_payload()[1])


def _headers_of(part: EmailMessage) -> str:
    head, _, _ = part.as_bytes(policy=SMTP_POLICY).partition(b"\r\n\r\n")
    return head.decode("ascii") + CRLF


def _multipart(subtype: str, boundary: str, parts: Sequence[str]) -> str:
    """The Content-Type header of a multipart and its body, as the generator writes them.

    Every line inside is quoted-printable (where « = » is always followed by two hex
    digits or the line's end), base64 (no « - », « = » only as the final padding), a
    header, or a delimiter of another boundary, which differs in its digits: no line can
    be this boundary's delimiter.
    """
    header = f'Content-Type: multipart/{subtype}; boundary="{boundary}"'
    if len(header) > MAX_LINE:
        header = f'Content-Type: multipart/{subtype};{CRLF} boundary="{boundary}"'
    delimiter = f"--{boundary}"
    return (header + CRLF + CRLF + delimiter + CRLF
            + f"{CRLF}{delimiter}{CRLF}".join(parts) + f"{CRLF}{delimiter}--{CRLF}")


def _boundaries(count: int) -> list[str]:
    """Boundaries of the package's form (``={15}`` 19 random digits ``==``), all
    different: a message nests up to three multiparts."""
    boundaries: set[str] = set()
    while len(boundaries) < count:
        boundaries.add(f"{'=' * 15}{random.randrange(sys.maxsize):019d}==")
    return list(boundaries)


def _lines(payload: str) -> str:
    """The generator's line ends."""
    return payload.replace("\n", CRLF)


def _base64(data: bytes) -> str:
    """Base64 lines of 76, as the package writes bytes (57 bytes a line)."""
    return base64.encodebytes(data).decode("ascii").replace("\n", CRLF)
