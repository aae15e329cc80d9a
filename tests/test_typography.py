"""French typography: the checker, the code's own texts, and the pass on typed text."""

import pytest
from support.typography import (
    ROOT,
    html_text,
    is_prose,
    python_files,
    python_strings,
    template_files,
    template_text,
)

from journee.markdown import render_markdown
from journee.placeholders import parse
from journee.typography import of_name, one_line, slips, smarten

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("bad", [
    "Inscription confirmée : merci",
    "Vraiment ?", "Bravo !", "d’une part ; d’autre part",
    "Vraiment?", "Bravo!", "d’une part; d’autre part",
    "l'atelier", "d'Inès",
    "Atelier n° 3", "Atelier n°3", "Atelier n°X",
    "la journée « X »", "la journée «X»", f"la journée «{NNBSP}X »",
    "2 places libres", "X personnes trouvées", "3 650 jours", "Au plus 2 000 lignes",
])
def test_checker_finds_each_slip(bad):
    assert slips(bad), bad


@pytest.mark.parametrize("good", [
    f"Inscription confirmée{NNBSP}: merci", f"Vraiment{NNBSP}?", f"Bravo{NNBSP}!",
    f"d’une part{NNBSP}; d’autre part", f"Inscription confirmée{NBSP}: merci",
    "l’atelier", "d’Inès", f"Atelier n°{NBSP}3", f"la journée «{NNBSP}X{NNBSP}»",
    "à 10:30", "https://journee.test/e/x/?a=1;b=2", "écrivez à a.b@exemple.fr",
    "`x ; y`", "Il est 9 h 15, :)", "(voir ci-dessous)",
    f"2{NBSP}places libres", f"3{NNBSP}650{NBSP}jours", "de 1 à 5", "Atelier 3, salle 2",
])
def test_checker_lets_right_text_pass(good):
    assert slips(good) == []


def test_prose_filter_keeps_french_and_leaves_code():
    assert is_prose("Inscription confirmée")
    assert is_prose("Bravo !")
    for code in ("registration.form", "text/calendar; charset=utf-8", "%Y-%m-%d",
                 "SELECT count(*) FROM registration", "default-src 'none'; sandbox",
                 "<p>{}</p>", r"[^\s<>]+"):
        assert not is_prose(code), code


def test_every_template_is_typeset():
    found = [f"{path.relative_to(ROOT)}: {what}: {where!r}"
             for path in template_files()
             for what, where in slips(template_text(path.read_text(encoding="utf-8"),
                                                    html=path.suffix == ".html"))]
    assert found == []


def test_every_french_string_of_the_code_is_typeset():
    found = [f"{path.relative_to(ROOT)}:{line}: {what}: {where!r}"
             for path in python_files() if path.name != "typography.py"
             for line, text in python_strings(path)
             for what, where in slips(text)]
    assert found == []


def test_the_scan_sees_templates_and_strings():
    """The two tests above read something: a template's text, a string of the code."""
    page = template_text('{% block title %}Publier «\u202f{{ event.title }}\u202f»{% endblock %}'
                         '<a title="Voir l\'atelier">{{ field(f, hint="Lieu : ici") }}</a>')
    assert "Publier «\u202fX\u202f»" in page
    assert "Voir l'atelier" in page and "Lieu : ici" in page
    assert len(template_files()) > 100
    strings = [text for _, text in python_strings(ROOT / "journee" / "cli.py")]
    assert any("démo non chargée" in text for text in strings)


