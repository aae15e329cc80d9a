"""Loading what a URL names, or answering 404.

A missing object and one the visitor may not see get the same 404, so that a URL never
reveals whether something exists elsewhere. The loaders that know a feature's rules live
with it: ``programme.loaders`` (events, by the account's role) and
``registration.loaders``.
"""

from flask import abort

from ..extensions import db


def owned_or_404(model, object_id: int, **owner):
    """The object, or 404 alike for a missing one and one that belongs elsewhere."""
    found = db.session.get(model, object_id)
    if found is None or any(getattr(found, name) != value for name, value in owner.items()):
        abort(404)
    return found
