"""Check-in at the door: search, mark present (idempotent), undo, badges, counts, on the spot."""

from __future__ import annotations

from datetime import datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update
from support.pages import csrf_token_from, text_of

from journee.attendance.services import presence
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
    Source,
    WorkshopChoice,
)
from journee.util.clock import utcnow

STAFF = "organisatrice@example.org"


def desk_url(event) -> str:
    return f"/admin/journees/{event.id}/accueil"


def person(event, first: str, last: str, organisation: str = "", *, email: str | None = None,
           status: RegistrationStatus = RegistrationStatus.CONFIRMED,
           workshop=None) -> Registration:
    """A registration written directly, placed in ``workshop`` (preferences mode)."""
    registration = Registration(event_id=event.id, status=status, first_name=first,
                                last_name=last, organisation=organisation, email=email,
                                profile=Profile.PROFESSIONAL)
    db.session.add(registration)
    db.session.flush()
    if workshop is not None:
        db.session.add(WorkshopChoice(registration_id=registration.id,
                                      session_id=workshop.session_id,
                                      workshop_id=workshop.id, rank=1))
        db.session.add(Assignment(registration_id=registration.id,
                                  session_id=workshop.session_id, workshop_id=workshop.id,
                                  source=AssignmentSource.SOLVER, rank=1))
    db.session.commit()
    return registration