@pytest.mark.parametrize(("typed", "shown"), [
    ("Bonjour ! Venez : c'est l'atelier ; merci ?",
     f"Bonjour{NNBSP}! Venez{NNBSP}: c’est l’atelier{NNBSP}; merci{NNBSP}?"),
    ("« Passeurs d'images »", f"«{NNBSP}Passeurs d’images{NNBSP}»"),
    ("«Passeurs»", f"«{NNBSP}Passeurs{NNBSP}»"),
    ("Atelier n° 5 et n°6", f"Atelier n°{NBSP}5 et n°{NBSP}6"),
    ("Quoi?! (vraiment ?)", f"Quoi{NNBSP}?! (vraiment{NNBSP}?)"),
    # Addresses, times, code, emoticons and ratios between words are left as typed.
    ("https://exemple.fr/a?b=1;c=2 et http://x.fr", "https://exemple.fr/a?b=1;c=2 et http://x.fr"),
    ("voir https://exemple.fr/page : ici", f"voir https://exemple.fr/page{NNBSP}: ici"),
    ("écrire à o'brien@exemple.fr", "écrire à o'brien@exemple.fr"),
    ("à 10:30, ou 10h30", "à 10:30, ou 10h30"),
    ("`a ; b` et `c'd`", "`a ; b` et `c'd`"),
    ("super :) ;) :-( ;-)", "super :) ;) :-( ;-)"),
    ("<script>alert('x')</script>", "<script>alert('x')</script>"),
    ("python3 -c 'import secrets; print(1)'", "python3 -c 'import secrets; print(1)'"),
    ("", ""), ("stray \ue000 mark : ok", "stray  mark\u202f: ok"),
])
def test_smarten_sets_french_typography_and_leaves_code(typed, shown):
    assert smarten(typed) == shown
    assert smarten(shown) == shown  # a second pass changes nothing


def test_smarten_leaves_no_slip_in_typed_prose():
    typed = "Rendez-vous à l'IRTS : salle 3 ; n° 2 « Ateliers » ! Des questions ?"
    assert slips(typed) and slips(smarten(typed)) == []


def test_markdown_is_typeset_in_its_text_only():
    html = render_markdown(
        "## L'atelier : programme\n\nVenez ! Voir [l'agenda](https://x.fr/a?b=1&c=d'e) "
        "ou `code ; ici` à 10:30.\n\n<script>alert('x')</script> « cité »")
    assert f"L’atelier{NNBSP}: programme" in html
    assert f"Venez{NNBSP}!" in html
    assert 'href="https://x.fr/a?b=1&amp;c=d' in html and "l’agenda</a>" in html
    assert "<code>code ; ici</code>" in html and "10:30" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert f"«{NNBSP}cité{NNBSP}»" in html


def test_markdown_pdf_is_typeset():
    from journee.documents.markdown_pdf import markdown_flowables

    [paragraph] = markdown_flowables("L'atelier : *prêt* ?")
    # ReportLab would break at U+202F, so documents use the no-break space U+00A0.
    assert paragraph.text == f"L’atelier{NBSP}: <i>prêt</i>{NBSP}?"


def test_typed_email_text_is_typeset_around_the_values_not_in_them():
    template = parse("Bonjour {prénom} ! Votre lien : {lien personnel} ; l'équipe")
    text = template.fill({"prénom": "D'Artagnan <b>", "lien personnel": "https://x.fr/r/a;b"},
                         typeset=True)
    assert text == (f"Bonjour D'Artagnan <b>{NNBSP}! Votre lien{NNBSP}: "
                    f"https://x.fr/r/a;b{NNBSP}; l’équipe")
    assert template.fill({"prénom": "Inès"}) == ("Bonjour Inès ! Votre lien :  ; l'équipe")


def test_one_line_keeps_no_break_spaces():
    assert one_line(f"  Inscription\n confirmée{NNBSP}:  «{NBSP}X{NBSP}» ") == (
        f"Inscription confirmée{NNBSP}: «{NBSP}X{NBSP}»")


@pytest.mark.usefixtures("registration_open")
@pytest.mark.parametrize("path", ["/", "/e/{slug}/", "/e/{slug}/register"])
def test_public_pages_of_the_demo_day_are_typeset(client, irts, path):
    page = client.get(path.format(slug=irts.slug))
    assert page.status_code == 200
    text = html_text(page.get_data(as_text=True))
    assert irts.title.split()[0] in text
    assert slips(text) == []


@pytest.mark.parametrize(("name", "shown"), [
    ("Inès Martin", "d’Inès Martin"), ("Élodie Durand", "d’Élodie Durand"),
    ("IRTS-IDS Normandie", "d’IRTS-IDS Normandie"), ("atelier", "d’atelier"),
    ("Hélène Roy", "d’Hélène Roy"), ("Yves Petit", "d’Yves Petit"),
    ("Yann Le Goff", "de Yann Le Goff"), ("Zoé Dupont", "de Zoé Dupont"),
    ("Łukasz Żółć", "de Łukasz Żółć"), ("Дмитрий", "de Дмитрий"), ("", "de "),
])
def test_of_name_elides_before_a_vowel_sound(name, shown):
    assert of_name(name) == shown
    assert slips(shown) == []
