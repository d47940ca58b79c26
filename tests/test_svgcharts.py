"""The SVG chart engine on small frames made here: ticks, French values in the tooltips, gaps, signs and order."""

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire import svgcharts
from tests.pages.test_charts import SVG, pictures, tooltips


def svg_of(figure: str) -> ET.Element:
    (svg,) = pictures(figure)
    return svg


@pytest.mark.parametrize("lo,hi", [(0, 37), (2.3, 2.9), (-5e8, 2.1e9), (97.2, 113.6), (5, 5), (0, 0.0004), (-3, -1)])
def test_ticks_are_round_evenly_spaced_and_cover_the_data(lo, hi):
    ticks = svgcharts.nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 3 <= len(ticks) <= 12
    steps = {round(b - a, 12) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 9) in (1, 2, 2.5, 5, 10)


def test_tick_labels_are_french_and_compact_for_large_values():
    assert svgcharts.tick_label(2e9, 1e9) == "2\u00a0Md"
    assert svgcharts.tick_label(1.5e6, 5e5) == "1,5\u00a0M"
    assert svgcharts.tick_label(2.5, 0.5) == "2,5"
    assert svgcharts.tick_label(1200, 200) == "1\u00a0200"
    assert [svgcharts.tick_label(t, 2.5) for t in (0, 2.5, 5, 7.5)] == [
        "0,0",
        "2,5",
        "5,0",
        "7,5",
    ]  # 2,5 steps keep their decimal
    # one unit per axis, set by its largest tick
    assert [svgcharts.tick_label(t, 2e8, 1e9) for t in (0, 8e8, 1e9)] == ["0", "0,8\u00a0Md", "1,0\u00a0Md"]


def test_lines_put_every_value_in_a_tooltip_and_break_at_a_gap():
    df = pd.DataFrame(
        {
            "year": [2014, 2015, 2016, 2017] * 2,
            "serie": ["Nord"] * 4 + ["France"] * 4,
            "v": [100.0, 101.25, None, 103.5, 100.0, 100.5, 101.0, 102.0],
        }
    )
    f = svgcharts.lines(df, "year", "serie", "v", title="Indice", y_title="indice", decimals=2, zero=False)
    texts = [t for *_, t in tooltips(f)]
    assert "Nord · 2015 : 101,25" in texts and "France · 2017 : 102,00" in texts
    assert len(texts) == 7  # one per known value, none for the gap
    paths = svg_of(f).findall(f"{SVG}path")
    assert [p.get("d").count("M") for p in paths] == [2, 1]  # Nord's line is cut at 2016
    assert "Nord" in f and "France" in f  # legend


def test_a_tooltip_box_sits_on_its_point():
    df = pd.DataFrame({"x": ["a", "b"], "s": ["S", "S"], "v": [0.0, 10.0]})
    f = svgcharts.lines(df, "x", "s", "v", title="t", y_title="n", width=400, height=200)
    svg = svg_of(f)
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.findall(f"{SVG}circle")]
    for (cx, cy), (left, top, w, h, _) in zip(circles, tooltips(f)):
        assert abs((left + w / 2) * 4 - cx) < 0.05 and abs((top + h / 2) * 2 - cy) < 0.05  # percent of 400 x 200


def test_time_axis_labels_years_over_a_long_span_and_months_over_a_short_one():
    long = pd.DataFrame({"q": pd.date_range("2014-01-01", "2024-10-01", freq="QS"), "s": "T", "v": 7.0})
    years = re.findall(r"%3E(\d{4})%3C", svgcharts.lines(long, "q", "s", "v", title="t", y_title="%", x_kind="T"))
    assert years and all(2014 <= int(y) <= 2024 for y in years) and years == sorted(years)
    short = pd.DataFrame({"d": pd.date_range("2020-03-31", "2021-06-30", freq="ME"), "s": "T", "v": 1.0})
    months = re.findall(
        r"%3E(\d\d/\d{4})%3C", svgcharts.lines(short, "d", "s", "v", title="t", y_title="€", x_kind="T")
    )
    assert months and months[0].endswith("2020") and months[-1].endswith("2021")
    assert all(int(m[:2]) in (1, 4, 7, 10) for m in months)  # quarters: 04/2020, 07/2020 …


