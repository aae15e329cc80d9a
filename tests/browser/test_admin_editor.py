import pytest
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import Event, SessionKind

SLUG = "travail-social-epreuve-numerique-2018"


def _ids(live_server) -> tuple[int, int, int]:
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        plenary = next(s for s in event.sessions if s.kind == SessionKind.PLENARY)
        slot = event.workshop_sessions[0]
        return event.id, plenary.id, slot.id


def test_session_editor_has_no_axe_violation(page_factory, live_server):
    event_id, plenary_id, slot_id = _ids(live_server)
    page = page_factory()
    login(page, live_server.base_url)
    base = f"{live_server.base_url}/admin/journees/{event_id}"
    for path in ("/", f"/seances/{plenary_id}/", f"/seances/{plenary_id}/modifier",
                 f"/seances/{slot_id}/", "/seances/nouvelle"):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path


@pytest.mark.parametrize("javascript", [False, True])
def test_session_form_errors_are_accessible_and_keep_input(page_factory, live_server, javascript):
    event_id, plenary_id, _ = _ids(live_server)
    page = page_factory(width=360, javascript=javascript)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{event_id}/seances/{plenary_id}/modifier")
    page.fill("input[name=title]", "Titre modifié « test »")
    page.fill("input[name=end]", "09:00")
    submit(page, page.get_by_role("button", name="Enregistrer la séance"))
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "fin" in summary.inner_text()
    assert page.input_value("input[name=title]") == "Titre modifié « test »"
    if javascript:  # axe-core itself needs JavaScript; the form does not.
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0
