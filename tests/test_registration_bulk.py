"""The registrations list as a working tool: sorting, pages with their counts, the filter
bar keeping its state, and the actions on a selection (confirm, cancel, badges)."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest
from sqlalchemy import select
from support.pages import csrf_token_from, text_of
from support.registration import add, build_known_set

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.registration.models import Registration, RegistrationStatus


@pytest.fixture
def known(irts):
    return build_known_set(irts)


def list_url(event) -> str:
    return f"/admin/journees/{event.id}/inscriptions/"


def action_url(event, step="") -> str:
    return f"/admin/journees/{event.id}/inscriptions/selection{step}"


def names(html: str) -> list[str]:
    return [unescape(name) for name in
            re.findall(r'<th scope="row">\s*<a href="[^"]+">([^<]*)</a>', html)]


def page(client, event, **args) -> str:
    response = client.get(list_url(event), query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))


# Sorting, pages, filters ------------------------------------------------------------------

def test_sorted_by_each_column_both_ways(organiser_client, irts, known):
    assert names(page(organiser_client, irts)) == [
        "Benali Karim", "Durand Élodie", "Martin Zoé", "Martinez Lucie", "Petit Jean"]
    assert names(page(organiser_client, irts, tri="nom", ordre="desc")) == [
        "Petit Jean", "Martinez Lucie", "Martin Zoé", "Durand Élodie", "Benali Karim"]
    # Organisation, then the name among equals.
    assert names(page(organiser_client, irts, tri="organisation")) == [
        "Benali Karim", "Martin Zoé", "Martinez Lucie", "Petit Jean", "Durand Élodie"]
    # Statuses in their own order: confirmed, waiting, cancelled.
    assert names(page(organiser_client, irts, tri="statut")) == [
        "Benali Karim", "Durand Élodie", "Martin Zoé", "Martinez Lucie", "Petit Jean"]
    assert names(page(organiser_client, irts, tri="statut", ordre="desc"))[:2] == [
        "Petit Jean", "Martinez Lucie"]
    # Profiles by their French label, accents aside: « Acteur·rice institutionnel·le »,
    # « Étudiant·e », « Professionnel·le ».
    by_profile = names(page(organiser_client, irts, tri="profil"))
    assert by_profile == ["Benali Karim", "Martin Zoé", "Martinez Lucie", "Durand Élodie",
                          "Petit Jean"]
    assert names(page(organiser_client, irts, tri="date", ordre="desc")) == [
        "Petit Jean", "Martinez Lucie", "Benali Karim", "Durand Élodie", "Martin Zoé"]
    # An unknown column is the default sort, never an error.
    assert names(page(organiser_client, irts, tri="email")) == names(page(organiser_client,
                                                                          irts))


def test_headers_state_the_sort_and_link_to_the_other_way(organiser_client, irts, known):
    html = page(organiser_client, irts, tri="date", statut="confirmed")
    header = re.search(r'<th scope="col" aria-sort="ascending"><a href="([^"]+)">Date', html)
    assert header is not None
    href = unescape(header.group(1))
    # The filters stay, the order turns round.
    assert "statut=confirmed" in href and "tri=date" in href and "ordre=desc" in href
    assert html.count("aria-sort=") == 1
    other = re.search(r'<th scope="col"><a href="([^"]+)">Nom', html)
    assert "tri=" not in unescape(other.group(1)) and "statut=confirmed" in unescape(
        other.group(1))
    # Filtering keeps the sort: hidden fields in the search form.
    assert '<input type="hidden" name="tri" value="date">' in html


def test_pages_keep_sort_and_filters(organiser_client, irts):
    for n in range(60):
        add(irts, f"Prénom{n:02d}", f"Nom{n:02d}", f"p{n}@example.org",
            organisation="IRTS" if n % 2 else "MECS")
    db.session.commit()
    html = page(organiser_client, irts, organisation="", q="irts", tri="nom", ordre="desc")
    text = text_of(html)
    assert "1–30 sur 30 inscriptions correspondant à la recherche." in text
    html = page(organiser_client, irts, tri="nom", ordre="desc")
    assert "1–50 sur 60 inscriptions." in text_of(html)
    assert names(html)[0] == "Nom59 Prénom59"
    following = re.search(r'<a href="([^"]+)">Page suivante</a>', html).group(1)
    assert "tri=nom" not in following  # the default column is left out
    assert "ordre=desc" in unescape(following) and "page=2" in following
    html = organiser_client.get(unescape(following)).get_data(as_text=True)
    assert "51–60 sur 60 inscriptions." in text_of(html)
    assert names(html) == [f"Nom{n:02d} Prénom{n:02d}" for n in range(9, -1, -1)]


def test_filter_bar_folds_the_rarer_filters(organiser_client, irts, known):
    html = page(organiser_client, irts)
    assert html.count('role="search"') == 1
    folded = re.search(r"<details>\s*<summary>Plus de filtres</summary>(.*?)</details>",
                       html, re.S).group(1)
    for label in ("Formation", "Secteur", "Déjeuner sur place", "Origine"):
        assert f">{label}</label>" in folded
    assert ">Statut</label>" not in folded and ">Profil</label>" not in folded
    # A folded filter in use opens the fold.
    html = page(organiser_client, irts, origine="staff")
    assert "<details open>" in html
    assert names(html) == ["Benali Karim"]


def test_table_scrolls_in_its_own_labelled_region(organiser_client, irts, known):
    html = page(organiser_client, irts)
    assert re.search(r'<div class="table-wrap" role="region" tabindex="0" '
                     r'aria-labelledby="legende-inscriptions">', html)
    assert '<caption id="legende-inscriptions">' in html
    # Each row's box has a name; « tout sélectionner » waits for the script.
    assert 'aria-label="Sélectionner Martin Zoé"' in html
    assert re.search(r'<p class="select-all" hidden>', html)


# Actions on a selection -------------------------------------------------------------------

def test_confirm_a_selection_from_the_waiting_list(organiser_client, irts, known):
    waiting = [add(irts, "Aïcha", "Zerrouki", "aicha@example.org"),
               add(irts, "Bruno", "Yvon", "bruno@example.org")]
    db.session.commit()
    for registration in waiting:
        assert registration.status == RegistrationStatus.WAITLISTED
    irts.capacity = 5
    db.session.commit()
    chosen = [known["martinez"], *waiting, known["martin"]]
    response = organiser_client.post(action_url(irts), data={
        "action": "confirmer", "registration_ids": [str(r.id) for r in chosen],
        "statut": "waitlisted", "tri": "date"})
    assert response.status_code == 302
    # Back to the list as it was.
    assert "statut=waitlisted" in response.headers["Location"]
    assert "tri=date" in response.headers["Location"]
    db.session.expire_all()
    # Two places were free: the first two waiting (in the list's order) take them.
    assert known["martinez"].status == RegistrationStatus.CONFIRMED
    assert waiting[0].status == RegistrationStatus.CONFIRMED
    assert waiting[1].status == RegistrationStatus.WAITLISTED
    assert [m.to_address for m in outbox("promotion")] == ["lucie.martinez@example.org",
                                                           "aicha@example.org"]
    assert [e.target for e in audit("organiser.promote_registration")] == [
        f"Inscription n°\u00a0{known['martinez'].id}", f"Inscription n°\u00a0{waiting[0].id}"]
    text = text_of(organiser_client.get(response.headers["Location"]).get_data(as_text=True))
    assert ("2 inscriptions confirmées ; 1 déjà confirmée ; 1 restée sur la liste "
            "d’attente faute de place.") in text


def test_cancel_asks_first_then_cancels_each(organiser_client, irts, known):
    chosen = [known["martin"], known["durand"], known["petit"]]
    ids = [str(r.id) for r in chosen]
    response = organiser_client.post(action_url(irts), data={
        "action": "annuler", "registration_ids": ids, "q": "a"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Annuler 3 inscriptions ?" in text
    assert "2 personnes recevront un e-mail d’annulation." in text
    assert "1 inscription était déjà annulée." in text
    assert re.search(r'class="button danger">Annuler 2.inscriptions</button>', html)
    db.session.expire_all()
    assert known["martin"].status == RegistrationStatus.CONFIRMED  # nothing done yet
    assert outbox("cancellation") == []
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    assert form["ids"] == ",".join(ids) and form["q"] == "a"
    response = organiser_client.post(action_url(irts, "/annuler"), data=form)
    assert response.status_code == 302 and "q=a" in response.headers["Location"]
    db.session.expire_all()
    assert known["martin"].status == RegistrationStatus.CANCELLED
    assert known["durand"].status == RegistrationStatus.CANCELLED
    # Two places freed: the one person waiting takes one.
    assert known["martinez"].status == RegistrationStatus.CONFIRMED
    assert sorted(m.to_address for m in outbox("cancellation")) == [
        "elodie.durand@example.net", "zoe.martin@example.org"]
    assert [m.to_address for m in outbox("promotion")] == ["lucie.martinez@example.org"]
    assert len(audit("organiser.cancel_registration")) == 2
    text = text_of(organiser_client.get(response.headers["Location"]).get_data(as_text=True))
    assert ("2 inscriptions annulées ; 1 déjà annulée ; 1 personne de la liste d’attente "
            "prend la place libérée.") in text


def test_whole_filtered_selection(organiser_client, irts, known):
    response = organiser_client.post(action_url(irts), data={
        "action": "annuler", "portee": "filtre", "q": "irts-ids"})
    text = text_of(response.get_data(as_text=True))
    # Martin and Martinez, whatever was ticked: all that the filters match.
    assert "Annuler 2 inscriptions ?" in text
    assert "Martin Zoé" in text and "Martinez Lucie" in text and "Durand" not in text


def test_nothing_chosen_says_so(organiser_client, irts, known):
    response = organiser_client.post(action_url(irts), data={"action": "confirmer"},
                                     follow_redirects=True)
    assert "Aucune inscription choisie" in text_of(response.get_data(as_text=True))
    assert organiser_client.post(action_url(irts), data={"action": "x"}).status_code == 400


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_badges_of_the_selection(organiser_client, irts, known, tmp_path):
    chosen = [known["martin"], known["martinez"]]
    response = organiser_client.post(action_url(irts), data={
        "action": "badges", "registration_ids": [str(r.id) for r in chosen]})
    assert response.status_code == 302
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    text = text_of(html)
    # Only the confirmed among them have a badge.
    assert "Les personnes choisies dans la liste des inscriptions (1)" in text
    assert re.search(r'<input[^>]*checked[^>]*value="liste"|value="liste"[^>]*checked', html)
    hidden = re.search(r'name="chosen_ids"[^>]*value="([^"]*)"', html).group(1)
    assert hidden == str(known["martin"].id)
    response = organiser_client.post(response.headers["Location"], data={
        "csrf_token": "", "chosen_ids": hidden, "selection": "liste",
        "sheet_format": "a6-1", "skip": "0", "offset_x": "0", "offset_y": "0"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Zoé" in text and "MARTIN" in text.upper()
    assert "Lucie" not in text and "Élodie" not in text
    db.session.expire_all()
    assert known["martin"].badge_printed_at is not None
    assert known["durand"].badge_printed_at is None


def test_badges_of_the_whole_filtered_selection(organiser_client, irts, known, tmp_path):
    response = organiser_client.post(action_url(irts), data={
        "action": "badges", "portee": "filtre", "q": "irts-ids"})
    assert response.status_code == 302 and "liste=1" in response.headers["Location"]
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    # Martin and Martinez match; only Martin is confirmed.
    assert "Les personnes choisies dans la liste des inscriptions (1)" in text_of(html)


def test_another_events_organiser_and_ids_are_refused(client, make_user, login, irts, demo,
                                                      known):
    etsup = demo["travail-social-2-0-etsup-2018"]
    login(make_user(email="etsup@example.org", events=[etsup]))
    response = client.post(action_url(irts), data={
        "action": "annuler", "registration_ids": [str(known["martin"].id)]})
    assert response.status_code == 404
    assert client.post(action_url(irts, "/annuler"),
                       data={"ids": str(known["martin"].id)}).status_code == 404
    # Their own event's page with the IRTS-IDS ids: nothing chosen, nothing cancelled.
    response = client.post(action_url(etsup, "/annuler"),
                           data={"ids": str(known["martin"].id)}, follow_redirects=True)
    assert "Aucune inscription choisie" in text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert known["martin"].status == RegistrationStatus.CONFIRMED


def test_actions_need_the_csrf_token(csrf_app):
    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    event = load_demo(original_dates=True)[0]
    person = add(event, "Zoé", "Martin", "zoe.martin@example.org")
    user = User(email="orga@example.org", name="orga", is_admin=False)
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=event, user=user)])
    db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    client.post("/connexion", data={"email": user.email, "password": "mot-de-passe-solide",
                                    "csrf_token": token})
    assert client.post(action_url(event, "/annuler"),
                       data={"ids": str(person.id)}).status_code == 400
    assert client.post(action_url(event), data={
        "action": "confirmer", "registration_ids": str(person.id)}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Registration, person.id).status != RegistrationStatus.CANCELLED
    html = client.get(list_url(event)).get_data(as_text=True)
    response = client.post(action_url(event, "/annuler"), data={
        "ids": str(person.id), "csrf_token": csrf_token_from(html)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, person.id).status == RegistrationStatus.CANCELLED


def test_message_button_hands_the_ticked_rows_to_the_composer(organiser_client, irts, known):
    html = page(organiser_client, irts)
    composer = f"/admin/journees/{irts.id}/messages/nouveau"
    assert f'formaction="{composer}">Envoyer un message' in html
    assert 'name="registration_ids"' in html
    picked = [known["martin"].id, known["martinez"].id]
    response = organiser_client.post(composer, data={
        "registration_ids": [str(i) for i in picked], "csrf_token": csrf_token_from(html)})
    assert response.status_code == 200
    composed = response.get_data(as_text=True)
    assert "Le message ira aux 2 personnes choisies" in text_of(composed)
    assert sorted(int(v) for v in re.findall(
        r'name="registration_ids" value="(\d+)"', composed)) == sorted(picked)

