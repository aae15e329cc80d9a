"""Hostile input: adversarial values in every form never cause a 500 or a partial write,
and what is accepted comes back exactly (in the page, the spreadsheet and the PDF)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select
from support.pages import text_of
from support.registration import FORM_URL, OPEN_DAY, set_today, valid_data
from support.world import World, build, routes, url_params

from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.registration.models import Registration, WorkshopChoice

#: Values that broke other applications: markup, SQL, spreadsheet formulas, direction
#: overrides, control characters, NUL, emoji, huge numbers, very long text.
ADVERSARIAL = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "' OR 1=1 --",
    '"; DROP TABLE registration; --', "=1+1", "+33 6 12", "-2+3", "@SUM(A1:A9)",
    "\u202eevil\u202c", "a\x00b", "tab\tand\x0bvertical", "😀🎉", "Ἀλέξανδρος Дмитрий",
    "99999999999999999999999999", "-1", "1e309", "NaN", " ", "x" * 20_000,
    "../../etc/passwd", "%s%n%x", "{{ 7*7 }}",
]


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name → a default value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {},
                             "text": [], "lines": []}
            self.forms.append(self._current)
        if self._current is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._current["fields"].setdefault(name, attrs.get("value", "y"))
            elif kind not in ("submit", "button", "file"):
                self._current["fields"][name] = attrs.get("value", "")
                if kind not in ("hidden",):
                    self._current["text"].append(name)
                if kind in ("text", "email", "tel", "search", "url"):
                    self._current["lines"].append(name)
        elif tag == "textarea" and name:
            self._current["fields"][name] = ""
            self._current["text"].append(name)
        elif tag == "select" and name:
            self._select = name
            self._current["fields"][name] = ""
        elif tag == "option" and self._select and self._current["fields"][self._select] == "":
            self._current["fields"][self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        if tag == "select":
            self._select = None


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


#: Forms whose purpose is to delete or to end the session: fuzzing them proves nothing.
SKIPPED_ACTIONS = re.compile(r"supprimer|effacer|deconnexion|retirer|revoquer|remplacer|"
                             r"archiver|annuler")


def _staff_client(app, world):
    client = app.test_client()
    client.post("/connexion", data={"email": world.users["admin"].email,
                                    "password": "mot-de-passe-solide"})
    return client


def _form_pages(app, world):
    """Every GET page (staff and public) that holds a POST form."""
    for rule, method in routes(app):
        if method == "GET" and not rule.rule.endswith((".pdf", ".xlsx", ".ics", ".json")):
            yield build(rule, url_params(rule, world))


def _distinct_forms(app, world, client):
    """Each POST form of the pages a staff account reaches, once per action and fields
    (numbers in the action aside): ``(action, form)``."""
    seen = set()
    for page in _form_pages(app, world):
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for form in post_forms(response.get_data(as_text=True)):
            action = form["action"] or page
            key = (re.sub(r"\d+", "N", action), tuple(sorted(form["fields"])))
            if not SKIPPED_ACTIONS.search(action) and key not in seen:
                seen.add(key)
                yield action, form


@pytest.mark.slow
def test_every_form_survives_adversarial_values(app, demo, make_user, monkeypatch):
    set_today(monkeypatch, OPEN_DAY)
    world = World(demo, make_user)
    client = _staff_client(app, world)
    forms, failures = list(_distinct_forms(app, world, client)), []
    for action, form in forms:
        if not form["text"]:
            continue
        for value in ADVERSARIAL:
            data = dict(form["fields"])
            data.update({name: value for name in form["text"]})
            answer = client.post(action, data=data)
            if answer.status_code >= 500:
                failures.append(f"{action} {value[:30]!r} → {answer.status_code}")
            elif answer.status_code == 200 and "text/html" in answer.content_type:
                html = answer.get_data(as_text=True)
                if "<script>alert(1)</script>" in html or "onerror=alert(1)>" in html:
                    failures.append(f"{action}: markup not escaped")
    assert len(forms) >= 20, f"only {len(forms)} forms found: the crawl is broken"
    assert not failures, "\n".join(failures)


# One-line fields -----------------------------------------------------------------------

ONE_LINE = "Ce champ tient sur une ligne : retirez les retours à la ligne."
#: What str.splitlines() breaks at: CR, LF, VT, FF, the file/group/record separators, NEL
#: and the Unicode line and paragraph separators.
LINE_BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85",
               "\u2028", "\u2029"]


@pytest.mark.slow
def test_every_one_line_field_refuses_a_line_break(app, demo, make_user, monkeypatch):
    """Every text input of every form (staff and public): the form comes back with the
    French message and what was typed."""
    set_today(monkeypatch, OPEN_DAY)
    world = World(demo, make_user)
    client = _staff_client(app, world)
    checked, failures = 0, []
    for action, form in _distinct_forms(app, world, client):
        if action.startswith("/connexion"):
            # Sign-in forms match the address with an account's: a line break matches
            # none, and the forgotten-password answer never says so.
            continue
        for name in form["lines"]:
            if name == "website":
                continue  # The honeypot: a robot filling it is thanked, not told.
            data = {**form["fields"], name: "Première ligne\r\nSeconde ligne"}
            answer = client.post(action, data=data)
            checked += 1
            html = answer.get_data(as_text=True)
            # E-mail addresses come back lowercased.
            if (answer.status_code != 200 or ONE_LINE not in text_of(html)
                    or "seconde ligne" not in html.lower()):
                failures.append(f"{action} {name} → {answer.status_code}")
    assert checked >= 80, f"only {checked} fields tried: the crawl is broken"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("separator", LINE_BREAKS, ids=[repr(s) for s in LINE_BREAKS])
def test_an_event_title_stays_on_one_line(organiser_client, irts, separator):
    url = f"/admin/journees/{irts.id}/modifier"
    title = irts.title
    form = next(form for form in post_forms(organiser_client.get(url).get_data(as_text=True))
                if "title" in form["fields"])
    typed = f"Journée{separator}Bcc: victime@example.org"
    response = organiser_client.post(url, data={**form["fields"], "title": typed})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ONE_LINE in text_of(html)
    assert "Bcc: victime@example.org" in html  # What was typed comes back.
    db.session.expire_all()
    assert db.session.get(type(irts), irts.id).title == title


@pytest.mark.parametrize("separator", ["\n", "\u2028", "\u2029"])
def test_the_public_form_refuses_a_line_break_in_a_name(client, irts, monkeypatch,
                                                       separator):
    set_today(monkeypatch, OPEN_DAY)
    before = _counts()
    response = client.post(FORM_URL, data=valid_data(irts, first_name=f"Zoé{separator}Zoé"))
    assert response.status_code == 200
    assert ONE_LINE in text_of(response.get_data(as_text=True))
    assert _counts() == before


# The registration form, value by value -----------------------------------------------

names = st.one_of(
    st.sampled_from(ADVERSARIAL),
    st.text(min_size=1, max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
)


def _counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Registration, WorkshopChoice, OutboxMessage))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(first=names, last=names, organisation=names)
def test_registration_stores_exactly_or_refuses_cleanly(client, irts, organiser_client,
                                                         monkeypatch, first, last,
                                                         organisation):
    set_today(monkeypatch, OPEN_DAY)
    before = _counts()
    email = f"p{before[0]}@example.org"
    response = client.post(FORM_URL, data=valid_data(
        irts, first_name=first, last_name=last, organisation=organisation, email=email))
    assert response.status_code in (200, 302), response.status_code
    db.session.expire_all()
    if response.status_code == 200:
        # Refused: a French message, nothing written at all.
        assert "Le formulaire contient" in text_of(response.get_data(as_text=True))
        assert _counts() == before
        return
    registration = db.session.scalar(select(Registration).filter_by(email=email))
    assert _counts() == (before[0] + 1, before[1] + 3, before[2] + 1)
    stored = (registration.first_name, registration.last_name, registration.organisation)
    # Exactly as typed, but for the surrounding spaces and NUL characters (dropped from
    # every request: see journee.security).
    assert stored == tuple(value.replace("\x00", "").strip()
                           for value in (first, last, organisation))
    # The organiser's page shows it escaped, the export holds it as text.
    page = organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/{registration.id}/").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    sheet = load_workbook(BytesIO(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/export.xlsx").data)).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row
             if cell.value == registration.last_name}
    assert cells and set(cells.values()) == {"s"}


@pytest.mark.parametrize("payload, why", [
    (b"PK\x03\x04 pas vraiment un classeur", "a broken zip"),
    (b"%PDF-1.7 un PDF renomme", "not a spreadsheet"),
    (b"", "empty"),
])
def test_uploads_that_are_not_spreadsheets_are_refused(organiser_client, irts, payload, why):
    response = organiser_client.post(
        f"/admin/journees/{irts.id}/inscriptions/import",
        data={"file": (BytesIO(payload), "inscriptions.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code in (200, 400), why
    text = text_of(response.get_data(as_text=True))
    assert "Le formulaire contient" in text or "fichier" in text.lower(), why
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_zip_bomb_is_refused(organiser_client, irts):
    """A small file that unzips to gigabytes must be refused before it is expanded."""
    import zipfile
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = organiser_client.post(
        f"/admin/journees/{irts.id}/inscriptions/import",
        data={"file": (BytesIO(buffer.getvalue()), "bombe.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code in (200, 400)
    assert "fichier" in text_of(response.get_data(as_text=True)).lower()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


# Impossible numbers --------------------------------------------------------------------

#: Beyond PostgreSQL's ``integer`` (every id column), beyond SQLite's 64-bit integers, the
#: tester's 30 digits.
IMPOSSIBLE_IDS = {"2**31": 2**31, "2**63": 2**63, "30 digits": 10**30 - 1}


@pytest.mark.parametrize("huge", IMPOSSIBLE_IDS.values(), ids=IMPOSSIBLE_IDS)
def test_an_impossible_id_in_any_route_is_404(app, demo, make_user, huge):
    from werkzeug.routing import IntegerConverter

    app.config["PROPAGATE_EXCEPTIONS"] = False  # A 500 is listed, not raised.
    world = World(demo, make_user)
    client = _staff_client(app, world)
    tried, failures = 0, []
    for rule, method in routes(app):
        params = url_params(rule, world)
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                url = build(rule, {**params, name: huge})
                response = client.open(url, method=method, data={})
                tried += 1
                if response.status_code != 404:
                    failures.append(f"{method} {url} → {response.status_code}")
    assert tried > 100, "the routes with a number were not found"
    assert not failures, "\n".join(failures)


#: Numbers no database column holds, and « digits » int() refuses (too many, not ASCII).
ODD_NUMBERS = [str(2**31), str(10**30), "9" * 5000, "²"]


@pytest.mark.parametrize("odd", ODD_NUMBERS, ids=["2**31", "30 digits", "5000 digits", "²"])
def test_impossible_numbers_in_query_strings_and_forms_never_500(app, demo, make_user, odd):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    world = World(demo, make_user)
    client = _staff_client(app, world)
    irts = f"/admin/journees/{world.irts.id}"
    session = f"{irts}/seances/{world.slot.id}"
    workshop = f"{session}/ateliers/{world.workshop.id}"
    requests = [
        ("GET", f"{irts}/inscriptions/?page={odd}&atelier={odd}", {}),
        ("GET", f"/admin/personnes/?page={odd}", {}),
        ("GET", f"{irts}/journal?page={odd}", {}),
        ("GET", f"{irts}/badges?inscription={odd}", {}),
        ("POST", f"{irts}/badges", {"selection": "one", "registration": odd,
                                    "sheet_format": "a4-8", "offset_x": "0",
                                    "offset_y": "0", "skip": odd}),
        ("POST", f"{irts}/badges", {"selection": "all", "sheet_format": "a4-8",
                                    "offset_x": "0", "offset_y": "0", "skip": odd}),
        ("POST", f"{irts}/attestations/presences", {"listed": odd, "present": odd,
                                                    "was_present": odd}),
        ("POST", f"{workshop}/intervenants/ajouter", {"existante-person_id": odd,
                                                      "existante-role": "facilitator"}),
        ("POST", f"{session}/modifier", {"kind": "workshops", "title": "Ateliers",
                                         "day": "2018-03-15", "start": "14:00",
                                         "room_id": odd}),
        ("POST", f"{workshop}/modifier", {"number": odd, "title": "Atelier",
                                          "room_id": odd, "capacity": odd}),
        ("POST", f"{irts}/repartition/{world.slot.id}/personnes/{world.registration.id}",
         {f"p{world.registration.id}-workshop": odd}),
        ("POST", f"/admin/comptes/{world.users['organiser'].id}/roles",
         {"role-event_id": odd, "role-role": "reception"}),
    ]
    failures = []
    for method, url, data in requests:
        response = client.open(url, method=method, data=data)
        if response.status_code >= 500:
            failures.append(f"{method} {url[:80]} → {response.status_code}")
    assert not failures, "\n".join(failures)
