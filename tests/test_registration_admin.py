"""The organiser's registrations: list, search, filters, pages, one registration's page,
cancel / restore / promote, and the assisted registration by staff."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select
from support.pages import csrf_token_from, text_of
from support.registration import OPEN_DAY, add, build_known_set, detail_url, slot_of, valid_data

from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.registration import services
from journee.registration.models import Registration, RegistrationStatus, Source, WorkshopChoice
from journee.secret_links import issue

# A known data set ------------------------------------------------------------------------

@pytest.fixture
def known(irts):
    return build_known_set(irts)


#: The start of a row of the list, up to its name's link.
ROW = r"<tr>\s*<td><input[^>]*></td>\s*<th scope=\"row\">\s*<a[^>]*>"


def rows(client, event, **args) -> list[str]:
    """Names of the list's rows, in order (« Nom Prénom »)."""
    response = client.get(f"/admin/journees/{event.id}/inscriptions/", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return [unescape(name) for name in
            re.findall(r'<th scope="row">\s*<a href="[^"]+">([^<]*)</a>', html)]


def outbox(kind=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


# Who may see what -------------------------------------------------------------------------

@pytest.fixture
def etsup(demo):
    return demo["travail-social-2-0-etsup-2018"]


def test_anonymous_is_sent_to_login(client, irts, known):
    zoe = known["martin"]
    base = f"/admin/journees/{irts.id}/inscriptions"
    for url in (f"{base}/", f"{base}/bilan", f"{base}/bilan.xlsx", f"{base}/nouvelle",
                detail_url(irts, zoe), detail_url(irts, zoe, "modifier")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/connexion"), url
    for action in ("annuler", "retablir", "confirmer"):
        response = client.post(detail_url(irts, zoe, action))
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    db.session.expire_all()
    assert zoe.status == RegistrationStatus.CONFIRMED


def test_registration_of_another_event_is_404(make_user, login, irts, etsup, known):
    client = login(make_user(events=[etsup]))
    zoe = known["martin"]
    base = f"/admin/journees/{irts.id}/inscriptions"
    for url in (f"{base}/", f"{base}/bilan", f"{base}/bilan.xlsx", f"{base}/nouvelle",
                detail_url(irts, zoe), detail_url(irts, zoe, "modifier")):
        assert client.get(url).status_code == 404, url
    # Their own event's URL with a registration of the other event: 404 too.
    for action in ("", "modifier"):
        assert client.get(detail_url(etsup, zoe, action)).status_code == 404
    for action in ("annuler", "retablir", "confirmer", "modifier"):
        assert client.post(detail_url(etsup, zoe, action)).status_code == 404
    db.session.expire_all()
    assert zoe.status == RegistrationStatus.CONFIRMED
    assert client.get(f"/admin/journees/{etsup.id}/inscriptions/").status_code == 200
    assert client.get(f"/admin/journees/{etsup.id}/inscriptions/999999/").status_code == 404


# The list ---------------------------------------------------------------------------------

ALL = ["Benali Karim", "Durand Élodie", "Martin Zoé", "Martinez Lucie", "Petit Jean"]


def test_list_shows_everyone_with_counts(organiser_client, irts, known):
    assert rows(organiser_client, irts) == ALL
    html = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/").get_data(
        as_text=True)
    text = text_of(html)
    assert "1–5 sur 5 inscriptions." in text
    assert "Confirmée : 3" in text and "Liste d’attente : 1" in text and "Annulée : 1" in text
    # One row, cell by cell.
    row = re.search(ROW + r"Martinez Lucie</a>.*?</tr>", html,
                    re.S).group(0)
    assert text_of(row) == ("Martinez Lucie IRTS-IDS Normandie Étudiant·e (AS) "
                            "Liste d’attente (n° 1) n° 4, n° 3 En ligne 03/02/2018 11:00")
    benali = re.search(ROW + r"Benali Karim</a>.*?</tr>", html,
                       re.S).group(0)
    assert "saisi par accueil" in text_of(benali)
    # Accommodation: a discreet marker only, never the details.
    durand = re.search(ROW + r"Durand Élodie</a>.*?</tr>", html,
                       re.S).group(0)
    assert "aménagement demandé" in text_of(durand)
    assert "Fauteuil" not in html
    # Accessible structure, links to the other helpers' files.
    assert "<caption" in html and 'scope="col"' in html
    for label in ("Nom, organisation ou adresse e-mail", "Statut", "Profil", "Formation",
                  "Secteur", "Atelier choisi (à n’importe quel rang)", "Déjeuner sur place",
                  "Origine"):
        assert f">{label}</label>" in html, label
    for target in ("export.xlsx", "import", "formulaire-papier.pdf", "bilan", "nouvelle"):
        assert f'/admin/journees/{irts.id}/inscriptions/{target}"' in html, target


@pytest.mark.parametrize("args, expected", [
    ({"q": "mart"}, ["Martin Zoé", "Martinez Lucie"]),
    ({"q": "MARTIN"}, ["Martin Zoé", "Martinez Lucie"]),
    ({"q": "zoé martin"}, ["Martin Zoé"]),
    ({"q": "ELODIE"}, ["Durand Élodie"]),  # case and accents
    ({"q": "tilleuls"}, ["Durand Élodie"]),
    ({"q": "example.net"}, ["Durand Élodie"]),
    ({"q": "départemental"}, ["Benali Karim"]),
    ({"q": "%"}, []),
    ({"q": "_"}, []),
    ({"statut": "waitlisted"}, ["Martinez Lucie"]),
    ({"statut": "cancelled"}, ["Petit Jean"]),
    ({"profil": "student"}, ["Martin Zoé", "Martinez Lucie"]),
    ({"formation": "AS"}, ["Martinez Lucie"]),
    ({"secteur": "Handicap adulte"}, ["Durand Élodie"]),
    ({"dejeuner": "non"}, ["Durand Élodie", "Martinez Lucie"]),
    ({"dejeuner": "oui"}, ["Benali Karim", "Martin Zoé", "Petit Jean"]),
    ({"origine": "staff"}, ["Benali Karim"]),
    ({"profil": "student", "dejeuner": "oui"}, ["Martin Zoé"]),
    ({"q": "irts", "statut": "confirmed"}, ["Martin Zoé"]),
    # Unknown values are ignored, never an error.
    ({"statut": "bogus", "profil": "x", "atelier": "abc", "page": "-3"}, ALL),
    ({"atelier": "999999"}, ALL),
])
def test_search_and_filters(organiser_client, irts, known, args, expected):
    assert rows(organiser_client, irts, **args) == expected


def test_workshop_filter_matches_any_rank(organiser_client, irts, known):
    w = slot_of(irts).workshops
    assert rows(organiser_client, irts, atelier=w[2].id) == ["Martin Zoé", "Martinez Lucie"]
    assert rows(organiser_client, irts, atelier=w[0].id) == [
        "Benali Karim", "Durand Élodie", "Martin Zoé"]
    assert rows(organiser_client, irts, atelier=w[5].id) == []


def test_counts_follow_the_filters(organiser_client, irts, known):
    text = text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/",
        query_string={"q": "irts", "statut": "waitlisted"}).get_data(as_text=True))
    assert "1 inscription correspondant à la recherche." in text
    # Per status, for the other filters: what choosing another status would show.
    assert "Confirmée : 1" in text and "Liste d’attente : 1" in text and "Annulée : 0" in text


