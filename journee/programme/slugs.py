"""Events' short addresses (slugs): made from the title, unique among events."""

from __future__ import annotations

import re

from ..errors import ValidationProblem
from ..extensions import db
from ..util.text import fold
from .models import Event

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80


def slugify(text: str) -> str:
    """« Le travail social à l'épreuve » → ``le-travail-social-a-l-epreuve``."""
    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "journee"


def slug_taken(slug: str, exclude_event_id: int | None = None) -> bool:
    query = db.select(Event.id).filter_by(slug=slug)
    if exclude_event_id is not None:
        query = query.where(Event.id != exclude_event_id)
    return db.session.scalar(query) is not None


def unique_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no event uses yet."""
    base = slugify(base)
    candidate, n = base, 1
    while slug_taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


def slug_problems(slug: str, exclude_event_id: int | None = None) -> list[ValidationProblem]:
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
        return [ValidationProblem(
            "L’adresse courte ne peut contenir que des lettres minuscules sans accent, des "
            "chiffres et des tirets (par exemple «\u202fjournee-2026\u202f»).", "slug")]
    if slug_taken(slug, exclude_event_id):
        return [ValidationProblem("Cette adresse courte est déjà utilisée par une autre "
                                  "journée.", "slug")]
    return []
