"""Every route of the app, for every kind of visitor: who gets in, who is turned away how.

Routes are enumerated from the URL map, so a new route cannot escape: its parameters must
be known to :func:`url_params` and its access rule to :func:`expected` (else the test
fails and says so). Outcomes: the sign-in page for staff routes without an account, 404
for another event's objects (their existence is not revealed), 403 for a missing
permission on one's own event, and an answer (2xx/3xx) otherwise.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.registration import services
from journee.registration.models import Registration

from app_world import World, build, routes, url_params
from registration_helpers import OPEN_DAY

ROLES = ("anonymous", "attendee", "facilitator", "other_staff", "reception", "organiser",
         "admin")
STAFF = {"other_staff", "reception", "organiser", "admin"}

#: What reception staff may do on their event: welcome people, nothing else.
WELCOME_ENDPOINTS = {"checkin.desk", "checkin.results", "checkin.counts", "checkin.badge",
                     "checkin.mark", "checkin.undo", "checkin.confirm_and_mark",
                     "checkin.on_site"}
#: Administrators only.
ADMIN_ENDPOINTS_PREFIXES = ("accounts_admin.",)
ADMIN_ENDPOINTS = {"gdpr_admin.privacy_settings"}
#: Staff routes outside any event: organisers (of any event) and administrators.
ORGANISER_ONLY = {"programme_admin.people", "programme_admin.person_form",
                  "programme_admin.event_create"}

LOGIN = "/connexion"


def expected(endpoint: str, rule: str, role: str) -> str:
    """``login``, ``403``, ``404`` or ``ok``."""
    if rule.startswith("/admin"):
        if role not in STAFF:
            return "login"
        if endpoint.startswith(ADMIN_ENDPOINTS_PREFIXES) or endpoint in ADMIN_ENDPOINTS:
            return "ok" if role == "admin" else "403"
        if "<int:event_id>" not in rule:
            if endpoint in ORGANISER_ONLY and role == "reception":
                return "403"
            return "ok"
        if role == "other_staff":
            return "404"
        if role == "reception":
            return "ok" if endpoint in WELCOME_ENDPOINTS else "403"
        return "ok"
    if endpoint == "auth.logout":
        return "ok" if role in STAFF else "login"
    if endpoint == "auth.reset_password":
        return "404"  # a forged link
    return "ok"


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and urlsplit(location).path == LOGIN:
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    if response.status_code >= 500:
        return f"{response.status_code}!"
    if response.status_code == 401 and "<h1>Connexion" in response.get_data(as_text=True):
        return "login"
    # 400: a form refused for its (empty) input; 409: a change the object's state forbids
    # (e.g. a published synthesis). Both are answers to someone allowed in.
    return "ok" if response.status_code < 400 or response.status_code in (400, 409) else \
        str(response.status_code)


def _client_for(app, world, role):
    client = app.test_client()
    if role in world.users:
        response = client.post(LOGIN, data={"email": world.users[role].email,
                                            "password": "mot-de-passe-solide"})
        assert response.status_code == 302, role
    return client


#: POSTs that undo, then those that delete: run last, so that they don't take away what
#: the others need.
UNDOING = re.compile(r"retirer|annuler|revoquer|remplacer|archiver|depublier|deverrouiller")
DELETING = re.compile(r"supprimer|effacer")


def destructive_last(item) -> tuple:
    rule = item[0].rule
    return (2 if DELETING.search(rule) else 1 if UNDOING.search(rule) else 0, rule)


@pytest.fixture
def world(app, demo, make_user):
    return World(demo, make_user)


def _check(app, world, roles, methods, order=None):
    failures = []
    checked = [(rule, method) for rule, method in routes(app) if method in methods]
    if order:
        checked.sort(key=order)
    # Signing out ends the session the next routes need: last.
    checked.sort(key=lambda item: item[0].endpoint == "auth.logout")
    for role in roles:
        client = _client_for(app, world, role)
        for rule, method in checked:
            want = expected(rule.endpoint, rule.rule, role)
            if method == "POST" and want == "ok" and role not in ("organiser", "admin",
                                                                  "reception"):
                continue  # public forms: covered by their own tests
            if method == "POST" and rule.rule.startswith("/r/") and DELETING.search(rule.rule):
                # The attendee's own erasure, the same for every role (test_self_service):
                # it would take the registration the organisers' erasure is checked on.
                continue
            url = build(rule, url_params(rule, world))
            response = client.open(url, method=method, data={})
            got = _outcome(response)
            if got != want:
                failures.append(f"{role:11} {method:4} {url} → {response.status_code} "
                                f"({got}, attendu {want})")
    return failures


def test_every_get_route_for_every_role(app, world):
    failures = _check(app, world, ROLES, {"GET"})
    assert not failures, "\n".join(failures)


def test_every_post_route_refuses_those_without_the_right(app, world):
    failures = _check(app, world, ("anonymous", "attendee", "facilitator", "other_staff"),
                      {"POST"})
    assert not failures, "\n".join(failures)
    # Nothing was changed by the refused requests.
    db.session.expire_all()
    assert db.session.get(Registration, world.registration.id).status.value == "confirmed"
    assert db.session.get(FacilitatorLink, world.link.id).revoked_at is None


@pytest.mark.parametrize("role", ["reception", "organiser", "admin"])
def test_every_post_route_for_the_event_staff(app, world, role):
    failures = _check(app, world, (role,), {"POST"},
                      order=destructive_last)
    assert not failures, "\n".join(failures)


def test_objects_named_in_urls_must_belong_to_the_event(app, world):
    """The ids of another event's objects under this event's URL: 404, never the object
    (no IDOR), for every route that names an object."""
    etsup = world.etsup
    other = services.register(etsup.id, services.Attendee(
        first_name="Ana", last_name="Costa", email="ana@example.org",
        profile="professional", privacy_version="test"), OPEN_DAY,
        source=services.Source.STAFF)
    db.session.commit()
    foreign = {"registration_id": other.id, "room_id": etsup.rooms[0].id if etsup.rooms
               else None, "session_id": etsup.sessions[0].id}
    client = _client_for(app, world, "organiser")
    failures = []
    for rule, method in routes(app):
        if "<int:event_id>" not in rule.rule or method != "GET":
            continue
        params = url_params(rule, world)
        for name, value in foreign.items():
            if name in params and value is not None and name in rule.arguments \
                    and not ("workshop_id" in params or "contribution_id" in params):
                url = build(rule, {**params, name: value})
                response = client.get(url)
                if response.status_code != 404:
                    failures.append(f"{url} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_new_route_needs_an_access_rule(app):
    """Every staff route lives under /admin (guarded by require_login); public ones are
    listed here on purpose."""
    public = {"programme.", "registration.", "auth.", "facilitation.", "syntheses.",
              "certificates."}
    for rule, _method in routes(app):
        if not rule.rule.startswith("/admin"):
            assert rule.endpoint.startswith(tuple(public)), (
                f"{rule.rule} ({rule.endpoint}) is outside /admin: is it really public?")