def test_filters_form_keeps_its_values(organiser_client, irts, known):
    html = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/", query_string={
        "q": "<mart>", "profil": "student"}).get_data(as_text=True)
    assert 'value="&lt;mart&gt;"' in html
    assert '<option value="student" selected>' in html
    assert "Effacer les filtres" in html


def _bulk_registrations(event, count: int) -> None:
    """``count`` registrations in two bulk INSERTs: every 10th one chose workshop 2."""
    slot = slot_of(event)
    w = slot.workshops
    start = datetime(2018, 1, 10, 8, 0)
    db.session.execute(insert(Registration), [{
        "event_id": event.id, **issue(Registration.link_purpose),
        "status": RegistrationStatus.CONFIRMED if n % 7 else RegistrationStatus.WAITLISTED,
        "first_name": f"Prénom{n:05d}", "last_name": f"Nom{n:05d}",
        "email": f"personne{n:05d}@example.org", "organisation": f"Structure {n % 40}",
        "function": "", "profile": "student" if n % 2 else "professional", "sector": "",
        "lunch": bool(n % 3), "source": Source.ONLINE, "privacy_version": "test",
        "created_at": start + timedelta(minutes=n), "updated_at": start,
    } for n in range(count)])
    ids = db.session.scalars(select(Registration.id).where(Registration.event_id == event.id)
                             .order_by(Registration.id)).all()
    db.session.execute(insert(WorkshopChoice), [
        {"registration_id": rid, "session_id": slot.id,
         "workshop_id": (w[1] if n % 10 == 0 else w[0]).id, "rank": 1}
        for n, rid in enumerate(ids)])
    db.session.commit()


