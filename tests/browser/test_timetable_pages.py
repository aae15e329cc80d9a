"""The organiser's day in minutes: a small day built from an empty event through the
timetable and the one-page session form, counting the pages loaded."""

from datetime import date, datetime

from playwright.sync_api import expect
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import (
    Event,
    Participation,
    Person,
    Role,
    Room,
    Session,
    SessionKind,
)


def _empty_event(live_server, slug) -> int:
    with live_server.app.app_context():
        event = Event(slug=slug, title="Journée « vite faite »", starts_on=date(2027, 3, 18),
                      ends_on=date(2027, 3, 18))
        db.session.add(event)
        db.session.commit()
        return event.id


def _room_ids(live_server, event_id) -> dict[str, int]:
    with live_server.app.app_context():
        rooms = db.session.scalars(db.select(Room).filter_by(event_id=event_id)).all()
        return {room.name: room.id for room in rooms}


def _add_here(page, start, room_id):
    page.click(f"a.add-here[href*='debut={start}'][href$='salle={room_id}']")


def _person(page, row, name, email="", organisation=""):
    page.fill(f"#{row}-name", name)
    if email:
        page.fill(f"#{row}-email", email)
    if organisation:
        page.fill(f"#{row}-organisation", organisation)


def _save(page):
    submit(page, page.get_by_role("button", name="Enregistrer la séance"))
    assert page.locator(".flash-success").count() == 1, page.locator("main").inner_text()


