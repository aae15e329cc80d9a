"""Every route of the app, for every kind of visitor: who gets in, who is turned away how.

Routes are enumerated from the URL map, so a new route cannot escape: its parameters must
be known to :func:`url_params` and its access rule to :func:`expected` (else the test
fails and says so). Outcomes: the sign-in page for staff routes without an account, 404
for another event's objects (their existence is not revealed), 403 for a missing
permission on one's own event, and an answer (2xx/3xx) otherwise.

The people directory is checked per event as well: two days, an organiser of each, and
people who take part in one day, in both, or in none yet (see :data:`SEES`).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from support.pages import text_of
from support.registration import OPEN_DAY
from support.world import NEED, World, build, routes, url_params

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import (
    Event,
    Participation,
    Person,
    Role,
    Session,
    SessionKind,
    Workshop,
)
from journee.registration import services
from journee.registration.models import Registration

ROLES = ("anonymous", "attendee", "facilitator", "no_role", "referent", "other_staff",
         "reception", "organiser", "admin")
#: ``no_role``: a staff account with no role on any event, not allowed to create events;
#: ``referent``: the same, named the IRTS-IDS day's disability referent.
STAFF = {"no_role", "referent", "other_staff", "reception", "organiser", "admin"}
#: What the disability referent may see of their event: its accommodation needs (the
#: organisers too; reception staff get 403, everyone else 404).
NEEDS_ENDPOINTS = {"admin.registration.needs"}
#: Who may read the accommodation need of the world's attendee in a page.
SEE_NEEDS = {"organiser", "admin", "referent", "attendee"}

#: What reception staff may do on their event: welcome people, nothing else.
WELCOME_ENDPOINTS = {"admin.checkin.desk", "admin.checkin.results", "admin.checkin.counts", "admin.checkin.badge",
                     "admin.checkin.mark", "admin.checkin.undo", "admin.checkin.confirm_and_mark",
                     "admin.checkin.on_site", "admin.signing.desk", "admin.signing.person",
                     "admin.signing.sign", "admin.signing.attest"}
#: Administrators only.
ADMIN_ENDPOINTS_PREFIXES = ("admin.accounts.",)
ADMIN_ENDPOINTS = {"admin.gdpr.privacy_settings", "admin.branding.settings",
                   "admin.branding.legal_identity"}
#: Staff routes outside any event: organisers (of any event) and administrators.
ORGANISER_ONLY = {"admin.programme.people", "admin.programme.person_form", "admin.programme.people_search",
                  "admin.programme.event_create"}
#: Who takes part where: ``irts`` facilitates a workshop of the IRTS-IDS day, ``etsup`` one
#: of the ETSUP day, ``both`` speaks at both days, ``unplaced`` was created by the IRTS-IDS
#: organiser and takes part in no day yet.
PEOPLE = ("irts", "etsup", "both", "unplaced")
#: Whom each account sees in the directory and the person pickers.
SEES = {"organiser": {"irts", "both", "unplaced"}, "other_staff": {"etsup", "both"},
        "admin": set(PEOPLE), "no_role": set(), "referent": set(), "reception": set()}
#: Whose e-mail address each account may change: it organises every day they appear in.
READDRESSES = {"organiser": {"irts", "unplaced"}, "other_staff": {"etsup"},
               "admin": set(PEOPLE)}

LOGIN = "/connexion"


def expected(endpoint: str, rule: str, role: str) -> str:
    """``login``, ``403``, ``404`` or ``ok``."""
    if rule.startswith("/admin"):
        if role not in STAFF:
            return "login"
        if endpoint.startswith(ADMIN_ENDPOINTS_PREFIXES) or endpoint in ADMIN_ENDPOINTS:
            return "ok" if role == "admin" else "403"
        if "<int:event_id>" not in rule:
            if endpoint in ORGANISER_ONLY and role in ("reception", "no_role", "referent"):
                return "403"
            if "<int:person_id>" in rule and role == "other_staff":
                return "404"  # url_params names a person of the IRTS-IDS day only
            return "ok"
        if role == "referent":
            return "ok" if endpoint in NEEDS_ENDPOINTS else "404"
        if role in ("other_staff", "no_role"):
            return "404"
        if role == "reception":
            return "ok" if endpoint in WELCOME_ENDPOINTS else "403"
        return "ok"
    if endpoint == "auth.logout":
        return "ok" if role in STAFF else "login"
    if endpoint == "auth.reset_password":
        return "404"  # a forged link
    if endpoint == "branding.logo":
        return "404"  # no logo in the test world
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


def _take_part(person, session, role, workshop=None):
    session.participations.append(Participation(person=person, role=role, position=9,
                                                workshop=workshop))


@pytest.fixture
def world(app, demo, make_user):
    world = World(demo, make_user)
    etsup_slot = Session(kind=SessionKind.WORKSHOPS, title="Ateliers de l’après-midi",
                         starts_at=datetime(2018, 3, 20, 16, 30),
                         ends_at=datetime(2018, 3, 20, 17, 30))
    world.etsup.sessions.append(etsup_slot)
    etsup_slot.workshops += [Workshop(number=1, title="Écrans et lien social"),
                             Workshop(number=2, title="Données et secret professionnel")]
    people = {key: Person(first_name=first, last_name=last, email=email)
              for key, first, last, email in (
                  ("irts", "Inès", "ABADIE", "ines.abadie@example.org"),
                  ("etsup", "Bérénice", "BLANCHARD", "berenice.blanchard@example.org"),
                  ("both", "Charles", "CORNU", "charles.cornu@example.org"),
                  ("unplaced", "Noé", "DELORME", "noe.delorme@example.org"))}
    people["unplaced"].created_by_id = world.users["organiser"].id
    db.session.add_all(people.values())
    _take_part(people["irts"], world.slot, Role.FACILITATOR, world.workshop)
    _take_part(people["etsup"], etsup_slot, Role.FACILITATOR, etsup_slot.workshops[0])
    _take_part(people["both"], _plain_session(world.irts), Role.SPEAKER)
    _take_part(people["both"], _plain_session(world.etsup), Role.SPEAKER)
    db.session.commit()
    world.people = people
    world.etsup_slot = etsup_slot
    return world


def _plain_session(event) -> Session:
    """A session where nobody speaks (a break), to add people to."""
    return next(s for s in event.sessions if s.kind in ("break", "lunch"))


def _check(app, world, roles, methods, order=None):
    failures = []
    checked = [(rule, method) for rule, method in routes(app) if method in methods]
    if order:
        checked.sort(key=order)
    # Signing out ends the session the next routes need: last.
    checked.sort(key=lambda item: item[0].endpoint == "auth.logout")
    for role in roles:
        client = _client_for(app, world, role)
        hidden = [world.people[key].email for key in PEOPLE
                  if key not in SEES.get(role, set(PEOPLE))]
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
            body = response.get_data()
            failures += [f"{role:11} {method:4} {url} shows {email}" for email in hidden
                         if email.encode() in body]
            # /r/…: the attendee's own pages, opened by their secret link whoever holds it.
            if (role not in SEE_NEEDS and not rule.rule.startswith("/r/")
                    and NEED.encode() in body):
                failures.append(f"{role:11} {method:4} {url} shows the accommodation need")
    return failures


@pytest.mark.slow
def test_every_get_route_for_every_role(app, world):
    failures = _check(app, world, ROLES, {"GET"})
    assert not failures, "\n".join(failures)


def test_every_post_route_refuses_those_without_the_right(app, world):
    failures = _check(app, world, ("anonymous", "attendee", "facilitator", "no_role",
                                   "referent", "other_staff"), {"POST"})
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


def test_every_staff_page_is_kept_out_of_caches(app, world):
    """Lists, a person's details, the desk…: no browser or proxy keeps a copy."""
    client = _client_for(app, world, "admin")
    failures = []
    for rule, method in routes(app):
        if method == "GET" and rule.rule.startswith("/admin"):
            url = build(rule, url_params(rule, world))
            response = client.get(url)
            if "no-store" not in response.headers.get("Cache-Control", ""):
                failures.append(f"{url} → {response.headers.get('Cache-Control')}")
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


