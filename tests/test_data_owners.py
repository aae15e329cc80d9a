"""Data owners: every column marked personal is answered for by a registered owner."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from journee import data_owners as owners
from journee.data_owners import DataOwner
from journee.extensions import db


def uncovered(metadata: MetaData, registered: list[DataOwner]) -> set[str]:
    """The columns marked personal that no owner claims."""
    return owners.personal_columns(metadata) - owners.claimed_columns(registered)


def unknown_claims(metadata: MetaData, registered: list[DataOwner]) -> set[str]:
    """The columns claimed that do not exist or are not marked personal."""
    return owners.claimed_columns(registered) - owners.personal_columns(metadata)


def test_every_personal_column_has_an_owner(app):
    assert uncovered(db.metadata, owners.registered()) == set()


def test_every_column_an_owner_claims_exists_and_is_marked_personal(app):
    assert unknown_claims(db.metadata, owners.registered()) == set()


def test_the_owners_cover_the_columns_one_expects(app):
    """A sample, in case the marks themselves went: names, addresses, health needs."""
    personal = owners.personal_columns(db.metadata)
    assert {"registration.email", "registration.accommodation_details",
            "person.last_name", "outbox_message.to_address", "audit_entry.actor",
            "rate_event.key_digest", "event.certificate_signature"} <= personal
    assert "registration.profile" not in personal  # kept for the counts


def test_a_new_model_with_a_personal_column_and_no_owner_is_caught(app):
    class Base(DeclarativeBase):
        metadata = MetaData()

    class Note(Base):
        __tablename__ = "note"
        id: Mapped[int] = mapped_column(primary_key=True)
        author: Mapped[str] = mapped_column(String(100), info={"personal": True})
        text: Mapped[str] = mapped_column(String(500))

    assert uncovered(Base.metadata, owners.registered()) == {"note.author"}

    class NoteData(DataOwner):
        name = "notes"
        columns = ("note.author", "note.title")

    assert uncovered(Base.metadata, [NoteData()]) == set()
    assert unknown_claims(Base.metadata, [NoteData()]) == {"note.title"}
    assert "note" not in db.metadata.tables


def test_an_owner_is_registered_once(app):
    with pytest.raises(ValueError):
        owners.register(app, type(owners.registered()[0])())


def test_erasure_reaches_the_owners_before_those_they_depend_on(app):
    order = [owner.name for owner in owners.erasure_order(owners.registered())]
    assert order.index("mail") < order.index("registration")
    assert order.index("workshops") < order.index("registration")


def test_the_export_follows_the_owners_order(app):
    names = [owner.name for owner in owners.registered()]
    assert names.index("registration") < names.index("workshops") < names.index("mail")
