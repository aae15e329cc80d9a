"""The questionnaire's results as a PDF, read back with pdftotext: counts, rates and how
they are computed, comments kept as typed, workshops from five answers only."""

from __future__ import annotations

import pytest
from support.registration import slot_of
from support.surveys import DAY_OVER, answer_all, folded, invitation_of, invited, pdf_text, people

from journee.extensions import db
from journee.programme.models import WorkshopMode
from journee.surveys import jobs


@pytest.fixture
def first_come(irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    return irts


def test_the_results_pdf_gives_counts_rates_and_comments(organiser_client, first_come):
    workshops = slot_of(first_come).workshops
    survey, invitations = invited(first_come, 5, workshop=workshops[0])
    others = people(first_come, 5, workshop=workshops[1], prefix="autre")
    jobs.queue_invitations(DAY_OVER)
    invitations += [(r, invitation_of(r).token) for r in others]
    hostile = ["<script>alert('x')</script>", "=HYPERLINK(\"http://x\";\"y\")",
               "Zoé <Dupont> & Cie – 王小明"]
    # Nine answers out of ten invitations: workshop 2 keeps four, under the threshold.
    answer_all(organiser_client, survey, invitations[:9], [5, 5, 4, 3, 1, 5, 4, 2, 2],
               hostile + [None] * 6)

    page = organiser_client.get(f"/admin/journees/{first_come.id}/questionnaire/resultats")
    assert "/questionnaire/resultats.pdf" in page.get_data(as_text=True)
    download = organiser_client.get(
        f"/admin/journees/{first_come.id}/questionnaire/resultats.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "private" in download.headers["Cache-Control"]
    text = folded(pdf_text(download.data))
    assert "Résultats du questionnaire de satisfaction" in text
    assert "9 réponses." in text
    assert "À chaud : 9 réponses sur 10 invitations envoyées (90 %)." in text
    assert "À froid : aucune invitation envoyée." in text
    assert ("Taux de satisfaction : 56 %, soit la part des réponses 4 ou 5 sur une échelle "
            "de 1 à 5 parmi les 9 réponses à la question « Dans l’ensemble, êtes-vous "
            "satisfait·e de cette journée ? »") in text
    overall = text.split("Dans l’ensemble, êtes-vous satisfait·e de cette journée ?")[2]
    assert "9 réponses, moyenne 3,4 sur 5." in overall
    # The chart's labels and counts, then the same figures in a table.
    assert ("1 – Pas du tout satisfait·e 1 2 2 3 1 4 2 5 – Tout à fait satisfait·e 3 "
            "Réponse Nombre 1 – Pas du tout satisfait·e 1 2 2 3 1 4 2 5 – Tout à fait "
            "satisfait·e 3") in overall
    for comment in hostile:
        assert comment in text
    # Workshop 1 has five answers: its results are given; workshop 2 has four: not.
    first = text.split(f"Atelier n° {workshops[0].number} :")[1].split("Atelier n°")[0]
    second = text.split(f"Atelier n° {workshops[1].number} :")[1].split("Atelier n°")[0]
    assert first.startswith(f" {workshops[0].title} 5 réponses.")
    assert "5 – Tout à fait satisfait·e 2" in first
    assert "Moins de 5 réponses : résultats non donnés." in second
    assert "Très riche" not in second and "moyenne" not in second


def test_the_results_pdf_is_for_the_event_s_organisers(client, make_user, login, demo,
                                                       irts):
    etsup = next(e for slug, e in demo.items() if e is not irts)
    url = f"/admin/journees/{irts.id}/questionnaire/resultats.pdf"
    assert client.get(url).status_code == 302
    login(make_user("autre@example.org", events=[etsup]))
    assert client.get(url).status_code == 404


def test_one_wave_hides_a_workshop_whose_other_answers_are_too_few(organiser_client,
                                                                    first_come):
    """Five « à chaud » and two « à froid » answers: both waves together are shown, so
    « à chaud » alone would give the two others away by difference."""
    from datetime import datetime

    from journee.surveys import services
    from journee.surveys.models import Wave

    workshop = slot_of(first_come).workshops[0]
    survey, invitations = invited(first_come, 7, workshop=workshop)
    answer_all(organiser_client, survey, invitations[:5], [5, 4, 4, 3, 5])
    jobs.queue_invitations(datetime(2018, 5, 14, 9, 0))
    cold = [(r, invitation_of(r, Wave.COLD).token) for r, _ in invitations]
    answer_all(organiser_client, survey, cold[:2], [2, 1])

    def given(wave):
        [group] = [g for g in services.results_by_workshop(survey, first_come, wave)
                   if g.workshop.id == workshop.id]
        return group.responses, group.results is not None

    assert given(None) == (7, True)
    assert given(Wave.HOT) == (5, False)
    assert given(Wave.COLD) == (2, False)
    # With five « à froid » answers too, each wave stands on its own.
    more = people(first_come, 3, workshop=workshop, prefix="encore")
    jobs.queue_invitations(DAY_OVER)
    jobs.queue_invitations(datetime(2018, 5, 14, 9, 0))
    cold = [(r, invitation_of(r, Wave.COLD).token) for r in more]
    answer_all(organiser_client, survey, cold, [3, 3, 3])
    assert given(Wave.HOT) == (5, True) and given(Wave.COLD) == (5, True)