def test_five_thousand_registrations_in_pages_of_fifty(app, organiser_client, irts):
    _bulk_registrations(irts, 5000)
    statements = []

    def count(*_args):
        statements.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/",
                                        query_string={"page": 3})
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "101–150 sur 5 000 inscriptions." in text
    assert "Page 3 sur 100" in text
    names = re.findall(r'<th scope="row">\s*<a href="[^"]+">([^<]*)</a>', html)
    assert names == [f"Nom{n:05d} Prénom{n:05d}" for n in range(100, 150)]
    # A fixed number of queries, not one per row (no N+1).
    assert len(statements) < 20, len(statements)
    # Filters in SQL, and the counts that go with them.
    names = rows(organiser_client, irts, atelier=slot_of(irts).workshops[1].id, page=10)
    assert names == [f"Nom{n:05d} Prénom{n:05d}" for n in range(4500, 5000, 10)]
    text = text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/",
        query_string={"statut": "waitlisted"}).get_data(as_text=True))
    assert f"{len(range(0, 5000, 7))} inscriptions correspondant" in text
    # Past the last page: the last page.
    assert rows(organiser_client, irts, page=500)[-1] == "Nom04999 Prénom04999"


# One registration -------------------------------------------------------------------------

def test_detail_page_shows_everything_to_the_organiser(organiser_client, irts, known):
    html = organiser_client.get(detail_url(irts, known["durand"])).get_data(as_text=True)
    text = text_of(html)
    for expected in ("Inscription d’Élodie Durand", "Confirmée", "elodie.durand@example.net",
                     "MECS Les Tilleuls", "Aménagement demandé", "Fauteuil roulant",
                     "Atelier n° 1", "Atelier n° 2", "En ligne", "Annuler l’inscription"):
        assert expected in text, expected
    text = text_of(organiser_client.get(detail_url(irts, known["martinez"])).get_data(
        as_text=True))
    assert "n° 1 sur la liste d’attente" in text
    assert "Aucune place libre" in text  # no promotion button when full
    text = text_of(organiser_client.get(detail_url(irts, known["benali"])).get_data(
        as_text=True))
    assert "saisi par accueil" in text and "Adresse e-mail aucune" in text


def test_the_list_and_a_registration_are_kept_out_of_caches(organiser_client, irts, known):
    for url in (f"/admin/journees/{irts.id}/inscriptions/", detail_url(irts, known["durand"])):
        response = organiser_client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", url