def test_a_small_day_in_at_most_twenty_page_loads(page_factory, live_server):
    event_id = _empty_event(live_server, "vite-faite")
    page = page_factory()
    loads = []
    page.on("load", lambda: loads.append(page.url))
    login(page, live_server.base_url)

    page.goto(f"{live_server.base_url}/admin/journees/{event_id}/grille")
    for number, (name, places) in enumerate([("Amphithéâtre", "120"), ("Salle A", "20"),
                                             ("Salle B", "20"), ("Salle C", "20")]):
        page.fill(f"#rooms-{number}-name", name)
        page.fill(f"#rooms-{number}-capacity", places)
    page.get_by_role("button", name="Ajouter ces salles").click()
    page.wait_for_selector(".flash-success")
    rooms = _room_ids(live_server, event_id)

    _add_here(page, "08:30", rooms["Amphithéâtre"])
    page.select_option("#kind", "welcome")
    page.fill("#end", "09:00")
    _save(page)

    _add_here(page, "09:00", rooms["Amphithéâtre"])
    page.select_option("#kind", "plenary")
    page.fill("#title", "Le numérique, et nous ?")
    page.fill("#end", "10:30")
    assert "Conférencier·ère" in page.locator("#participants-1-role option[value='']").inner_text()
    _person(page, "participants-0", "Zoé DURAND", "zoe.durand@example.org", "Université de Rouen")
    _person(page, "participants-1", "Karim BENALI", "karim.benali@example.org")
    _save(page)

    _add_here(page, "10:45", rooms["Salle A"])
    page.select_option("#kind", "workshops")
    page.fill("#title", "Ateliers du matin")
    page.fill("#end", "12:15")
    for number, (title, room, facilitator) in enumerate([
            ("Écrans et lien", "Salle A", "Inès ABADIE"),
            ("Données <personnelles>", "Salle B", "Mohamed EL AMRANI"),
            ("=Accès aux droits", "Salle C", "Nguyễn THỊ LAN")]):
        row = f"workshops-{number}"
        page.fill(f"#{row}-title", title)
        page.select_option(f"#{row}-sector", index=number + 1)
        page.select_option(f"#{row}-room_id", str(rooms[room]))
        page.fill(f"#{row}-capacity", "2")
        _person(page, f"{row}-facilitators-0", facilitator,
                f"animation{number + 1}@example.org")
    _save(page)

    _add_here(page, "12:15", 0)
    page.select_option("#kind", "lunch")
    page.fill("#end", "13:45")
    _save(page)

    _add_here(page, "13:45", rooms["Amphithéâtre"])
    page.select_option("#kind", "round_table")
    page.fill("#end", "15:15")
    # The script relabels the default role once the kind changes: wait for it.
    expect(page.locator("#participants-0-role option[value='']")).to_contain_text(
        "(Animateur·rice)")
    assert "(Intervenant·e de table ronde)" in page.locator(
        "#participants-1-role option[value='']").inner_text()
    # Someone already known, found as one types (accents and case ignored).
    page.fill("#participants-0-name", "benal")
    page.wait_for_selector("#participants-0-name + [role=listbox] [role=option]")
    page.press("#participants-0-name", "ArrowDown")
    page.press("#participants-0-name", "Enter")
    assert page.input_value("#participants-0-name") == "Karim BENALI"
    _person(page, "participants-1", "Élise MARTIN", "elise.martin@example.org")
    _person(page, "participants-2", "Jean-Pierre O’NEIL", "jp.oneil@example.org")
    _save(page)

    _add_here(page, "15:15", rooms["Amphithéâtre"])
    page.select_option("#kind", "synthesis")
    page.fill("#title", "Synthèse et clôture")
    page.fill("#end", "16:00")
    _save(page)
    grid = page.locator("table.timetable").inner_text()
    assert "Synthèse et clôture" in grid and "Conflit" not in grid

    assert len(loads) <= 20, loads
    with live_server.app.app_context():
        sessions = db.session.scalars(db.select(Session).filter_by(event_id=event_id)
                                      .order_by(Session.starts_at)).all()
        assert [(s.kind, s.starts_at.strftime("%H:%M"), s.ends_at.strftime("%H:%M"),
                 s.room.name if s.room else None) for s in sessions] == [
            (SessionKind.WELCOME, "08:30", "09:00", "Amphithéâtre"),
            (SessionKind.PLENARY, "09:00", "10:30", "Amphithéâtre"),
            (SessionKind.WORKSHOPS, "10:45", "12:15", "Salle A"),
            (SessionKind.LUNCH, "12:15", "13:45", None),
            (SessionKind.ROUND_TABLE, "13:45", "15:15", "Amphithéâtre"),
            (SessionKind.SYNTHESIS, "15:15", "16:00", "Amphithéâtre")]
        welcome, plenary, slot, lunch, table, synthesis = sessions

        def people(parts):
            return [(p.person.first_name, p.person.last_name, p.person.email, p.role)
                    for p in sorted(parts, key=lambda p: p.position)]

        assert people(plenary.participants) == [
            ("Zoé", "DURAND", "zoe.durand@example.org", Role.SPEAKER),
            ("Karim", "BENALI", "karim.benali@example.org", Role.SPEAKER)]
        assert plenary.participants[0].person.organisation == "Université de Rouen"
        assert [(w.number, w.title, w.capacity, w.room.name) for w in slot.workshops] == [
            (1, "Écrans et lien", 2, "Salle A"), (2, "Données <personnelles>", 2, "Salle B"),
            (3, "=Accès aux droits", 2, "Salle C")]
        assert [people(w.facilitators) for w in slot.workshops] == [
            [("Inès", "ABADIE", "animation1@example.org", Role.FACILITATOR)],
            [("Mohamed", "EL AMRANI", "animation2@example.org", Role.FACILITATOR)],
            [("Nguyễn", "THỊ LAN", "animation3@example.org", Role.FACILITATOR)]]
        assert people(table.participants) == [
            ("Karim", "BENALI", "karim.benali@example.org", Role.MODERATOR),
            ("Élise", "MARTIN", "elise.martin@example.org", Role.PANELIST),
            ("Jean-Pierre", "O’NEIL", "jp.oneil@example.org", Role.PANELIST)]
        assert db.session.scalar(db.select(db.func.count(Person.id)).filter_by(
            last_name="BENALI")) == 1
        assert not (welcome.participations or lunch.participations
                    or synthesis.participations)


