from datetime import date, datetime, time

import pytest

from journee.formatting import (
    format_date,
    format_dates,
    format_number,
    format_time,
    format_time_range,
    french_spacing,
    plural,
)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("day, expected", [
    (date(2018, 3, 15), "jeudi 15 mars 2018"),
    (date(2018, 3, 1), "jeudi 1er mars 2018"),
    (date(2018, 8, 20), "lundi 20 août 2018"),
    (date(2027, 2, 28), "dimanche 28 février 2027"),
])
def test_dates_in_words(day, expected):
    assert plain(format_date(day)) == expected


def test_a_span_of_days_in_words():
    assert plain(format_dates(date(2018, 3, 15), date(2018, 3, 15))) == "jeudi 15 mars 2018"
    assert plain(format_dates(date(2018, 3, 15), date(2018, 3, 16))) == (
        "du jeudi 15 mars 2018 au vendredi 16 mars 2018")


def test_date_keeps_day_and_month_together():
    assert "15\u00a0mars" in format_date(date(2018, 3, 15))


@pytest.mark.parametrize("moment, expected", [
    (time(9, 15), "9 h 15"), (time(10, 0), "10 h"), (time(8, 5), "8 h 05"),
    (datetime(2018, 3, 15, 17, 15), "17 h 15"),
])
def test_times(moment, expected):
    assert plain(format_time(moment)) == expected


def test_time_range_and_open_end():
    assert plain(format_time_range(time(9, 15), time(10, 30))) == "9 h 15 – 10 h 30"
    assert plain(format_time_range(time(17, 15), None)) == "17 h 15"


def test_french_spacing_before_high_punctuation_and_in_guillemets():
    assert french_spacing("Enjeux et risques : table ronde") == "Enjeux et risques\u202f: table ronde"
    assert french_spacing("Quoi ?") == "Quoi\u202f?"
    assert french_spacing("« Passeurs d’images »") == "«\u202fPasseurs d’images\u202f»"
    assert french_spacing("http://exemple.fr") == "http://exemple.fr"
    assert french_spacing(None) == ""


def test_plural():
    assert plain(plural(1, "séance")) == "1 séance"
    assert plain(plural(11, "séance")) == "11 séances"
    assert plain(plural(0, "erreur")) == "0 erreur"
    assert plural(2, "place prise", "places prises") == "2\u00a0places prises"
    # Thousands apart, never cut from their word.
    assert plural(5000, "inscription") == "5\u202f000\u00a0inscriptions"


def test_format_number():
    assert format_number(7) == "7"
    assert format_number(1234567) == "1\u202f234\u202f567"
