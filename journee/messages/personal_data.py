"""What the messages package holds about a person: that they asked for no more messages
from the organisers. It goes with their registration (erased, purged: the row is
deleted with it); their export says it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete

from ..data_owners import DataOwner, Erasure, iso, register
from ..extensions import db
from .models import OptOut


class MessagesData(DataOwner):
    name = "messages"
    depends_on = ("registration",)

    def export(self, registration) -> dict:
        opt_out = db.session.get(OptOut, registration.id)
        return {"inscription": {"messages_de_l_equipe_refuses_le":
                                iso(opt_out.created_at) if opt_out else None}}

    def erase(self, erasure: Erasure) -> None:
        db.session.execute(
            delete(OptOut)
            .where(OptOut.registration_id.in_([r.id for r in erasure.subjects]))
            .execution_options(synchronize_session=False))


def init_app(app: Flask) -> None:
    register(app, MessagesData())