def test_negative_bars_hang_below_the_zero_line():
    df = pd.DataFrame({"d": ["2021-01-31", "2021-02-28", "2021-03-31"], "flow": [5e6, -2e6, 1e6]})
    f = svgcharts.bars_over_time(df, "d", "flow", title="Flux", y_title="€", unit="€")
    svg = svg_of(f)
    zero = float(svg.findall(f"{SVG}line")[-1].get("y1"))
    bars = svg.findall(f"{SVG}rect")
    assert [float(b.get("y")) >= zero - 0.01 for b in bars] == [False, True, False]
    assert "28/02/2021 : -2\u00a0000\u00a0000\u00a0€" in [t for *_, t in tooltips(f)]


def test_horizontal_bars_are_sorted_and_stacks_add_up_to_the_total():
    df = pd.DataFrame(
        {"region": ["Bretagne", "Bretagne", "Corse", "Normandie"], "measure": ["A", "B", "A", "B"], "n": [3, 4, 9, 1]}
    )
    f = svgcharts.hbars(df, "region", "n", stack="measure", title="t", value_title="sites")
    texts = [t for *_, t in tooltips(f)]
    assert texts == [
        "Corse · A : 9",
        "Bretagne · A : 3",
        "Bretagne · B : 4",
        "Normandie · B : 1",
    ]  # largest total first
    labels = [t.text for t in svg_of(f).findall(f"{SVG}text")]
    assert labels[:3] == ["Corse", "9", "Bretagne"] and "7" in labels  # totals at the end of the bars
    rects = svg_of(f).findall(f"{SVG}rect")
    widths = [float(r.get("width")) for r in rects]
    assert abs(widths[0] - (widths[1] + widths[2]) * 9 / 7) < 0.2  # lengths in proportion to the values


def test_long_labels_go_above_their_bar_in_full():
    label = "E – Production et distribution d'eau ; assainissement, gestion des déchets et dépollution"
    f = svgcharts.hbars(pd.DataFrame({"s": [label, "I"], "v": [2.0, 1.0]}), "s", "v", title="t", value_title="€")
    assert label in [t.text for t in svg_of(f).findall(f"{SVG}text")]


def test_no_data_says_so():
    empty = pd.DataFrame({"x": [2020], "s": ["T"], "v": [None]})
    assert "Aucune donnée publiée" in svgcharts.lines(empty, "x", "s", "v", title="t", y_title="n")
    assert "Aucune donnée publiée" in svgcharts.hbars(empty, "s", "v", title="t", value_title="n")


def test_text_is_escaped_in_the_picture_and_the_tooltips():
    df = pd.DataFrame({"s": ["<b>R&D</b> 'x'"], "v": [1.0]})
    f = svgcharts.hbars(df, "s", "v", title="a < b", value_title="n")
    assert "<b>R&D" not in f and "a < b" not in f
    assert [t for *_, t in tooltips(f)] == ["<b>R&D</b> 'x' : 1"]
    assert "<b>R&D</b> 'x'" in [t.text for t in svg_of(f).findall(f"{SVG}text")]


def test_inline_mode_is_a_standalone_svg_with_the_same_tooltips():
    """For the offline profile: the SVG element itself, nothing to fetch, each box a <title>."""
    df = pd.DataFrame({"year": [2014, 2015, 2016], "serie": ["Nord"] * 3, "v": [1.0, 2.5, 3.0]})
    picture = svgcharts.lines(df, "year", "serie", "v", title="t", y_title="n", decimals=1)
    inline = svgcharts.lines(df, "year", "serie", "v", title="t", y_title="n", decimals=1, inline=True)
    assert "src=" not in inline and "<img" not in inline
    svg = ET.fromstring(inline[inline.index("<svg") : inline.index("</svg>") + 6])
    assert (
        [t.text for t in svg.iter(f"{SVG}title")]
        == [t for *_, t in tooltips(picture)]
        == ["Nord · 2014 : 1,0", "Nord · 2015 : 2,5", "Nord · 2016 : 3,0"]
    )


