"""The assignment report in plain French, for the CLI (the page renders the same facts).

Pure: the caller passes the names (people, workshops, slots, profiles) it loaded, so the
report never shows a database id or a profile code; the solver's vocabulary (objective,
bound, gap) stays in the « Détails techniques » line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

from ..formatting import NBSP, NNBSP, ordinal
from .assignment import Report, Satisfaction

STRATEGY_LABELS = {
    "first_choices": "Le plus de premiers choix",
    "leximin": "Personne plus bas dans sa liste qu’il n’est nécessaire",
    "fairness": "Le moins de personnes loin dans leur liste (pondéré)",
}

LEFT_OUT_LABELS = {
    "no_choice": "n’a classé aucun atelier",
    "full": "tous ses choix étaient complets",
    "locked_elsewhere": "verrouillé·e ailleurs dans un atelier du même thème "
                        "ou dans le même atelier",
    "theme": "ses choix encore ouverts ont le thème d’un atelier qu’elle ou il a déjà",
    "same_workshop": "a déjà cet atelier dans une autre séance",
    "other": "aucune place compatible avec les règles",
}


@dataclass(frozen=True)
class Names:
    """How the report names what the solver knows by id."""

    people: Mapping[Hashable, str] = field(default_factory=dict)
    workshops: Mapping[Hashable, str] = field(default_factory=dict)
    """Workshop id → « n° 3 : Titre »."""
    slots: Mapping[Hashable, str] = field(default_factory=dict)
    profiles: Mapping[str, str] = field(default_factory=dict)
    organisation: Callable[[str], str] = str


def number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def percent(count: int, total: int) -> str:
    return f"{number(100 * count / total if total else 0.0, 1)}{NBSP}%"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count in (0, 1) else (plural_form or singular + "s")
    return f"{number(count)}{NBSP}{word}"


def ranks_text(s: Satisfaction) -> str:
    """« 1er choix 10 · 2e choix 4 · place libre 1 · sans atelier 1 »."""
    parts = [f"{ordinal(r)}\u00a0choix {number(n)}" for r, n in enumerate(s.ranks, start=1)]
    if s.free_places:
        parts.append(f"place libre {number(s.free_places)}")
    if s.locked_outside:
        parts.append(f"verrouillé hors choix {number(s.locked_outside)}")
    parts.append(f"sans atelier {number(s.unassigned)}")
    return " · ".join(parts)


def technical_details(report: Report) -> str:
    """Solver facts, for whoever wants to check the claim of optimality."""
    if report.levels:
        proof = ("optimum lexicographique prouvé, niveau par niveau ("
                 + ", ".join(f"{name} {number(value, 2)}" for name, value in report.levels)
                 + ")")
    else:
        proof = f"objectif {number(report.objective, 2)}"
        if report.bound is not None:
            proof += f", borne {number(report.bound, 2)}"
    if report.gap is not None:
        proof += f", écart {number(100 * report.gap, 2)}{NBSP}%"
    return (f"{report.method}, statut {report.status}, {proof}, "
            f"{number(report.variables)} variables, {number(report.constraints)} "
            f"contraintes, calcul en {number(report.seconds, 2)}{NBSP}s")


def report_text(report: Report, names: Names = Names(), strategy: str | None = None) -> str:
    """The report in French plain text, for the CLI."""
    o = report.overall
    proven = report.status == "optimal" and report.gap == 0
    title = "Répartition optimale" if proven else "Répartition (optimalité non prouvée)"
    if strategy:
        title += f", priorité «{NNBSP}{STRATEGY_LABELS.get(strategy, strategy)}{NNBSP}»"
    lines = [
        f"{title}, tirage au sort n°{NBSP}{report.seed}",
        f"Places à pourvoir (une par personne et par séance){NBSP}: {number(o.total)}",
        f"Premier choix{NBSP}: {percent(o.first_choice, o.total)} ({number(o.first_choice)})",
        f"Un de ses choix{NBSP}: {percent(o.any_choice, o.total)} ({number(o.any_choice)})",
        f"Place libre, hors de ses choix{NBSP}: {number(o.free_places)}",
        f"Verrouillé par l’équipe{NBSP}: {number(o.locked)}"
        + (f", dont {number(o.locked_outside)} hors de ses choix" if o.locked_outside else ""),
        f"Sans atelier{NBSP}: {percent(o.unassigned, o.total)} ({number(o.unassigned)})",
        f"Choix obtenus{NBSP}: {ranks_text(o)}",
        f"Par profil{NBSP}:",
    ]
    for profile, s in report.by_profile.items():
        label = names.profiles.get(profile, profile)
        lines.append(f"  {label} ({plural(s.total, 'place')}){NBSP}: {ranks_text(s)}")
    if report.left_out:
        lines.append(f"Sans atelier{NBSP}:")
        for attendee_id, slot_id, reason in report.left_out:
            who = names.people.get(attendee_id, str(attendee_id))
            where = names.slots.get(slot_id)
            lines.append(f"  {who}{f' ({where})' if where else ''}{NBSP}: "
                         f"{LEFT_OUT_LABELS.get(reason, reason)}")
    lines.append(f"Ateliers{NBSP}:")
    for w in report.workshops:
        mix = ", ".join(f"{names.profiles.get(p, p)} {n}" for p, n in w.profiles.items())
        line = (f"  {names.workshops.get(w.workshop_id, w.workshop_id)}{NBSP}: "
                f"{w.size}/{w.capacity}\u00a0places ({mix or 'personne'})")
        if w.largest_organisation:
            name, count = w.largest_organisation
            line += f", au plus {count} de «{NNBSP}{names.organisation(name)}{NNBSP}»"
        lines.append(line)
        for e in w.exceeded:
            what = (f"profil «{NNBSP}{names.profiles.get(e.group, e.group)}{NNBSP}»"
                    if e.kind == "profile"
                    else f"structure «{NNBSP}{names.organisation(e.group)}{NNBSP}»")
            lines.append(f"    plafond dépassé, {what}{NBSP}: {e.count} pour "
                         f"{number(e.limit, 1)}"
                         + (" (dû aux personnes verrouillées)" if e.from_locks else ""))
    lines.append(f"Détails techniques{NBSP}: {technical_details(report)}")
    return "\n".join(lines)
