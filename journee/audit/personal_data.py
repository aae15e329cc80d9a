"""The audit log's personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import delete

from ..data_owners import DataOwner, PurgeRun, register
from ..database import rowcount
from ..extensions import db
from .models import AuditEntry

AUDIT_RETENTION = timedelta(days=365)


class AuditData(DataOwner):
    """Who acted and on whom (a facilitator's or a programme person's name): entries
    are kept 12 months, as proof of who accessed what, then deleted."""

    name = "audit"
    columns = ("audit_entry.actor", "audit_entry.target")
    purge_counts = (("audit_entries_deleted",
                     "Entrées du journal d’accès supprimées (plus de 12 mois)"),)

    def purge(self, run: PurgeRun) -> None:
        run.report.add("audit_entries_deleted", rowcount(db.session.execute(
            delete(AuditEntry).where(AuditEntry.at < run.now - AUDIT_RETENTION))))


def init_app(app: Flask) -> None:
    register(app, AuditData())
