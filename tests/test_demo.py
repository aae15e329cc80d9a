from datetime import date, timedelta

from support.pages import text_of

from journee.demo import load_demo, shift_to_coming_year
from journee.extensions import db
from journee.programme.models import Event, Person, Role, SessionKind


def test_demo_loads_the_whole_irts_day(irts):
    kinds = [s.kind for s in irts.sessions]
    assert kinds == [
        SessionKind.WELCOME, SessionKind.INTRODUCTION, SessionKind.PLENARY, SessionKind.BREAK,
        SessionKind.WORKSHOPS, SessionKind.LUNCH, SessionKind.SYNTHESIS,
        SessionKind.ROUND_TABLE, SessionKind.TALKS, SessionKind.CLOSING, SessionKind.SOCIAL]
    assert irts.sessions[0].starts_at.strftime("%H:%M") == "08:30"
    assert irts.sessions[-1].title == "Buffet"

    (slot,) = irts.workshop_sessions
    assert [w.number for w in slot.workshops] == [1, 2, 3, 4, 5, 6]
    assert [len(w.facilitators) for w in slot.workshops] == [6, 6, 5, 6, 6, 5]
    assert slot.workshops[3].title == "Personnes âgées"
    assert slot.workshops[0].facilitators[4].person.full_name == "Laëtitia LANGIN"


def test_plenary_speaker_is_vincent_meyer_with_his_function(irts):
    plenary = next(s for s in irts.sessions if s.kind == SessionKind.PLENARY)
    speaker = next(p for p in plenary.participants if p.role == Role.SPEAKER)
    assert speaker.person.full_name == "Vincent MEYER"
    assert speaker.shown_function.startswith("Sociologue, Professeur des universités")
    assert speaker.shown_organisation == ("Université Nice Sophia Antipolis, "
                                          "Université Côte d’Azur")
    moderator = next(p for p in plenary.participants if p.role == Role.MODERATOR)
    assert moderator.person.full_name == "Mohamed BELQASMI"


def test_people_are_reused_with_their_affiliation_per_appearance(irts):
    belqasmi = db.session.scalars(db.select(Person).filter_by(last_name="BELQASMI")).all()
    assert len(belqasmi) == 1
    finn = db.session.scalar(db.select(Person).filter_by(last_name="FINN"))
    synthesis = next(s for s in irts.sessions if s.kind == SessionKind.SYNTHESIS)
    at_synthesis = next(p for p in synthesis.participants if p.person == finn)
    assert at_synthesis.affiliation == "Formatrice, IRTS-IDS Normandie"
    slot = irts.workshop_sessions[0]
    in_workshop = next(p for p in slot.workshops[5].facilitators if p.person == finn)
    assert in_workshop.affiliation == "IRTS-IDS Normandie"
    assert in_workshop.role == Role.TRAINER


def test_demo_venue_contact_deadline_and_contributions(irts):
    assert irts.venue_address == "Allée de Flore"
    assert (irts.venue_postcode, irts.venue_city) == ("76380", "Canteleu (Rouen)")
    assert irts.contact_email == "claire.lagu@irtsnormandie.ids.fr"
    assert irts.starts_on == date(2018, 3, 15)
    assert irts.registration_deadline == date(2018, 3, 1)
    talks = next(s for s in irts.sessions if s.kind == SessionKind.TALKS)
    assert [c.presenters[0].person.full_name for c in talks.contributions] == [
        "Pierre LEMARCHAND", "Grégory CELO", "Pierre LOURDEL"]
    assert "Turbulences numériques" in talks.contributions[1].title
    assert "Plan national en faveur du travail social" in irts.context


def test_etsup_day_has_round_tables_testimonies_and_grand_temoin(demo):
    etsup = demo["travail-social-2-0-etsup-2018"]
    assert etsup.starts_on == date(2018, 3, 20)
    kinds = [s.kind for s in etsup.sessions]
    assert kinds.count(SessionKind.ROUND_TABLE) == 2
    assert SessionKind.TESTIMONY in kinds
    witnesses = [p for s in etsup.sessions for p in s.participants if p.role == Role.WITNESS]
    assert [w.person.full_name for w in witnesses] == ["Richard FEAT"]


def test_shift_keeps_the_weekday_and_opens_registration():
    original = date(2018, 3, 15)
    shift = shift_to_coming_year(original, today=date(2026, 11, 23), lead=timedelta(days=30))
    moved = original + shift
    assert moved.weekday() == original.weekday() == 3
    assert moved.year == 2027 and moved.month == 3
    late = shift_to_coming_year(original, today=date(2027, 3, 1), lead=timedelta(days=30))
    assert (original + late).year == 2028


def test_demo_with_moved_dates_is_upcoming_and_open(app):
    today = date(2026, 11, 23)
    irts, etsup = load_demo(today=today)
    db.session.commit()
    assert irts.starts_on > today and irts.starts_on.weekday() == 3
    assert irts.registration_opens_on <= today
    assert irts.registration_deadline >= today
    assert all(s.starts_at.date() == irts.starts_on for s in irts.sessions)
    assert etsup.starts_on == date(2018, 3, 20)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 2


def test_the_moved_day_names_its_new_year_in_its_slug_and_edition(app):
    irts, etsup = load_demo(today=date(2026, 11, 23))
    db.session.commit()
    assert irts.starts_on.year == 2027
    assert irts.slug == "travail-social-epreuve-numerique-2027"
    assert irts.edition == "Journée d’étude interprofessionnelle 2027"
    assert "2018" not in irts.slug + irts.edition
    assert etsup.slug == "travail-social-2-0-etsup-2018"


def test_the_moved_day_shows_its_new_year_on_its_page(app, client):
    load_demo(today=date(2026, 11, 23))
    db.session.commit()
    page = client.get("/e/travail-social-epreuve-numerique-2027/")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "Journée d’étude interprofessionnelle 2027" in text
    assert "Jeudi 18 mars 2027" in text and "2018" not in text
    assert "Médéric MARTIN, Étudiant, DEIS 2028" in text  # a student class moves too
    assert client.get("/e/travail-social-epreuve-numerique-2018/").status_code == 404


def test_the_original_dates_keep_2018(demo):
    irts = demo["travail-social-epreuve-numerique-2018"]
    assert irts.edition == "Journée d’étude interprofessionnelle 2018"
    assert irts.starts_on == date(2018, 3, 15)
