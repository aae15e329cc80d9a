"""Reading the institute's privacy settings, with the fall-backs the notice uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app

from ..data_owners import DataOwner, register
from ..extensions import db
from .models import PrivacySettings


@dataclass(frozen=True)
class Controller:
    """Who answers for the data of an event, as the notice names them."""

    name: str
    address: str
    contact: str
    dpo_contact: str
    extra: str


def current_settings() -> PrivacySettings | None:
    return db.session.scalar(_settings_query())


@lru_cache(maxsize=1)
def _settings_query():
    """Built once: every registration form shows the notice."""
    return db.select(PrivacySettings).order_by(PrivacySettings.id).limit(1)


def controller_for(event) -> Controller:
    settings = current_settings()
    name = (settings.controller if settings and settings.controller else
            event.host_organisation or current_app.config["INSTITUTE_NAME"])
    return Controller(name=name, address=settings.address if settings else "",
                      contact=event.contact_email,
                      dpo_contact=settings.dpo_contact if settings else "",
                      extra=settings.extra if settings else "")


class PrivacySettingsData(DataOwner):
    """The DPO's address and the administrator who last changed the settings: kept
    while the settings are, changed on the settings page."""

    name = "gdpr"
    columns = ("privacy_settings.dpo_contact", "privacy_settings.updated_by")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["privacy_controller"] = controller_for
    register(app, PrivacySettingsData())
