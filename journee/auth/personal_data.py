"""The staff accounts' personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from flask import Flask

from ..data_owners import DataOwner, register


class AccountsData(DataOwner):
    """A staff member's name and address: kept while the account is, managed by the
    administrators on the accounts page."""

    name = "auth"
    columns = ("user_account.email", "user_account.name")


def init_app(app: Flask) -> None:
    register(app, AccountsData())