def test_a_figure_is_drawn_once_per_data_and_options_and_redrawn_when_a_value_changes(monkeypatch):
    from observatoire import memo

    calls = []

    def draw(df, label, value, **options):
        calls.append(1)
        return svgcharts.hbars(df, label, value, **options)

    monkeypatch.setattr(memo, "DRAWN", {})
    df = pd.DataFrame({"s": ["a", "b"], "v": [1.0, 2.0]})
    first = memo.remember(draw, df, "s", "v", title="t", value_title="n")
    assert memo.remember(draw, df.copy(), "s", "v", title="t", value_title="n") is first and len(calls) == 1
    changed = df.assign(v=[1.0, 3.0])  # one value, same options
    assert "title='b : 3'" in memo.remember(draw, changed, "s", "v", title="t", value_title="n") and len(calls) == 2
    assert memo.remember(draw, df, "s", "v", title="autre", value_title="n") != first and len(calls) == 3
    assert (
        memo.remember(
            draw,
            df.rename(columns={"v": "w"}).rename(columns={"w": "v"})[["v", "s"]][["s", "v"]],
            "s",
            "v",
            title="t",
            value_title="n",
        )
        is first
    )  # same content, rebuilt: found again
    assert (
        memo.remember(draw, df.astype({"v": "float32"}), "s", "v", title="t", value_title="n") is not first
    )  # another type
    gap = pd.DataFrame({"s": ["a", "b"], "v": [1.0, float("nan")]})
    assert memo.remember(draw, gap, "s", "v", title="t", value_title="n") is memo.remember(
        draw, gap.copy(), "s", "v", title="t", value_title="n"
    )  # NaN finds NaN


def test_a_table_is_built_once_per_content(monkeypatch):
    from observatoire import memo, profile_html

    monkeypatch.setattr(memo, "DRAWN", {})
    df = pd.DataFrame({"Région": ["Bretagne"], "n": [1200]})
    html_ = memo.remember(profile_html.table_html, df)
    assert "1\u00a0200" in html_ and memo.remember(profile_html.table_html, df.copy()) is html_
    assert "1\u00a0300" in memo.remember(profile_html.table_html, df.assign(n=[1300]))


def read_label(text: str) -> float:
    """A tick label read back with its unit: '8,6 k' -> 8600, '1 200' -> 1200, '-0,2 Md' -> -2e8."""
    number, _, unit = text.replace("\u202f", " ").replace("\u00a0", " ").rpartition(" ")
    if unit not in ("k", "M", "Md"):
        number, unit = text, ""
    scale = {"": 1, "k": 1e3, "M": 1e6, "Md": 1e9}[unit]
    return float(number.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")) * scale


magnitudes = st.floats(min_value=-3, max_value=12).map(lambda e: 10**e)


@settings(max_examples=600, deadline=None)
@given(magnitudes, st.floats(min_value=0.05, max_value=1.0), st.sampled_from([1, -1]), st.booleans())
def test_every_tick_label_reads_back_as_its_value(top, spread, sign, through_zero):
    """Magnitudes from 0.001 to 10^12, positive and negative: each label, unit included, is its tick's value."""
    hi = sign * top
    lo = -hi if through_zero else hi * (1 - spread)
    ticks = svgcharts.nice_ticks(min(lo, hi), max(lo, hi))
    step = ticks[1] - ticks[0]
    largest = max(ticks, key=abs)
    for t in ticks:
        label = svgcharts.tick_label(t, step, largest)
        assert read_label(label) == pytest.approx(t, rel=1e-9, abs=step * 1e-6), (t, label, ticks)