def test_timetable_and_session_form_are_accessible(page_factory, live_server):
    event_id = _empty_event(live_server, "accessible")
    with live_server.app.app_context():
        event = db.session.get(Event, event_id)
        amphi, salle = Room(name="Amphithéâtre « Simone-Veil »", capacity=200), \
            Room(name="Salle A", capacity=20)
        event.rooms += [amphi, salle]
        # Someone taken twice: the plenary and a round table overlap by half an hour.
        zoe = Person(first_name="Zoé <script>", last_name="N’DIAYE")
        for kind, title, room, start, end in (
                (SessionKind.PLENARY, "Le numérique", amphi, 14, (15, 30)),
                (SessionKind.ROUND_TABLE, "Regards « croisés »", salle, 15, (16, 0))):
            session = Session(kind=kind, title=title, room=room,
                              starts_at=datetime(2027, 3, 18, start),
                              ends_at=datetime(2027, 3, 18, *end))
            session.participations.append(Participation(person=zoe, role=Role.SPEAKER))
            event.sessions.append(session)
        db.session.commit()
    base = f"{live_server.base_url}/admin/journees/{event_id}"
    for javascript in (True, False):
        for width in (360, 1280):
            page = page_factory(width=width, javascript=javascript)
            login(page, live_server.base_url)
            page.goto(f"{base}/seances/nouvelle?jour=2027-03-18&debut=10:45")
            page.select_option("#kind", "workshops")
            page.fill("#end", "09:00")
            page.fill("#workshops-0-title", "Atelier sans fin")
            page.fill("#workshops-0-capacity", "0")
            page.fill("#participants-0-email", "pas-une-adresse")
            submit(page, page.get_by_role("button", name="Enregistrer la séance"))
            summary = page.locator(".error-summary")
            assert summary.is_visible()
            text = summary.inner_text()
            assert "L’heure de fin doit être après l’heure de début." in text
            assert "Atelier 1 — Capacité (places)" in text
            assert "Personne 1 — Adresse e-mail (nouvelle personne, facultatif)" in text
            assert page.input_value("#workshops-0-title") == "Atelier sans fin"
            assert horizontal_overflow(page) <= 0, (width, javascript)
            if javascript:  # axe-core needs JavaScript; the pages do not.
                assert axe_violations(page) == [], (width, "erreurs")
                page.get_by_role("button", name="Ajouter une ligne").click()
                assert page.evaluate("document.activeElement.id") == "participants-4-name"
            else:
                submit(page, page.get_by_role("button", name="Ajouter une ligne"))
                assert page.locator("#participants-4-name").count() == 1
                assert page.input_value("#workshops-0-title") == "Atelier sans fin"
            page.fill("#end", "12:00")
            page.fill("#workshops-0-capacity", "2")
            page.fill("#participants-0-email", "")
            submit(page, page.get_by_role("button", name="Enregistrer la séance"))
            expect(page.locator(".flash-success")).to_be_visible()
            assert page.locator("table.timetable").is_visible()
            expect(page.locator(".warning-summary")).to_contain_text(
                "Zoé <script> N’DIAYE intervient dans la conférence plénière")
            flags = page.locator("td.has-person-clash .person-clash-flag")
            expect(flags).to_have_count(2)
            expect(flags.first).to_have_text("Personne prise deux fois\u202f: Zoé <script> N’DIAYE")
            assert horizontal_overflow(page) <= 0, (width, javascript, "grille")
            if javascript:
                assert axe_violations(page) == [], (width, "grille")
                # On paper: the grid without the « Ajouter ici » links nor the forms.
                page.emulate_media(media="print")
                assert page.locator("table.timetable").is_visible()
                assert page.locator("a.add-here").first.is_hidden()
                assert page.locator("form[action$='/salles/ajouter']").is_hidden()
                page.emulate_media(media="screen")
                page.goto(f"{base}/")
                assert axe_violations(page) == [], (width, "journée")
                with live_server.app.app_context():
                    slot = db.session.scalars(db.select(Session).filter_by(
                        event_id=event_id)).first()
                page.goto(f"{base}/seances/{slot.id}/modifier")
                assert axe_violations(page) == [], (width, "modifier")
                assert horizontal_overflow(page) <= 0, (width, "modifier")
