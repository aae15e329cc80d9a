"""Placeholder: being written (build_programme_ics, build_session_ics)."""


def build_programme_ics(event, base_url: str) -> bytes:
    raise NotImplementedError


def build_session_ics(event, item, base_url: str) -> bytes:
    raise NotImplementedError
