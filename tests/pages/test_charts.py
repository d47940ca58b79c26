"""Charts are SVG pictures drawn on the server (observatoire.svgcharts), with one tooltip box per point or bar: every
chart each page draws, for several states, must decode as SVG, carry its values in French and place its boxes
inside the picture."""

import html
import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from tests.pages.conftest import each_tab, html_tables

STATES = [
    ("pages/aides_covid.py", {}),
    ("pages/aides_covid.py", {"dispositif": "pge", "niveau": "region", "territoire": "84"}),
    ("pages/aides_covid.py", {"dispositif": "activite_partielle"}),
    ("pages/laureats.py", {}),
    ("pages/laureats.py", {"vue": "Indicateurs"}),
    ("pages/territoires.py", {}),
    ("pages/territoires.py", {"version": "2020"}),
    ("pages/territoires.py", {"comparer": "ti-8401,ti-7506"}),
]
SVG = "{http://www.w3.org/2000/svg}"


def figures(at) -> list[str]:
    """Every chart figure on the page (a faceted chart is several)."""
    body = "".join(h.proto.body for h in at.get("html"))
    return re.findall(r"<figure class='obs-chart'>.*?</figure>", body, flags=re.S)


def title(figure: str) -> str:
    return html.unescape(re.search(r"<div class='t'>(.*?)</div>", figure).group(1))


def pictures(figure: str) -> list[ET.Element]:
    return [
        ET.fromstring(urllib.parse.unquote(src)) for src in re.findall(r'src="data:image/svg\+xml,([^"]*)"', figure)
    ]


def tooltips(figure: str) -> list[tuple[float, float, float, float, str]]:
    """(left, top, width, height) in percent of the picture, and the tooltip text, of every box."""
    spots = re.findall(
        r"<span style='left:([-\d.]+)%;top:([-\d.]+)%;width:([-\d.]+)%;height:([-\d.]+)%' title='([^']*)'>", figure
    )
    return [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in spots]


@pytest.mark.parametrize("page,params", STATES)
def test_every_chart_is_an_svg_picture_with_its_values_in_french(app, page, params):
    runs = [at for _, at in each_tab(app, page, params)]  # every tab open in turn
    charts = [f for at in runs for f in figures(at) if "Aucune donnée" not in f]
    assert charts
    assert not any(at.get("vega_lite_chart") for at in runs)
    for f in charts:
        (svg,) = pictures(f)  # one picture, and it is well-formed SVG
        assert svg.tag == f"{SVG}svg" and svg.find(f"{SVG}rect") is not None or svg.find(f"{SVG}path") is not None
        spots = tooltips(f)
        assert spots, title(f)
        for left, top, width, height, text in spots:
            # a box around a point may overhang the picture's edge by its own half-size, never more
            assert -3 < left and left + width < 103 and -5 < top and top + height < 105, (title(f), text)
            assert re.search(r" : -?\d[\d\u00a0]*(,\d+)?", text), text  # "label : 1 234,5"
            assert "." not in text.split(" : ")[-1]  # French decimals


def test_a_bar_chart_carries_the_numbers_of_its_table(app):
    """The NAF-section bars of Aides Covid hold, section by section, the amount printed in the table beside them."""
    at = app("pages/aides_covid.py", {"dispositif": "fds", "niveau": "region", "territoire": "84"})
    at.run()
    chart = next(f for f in figures(at) if title(f).startswith("Par section NAF"))
    shown = {
        t.split(" – ")[0]: t.rsplit(" : ", 1)[1].removesuffix("\u00a0€") for *_, t in tooltips(chart)
    }  # the unit is in the header
    tab = next(t for t in html_tables(at) if "Section" in t.columns)
    printed = dict(zip(tab["Section"], tab.iloc[:, -1]))
    assert shown == {k: v for k, v in printed.items() if v not in ("0", "—")}
    assert len(shown) >= 15
