"""The organisation's legal numbers: SIRET (INSEE) and activity declaration number (NDA),
checked as the administrator types them, with the reason in French when refused."""

from __future__ import annotations

from ..formatting import NBSP, NNBSP

#: La Poste's establishments share this SIREN; their SIRET fail the Luhn key and follow
#: INSEE's own rule instead: the sum of the fourteen digits is a multiple of 5. Its head
#: office (356 000 000 00048) keeps the Luhn key.
LA_POSTE_SIREN = "356000000"


class NumberRefused(ValueError):
    """The reason is the message, in French, for the person who typed the number."""


def digits_only(text: str) -> str:
    """« 123 456 789 00012 » → « 12345678900012 »: spaces, dots and dashes dropped."""
    return "".join(c for c in (text or "") if c not in " .-\u00a0\u202f\t")


def luhn_valid(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def checked_siret(text: str) -> str:
    """The fourteen digits of a valid SIRET, else :class:`NumberRefused`."""
    number = digits_only(text)
    if not (number.isascii() and number.isdigit() and len(number) == 14):
        raise NumberRefused(f"Le numéro SIRET compte 14{NBSP}chiffres (les 9 du SIREN puis "
                            "les 5 du NIC), par exemple 123 456 789 00012.")
    valid = luhn_valid(number) or (number.startswith(LA_POSTE_SIREN)
                                   and sum(int(c) for c in number) % 5 == 0)
    if not valid:
        raise NumberRefused("Ce numéro SIRET n’existe pas (sa clé de contrôle est fausse)"
                            f"{NNBSP}: vérifiez chaque chiffre sur l’avis de situation INSEE "
                            "ou sur annuaire-entreprises.data.gouv.fr.")
    return number


def checked_nda(text: str) -> str:
    """The eleven digits of an activity declaration number, else :class:`NumberRefused`."""
    number = digits_only(text)
    if not (number.isascii() and number.isdigit() and len(number) == 11):
        raise NumberRefused("Le numéro de déclaration d’activité compte 11"
                            f"{NBSP}chiffres, par exemple 28 76 01234 76.")
    return number


def spaced_siret(number: str) -> str:
    """« 123 456 789 00012 », as printed on documents."""
    if len(number) != 14:
        return number
    return NBSP.join((number[:3], number[3:6], number[6:9], number[9:]))


def spaced_nda(number: str) -> str:
    """« 28 76 01234 76 »: region, département, order number, key."""
    if len(number) != 11:
        return number
    return NBSP.join((number[:2], number[2:4], number[4:9], number[9:]))
