"""The web layer (``journee/web/``): what every feature shares, and the rule that keeps it
shared: a feature package never imports another feature's views or back-office pages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.world import World, build, routes, url_params
from werkzeug.exceptions import Forbidden, NotFound

from journee.extensions import db
from journee.programme.loaders import event_or_404, visible_event_or_404
from journee.programme.models import Event
from journee.registration.loaders import registration_or_404
from journee.web.admin import require_login
from journee.web.downloads import content_disposition, private_download
from journee.web.loaders import owned_or_404
from journee.web.urls import external_url

PACKAGE = Path(__file__).resolve().parent.parent / "journee"
#: Packages with views of their own: a feature's pages are its own business.
FEATURES = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py")
                  if path.parent.name != "web")
#: Modules that answer requests: ``views`` (public) and ``admin`` (back office).
PAGE_MODULES = ("views", "admin")
#: Extensions of the files people download.
FILES = (".pdf", ".xlsx", ".json", ".ics", ".png")


# Private downloads ------------------------------------------------------------------------

@pytest.fixture
def world(app, demo, make_user):
    world = World(demo, make_user)
    db.session.commit()
    return world


def _private_downloads(app):
    """Every GET route of a file that names people: in the back office, an attendee's or a
    facilitator's space (public programme files are not private)."""
    for rule, method in routes(app):
        if method == "GET" and rule.rule.startswith(("/admin/", "/r/", "/f/")) and (
                rule.rule.endswith(FILES) or rule.endpoint == "admin.sheets.signature_image"):
            yield rule


def test_every_private_download_answers_with_the_same_headers(app, world, client):
    response = client.post("/connexion", data={"email": world.users["admin"].email,
                                               "password": "mot-de-passe-solide"})
    assert response.status_code == 302
    checked, failures = [], []
    for rule in _private_downloads(app):
        url = build(rule, url_params(rule, world))
        response = client.get(url)
        checked.append(rule.endpoint)
        headers = response.headers
        disposition = headers.get("Content-Disposition", "")
        if (response.status_code != 200
                or headers.get("Cache-Control") != "private, no-store"
                or headers.get("X-Content-Type-Options") != "nosniff"
                or not disposition.startswith(("attachment; filename=", "inline; filename="))
                or not response.data):
            failures.append(f"{url} → {response.status_code} {dict(headers)}")
    assert not failures, "\n".join(failures)
    # Badges are a POST (tests/test_badges.py); the GET routes are these.
    assert {"admin.registration.export_xlsx", "admin.registration.summary_xlsx",
            "admin.registration.blank_form_pdf", "admin.registration.import_template",
            "admin.sheets.day_signin_pdf", "admin.sheets.workshop_signin_pdf",
            "admin.sheets.certificate_pdf", "admin.sheets.all_certificates_pdf",
            "admin.sheets.signature_image", "admin.gdpr.export", "admin.syntheses.booklet",
            "facilitation.workshop_xlsx", "facilitation.workshop_signin", "certificates.own",
            "registration.calendar", "registration.export_data"} <= set(checked)


def test_a_private_download_names_its_file_for_every_browser(app):
    with app.test_request_context():
        response = private_download(b"%PDF-", "émargement « atelier 2 ».pdf",
                                    "application/pdf")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="emargement  atelier 2 .pdf"; '
        "filename*=UTF-8''%C3%A9margement%20%C2%AB%20atelier%202%20%C2%BB.pdf")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert response.data == b"%PDF-"


def test_an_ascii_file_name_needs_no_encoded_twin():
    assert content_disposition("badges-irts.pdf") == 'attachment; filename="badges-irts.pdf"'
    assert content_disposition("a\"b\\c\n.pdf", inline=True).startswith(
        'inline; filename="abc.pdf"; filename*=UTF-8\'\'a%22b%5Cc%0A.pdf')


# External addresses -----------------------------------------------------------------------

