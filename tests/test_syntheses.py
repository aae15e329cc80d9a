"""Workshop syntheses: the facilitator's form, the organiser's review, the public page."""

from __future__ import annotations

import re

from support.pages import csrf_token_from, text_of

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.syntheses.models import DaySynthesis, SynthesisStatus, WorkshopSynthesis
from journee.util.clock import utcnow

SLUG = "travail-social-epreuve-numerique-2018"
PUBLIC = f"/e/{SLUG}/syntheses"


def workshop(irts, number):
    return irts.workshop_sessions[0].workshops[number - 1]


def link_for(irts, number, position=0) -> tuple[FacilitatorLink, object]:
    """A facilitator link for the person at ``position`` in workshop ``number``."""
    found = workshop(irts, number)
    person = found.facilitators[position].person
    link = FacilitatorLink(event_id=irts.id, person_id=person.id)
    db.session.add(link)
    db.session.commit()
    return link, found


def form_url(link, found) -> str:
    return f"/f/{link.token}/ateliers/{found.uid}/synthese"


def admin_url(irts, rest="") -> str:
    return f"/admin/journees/{irts.id}/syntheses{rest}"


def synthesis_row(found) -> WorkshopSynthesis | None:
    db.session.expire_all()
    return db.session.scalar(db.select(WorkshopSynthesis).filter_by(workshop_id=found.id))


PARTS = {"key_points": "- Le numérique **accélère** le travail\n- Les usagers décrochent",
         "questions": "Qui garde la main sur les données ?",
         "proposals": "1. Former les équipes\n2. Garder un accueil papier",
         "free_text": "Compte rendu libre de l'atelier."}


def test_facilitator_writes_submits_then_the_organiser_edits_and_publishes(
        client, irts, make_user, login):
    link, found = link_for(irts, 1)
    co_link = FacilitatorLink(event_id=irts.id, person_id=found.facilitators[1].person.id)
    db.session.add(co_link)
    db.session.commit()

    home = client.get(f"/f/{link.token}").get_data(as_text=True)
    assert f'href="{form_url(link, found)}"' in home
    page = client.get(form_url(link, found))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert "Synthèse de l’atelier n° 1 : Handicap enfant" in text
    assert "Benoît CESSELIN (vous)" in text and "Jean-Marie DILUBENZI" in text
    assert "Enregistrer le brouillon" in text and "Remettre aux organisateurs" in text
    assert "Le HTML n’est pas interprété" in text
    assert "jeudi 15 mars 2018" in text.lower()

    response = client.post(form_url(link, found), data={**PARTS, "action": "brouillon"})
    assert response.status_code == 302
    synthesis = synthesis_row(found)
    assert synthesis.status == SynthesisStatus.DRAFT
    assert synthesis.updated_by == "Benoît CESSELIN"
    assert synthesis.questions == PARTS["questions"]
    again = client.get(form_url(link, found)).get_data(as_text=True)
    assert "Le brouillon est enregistré." in again
    assert "Qui garde la main sur les données ?" in again

    response = client.post(form_url(link, found), data={**PARTS, "action": "remettre"})
    assert response.status_code == 302
    synthesis = synthesis_row(found)
    assert synthesis.status == SynthesisStatus.SUBMITTED and synthesis.submitted_at
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="synthesis.submit"))
    assert entry.workshop_id == found.id and entry.facilitator_link_id == link.id

    # A co-facilitator corrects it with their own link: it stays submitted.
    corrected = {**PARTS, "free_text": "Compte rendu corrigé par Jean-Marie."}
    page = client.get(form_url(co_link, found)).get_data(as_text=True)
    assert "Enregistrer les corrections" in page and "Remettre aux organisateurs" not in page
    assert client.post(form_url(co_link, found),
                       data={**corrected, "action": "brouillon"}).status_code == 302
    synthesis = synthesis_row(found)
    assert synthesis.status == SynthesisStatus.SUBMITTED
    assert synthesis.updated_by == "Jean-Marie DILUBENZI"
    assert synthesis.free_text == "Compte rendu corrigé par Jean-Marie."

    login(make_user(events=[irts]))
    index = text_of(client.get(admin_url(irts)).get_data(as_text=True))
    assert "n° 1 : Handicap enfant Remise aux organisateurs" in index
    assert "n° 2 : Handicap adulte Pas encore écrite" in index
    edit = client.get(admin_url(irts, f"/ateliers/{found.id}")).get_data(as_text=True)
    assert "Compte rendu corrigé par Jean-Marie." in edit
    response = client.post(admin_url(irts, f"/ateliers/{found.id}"),
                           data={**corrected, "proposals": "1. Former les équipes"})
    assert response.status_code == 302
    synthesis = synthesis_row(found)
    assert synthesis.proposals == "1. Former les équipes"
    assert synthesis.updated_by == "organisatrice"
    assert synthesis.status == SynthesisStatus.SUBMITTED

    response = client.post(admin_url(irts, f"/ateliers/{found.id}/publier"))
    assert response.status_code == 302
    assert synthesis_row(found).status == SynthesisStatus.PUBLISHED
    public = text_of(client.get(PUBLIC).get_data(as_text=True))
    assert "Former les équipes" in public and "Garder un accueil papier" not in public

    # Published: read-only for the facilitators, and a late POST changes nothing.
    page = client.get(form_url(link, found)).get_data(as_text=True)
    assert "ne peut plus être modifiée ici" in page
    assert "Enregistrer le brouillon" not in page and "Remettre aux organisateurs" not in page
    assert len(re.findall(r"<textarea[^>]*\breadonly\b", page)) == 4
    late = client.post(form_url(link, found), data={**PARTS, "key_points": "Trop tard",
                                                     "action": "brouillon"})
    assert late.status_code == 409
    assert "Trop tard" in late.get_data(as_text=True)
    assert synthesis_row(found).key_points == PARTS["key_points"]

    assert client.post(admin_url(irts, f"/ateliers/{found.id}/depublier")).status_code == 302
    synthesis = synthesis_row(found)
    assert synthesis.status == SynthesisStatus.SUBMITTED and synthesis.published_at is None
    assert client.get(PUBLIC).status_code == 404


