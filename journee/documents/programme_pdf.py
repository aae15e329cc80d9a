"""Placeholder: being written (build_programme_pdf)."""


def build_programme_pdf(event) -> bytes:
    raise NotImplementedError
