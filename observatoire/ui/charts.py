"""Altair charts, each drawn with its table of numbers by the page (accessibility: a table for every chart)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

FR_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]}
FR_TIME = {"dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["", ""],
           "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
           "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
           "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
           "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]}
BLUE, ORANGE = "#0072B2", "#E69F00"  # Okabe-Ito: colour-blind safe


def _fr(chart):
    return chart.configure(locale={"number": FR_FORMAT, "time": FR_TIME}).configure_axis(labelFontSize=11, titleFontSize=12)


def sorted_bars(df: pd.DataFrame, value: str, label: str, title: str, value_title: str, fmt: str = ",.0f") -> None:
    chart = alt.Chart(df).mark_bar(color=BLUE).encode(
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=fmt)),
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=[alt.Tooltip(f"{label}:N", title="Catégorie"), alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
    ).properties(title=title, height=max(120, 22 * len(df)))
    st.altair_chart(_fr(chart), width="stretch")


def lines(df: pd.DataFrame, x: str, series: dict[str, str], title: str, y_title: str, x_type: str = "T", fmt: str = ",.0f") -> None:
    """series: column -> French label. Drawn in long form with a colour-blind-safe legend."""
    long = df.melt(id_vars=[x], value_vars=list(series), var_name="serie", value_name="valeur")
    long["serie"] = long["serie"].map(series)
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X(f"{x}:{x_type}", title=None), y=alt.Y("valeur:Q", title=y_title, axis=alt.Axis(format=fmt)),
        color=alt.Color("serie:N", title=None, scale=alt.Scale(range=[BLUE, ORANGE]), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip(f"{x}:{x_type}", title="Date"), alt.Tooltip("serie:N", title="Série"), alt.Tooltip("valeur:Q", title=y_title, format=fmt)],
    ).properties(title=title, height=280)
    st.altair_chart(_fr(chart), width="stretch")


def bars_over_time(df: pd.DataFrame, x: str, value: str, title: str, y_title: str, x_type: str = "T") -> None:
    chart = alt.Chart(df).mark_bar(color=BLUE).encode(
        x=alt.X(f"{x}:{x_type}", title=None), y=alt.Y(f"{value}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip(f"{x}:{x_type}", title="Date"), alt.Tooltip(f"{value}:Q", title=y_title, format=",.0f")],
    ).properties(title=title, height=220)
    st.altair_chart(_fr(chart), width="stretch")


def faceted_lines(df: pd.DataFrame, x: str, series: str, value: str, title: str, y_title: str) -> None:
    """One small line chart per series, each with its own scale (a department and France differ by orders of magnitude)."""
    chart = alt.Chart(df).mark_line(point=True, color=BLUE).encode(
        x=alt.X(f"{x}:T", title=None), y=alt.Y(f"{value}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip(f"{x}:T", title="Date", format="%d/%m/%Y"), alt.Tooltip(f"{series}:N", title="Territoire"),
                 alt.Tooltip(f"{value}:Q", title=y_title, format=",.0f")],
    ).properties(height=110, width=380).facet(row=alt.Row(f"{series}:N", title=None,
                                                       header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold"))
    ).resolve_scale(y="independent").properties(title=title)
    st.altair_chart(_fr(chart))


def stacked_bars(df: pd.DataFrame, category: str, stack: str, value: str, title: str, value_title: str) -> None:
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"sum({value}):Q", title=value_title),
        color=alt.Color(f"{stack}:N", title=None, legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(range=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"])),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{stack}:N"), alt.Tooltip(f"{value}:Q", title=value_title, format=",.0f")],
    ).properties(title=title, height=max(160, 22 * df[category].nunique()))
    st.altair_chart(_fr(chart), width="stretch")


PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]


def multi_lines(df: pd.DataFrame, x: str, series: str, value: str, title: str, y_title: str, x_type: str = "O",
                fmt: str = ",.1f", height: int = 300) -> None:
    """Several series in long form (one line each), colour-blind-safe colours in the order given. Written as a
    Vega-Lite spec directly: Altair's schema validation cost more than the rest of a profile rerun."""
    order = list(dict.fromkeys(df[series]))
    data = df[[x, series, value]].copy()
    if x_type == "T":
        data[x] = pd.to_datetime(data[x]).dt.strftime("%Y-%m-%d")
    kind = {"O": "ordinal", "T": "temporal", "Q": "quantitative"}[x_type]
    x_tip = {"field": x, "type": kind, "title": "Période"} | ({"format": "%d/%m/%Y"} if x_type == "T" else {})
    spec = {
        "title": title, "height": height, "mark": {"type": "line", "point": True},
        "config": {"locale": {"number": FR_FORMAT, "time": FR_TIME}, "axis": {"labelFontSize": 11, "titleFontSize": 12}},
        "encoding": {
            "x": {"field": x, "type": kind, "title": None},
            "y": {"field": value, "type": "quantitative", "title": y_title, "axis": {"format": fmt}, "scale": {"zero": False}},
            "color": {"field": series, "type": "nominal", "title": None, "sort": order, "scale": {"range": PALETTE},
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 300}},
            "tooltip": [x_tip, {"field": series, "type": "nominal", "title": "Territoire"},
                        {"field": value, "type": "quantitative", "title": y_title, "format": fmt}],
        },
    }
    st.vega_lite_chart(data, spec, width="stretch")