def test_external_url_starts_with_the_public_address(app):
    app.config["PUBLIC_BASE_URL"] = "https://journees.example.org/"
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert external_url("registration.self_service", token="abc") == \
            "https://journees.example.org/r/abc"
        assert external_url("admin.programme.index") == "https://journees.example.org/admin/"


# Loaders ----------------------------------------------------------------------------------

def test_loaders_answer_404_alike_for_missing_and_foreign_objects(app, demo, make_user, login,
                                                                   client):
    irts, etsup = demo["travail-social-epreuve-numerique-2018"], \
        demo["travail-social-2-0-etsup-2018"]
    login(make_user(events=[irts]))
    with client:
        client.get("/admin/")  # a request of the organiser's, to load them
        assert event_or_404(irts.id) is irts
        for load in (lambda: event_or_404(etsup.id), lambda: event_or_404(999_999),
                     lambda: owned_or_404(Event, 999_999),
                     lambda: owned_or_404(Event, irts.id, slug="autre"),
                     lambda: registration_or_404(irts, 999_999)):
            with pytest.raises(NotFound):
                load()


def test_reception_staff_get_a_403_on_the_organisers_pages(app, irts, make_user, login,
                                                            client):
    from journee.programme.models import EventMembership
    from journee.programme.permissions import RECEPTION

    user = make_user("accueil@example.org")
    db.session.add(EventMembership(event=irts, user=user, role=RECEPTION))
    db.session.commit()
    login(user)
    with client:
        client.get("/admin/")
        with pytest.raises(Forbidden):
            event_or_404(irts.id)


def test_a_draft_is_visible_to_its_organisers_only(app, irts, make_user, login, client):
    irts.status = "draft"
    db.session.commit()
    with app.test_request_context():
        with pytest.raises(NotFound):
            visible_event_or_404(irts.slug)
    login(make_user(events=[irts]))
    with client:
        client.get("/admin/")
        assert visible_event_or_404(irts.slug).id == irts.id


# The back office --------------------------------------------------------------------------

def test_one_parent_checks_the_login_for_the_whole_back_office(app):
    admin_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]
    assert admin_rules and all(rule.endpoint.startswith("admin.") for rule in admin_rules)
    hooks = {name: funcs for name, funcs in app.before_request_funcs.items()
             if require_login in funcs}
    assert hooks == {"admin": [require_login]}


def test_the_back_office_sends_visitors_to_the_sign_in_page(client, irts):
    for url in ("/admin/", f"/admin/journees/{irts.id}/inscriptions/", "/admin/comptes/"):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


# Boundaries -------------------------------------------------------------------------------

def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every import of the file, relative ones resolved, and each
    name of a ``from package import name`` counted as a module too."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _feature_page_module(module: str) -> tuple[str, str] | None:
    """``(feature, views|admin)`` if the module is a feature's pages, else None."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "journee" and parts[1] in FEATURES \
            and parts[2] in PAGE_MODULES:
        return parts[1], parts[2]
    return None


def test_no_feature_imports_another_features_pages():
    """Infrastructure comes from ``journee.web``; only the app factory knows every
    blueprint."""
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative == Path("__init__.py"):
            continue  # create_app registers the blueprints
        owner = relative.parts[0] if len(relative.parts) > 1 else None
        for line, module in _imported_modules(path):
            target = _feature_page_module(module)
            if target and target[0] != owner:
                offences.append(f"journee/{relative}:{line} imports {module}")
    assert not offences, "\n".join(offences)


def test_the_boundary_check_sees_relative_imports(tmp_path):
    """The check above would pass on an empty walk: make sure it resolves what it reads."""
    sample = PACKAGE / "attendance" / "admin" / "checkin.py"
    modules = {module for _, module in _imported_modules(sample)}
    assert "journee.web.loaders" in modules
    assert "journee.attendance.services.presence" in modules
    assert _feature_page_module("journee.registration.admin.detail") == ("registration",
                                                                          "admin")
    assert _feature_page_module("journee.registration.forms") is None
    assert "web" not in FEATURES and {"programme", "registration", "attendance"} <= \
        set(FEATURES)