def test_cancel_promotes_the_first_waiting_and_tells_them(organiser_client, irts, known):
    response = organiser_client.post(detail_url(irts, known["martin"], "annuler"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(detail_url(irts, known["martin"]))
    db.session.expire_all()
    assert known["martin"].status == RegistrationStatus.CANCELLED
    assert known["martinez"].status == RegistrationStatus.CONFIRMED
    [notice] = outbox("promotion")
    assert notice.to_address == "lucie.martinez@example.org"
    assert notice.registration_id == known["martinez"].id
    text = text_of(organiser_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "L’inscription de Zoé Martin est annulée." in text
    assert "Lucie Martinez, en tête de la liste d’attente, prend la place libérée" in text
    # A second click changes nothing.
    organiser_client.post(detail_url(irts, known["martin"], "annuler"))
    assert len(outbox("promotion")) == 1


def test_restore_confirms_when_a_place_is_free_else_waitlists(organiser_client, irts, known):
    petit = known["petit"]
    # Full (3 confirmed): back on the waiting list, at the original rank (after Martinez,
    # who registered before).
    response = organiser_client.post(detail_url(irts, petit, "retablir"))
    assert response.status_code == 302
    db.session.expire_all()
    assert petit.status == RegistrationStatus.WAITLISTED and petit.cancelled_at is None
    assert services.waitlist_position(petit) == 2
    assert [m.to_address for m in outbox("confirmation")] == ["jean.petit@example.org"]
    # Restoring twice is refused with a message.
    response = organiser_client.post(detail_url(irts, petit, "retablir"), follow_redirects=True)
    assert "Cette inscription n’est pas annulée." in text_of(response.get_data(as_text=True))
    # A free place: confirmed.
    services.cancel(petit)
    irts.capacity = 10
    db.session.commit()
    organiser_client.post(detail_url(irts, petit, "retablir"))
    db.session.expire_all()
    assert petit.status == RegistrationStatus.CONFIRMED


def test_restore_without_place_nor_waiting_list_is_refused(organiser_client, irts, known):
    irts.waitlist_enabled = False
    db.session.commit()
    response = organiser_client.post(detail_url(irts, known["petit"], "retablir"),
                                     follow_redirects=True)
    assert "la liste d’attente est fermée" in text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert known["petit"].status == RegistrationStatus.CANCELLED


def test_promote_by_hand_only_when_a_place_is_free(organiser_client, irts, known):
    martinez = known["martinez"]
    response = organiser_client.post(detail_url(irts, martinez, "confirmer"),
                                     follow_redirects=True)
    assert "Aucune place n’est libre" in text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert martinez.status == RegistrationStatus.WAITLISTED
    irts.capacity = 4
    db.session.commit()
    response = organiser_client.post(detail_url(irts, martinez, "confirmer"),
                                     follow_redirects=True)
    assert "La place de Lucie Martinez est confirmée" in text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert martinez.status == RegistrationStatus.CONFIRMED
    assert [m.to_address for m in outbox("promotion")] == ["lucie.martinez@example.org"]
    # Someone who is not waiting cannot be promoted.
    response = organiser_client.post(detail_url(irts, known["petit"], "confirmer"),
                                     follow_redirects=True)
    assert "n’est pas sur la liste d’attente" in text_of(response.get_data(as_text=True))


def _staff_data(event, **overrides):
    data = valid_data(event, **overrides)
    data.pop("website")
    return data


def test_staff_edit_after_the_deadline(organiser_client, irts, known, monkeypatch):
    monkeypatch.setattr("journee.registration.admin.detail.today_in",
                        lambda timezone="Europe/Paris": OPEN_DAY + timedelta(days=60))
    zoe = known["martin"]
    url = detail_url(irts, zoe, "modifier")
    html = organiser_client.get(url).get_data(as_text=True)
    assert 'value="zoe.martin@example.org"' in html
    assert "Adresse e-mail (facultatif)" in html
    w = slot_of(irts).workshops
    slot = slot_of(irts)
    data = _staff_data(irts, email="", organisation="MECS Les Tilleuls",
                       **{f"atelier_{slot.id}_1": str(w[5].id),
                          f"atelier_{slot.id}_2": "", f"atelier_{slot.id}_3": ""})
    data.pop("privacy")
    response = organiser_client.post(url, data=data)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert zoe.email is None and zoe.organisation == "MECS Les Tilleuls"
    assert [c.workshop_id for c in zoe.choices] == [w[5].id]
    # Another registration's address is refused, with the input kept.
    data["email"] = "elodie.durand@example.net"
    response = organiser_client.post(url, data=data)
    assert response.status_code == 200
    assert "déjà inscrite" in text_of(response.get_data(as_text=True))


def test_assisted_registration_without_email_after_the_deadline(
        organiser_client, irts, monkeypatch):
    monkeypatch.setattr("journee.registration.admin.detail.today_in",
                        lambda timezone="Europe/Paris": OPEN_DAY + timedelta(days=60))
    url = f"/admin/journees/{irts.id}/inscriptions/nouvelle"
    html = organiser_client.get(url).get_data(as_text=True)
    assert "La personne a été informée de la notice de confidentialité" in html
    assert 'name="website"' not in html
    # The acknowledgement is required.
    data = _staff_data(irts, email="", first_name="Paul", last_name="Sans-Adresse")
    data.pop("privacy")
    response = organiser_client.post(url, data=data)
    assert response.status_code == 200
    assert "après avoir informé la personne" in text_of(response.get_data(as_text=True))
    assert db.session.scalar(select(Registration.id)) is None

    data["privacy"] = "y"
    response = organiser_client.post(url, data=data)
    assert response.status_code == 302
    paul = db.session.scalar(select(Registration))
    assert (paul.full_name, paul.email, paul.source, paul.entered_by, paul.status) == (
        "Paul Sans-Adresse", None, Source.STAFF, "organisatrice", RegistrationStatus.CONFIRMED)
    assert paul.privacy_acknowledged_at is not None
    assert outbox() == []
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "aucun message ne lui est envoyé" in text_of(page)
    assert "saisi par organisatrice" in text_of(page)
    assert "saisi par organisatrice" in text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/").get_data(as_text=True))

    # A second person without an address is fine too; one with an address gets the e-mail.
    organiser_client.post(url, data=dict(data, first_name="Anne"))
    response = organiser_client.post(url, data=dict(data, first_name="Léa",
                                                    email="lea@example.org"))
    assert response.status_code == 302
    assert [m.to_address for m in outbox("confirmation")] == ["lea@example.org"]
    assert len(db.session.scalars(select(Registration)).all()) == 3


def test_assisted_registration_before_opening_of_a_draft_event(organiser_client, irts):
    from journee.programme.models import EventStatus
    irts.status = EventStatus.DRAFT
    db.session.commit()
    response = organiser_client.post(f"/admin/journees/{irts.id}/inscriptions/nouvelle",
                                     data=_staff_data(irts))
    assert response.status_code == 302
    assert db.session.scalar(select(Registration.source)) == Source.STAFF


def test_hostile_names_are_escaped(organiser_client, irts):
    hostile = add(irts, "<script>alert(1)</script>", "=1+1", "hostile@example.org",
                  organisation="<img src=x onerror=alert(1)>", sector="=HYPERLINK(\"x\")")
    add(irts, "Łukasz", "Wąsowski", "lukasz@example.org", organisation="Łódź")
    pages = [f"/admin/journees/{irts.id}/inscriptions/",
             f"/admin/journees/{irts.id}/inscriptions/?q=%3Cscript",
             detail_url(irts, hostile), detail_url(irts, hostile, "modifier"),
             f"/admin/journees/{irts.id}/inscriptions/bilan"]
    for url in pages:
        html = organiser_client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    html = organiser_client.get(pages[0]).get_data(as_text=True)
    assert "=1+1 &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Wąsowski Łukasz" in html
    assert rows(organiser_client, irts, q="łukasz") == ["Wąsowski Łukasz"]
    assert rows(organiser_client, irts, q="lodz") == ["Wąsowski Łukasz"]
    assert rows(organiser_client, irts, q="=1+1") == ["=1+1 <script>alert(1)</script>"]


def test_csrf_is_required_on_posts(csrf_app):
    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    irts = load_demo(original_dates=True)[0]
    user = User(email="organisatrice@example.org", name="organisatrice")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=irts, user=user)])
    db.session.commit()
    zoe = add(irts, "Zoé", "Martin", "zoe@example.org")
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    assert client.post("/connexion", data={"email": user.email, "password": "mot-de-passe-solide",
                                           "csrf_token": token}).status_code == 302

    assert client.post(detail_url(irts, zoe, "annuler")).status_code == 400
    db.session.expire_all()
    assert zoe.status == RegistrationStatus.CONFIRMED
    page = client.get(detail_url(irts, zoe)).get_data(as_text=True)
    response = client.post(detail_url(irts, zoe, "annuler"),
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert zoe.status == RegistrationStatus.CANCELLED


def test_restore_in_first_come_mode_needs_the_workshop_place_too(irts):
    from journee.programme.models import WorkshopMode

    w = slot_of(irts).workshops
    irts.workshop_mode, irts.capacity = WorkshopMode.FIRST_COME, None
    w[0].capacity = 1
    db.session.commit()
    anne = add(irts, "Anne", "A", "anne@example.org", choices=[w[0]])
    services.cancel(anne)
    db.session.commit()
    add(irts, "Bruno", "B", "bruno@example.org", choices=[w[0]])  # takes the freed place
    services.restore(anne)
    db.session.commit()
    assert anne.status == RegistrationStatus.WAITLISTED
    w[0].capacity = 2
    services.cancel(anne)
    services.restore(anne)
    db.session.commit()
    assert anne.status == RegistrationStatus.CONFIRMED


def test_a_message_that_cannot_be_written_is_shown_to_the_organiser(
        organiser_client, irts, known):
    """An address saved before addresses were checked cannot go in a header: the
    cancellation still works, and the organiser sees which notice did not go, and why."""
    lucie = known["martinez"]
    db.session.execute(db.update(Registration).where(Registration.id == lucie.id).values(
        email="lucie.martinez@example.org\r\nBcc: intrus@example.org"))
    db.session.commit()

    response = organiser_client.post(detail_url(irts, known["martin"], "annuler"))

    assert response.status_code == 302
    db.session.expire_all()
    assert lucie.status == RegistrationStatus.CONFIRMED
    [notice] = outbox("promotion")
    assert notice.status == "failed" and "linefeed" in notice.last_error
    text = text_of(organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/")
                   .get_data(as_text=True))
    assert "1 e-mail non envoyé" in text
    assert "Lucie Martinez, place libérée du " in text
    assert f": {notice.last_error}" in text
    text = text_of(organiser_client.get(detail_url(irts, lucie)).get_data(as_text=True))
    assert "E-mails Place libérée, du " in text
    assert ("non envoyé, ce message n’a pas pu être écrit et ne sera pas réessayé : "
            f"{notice.last_error}") in text


def test_the_registration_page_lists_its_messages(organiser_client, irts, known):
    organiser_client.post(detail_url(irts, known["martin"], "annuler"))
    text = text_of(organiser_client.get(detail_url(irts, known["martinez"]))
                   .get_data(as_text=True))
    assert "E-mails Place libérée, du " in text and ": envoyé le " in text
    text = text_of(organiser_client.get(detail_url(irts, known["benali"]))
                   .get_data(as_text=True))
    assert "Aucun e-mail envoyé à cette personne (pas d’adresse e-mail)." in text
    assert "1 e-mail non envoyé" not in text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/").get_data(as_text=True))
