"""The SVG charts, read back as XML: bars and points where the data puts them."""

from datetime import date
from xml.etree import ElementTree

from journee.web.charts import Bar, bar_chart, cumulative_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def test_bars_are_proportional_to_their_values():
    svg = parse(bar_chart([Bar("Étudiant·es", 40), Bar("Professionnel·les", 10),
                           Bar("Autres", 0)],
                          chart_id="profils", title="Profils", description="Par profil"))
    bars = svg.findall(f"{SVG}rect[@class='bar']")
    assert [int(b.get("data-value")) for b in bars] == [40, 10, 0]
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == 4 * widths[1] > 0 and widths[2] == 0
    # Bars one under the other, in the order given.
    assert [float(b.get("y")) for b in bars] == sorted(float(b.get("y")) for b in bars)
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert texts == ["Étudiant·es", "40", "Professionnel·les", "10", "Autres", "0"]


def test_chart_is_named_and_described_for_screen_readers():
    svg = parse(bar_chart([Bar("A", 1)], chart_id="c1", title="Demande par atelier",
                          description="3 ateliers"))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Demande par atelier" and desc.text == "3 ateliers"
    assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_limits_are_marked_and_excess_shown():
    svg = parse(bar_chart([Bar("Atelier 1", 30, limit=20), Bar("Atelier 2", 10, limit=20)],
                          chart_id="ateliers", title="t", description="d"))
    bars = svg.findall(f"{SVG}rect[@class='bar']")
    limits = svg.findall(f"{SVG}line[@class='limit']")
    assert len(limits) == 2
    # The limit mark sits where a bar of 20 would end.
    x0 = float(bars[0].get("x"))
    per_unit = float(bars[0].get("width")) / 30
    assert abs(float(limits[0].get("x1")) - (x0 + 20 * per_unit)) < 0.2
    assert bars[0].get("fill") != bars[1].get("fill")  # over its places
    assert "30/20" in [t.text for t in svg.findall(f"{SVG}text")]


def test_labels_typed_by_people_stay_text():
    label = "<script>alert(1)</script> & « Zoé »"
    markup = bar_chart([Bar(label, 2)], chart_id="x", title="<b>titre</b>", description="d")
    assert "<script>" not in str(markup)
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == "<b>titre</b>"
    assert svg.find(f"{SVG}text").text.startswith("<script>alert(1)</scri")


def test_cumulative_chart_climbs_to_the_total():
    days = [(date(2018, 1, 8), 5), (date(2018, 1, 9), 0), (date(2018, 1, 10), 15)]
    svg = parse(cumulative_chart(days, chart_id="cumul", title="t", description="d"))
    points = svg.findall(f"{SVG}circle[@class='point']")
    assert [(p.get("data-day"), int(p.get("data-total"))) for p in points] == [
        ("2018-01-08", 5), ("2018-01-09", 5), ("2018-01-10", 20)]
    ys = [float(p.get("cy")) for p in points]
    xs = [float(p.get("cx")) for p in points]
    assert ys[0] == ys[1] > ys[2]  # higher total, higher on the page (smaller y)
    assert xs == sorted(xs) and xs[1] - xs[0] == xs[2] - xs[1]
    # 5 is a quarter of the way up from the axis to the top (20).
    axis = max(float(line.get("y2")) for line in svg.findall(f"{SVG}line"))
    assert abs((axis - ys[0]) / (axis - ys[2]) - 0.25) < 0.01
    # A step line: each rise is vertical, at the day it happens.
    polyline = [tuple(map(float, p.split(",")))
                for p in svg.find(f"{SVG}polyline").get("points").split()]
    assert polyline[-2] == (xs[2], ys[1]) and polyline[-1] == (xs[2], ys[2])
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "20" in texts and "8\u00a0janv. 2018" in texts and "10\u00a0janv. 2018" in texts


def test_empty_cumulative_chart_has_no_line():
    svg = parse(cumulative_chart([], chart_id="vide", title="t", description="d"))
    assert svg.find(f"{SVG}polyline") is None and svg.get("role") == "img"