def _own_event(world, role) -> Event:
    return world.etsup if role == "other_staff" else world.irts


def _snapshot(world) -> dict:
    db.session.expire_all()
    return {key: (person.function, person.email, db.session.scalar(
        db.select(db.func.count(Participation.id)).filter_by(person_id=person.id)))
        for key, person in world.people.items()}


@pytest.mark.parametrize("role", ["organiser", "other_staff", "admin", "no_role",
                                  "reception"])
def test_the_people_directory_per_event(app, world, role):
    """Search, person pickers, the person form and adding someone to a session: an account
    reaches only the people of the days it organises (and those it created that are in no
    day yet), and changes an e-mail address only if it organises all their days."""
    client = _client_for(app, world, role)
    people, sees = world.people, SEES[role]
    allowed_in = role in READDRESSES
    event = _own_event(world, role)
    pickers = [f"/admin/journees/{event.id}/seances/{_plain_session(event).id}/"]
    slot = world.etsup_slot if event is world.etsup else world.slot
    pickers.append(f"/admin/journees/{event.id}/seances/{slot.id}/ateliers/"
                   f"{slot.workshops[1].id}/")
    bodies, failures = [], []

    def fetch(url, data=None):
        response = client.post(url, data=data) if data is not None else client.get(url)
        bodies.append(response.get_data(as_text=True))
        return response

    def want(outcome, response, what):
        if response.status_code != outcome:
            failures.append(f"{role} {what} → {response.status_code}, attendu {outcome}")

    before = _snapshot(world)
    for key in PEOPLE:
        person, seen = people[key], key in sees
        search = fetch(f"/admin/personnes/?q={person.last_name}")
        form = fetch(f"/admin/personnes/{person.id}/modifier")
        suggestions = fetch(f"/admin/personnes/recherche?q={person.last_name}")
        if not allowed_in:
            want(403, search, f"recherche {key}")
            want(403, form, f"fiche {key}")
            want(403, suggestions, f"suggestions {key}")
            continue
        want(200, search, f"recherche {key}")
        if (person.id in [p["id"] for p in suggestions.get_json()["people"]]) != seen:
            failures.append(f"{role} suggestions {key}: visible={not seen}")
        if (person.full_name in text_of(bodies[-2])) != seen:
            failures.append(f"{role} recherche {key}: visible={not seen}")
        want(200 if seen else 404, form, f"fiche {key}")
        for url in pickers:
            page = fetch(f"{url}?q={person.last_name}")
            want(200, page, f"sélecteur {url}")
            if (f">{person.full_name}<" in bodies[-1]) != seen:
                failures.append(f"{role} sélecteur {url} {key}: visible={not seen}")

    for key in PEOPLE:
        person = people[key]
        response = fetch(f"/admin/personnes/{person.id}/modifier", data={
            "first_name": person.first_name, "last_name": person.last_name,
            "function": "Fonction changée", "organisation": "",
            "email": f"pirate-{key}@example.org"})
        if not allowed_in:
            want(403, response, f"modifier {key}")
        elif key not in sees:
            want(404, response, f"modifier {key}")
        elif key in READDRESSES[role]:
            want(302, response, f"modifier {key}")
        else:
            want(200, response, f"modifier {key}")
            if "Vous ne pouvez pas changer l’adresse e-mail" not in text_of(bodies[-1]):
                failures.append(f"{role} modifier {key}: pas de message d’erreur")
        add = fetch(f"/admin/journees/{event.id}/seances/{_plain_session(event).id}"
                    "/intervenants/ajouter", data={
                        "existante-person_id": str(person.id), "existante-role": "speaker",
                        "existante-confirm": "y"})
        want(302 if key in sees else 403 if role == "reception" else 404, add,
             f"ajouter {key}")
    # Organisers of some day keep creating days; accounts without a role may not.
    creation = fetch("/admin/journees/nouvelle", data={
        "title": "Journée en plus", "starts_on": "2026-05-01", "ends_on": "2026-05-01",
        "waitlist_enabled": "oui", "workshop_mode": "preferences", "workshop_choices": "3",
        "retention_days": "90"})
    want(302 if allowed_in else 403, creation, "créer une journée")
    created = db.session.scalar(db.select(Event).filter_by(title="Journée en plus"))
    assert (created is not None) == allowed_in
    assert not failures, "\n".join(failures)

    after = _snapshot(world)
    for key in PEOPLE:
        function, email, parts = before[key]
        readdressed = key in READDRESSES.get(role, ())
        assert after[key][0] == ("Fonction changée" if readdressed else function), key
        assert after[key][1] == (f"pirate-{key}@example.org" if readdressed else email), key
        assert after[key][2] == parts + (key in sees), key
    logged = db.session.scalars(db.select(AuditEntry).filter_by(
        action="organiser.change_person_email")).all()
    assert sorted((entry.target, entry.event_id) for entry in logged) == sorted(
        (f"{people[key].full_name} (fiche n°\u00a0{people[key].id})", event_id)
        for key in READDRESSES.get(role, ())
        for event_id in {"irts": [world.irts.id], "etsup": [world.etsup.id],
                         "both": [world.irts.id, world.etsup.id], "unplaced": [None]}[key])
    assert all(world.users[role].email in entry.actor and "@example.org" not in entry.target
               for entry in logged)
    # Whom the account may not see, it never reads: not even an e-mail address.
    for key in set(PEOPLE) - sees:
        assert not any(before[key][1] in body for body in bodies), key


def test_a_new_route_needs_an_access_rule(app):
    """Every staff route lives under /admin (guarded by require_login); public ones are
    listed here on purpose."""
    public = {"programme.", "registration.", "auth.", "facilitation.", "facilitation_signing.",
              "syntheses.",
              "certificates.", "messages.", "branding.", "surveys."}
    for rule, _method in routes(app):
        if not rule.rule.startswith("/admin"):
            assert rule.endpoint.startswith(tuple(public)), (
                f"{rule.rule} ({rule.endpoint}) is outside /admin: is it really public?")