def test_another_workshop_a_revoked_or_wrong_link_is_404(client, irts):
    link, found = link_for(irts, 1)
    other = workshop(irts, 2)
    response = client.get(form_url(link, other))
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert client.post(form_url(link, other), data={**PARTS, "action": "brouillon"}
                       ).status_code == 404
    assert client.get(f"/f/{link.token}x/ateliers/{found.uid}/synthese").status_code == 404
    link.revoked_at = utcnow()
    db.session.commit()
    assert client.get(form_url(link, found)).status_code == 404
    assert client.post(form_url(link, found), data={**PARTS, "action": "brouillon"}
                       ).status_code == 404
    assert synthesis_row(found) is None and synthesis_row(other) is None


def test_a_too_long_part_is_refused_in_french_and_the_input_kept(client, irts):
    link, found = link_for(irts, 3)
    long_text = "Zoé <Dupont> & Cie " + "x" * 6000
    response = client.post(form_url(link, found), data={
        **PARTS, "questions": long_text, "action": "remettre"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("Ce texte compte 6\u00a0019 caractères\u202f: raccourcissez-le à 6\u00a0000 "
            "au plus.") in html
    assert "Zoé &lt;Dupont&gt; &amp; Cie xxxx" in html
    assert "Qui garde la main" not in html  # the too-long value replaced it, as typed
    assert "Garder un accueil papier" in html
    assert synthesis_row(found) is None


def test_submitting_an_empty_synthesis_asks_for_text(client, irts):
    link, found = link_for(irts, 1)
    response = client.post(form_url(link, found), data={"action": "remettre"})
    assert response.status_code == 200
    assert "Écrivez au moins une des quatre parties" in response.get_data(as_text=True)
    assert synthesis_row(found) is None


def _publish(found, **parts) -> WorkshopSynthesis:
    synthesis = WorkshopSynthesis(workshop_id=found.id, status=SynthesisStatus.PUBLISHED,
                                  published_at=utcnow(), **parts)
    db.session.add(synthesis)
    db.session.commit()
    return synthesis


def test_markdown_is_sanitised_on_the_public_page(client, irts):
    _publish(workshop(irts, 2),
             key_points="<script>alert(1)</script>\n\n- Zoé <Dupont> & Cie",
             questions='<img src=x onerror="alert(2)">',
             proposals="[cliquez](javascript:alert(3)) et **gras**",
             free_text="<iframe src=https://exemple.fr></iframe>")
    html = client.get(PUBLIC).get_data(as_text=True)
    assert "<script>alert" not in html and "<img" not in html and "<iframe" not in html
    assert 'href="javascript' not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '&lt;img src=x onerror="alert(2)"&gt;' in html
    assert "<li>Zoé &lt;Dupont&gt; &amp; Cie</li>" in html
    assert "<strong>gras</strong>" in html


def test_public_page_shows_only_published_parts_and_404s_when_nothing_is(
        client, irts):
    assert client.get(PUBLIC).status_code == 404
    assert client.get(f"{PUBLIC}/livret.pdf").status_code == 404
    assert "Synthèses de la journée" not in client.get(f"/e/{SLUG}/").get_data(as_text=True)

    db.session.add(WorkshopSynthesis(workshop_id=workshop(irts, 1).id,
                                     key_points="Brouillon secret", status="submitted"))
    db.session.add(DaySynthesis(event_id=irts.id, body="Restitution pas encore publiée"))
    db.session.commit()
    assert client.get(PUBLIC).status_code == 404

    _publish(workshop(irts, 4), key_points="Les EHPAD s’équipent de tablettes")
    page = text_of(client.get(PUBLIC).get_data(as_text=True))
    assert "Atelier n° 4 : Personnes âgées" in page
    assert "Les EHPAD s’équipent de tablettes" in page
    assert "Johann POISSON, Praticien·ne, Fondation Filseine, Sapins EHPAD" in page
    assert "Brouillon secret" not in page and "Handicap enfant" not in page
    assert "Restitution pas encore publiée" not in page
    assert "Synthèses de la journée" in client.get(f"/e/{SLUG}/").get_data(as_text=True)

    day = db.session.scalar(db.select(DaySynthesis).filter_by(event_id=irts.id))
    day.title, day.authors = "Restitution des ateliers", "Cyril LAC, Manuelle FINN"
    day.reading_list = "- Les cahiers de l’inclusion numérique"
    day.published_at = utcnow()
    db.session.commit()
    page = text_of(client.get(PUBLIC).get_data(as_text=True))
    assert "Restitution des ateliers Par Cyril LAC, Manuelle FINN" in page
    assert "Restitution pas encore publiée" in page
    assert "Pour aller plus loin Les cahiers de l’inclusion numérique" in page


def test_public_page_of_a_draft_event_is_404_for_the_public(client, irts):
    _publish(workshop(irts, 4), key_points="Texte publié")
    irts.status = "draft"
    db.session.commit()
    assert client.get(PUBLIC).status_code == 404
    assert client.get(f"{PUBLIC}/livret.pdf").status_code == 404


def test_day_synthesis_form_defaults_validates_and_publishes(organiser_client, irts):
    client = organiser_client
    page = client.get(admin_url(irts, "/journee")).get_data(as_text=True)
    assert 'value="Restitution des ateliers"' in page
    response = client.post(admin_url(irts, "/journee"), data={
        "title": "  ", "authors": "Richard FEAT", "body": "Un **texte**",
        "reading_list": "x" * 10001})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Donnez un titre" in html
    assert "Ce texte compte 10\u00a0001 caractères" in html
    assert "Un **texte**" in html and 'value="Richard FEAT"' in html
    assert db.session.scalar(db.select(DaySynthesis).filter_by(event_id=irts.id)) is None

    # Publishing before anything is written says so.
    response = client.post(admin_url(irts, "/journee/publier"), follow_redirects=True)
    assert "La synthèse de la journée n’est pas encore écrite." in response.get_data(
        as_text=True)

    response = client.post(admin_url(irts, "/journee"), data={
        "title": "Synthèse du grand témoin", "authors": "Richard FEAT",
        "body": "Des conclusions provisoires.", "reading_list": "- Castel\n- Bourdieu"})
    assert response.status_code == 302
    day = db.session.scalar(db.select(DaySynthesis).filter_by(event_id=irts.id))
    assert (day.title, day.authors, day.updated_by) == (
        "Synthèse du grand témoin", "Richard FEAT", "organisatrice")
    assert client.post(admin_url(irts, "/journee/publier")).status_code == 302
    db.session.expire_all()
    assert day.published_at is not None
    page = text_of(client.get(PUBLIC).get_data(as_text=True))
    assert "Synthèse du grand témoin Par Richard FEAT Des conclusions provisoires." in page
    assert client.post(admin_url(irts, "/journee/depublier")).status_code == 302
    assert client.get(PUBLIC).status_code == 404


def test_publishing_an_empty_synthesis_is_refused(organiser_client, irts):
    found = workshop(irts, 5)
    db.session.add(WorkshopSynthesis(workshop_id=found.id, key_points="  "))
    db.session.commit()
    response = organiser_client.post(admin_url(irts, f"/ateliers/{found.id}/publier"),
                                     follow_redirects=True)
    assert "Cette synthèse est vide" in response.get_data(as_text=True)
    assert synthesis_row(found).status == SynthesisStatus.DRAFT


def test_organiser_of_another_event_gets_404(client, demo, irts, make_user, login):
    etsup = demo["travail-social-2-0-etsup-2018"]
    found = workshop(irts, 1)
    _publish(found, key_points="Publié")
    login(make_user(events=[etsup]))
    assert client.get(admin_url(etsup)).status_code == 200
    for url in (admin_url(irts), admin_url(irts, f"/ateliers/{found.id}"),
                admin_url(irts, "/journee"), admin_url(irts, "/livret.pdf"),
                f"/admin/journees/{etsup.id}/syntheses/ateliers/{found.id}"):
        assert client.get(url).status_code == 404, url
    for url in (admin_url(irts, f"/ateliers/{found.id}/depublier"),
                f"/admin/journees/{etsup.id}/syntheses/ateliers/{found.id}/depublier",
                admin_url(irts, "/journee/publier")):
        assert client.post(url).status_code == 404, url
    assert synthesis_row(found).status == SynthesisStatus.PUBLISHED


def test_back_office_needs_a_login(client, irts):
    response = client.get(admin_url(irts))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_post_without_csrf_token_is_refused_then_accepted_with_it(csrf_app):
    from journee.demo import load_demo

    events = load_demo(original_dates=True)
    db.session.commit()
    event = events[0]
    found = event.workshop_sessions[0].workshops[0]
    link = FacilitatorLink(event_id=event.id, person_id=found.facilitators[0].person.id)
    db.session.add(link)
    db.session.commit()
    client = csrf_app.test_client()
    url = form_url(link, found)
    assert client.post(url, data={**PARTS, "action": "brouillon"}).status_code == 400
    assert synthesis_row(found) is None
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={**PARTS, "action": "brouillon", "csrf_token": token})
    assert response.status_code == 302
    assert synthesis_row(found).key_points == PARTS["key_points"]


def test_demo_etsup_day_has_the_grand_temoin_synthesis_published(client, demo):
    etsup = demo["travail-social-2-0-etsup-2018"]
    event_page = client.get(f"/e/{etsup.slug}/").get_data(as_text=True)
    assert f'href="/e/{etsup.slug}/syntheses"' in event_page
    page = text_of(client.get(f"/e/{etsup.slug}/syntheses").get_data(as_text=True))
    assert ("Synthèse du grand témoin Par Richard FEAT, consultant et intervenant à l’ETSUP "
            "Résumé du compte rendu") in page
    assert "logiques de domination qu’évoquent Castel et Bourdieu" in page
    assert "Pour aller plus loin" in page and "Les cahiers de l’inclusion numérique" in page
    assert "Atelier" not in page
    booklet = client.get(f"/e/{etsup.slug}/syntheses/livret.pdf")
    assert booklet.status_code == 200 and booklet.mimetype == "application/pdf"