def reload(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def workshops_of(event):
    return [s for s in event.workshop_sessions if s.workshops][0].workshops


def names_in(html: str) -> list[str]:
    import re
    return [unescape(name).strip()
            for name in re.findall(r'<h3 class="checkin-name">(.*?)</h3>', html, re.DOTALL)]


@pytest.fixture
def people(irts):
    workshops = workshops_of(irts)
    return {
        "lefevre": person(irts, "Zoé", "Lefèvre", "MECS Les Tilleuls", workshop=workshops[0]),
        "obrien": person(irts, "Seán", "O'Brien-Lefèvre", "IRTS-IDS Normandie",
                         workshop=workshops[1]),
        "lukasz": person(irts, "Łukasz", "Żółć", "Foyer de l’Enfance", workshop=workshops[0]),
        "tricky": person(irts, "Zoé <Dupont> & Cie", "<img src=x>", "=1+1"),
        "waiting": person(irts, "Dmitri", "Дмитрий", "ITS Tours",
                          status=RegistrationStatus.WAITLISTED),
        "cancelled": person(irts, "Ἀλέξανδρος", "Lefebvre", "CHRS Le Phare",
                            status=RegistrationStatus.CANCELLED),
    }


# Search -----------------------------------------------------------------------------------

def test_search_without_javascript_ignores_accents_and_case(organiser_client, irts, people):
    html = organiser_client.get(desk_url(irts), query_string={"q": "LEFEVRE"}).get_data(
        as_text=True)
    assert names_in(html) == ["Zoé Lefèvre", "Seán O'Brien-Lefèvre"]
    assert "2 personnes trouvées." in text_of(html)
    # The form that got here works without JavaScript and keeps the query.
    assert 'role="search"' in html and 'name="q" value="LEFEVRE"' in html

    html = organiser_client.get(desk_url(irts), query_string={"q": "zolc lukasz"}).get_data(
        as_text=True)
    assert names_in(html) == ["Łukasz Żółć"]
    html = organiser_client.get(desk_url(irts), query_string={"q": "obrien"}).get_data(
        as_text=True)
    assert names_in(html) == ["Seán O'Brien-Lefèvre"]


def test_search_by_organisation_and_statuses_shown(organiser_client, irts, people):
    html = organiser_client.get(desk_url(irts), query_string={"q": "tilleuls"}).get_data(
        as_text=True)
    assert names_in(html) == ["Zoé Lefèvre"]
    assert "Atelier n°\u00a01, Salle 1" in unescape(html)

    html = organiser_client.get(desk_url(irts), query_string={"q": "its tours"}).get_data(
        as_text=True)
    assert names_in(html) == ["Dmitri Дмитрий"]
    assert "Sur la liste d’attente" in html and "Confirmer et marquer présent·e" in html

    html = organiser_client.get(desk_url(irts), query_string={"q": "phare"}).get_data(
        as_text=True)
    assert names_in(html) == ["Ἀλέξανδρος Lefebvre"]
    assert "Inscription annulée" in html and "Marquer présent·e" not in html

    html = organiser_client.get(desk_url(irts), query_string={"q": "alexandros"}).get_data(
        as_text=True)
    assert "Aucune inscription ne correspond" in text_of(html)
    html = organiser_client.get(desk_url(irts), query_string={"q": "αλεξ"}).get_data(
        as_text=True)
    assert names_in(html) == ["Ἀλέξανδρος Lefebvre"]


def test_tricky_names_come_out_literally(organiser_client, irts, people):
    html = organiser_client.get(desk_url(irts), query_string={"q": "dupont"}).get_data(
        as_text=True)
    assert "Zoé &lt;Dupont&gt; &amp; Cie &lt;img src=x&gt;" in html
    assert "<img src=x>" not in html
    assert names_in(html) == ["Zoé <Dupont> & Cie <img src=x>"]


def test_search_names_starting_with_the_query_come_first(app, irts):
    person(irts, "Anne", "Dupuis", "Association Martin")
    person(irts, "Paul", "Martin", "MECS")
    result = presence.search(irts, "martin")
    assert [r.last_name for r in result.registrations] == ["Martin", "Dupuis"]
    assert result.total == 2
    assert presence.search(irts, "  ").registrations == []


def test_search_shows_the_first_results_and_says_how_many(organiser_client, irts):
    for n in range(presence.SEARCH_LIMIT + 5):
        person(irts, f"Camille{n:02d}", "Bernard", "IRTS")
    html = organiser_client.get(desk_url(irts), query_string={"q": "bernard"}).get_data(
        as_text=True)
    assert len(names_in(html)) == presence.SEARCH_LIMIT
    assert (f"{presence.SEARCH_LIMIT + 5} personnes trouvées ; les {presence.SEARCH_LIMIT} "
            "premières sont affichées : précisez la recherche.") in text_of(html)


def test_results_fragment_for_search_as_you_type(organiser_client, irts, people):
    response = organiser_client.get(desk_url(irts) + "/resultats", query_string={"q": "lef"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    # Names starting with the query first, cancelled registrations last.
    assert names_in(html) == ["Zoé Lefèvre", "Seán O'Brien-Lefèvre",
                              "Ἀλέξανδρος Lefebvre"]
    assert 'data-summary="3\u00a0personnes trouvées."' in unescape(html)
    assert response.headers["Cache-Control"] == "no-store"


def test_desk_pages_are_kept_out_of_caches(organiser_client, irts, people):
    zoe = people["lefevre"]
    for url in (desk_url(irts), f"{desk_url(irts)}?q=zoé", f"{desk_url(irts)}/sur-place",
                f"{desk_url(irts)}/badge/{zoe.badge_code}", f"{desk_url(irts)}/compteurs"):
        response = organiser_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_each_search_at_the_desk_is_logged_without_what_was_typed(organiser_client, irts,
                                                                  people):
    organiser_client.get(desk_url(irts))  # No search, nobody shown: nothing to log.
    organiser_client.get(desk_url(irts), query_string={"q": "lefèvre"})
    organiser_client.get(desk_url(irts) + "/resultats", query_string={"q": "zoé"})
    organiser_client.get(desk_url(irts) + "/resultats", query_string={"q": "Inconnue"})
    entries = db.session.scalars(select(AuditEntry).filter_by(action="checkin.search")
                                 .order_by(AuditEntry.id)).all()
    assert [(entry.event_id, entry.rows) for entry in entries] == [
        (irts.id, 2), (irts.id, 2), (irts.id, 0)]
    assert all(STAFF in entry.actor and entry.target == "" for entry in entries)
    journal = text_of(organiser_client.get(f"/admin/journees/{irts.id}/journal").get_data(
        as_text=True))
    assert journal.count("Recherche d’une personne à l’accueil") == 3


# Marking present --------------------------------------------------------------------------

def test_mark_present_sets_time_and_staff_and_returns_to_the_search(organiser_client, irts,
                                                                   people):
    zoe = people["lefevre"]
    before = utcnow().replace(microsecond=0)
    response = organiser_client.post(f"{desk_url(irts)}/{zoe.id}/present",
                                      data={"q": "lefevre"})
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == desk_url(irts) and parse_qs(target.query) == {"q": ["lefevre"]}
    zoe = reload(zoe)
    assert zoe.checked_in_by == STAFF
    assert before <= zoe.checked_in_at.replace(microsecond=0) <= utcnow()

    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<p class="flash flash-success" role="status">Zoé Lefèvre est marqué·e présent·e.' \
        in page
    assert "Présent·e depuis" in page and "Annuler" in page


def test_marking_twice_is_harmless(organiser_client, irts, people):
    zoe = people["lefevre"]
    organiser_client.post(f"{desk_url(irts)}/{zoe.id}/present")
    first = reload(zoe).checked_in_at
    counts = organiser_client.get(desk_url(irts) + "/compteurs").get_json()

    response = organiser_client.post(f"{desk_url(irts)}/{zoe.id}/present",
                                      follow_redirects=True)
    assert response.status_code == 200
    assert "Zoé Lefèvre était déjà marqué·e présent·e (depuis" in response.get_data(as_text=True)
    assert reload(zoe).checked_in_at == first
    assert organiser_client.get(desk_url(irts) + "/compteurs").get_json() == counts
    assert counts["present"] == 1


def test_the_mark_is_conditional_in_the_database(app, irts, people):
    """Two phones at once: the second sees a stale row without a mark, and still keeps the
    first time, because the UPDATE itself only writes where no time is set."""
    zoe = people["lefevre"]
    stale = db.session.get(Registration, zoe.id)
    assert stale.checked_in_at is None
    first = datetime(2018, 3, 15, 8, 5)
    db.session.execute(update(Registration).where(Registration.id == zoe.id)
                       .values(checked_in_at=first, checked_in_by="autre@example.org")
                       .execution_options(synchronize_session=False))
    assert presence.mark_present(stale, STAFF) is False
    db.session.commit()
    zoe = reload(zoe)
    assert (zoe.checked_in_at, zoe.checked_in_by) == (first, "autre@example.org")


def test_undo_clears_the_mark_and_is_logged(organiser_client, irts, people):
    zoe = people["lefevre"]
    organiser_client.post(f"{desk_url(irts)}/{zoe.id}/present")
    response = organiser_client.post(f"{desk_url(irts)}/{zoe.id}/annuler",
                                      data={"q": "zoé"}, follow_redirects=True)
    assert "La présence de Zoé Lefèvre est annulée." in response.get_data(as_text=True)
    zoe = reload(zoe)
    assert zoe.checked_in_at is None and zoe.checked_in_by is None
    entry = db.session.scalar(select(AuditEntry).filter_by(action="checkin.undo"))
    assert entry.event_id == irts.id and STAFF in entry.actor
    # Undoing again changes nothing and logs nothing.
    organiser_client.post(f"{desk_url(irts)}/{zoe.id}/annuler")
    assert db.session.scalar(select(func.count(AuditEntry.id))
                             .filter_by(action="checkin.undo")) == 1


def test_waitlisted_person_is_confirmed_and_marked(organiser_client, irts, people):
    dmitri = people["waiting"]
    response = organiser_client.post(f"{desk_url(irts)}/{dmitri.id}/present")
    assert reload(dmitri).checked_in_at is None  # the plain button refuses
    assert "liste d’attente" in organiser_client.get(response.headers["Location"]).get_data(
        as_text=True)

    response = organiser_client.post(f"{desk_url(irts)}/{dmitri.id}/confirmer",
                                      data={"q": "tours"}, follow_redirects=True)
    assert "Dmitri Дмитрий est confirmé·e et marqué·e présent·e." in response.get_data(
        as_text=True)
    dmitri = reload(dmitri)
    assert dmitri.status == RegistrationStatus.CONFIRMED
    assert dmitri.checked_in_at is not None and dmitri.checked_in_by == STAFF
    entry = db.session.scalar(select(AuditEntry).filter_by(action="checkin.confirm"))
    assert entry.target == f"Inscription n°\u00a0{dmitri.id}"


def test_waitlisted_person_is_not_confirmed_beyond_the_capacity(organiser_client, irts,
                                                                people):
    irts.capacity = 4  # Zoé, Seán, Łukasz and the tricky name are confirmed
    db.session.commit()
    dmitri = people["waiting"]
    response = organiser_client.post(f"{desk_url(irts)}/{dmitri.id}/confirmer",
                                      follow_redirects=True)
    assert "Aucune place n’est libre" in response.get_data(as_text=True)
    dmitri = reload(dmitri)
    assert dmitri.status == RegistrationStatus.WAITLISTED and dmitri.checked_in_at is None


def test_cancelled_registration_cannot_be_marked(organiser_client, irts, people):
    cancelled = people["cancelled"]
    response = organiser_client.post(f"{desk_url(irts)}/{cancelled.id}/present",
                                      follow_redirects=True)
    html = response.get_data(as_text=True)
    assert 'class="flash flash-error" role="alert">L’inscription de Ἀλέξανδρος Lefebvre ' \
           'est annulée' in html
    assert reload(cancelled).checked_in_at is None
    response = organiser_client.post(f"{desk_url(irts)}/{cancelled.id}/present",
                                      headers={"Accept": "application/json"})
    assert response.status_code == 409 and response.get_json()["ok"] is False
    assert reload(cancelled).checked_in_at is None


def test_marking_with_javascript_answers_json_with_the_counts(organiser_client, irts, people):
    zoe = people["lefevre"]
    response = organiser_client.post(f"{desk_url(irts)}/{zoe.id}/present",
                                      headers={"Accept": "application/json"})
    answer = response.get_json()
    assert response.status_code == 200 and answer["ok"] is True
    assert answer["message"] == "Zoé Lefèvre est marqué·e présent·e."
    assert answer["counts"]["present"] == 1
    assert reload(zoe).checked_in_at is not None


# Counts -----------------------------------------------------------------------------------

def test_counts_overall_and_per_workshop(organiser_client, irts, people):
    first, second = workshops_of(irts)[:2]
    organiser_client.post(f"{desk_url(irts)}/{people['lefevre'].id}/present")
    organiser_client.post(f"{desk_url(irts)}/{people['obrien'].id}/present")
    response = organiser_client.get(desk_url(irts) + "/compteurs")
    assert response.headers["Cache-Control"] == "no-store"
    counts = response.get_json()
    # Confirmed: Zoé, Seán, Łukasz and the tricky name; not the waiting or cancelled ones.
    assert (counts["present"], counts["expected"]) == (2, 4)
    slot = counts["slots"][0]
    per_workshop = {w["id"]: (w["present"], w["members"]) for w in slot["workshops"]}
    assert per_workshop[first.id] == (1, 2)
    assert per_workshop[second.id] == (1, 1)
    assert all(per_workshop[w.id] == (0, 0) for w in workshops_of(irts)[2:])
    assert len(counts["slots"]) == len([s for s in irts.workshop_sessions if s.workshops])

    html = organiser_client.get(desk_url(irts)).get_data(as_text=True)
    assert "Présent·es : 2 sur 4 attendu·es" in text_of(html)
    assert f'data-workshop-present="{first.id}">1<' in html


# Badges -----------------------------------------------------------------------------------

def test_badge_url_shows_the_right_person(organiser_client, irts, people):
    zoe = people["lefevre"]
    url = f"{desk_url(irts)}/badge/{zoe.badge_code}"
    html = organiser_client.get(url).get_data(as_text=True)
    assert "<h1>Zoé Lefèvre</h1>" in html
    assert "MECS Les Tilleuls" in html and "Salle" in html and "Salle 1" in html
    assert "Marquer présent·e" in html
    response = organiser_client.post(f"{desk_url(irts)}/{zoe.id}/present",
                                      data={"retour": "badge"})
    assert response.headers["Location"].endswith(url)
    html = organiser_client.get(url).get_data(as_text=True)
    assert "Présent·e depuis" in html and "Marquer présent·e" not in html


def test_the_badge_qr_link_opens_this_page(organiser_client, irts, people):
    from journee.attendance.links import checkin_url

    link = urlsplit(checkin_url(irts.id, people["obrien"].badge_code))
    assert f"{link.scheme}://{link.netloc}" == "http://journee.test"
    html = organiser_client.get(link.path).get_data(as_text=True)
    assert "<h1>Seán O&#39;Brien-Lefèvre</h1>" in html


def test_badge_of_another_event_or_unknown_is_404(organiser_client, irts, demo, people):
    other = demo["travail-social-2-0-etsup-2018"]
    stranger = person(other, "Jeanne", "Autre", "ETSUP")
    assert organiser_client.get(f"{desk_url(irts)}/badge/{stranger.badge_code}") \
        .status_code == 404
    assert organiser_client.get(f"{desk_url(irts)}/badge/pas-un-code").status_code == 404


def test_anonymous_goes_to_login_and_comes_back(client, make_user, irts, people):
    make_user(events=[irts])
    zoe = people["lefevre"]
    for url in (desk_url(irts), desk_url(irts) + "/compteurs", desk_url(irts) + "/sur-place"):
        assert urlsplit(client.get(url).headers["Location"]).path == "/connexion", url
    assert client.post(f"{desk_url(irts)}/{zoe.id}/present").status_code == 302
    assert reload(zoe).checked_in_at is None

    url = f"{desk_url(irts)}/badge/{zoe.badge_code}"
    response = client.get(url)
    assert response.status_code == 302
    login = urlsplit(response.headers["Location"])
    assert login.path == "/connexion"
    next_url = parse_qs(login.query)["next"][0]
    assert next_url == url
    response = client.post(f"/connexion?next={next_url}", data={
        "email": STAFF, "password": "mot-de-passe-solide"})
    assert response.headers["Location"] == url
    assert "<h1>Zoé Lefèvre</h1>" in client.get(url).get_data(as_text=True)


def test_organiser_of_another_event_gets_404(client, make_user, login, irts, demo, people):
    other = demo["travail-social-2-0-etsup-2018"]
    login(make_user(email="autre@example.org", events=[other]))
    zoe = people["lefevre"]
    for url in (desk_url(irts), desk_url(irts) + "/compteurs", desk_url(irts) + "/resultats",
                f"{desk_url(irts)}/badge/{zoe.badge_code}", desk_url(irts) + "/sur-place"):
        assert client.get(url).status_code == 404, url
    for action in ("present", "annuler", "confirmer"):
        assert client.post(f"{desk_url(irts)}/{zoe.id}/{action}").status_code == 404
    # Their own event's desk does not reach this event's people either.
    assert client.post(f"{desk_url(other)}/{zoe.id}/present").status_code == 404
    assert client.get(f"{desk_url(other)}/badge/{zoe.badge_code}").status_code == 404
    assert reload(zoe).checked_in_at is None


# On-the-spot registration -----------------------------------------------------------------

def on_site_data(event, **overrides) -> dict:
    data = {"first_name": "Łukasz", "last_name": "O'Brien-Żółć",
            "organisation": "Foyer <Les Pins> & Cie", "function": "Moniteur-éducateur",
            "profile": "professional", "email": "", "privacy": "y"}
    data.update(overrides)
    return data


def test_on_site_registration_is_confirmed_and_present(organiser_client, irts):
    workshop = workshops_of(irts)[2]
    irts.registration_deadline = irts.starts_on.replace(day=1)  # long past
    db.session.commit()
    data = on_site_data(irts, **{f"atelier_{workshop.session_id}": str(workshop.id)})
    page = organiser_client.get(desk_url(irts) + "/sur-place").get_data(as_text=True)
    assert "Inscription sur place" in page
    assert (f"{workshop.label} – Salle 3 (0\u00a0inscrit·es sur 40\u00a0places)</option>"
            in unescape(page))
    response = organiser_client.post(desk_url(irts) + "/sur-place", data=data)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {
        "q": ["Łukasz O'Brien-Żółć"]}
    db.session.expire_all()
    row = db.session.scalar(select(Registration).filter_by(last_name="O'Brien-Żółć"))
    assert row.status == RegistrationStatus.CONFIRMED and row.source == Source.ON_SITE
    assert row.entered_by == STAFF and row.checked_in_by == STAFF
    assert row.checked_in_at is not None and row.email is None
    assert row.organisation == "Foyer <Les Pins> & Cie"
    assert row.privacy_acknowledged_at is not None
    placed = db.session.scalar(select(Assignment).filter_by(registration_id=row.id))
    assert placed.workshop_id == workshop.id and placed.source == AssignmentSource.ORGANISER
    assert placed.locked
    assert [c.workshop_id for c in row.choices] == [workshop.id]
    entry = db.session.scalar(select(AuditEntry).filter_by(action="checkin.on_site"))
    assert entry.target == f"Inscription n°\u00a0{row.id}" and STAFF in entry.actor
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Łukasz O'Brien-Żółć est inscrit·e sur place et marqué·e présent·e." in unescape(html)
    assert f"Atelier n°\u00a0{workshop.number}" in unescape(html)


def test_on_site_in_first_come_mode_takes_the_workshop(organiser_client, irts):
    from journee.programme.models import WorkshopMode

    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    workshop = workshops_of(irts)[0]
    organiser_client.post(desk_url(irts) + "/sur-place", data=on_site_data(
        irts, **{f"atelier_{workshop.session_id}": str(workshop.id)}))
    row = db.session.scalar(select(Registration).filter_by(source=Source.ON_SITE))
    assert [(c.workshop_id, c.rank) for c in row.choices] == [(workshop.id, 1)]
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    counts = organiser_client.get(desk_url(irts) + "/compteurs").get_json()
    per_workshop = {w["id"]: (w["present"], w["members"])
                    for w in counts["slots"][0]["workshops"]}
    assert per_workshop[workshop.id] == (1, 1)


def test_on_site_errors_are_french_and_keep_the_input(organiser_client, irts):
    data = on_site_data(irts, first_name="", email="pas-une-adresse", privacy="",
                        organisation="Foyer <Les Pins> & Cie")
    data.pop("profile")
    response = organiser_client.post(desk_url(irts) + "/sur-place", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    text = text_of(html)
    assert "Le formulaire contient 4 erreurs" in text
    assert "Indiquez le prénom de la personne." in text
    assert "Indiquez le profil de la personne." in text
    assert "Saisissez une adresse e-mail valide" in text
    assert "Cochez cette case après avoir informé la personne" in text
    assert 'value="O&#39;Brien-Żółć"' in html
    assert 'value="Foyer &lt;Les Pins&gt; &amp; Cie"' in html
    assert 'value="pas-une-adresse"' in html
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_on_site_rejects_a_forged_workshop(organiser_client, irts):
    slot = workshops_of(irts)[0].session_id
    response = organiser_client.post(desk_url(irts) + "/sur-place", data=on_site_data(
        irts, **{f"atelier_{slot}": "999999"}))
    assert response.status_code == 200
    assert "Choisissez une des options proposées." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_on_site_service_rejects_another_events_workshop(app, irts, demo):
    from journee.programme.models import Workshop
    from journee.registration.services import Attendee, InvalidChoice

    other = demo["travail-social-2-0-etsup-2018"]
    foreign = Workshop(session_id=other.sessions[0].id, number=1, title="Ailleurs")
    db.session.add(foreign)
    db.session.commit()
    slot = workshops_of(irts)[0].session_id
    attendee = Attendee(first_name="Anne", last_name="Autre", profile="other",
                        choices={slot: [foreign.id]})
    with pytest.raises(InvalidChoice):
        presence.register_on_site(irts, attendee, STAFF)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_on_site_duplicate_email_offers_the_existing_registration(organiser_client, irts):
    person(irts, "Claire", "Martin", "MECS", email="claire@example.org")
    response = organiser_client.post(desk_url(irts) + "/sur-place", data=on_site_data(
        irts, email="Claire@Example.org "))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cette adresse e-mail est déjà inscrite à cette journée" in html
    assert f'href="{desk_url(irts)}?q=Claire+Martin"' in html
    assert 'value="Łukasz"' in html
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_on_site_is_allowed_when_the_day_is_full(organiser_client, irts, people):
    irts.capacity = 4
    irts.waitlist_enabled = False
    db.session.commit()
    workshops_of(irts)[0].capacity = 2  # Zoé and Łukasz are in it
    db.session.commit()
    page = organiser_client.get(desk_url(irts) + "/sur-place").get_data(as_text=True)
    assert "La journée est complète (4\u00a0places)" in page
    assert "– Salle 1 (2\u00a0inscrit·es sur 2\u00a0places, complet)</option>" in unescape(page)
    response = organiser_client.post(desk_url(irts) + "/sur-place", data=on_site_data(
        irts, email="nouvelle@example.org"))
    assert response.status_code == 302
    row = db.session.scalar(select(Registration).filter_by(email="nouvelle@example.org"))
    assert row.status == RegistrationStatus.CONFIRMED and row.checked_in_at is not None


def test_on_site_with_an_email_sends_the_confirmation(app, organiser_client, irts):
    from journee.mail_models import OutboxMessage

    organiser_client.post(desk_url(irts) + "/sur-place", data=on_site_data(
        irts, email="lukasz@example.org"))
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_address == "lukasz@example.org"
    assert "Inscription confirmée" in message.subject


# CSRF -------------------------------------------------------------------------------------

def test_marking_needs_the_csrf_token(csrf_app):
    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    irts = load_demo(original_dates=True)[0]
    user = User(email=STAFF, name="organisatrice")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=irts, user=user)])
    db.session.commit()
    zoe = person(irts, "Zoé", "Lefèvre", "MECS")
    client = csrf_app.test_client()
    # Signed in through the session: the sign-in view starts a new session, which the
    # token cached in this test's long-lived app context would not follow.
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True

    assert client.post(f"{desk_url(irts)}/{zoe.id}/present").status_code == 400
    assert reload(zoe).checked_in_at is None
    page = client.get(desk_url(irts), query_string={"q": "zoe"}).get_data(as_text=True)
    response = client.post(f"{desk_url(irts)}/{zoe.id}/present",
                           data={"csrf_token": csrf_token_from(page), "q": "zoe"})
    assert response.status_code == 302
    assert reload(zoe).checked_in_by == STAFF


def test_event_page_links_to_the_desk(organiser_client, irts):
    html = organiser_client.get(f"/admin/journees/{irts.id}/").get_data(as_text=True)
    assert f'href="{desk_url(irts)}"' in html


def test_a_day_without_workshops(client, make_user, login, demo):
    etsup = demo["travail-social-2-0-etsup-2018"]
    login(make_user(email="etsup@example.org", events=[etsup]))
    person(etsup, "Marie", "Lefèvre", "ETSUP")
    html = client.get(desk_url(etsup), query_string={"q": "marie"}).get_data(as_text=True)
    assert names_in(html) == ["Marie Lefèvre"] and "Par atelier" not in html
    assert client.get(desk_url(etsup) + "/compteurs").get_json() == {
        "present": 0, "expected": 1, "slots": []}
    page = client.get(desk_url(etsup) + "/sur-place").get_data(as_text=True)
    assert "<select" not in page
    response = client.post(desk_url(etsup) + "/sur-place", data=on_site_data(etsup))
    assert response.status_code == 302
    assert client.get(desk_url(etsup) + "/compteurs").get_json()["present"] == 1
