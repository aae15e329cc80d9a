"""The institute's look: the settings page, its checks, and where the name, logo and
colour show (pages, favicon, e-mails, programme PDF, badges)."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from support.pages import text_of
from support.smtp import sending_to
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from journee.audit.models import AuditEntry
from journee.branding.colours import (
    contrast_ratio,
    darker_variant,
    weakest_contrast,
)
from journee.branding.models import Branding
from journee.extensions import db
from journee.security import CONTENT_SECURITY_POLICY

URL = "/admin/identite"
SLUG = "travail-social-epreuve-numerique-2018"


def png(width=120, height=40, colour=(0, 79, 138), noise=False) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    if noise:
        generator = random.Random(16)
        image.putdata([tuple(generator.randrange(256) for _ in range(3))
                       for _ in range(width * height)])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


CLEAN_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
             b'<rect width="10" height="10" fill="#004f8a"/></svg>')


def post(client, name="IRTS-IDS Normandie", accent="#004f8a", logo=None,
         filename="logo.png", **extra):
    data = MultiDict({"name": name, "accent": accent, **extra})
    if logo is not None:
        data["logo"] = FileStorage(io.BytesIO(logo), filename)
    # Encoded here, in memory: the test client would spool a big body to a temporary file
    # it never closes.
    boundary, body = encode_multipart(data)
    return client.post(URL, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def admin_client(make_user, login):
    return login(make_user(email="admin@example.org", admin=True))


def stored() -> Branding | None:
    db.session.expire_all()
    return db.session.scalar(select(Branding))


# Contrast --------------------------------------------------------------------------------

def test_contrast_ratio_matches_known_wcag_values():
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#ffffff", "#ffffff"), 2) == 1.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert round(contrast_ratio("#ffffff", "#004f8a"), 2) == round(
        contrast_ratio("#004f8a", "#ffffff"), 2)


def test_darker_variant_keeps_the_hue_and_passes_everywhere():
    assert weakest_contrast("#1e90ff")[0] < 4.5
    variant = darker_variant("#1e90ff")
    assert weakest_contrast(variant)[0] >= 4.5
    red, green, blue = (int(variant[i:i + 2], 16) for i in (1, 3, 5))
    assert red < green < blue  # still the same blue, only darker
    assert darker_variant("#004f8a") == "#004f8a"  # already readable: unchanged


# The settings page -----------------------------------------------------------------------

def test_only_the_administrator_may_open_the_settings(client, make_user, login):
    assert client.get(URL).status_code == 302  # to the sign-in page
    login(make_user(email="orga@example.org", may_create_events=True))
    assert 'href="/admin/identite"' not in client.get("/admin/").get_data(as_text=True)
    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert stored() is None


def test_a_real_png_and_a_readable_colour_are_saved(admin_client):
    logo = png()
    response = post(admin_client, accent="#2E7D32", logo=logo)
    assert response.status_code == 302
    branding = stored()
    assert (branding.name, branding.accent, branding.logo_type) == (
        "IRTS-IDS Normandie", "#2e7d32", "image/png")
    assert branding.logo == logo
    assert branding.version == 1
    [entry] = db.session.scalars(select(AuditEntry).filter_by(
        action="organiser.change_branding")).all()
    assert entry.actor.endswith("admin@example.org")
    page = text_of(admin_client.get(URL).get_data(as_text=True))
    assert "Logo actuel (PNG)" in page
    assert 'href="/admin/identite"' in admin_client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize(("accent", "ratio", "suggested"), [
    ("#1e90ff", "2,94", "#1770c7"), ("#FFBF47", "1,49", "#8c6927")])
def test_a_colour_too_light_is_refused_with_its_ratio_and_a_darker_variant(
        admin_client, accent, ratio, suggested):
    response = post(admin_client, name="Institut d’Ébène", accent=accent)
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "Le formulaire contient 1 erreur" in page
    assert (f"La couleur {accent.lower()} n’offre qu’un contraste de {ratio} : 1 sur le "
            "gris clair des encadrés" in page)
    assert "il faut au moins 4,50 : 1" in page
    assert f"Essayez {suggested}, la même teinte, plus sombre." in page
    # The suggestion is the lightest shade that passes: accepted as it is.
    assert post(admin_client, accent=suggested).status_code == 302
    assert stored().accent == suggested
    assert 'value="Institut d’Ébène"' in response.get_data(as_text=True)


def test_a_colour_that_is_not_a_colour_is_refused(admin_client):
    page = text_of(post(admin_client, accent="bleu").get_data(as_text=True))
    assert "Saisissez une couleur en notation hexadécimale" in page
    assert stored() is None


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"Bonjour, je suis un texte.\n", "logo.png", "n’est pas une image PNG ni une image SVG"),
    (png()[:60], "logo.png", "Ce fichier PNG est abîmé ou incomplet"),
    (png(noise=True, width=500, height=500), "logo.png", "il doit peser 512 Ko au plus"),
    (png(width=3000, height=20), "logo.png", "Le logo mesure 3000 × 20 pixels ; chaque côté doit mesurer de 16 à 2048 pixels"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg",
     "Ce SVG contient un élément « script »"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg",
     "gestionnaire d’événement (« onload »)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     b'<image xlink:href="https://pisteur.example/x.png"/></svg>', "logo.svg",
     "fait référence à un fichier ou à une adresse extérieurs"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css);'
     b'</style></svg>', "logo.svg", "fait référence à un fichier ou à une adresse extérieurs"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg '
     b'xmlns="http://www.w3.org/2000/svg">&a;</svg>', "logo.svg", "déclare des entités XML"),
    (b'<?xml-stylesheet href="https://x.example/a.css"?><svg '
     b'xmlns="http://www.w3.org/2000/svg"/>', "logo.svg",
     "fait référence à un fichier ou à une adresse extérieurs"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect '
     b'width="1" height="1"/></a></svg>', "logo.svg",
     "fait référence à un fichier ou à une adresse extérieurs"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml">'
     b'<h:script>alert(1)</h:script></svg>', "logo.svg", "élément « script »"),
    (b'<html><body>bonjour</body></html>', "logo.svg", "n’est pas une image SVG"),
])
def test_a_logo_that_is_not_a_sound_image_is_refused_in_french(
        admin_client, content, filename, message):
    response = post(admin_client, logo=content, filename=filename)
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "Le formulaire contient 1 erreur" in page
    assert message in page
    assert stored() is None


def test_a_clean_svg_is_kept_and_served_harmless(admin_client, client):
    assert post(admin_client, logo=CLEAN_SVG, filename="logo.svg").status_code == 302
    assert stored().logo_type == "image/svg+xml"
    response = client.get(f"/identite/logo?v={stored().version}")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data == CLEAN_SVG
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "immutable" in response.headers["Cache-Control"]


def test_the_logo_can_be_removed(admin_client):
    post(admin_client, logo=png())
    assert post(admin_client, remove_logo="y").status_code == 302
    assert (stored().logo, stored().logo_type, stored().version) == (None, None, 2)
    assert admin_client.get("/identite/logo").status_code == 404


# Where it shows --------------------------------------------------------------------------

def test_the_favicon_is_journees_until_the_institute_has_a_logo(admin_client, client):
    default = client.get("/favicon.ico")
    assert default.status_code == 200
    assert default.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert Image.open(io.BytesIO(default.data)).format == "ICO"
    logo = png()
    post(admin_client, logo=logo)
    mine = client.get("/favicon.ico")
    assert (mine.status_code, mine.mimetype, mine.data) == (200, "image/png", logo)


def test_public_pages_show_the_name_logo_and_colour(admin_client, client, irts):
    before = client.get(f"/e/{SLUG}/").get_data(as_text=True)
    assert "/identite.css" not in before and "brand-logo" not in before
    post(admin_client, name="ETSUP <Paris>", accent="#6a1b9a", logo=png())
    response = client.get(f"/e/{SLUG}/")
    html = response.get_data(as_text=True)
    assert 'src="/identite/logo?v=1"' in html
    assert "ETSUP &lt;Paris&gt;" in html
    assert '<link rel="stylesheet" href="/identite.css?v=1">' in html
    assert '<link rel="icon" href="/favicon.ico?v=1">' in html
    assert "<style" not in html and "style=" not in html
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    css = client.get("/identite.css?v=1")
    assert css.mimetype == "text/css"
    assert "--accent: #6a1b9a;" in css.get_data(as_text=True)
    assert "--accent-dark: #481269;" in css.get_data(as_text=True)
    assert "immutable" in css.headers["Cache-Control"]
    assert "immutable" not in client.get("/identite.css?v=0").headers["Cache-Control"]


@pytest.fixture
def smtp_app(app_factory, smtp):
    app = app_factory(**sending_to(smtp))
    with app.app_context():
        yield app


def test_html_emails_carry_the_logo_inline_and_the_name(smtp_app, smtp):
    from journee.auth.models import User

    client = smtp_app.test_client()
    user = User(email="admin@example.org", name="admin", is_admin=True)
    user.set_password("mot-de-passe-solide")
    db.session.add(user)
    db.session.commit()
    client.post("/connexion", data={"email": user.email, "password": "mot-de-passe-solide"})
    logo = png()
    assert post(client, name="IRTS-IDS Normandie", logo=logo).status_code == 302
    client.post("/deconnexion")
    client.post("/connexion/mot-de-passe-oublie", data={"email": "admin@example.org"})

    [message] = [m for m in smtp.messages if m["To"] == "admin@example.org"]
    html = message.get_body(("html",))
    [image] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html.get_content()
    assert "IRTS-IDS Normandie" in html.get_content()
    assert image.get_content() == logo
    assert message.get_body(("plain",)) is not None


def test_a_confirmation_carries_the_logo_the_name_and_still_its_calendar(
        smtp_app, smtp, monkeypatch):
    from support.registration import OPEN_DAY, register, set_today

    from journee.branding.logo import checked_logo
    from journee.branding.operations import update_branding
    from journee.demo import load_demo

    set_today(monkeypatch, OPEN_DAY)
    [irts] = [e for e in load_demo(original_dates=True) if e.slug == SLUG]
    admin = type("Admin", (), {"email": "admin@example.org"})()
    logo = png()
    update_branding(name="Institut <Ébène> & =1+1", accent="", logo=checked_logo(logo),
                    remove_logo=False, by=admin)
    db.session.commit()
    assert register(smtp_app.test_client(), irts).status_code == 302

    [message] = [m for m in smtp.messages if m["To"] == "zoe.martin@example.org"]
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.startswith("Institut <Ébène> & =1+1\n\nBonjour Zoé,")
    html = message.get_body(("html",)).get_content()
    assert "Institut &lt;Ébène&gt; &amp; =1+1" in html
    [image] = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert image.get_content() == logo
    assert [p.get_content_type() for p in message.iter_attachments()] == ["text/calendar"]


def test_an_svg_logo_stays_out_of_emails(smtp_app, smtp):
    from flask import render_template

    from journee.branding.logo import checked_logo
    from journee.branding.operations import update_branding
    from journee.mail import build_message

    user = type("U", (), {"email": "admin@example.org"})()
    update_branding(name="IRTS", accent="", logo=checked_logo(CLEAN_SVG),
                    remove_logo=False, by=user)
    db.session.commit()
    html = render_template("emails/password_reset.html", subject="x", reset_url="http://x",
                           sender="IRTS", user=user)
    assert "cid:" not in html and "IRTS" in html
    raw = build_message("a@example.org", "x", "texte", html)
    assert b"image/svg" not in raw and b"image/png" not in raw


def images_of(data: bytes, page: int = 0) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(image.image.width, image.image.height) for image in reader.pages[page].images]


def test_the_programme_pdf_heads_with_the_png_logo(admin_client, client, irts):
    before = client.get(f"/e/{SLUG}/programme.pdf")
    assert images_of(before.data) == []
    post(admin_client, logo=png(width=300, height=100))
    # A browser holding the PDF without the logo gets the new one, not a 304.
    after = client.get(f"/e/{SLUG}/programme.pdf",
                       headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert images_of(after.data) == [(300, 100)]
    post(admin_client, logo=CLEAN_SVG, filename="logo.svg")
    assert images_of(client.get(f"/e/{SLUG}/programme.pdf").data) == []


def test_badges_carry_the_logo_on_every_label(admin_client, irts):
    form = {"sheet_format": "a4-10-54x90", "selection": "programme", "registration": "",
            "team": "", "offset_x": "0", "offset_y": "0", "skip": "0", "cut_marks": "y"}
    url = f"/admin/journees/{irts.id}/badges"
    without = admin_client.post(url, data=form)
    assert without.mimetype == "application/pdf"
    assert images_of(without.data) == []
    post(admin_client, logo=png(width=200, height=80))
    data = admin_client.post(url, data=form).data
    labels = len(PdfReader(io.BytesIO(data)).pages[0].extract_text().split("Intervention"))
    shown = images_of(data)
    assert shown and set(shown) == {(200, 80)}
    assert labels > 1
