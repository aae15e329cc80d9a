"""The organiser downloads the evidence pack of their event."""

from __future__ import annotations

from tempfile import SpooledTemporaryFile

from flask import Blueprint
from flask_login import current_user

from ..audit.log import actor_for_user, record
from ..extensions import db
from ..programme.loaders import event_or_404
from ..util.clock import utcnow
from ..web.downloads import private_download, private_file_download
from .pack import ZIP, pack_filename, write_pack

bp = Blueprint("evidence", __name__)

IN_MEMORY = 8 * 1024 * 1024


@bp.get("/journees/<int:event_id>/dossier-qualiopi.zip")
def pack(event_id: int):
    event = event_or_404(event_id)
    # A large day's certificates and sheets weigh megabytes, and several organisers may
    # download at once: beyond IN_MEMORY the pack is written to disk and streamed from it.
    handle = SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        names = write_pack(event, handle, utcnow())
    except BaseException:
        handle.close()
        raise
    record("organiser.download_evidence", actor=actor_for_user(current_user), event=event,
           target="Dossier de preuves Qualiopi", rows=len(names))
    db.session.commit()
    if handle.tell() > IN_MEMORY:
        return private_file_download(handle, pack_filename(event), ZIP)
    with handle:
        handle.seek(0)
        return private_download(handle.read(), pack_filename(event), ZIP)
