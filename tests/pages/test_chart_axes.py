"""Every chart's value axis is proven against its data: on every page, over a sample of valid URL states, and in
the downloadable territory profile, the axis labels (read back with their unit) span the chart's values, and the top
tick is at most a few times the largest value."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest

from bench import states as page_states
from observatoire import profile_html
from observatoire.queries import territoires as q
from tests.pages.conftest import each_tab
from tests.pages.test_charts import SVG, figures, pictures, title, tooltips
from tests.test_svgcharts import read_label

FIXED = {
    "pages/territoires.py": [{"territoire": "ti-3201"}, {"version": "2022", "territoire": "ti-3208"}],
    "pages/laureats.py": [{"vue": "Indicateurs"}, {"vue": "Indicateurs", "departement": "59"}],
    "pages/aides_covid.py": [{}, {"dispositif": "pge", "niveau": "departement", "territoire": "2A"}],
}
SAMPLED = 4  # random valid states per page, besides the fixed ones


def tooltip_value(text: str) -> float | None:
    """The number after ' : ' in a tooltip ('Nord · 2015 : 101,25 %'), or None for '—'."""
    m = re.search(r" : (-?[\d\u00a0\u202f]+(?:,\d+)?)", text)
    return float(m.group(1).replace("\u00a0", "").replace("\u202f", "").replace(",", ".")) if m else None


def check_axis(name: str, ticks: list[float], values: list[float]) -> None:
    assert ticks and values, name
    lo, hi = min(values), max(values)
    assert min(ticks) <= lo + 1e-9 and max(ticks) >= hi - 1e-9, (name, ticks, lo, hi)
    top, largest = max(abs(t) for t in ticks), max(abs(v) for v in values)
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else top
    assert top <= 3 * largest + step, (name, ticks, largest)


def axis_ticks(svg: ET.Element) -> list[float]:
    return [read_label(t.text) for t in svg.iter(f"{SVG}text") if t.get("class") == "y"]


def states_for(page: str, con) -> list[dict]:
    key = page.split("/")[-1].removesuffix(".py")
    sampled = page_states.PAGES[key](con, SAMPLED, random.Random(7)) if key in page_states.PAGES else []
    return FIXED.get(page, []) + sampled


@pytest.mark.parametrize("page", list(FIXED))
def test_every_chart_axis_spans_its_values(app, con, page):
    checked = 0
    for params, (tab, at) in ((p, run) for p in states_for(page, con) for run in each_tab(app, page, p)):
        for f in figures(at):
            pics = pictures(f)
            if not pics:
                continue
            ticks = axis_ticks(pics[0])
            if not ticks:  # horizontal bars: values are written at the bars' ends, no tick axis
                continue
            values = [v for *_, text in tooltips(f) if (v := tooltip_value(text)) is not None]
            check_axis(f"{params} {tab} {title(f)}", ticks, values)
            checked += 1
    assert checked >= len(FIXED[page]), "aucun graphique à axe lu"


@pytest.mark.parametrize("version,territory", [(2024, "ti-3201"), (2024, "ti-0101"), (2022, "ti-8404")])
def test_profile_chart_axes_span_their_values(con, version, territory):
    quarter = q.quarters(con)[0]
    p = q.profile(con, version, territory, quarter)
    doc = profile_html.territory_document(
        p, version_label=str(version), quarter=quarter, methods=[], sources=["Source"]
    )
    charts = re.findall(r"<svg .*?</svg>", doc, flags=re.S)
    checked = []
    for chart in charts:
        svg = ET.fromstring(chart)
        ticks = axis_ticks(svg)
        if not ticks:
            continue
        values = [v for t in svg.iter(f"{SVG}title") if (v := tooltip_value(t.text or "")) is not None]
        check_axis(f"{territory} {svg.get('aria-label')}", ticks, values)
        checked.append(svg.get("aria-label"))
    assert len(checked) >= 3, checked
