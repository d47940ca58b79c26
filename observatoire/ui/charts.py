"""Charts as Vega-Lite specs, each drawn with its table of numbers by the page (accessibility: a table for every chart)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

FR_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]}
FR_TIME = {"dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["", ""],
           "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
           "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
           "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
           "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]}
BLUE, ORANGE = "#0072B2", "#E69F00"  # Okabe-Ito: colour-blind safe


CONFIG = {"locale": {"number": FR_FORMAT, "time": FR_TIME}, "axis": {"labelFontSize": 11, "titleFontSize": 12}}
KINDS = {"O": "ordinal", "T": "temporal", "Q": "quantitative", "N": "nominal"}


def _show(data: pd.DataFrame, spec: dict, width: str = "stretch") -> None:
    """Vega-Lite specs written directly: Altair's schema validation cost more than the rest of a warm rerun."""
    st.vega_lite_chart(data, {**spec, "config": CONFIG}, width=width)


def _x(data: pd.DataFrame, x: str, x_type: str) -> tuple[pd.DataFrame, dict]:
    """The x field and its tooltip; dates sent as ISO text (read by Vega-Lite as dates)."""
    if x_type == "T":
        data = data.assign(**{x: pd.to_datetime(data[x]).dt.strftime("%Y-%m-%d")})
    tip = {"field": x, "type": KINDS[x_type], "title": "Date"} | ({"format": "%d/%m/%Y"} if x_type == "T" else {})
    return data, tip


def sorted_bars(df: pd.DataFrame, value: str, label: str, title: str, value_title: str, fmt: str = ",.0f") -> None:
    _show(df[[label, value]], {
        # Streamlit fits the whole chart (title and axes included) into the height: 22 px per bar plus room for them,
        # or the bars were squeezed until half the labels dropped
        "title": title, "height": 22 * len(df) + 120, "mark": {"type": "bar", "color": BLUE},
        "encoding": {
            "x": {"field": value, "type": "quantitative", "title": value_title, "axis": {"format": fmt}},
            "y": {"field": label, "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 320}},
            "tooltip": [{"field": label, "type": "nominal", "title": "Catégorie"},
                        {"field": value, "type": "quantitative", "title": value_title, "format": fmt}],
        }})


def lines(df: pd.DataFrame, x: str, series: dict[str, str], title: str, y_title: str, x_type: str = "T", fmt: str = ",.0f") -> None:
    """series: column -> French label. Drawn in long form with a colour-blind-safe legend."""
    long = df.melt(id_vars=[x], value_vars=list(series), var_name="serie", value_name="valeur")
    long["serie"] = long["serie"].map(series)
    long, x_tip = _x(long, x, x_type)
    _show(long, {
        "title": title, "height": 280, "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": x, "type": KINDS[x_type], "title": None},
            "y": {"field": "valeur", "type": "quantitative", "title": y_title, "axis": {"format": fmt}},
            "color": {"field": "serie", "type": "nominal", "title": None, "sort": list(series.values()),
                      "scale": {"range": [BLUE, ORANGE]}, "legend": {"orient": "bottom"}},
            "tooltip": [x_tip, {"field": "serie", "type": "nominal", "title": "Série"},
                        {"field": "valeur", "type": "quantitative", "title": y_title, "format": fmt}],
        }})


def bars_over_time(df: pd.DataFrame, x: str, value: str, title: str, y_title: str, x_type: str = "T") -> None:
    data, x_tip = _x(df[[x, value]], x, x_type)
    _show(data, {
        "title": title, "height": 220, "mark": {"type": "bar", "color": BLUE},
        "encoding": {
            "x": {"field": x, "type": KINDS[x_type], "title": None},
            "y": {"field": value, "type": "quantitative", "title": y_title, "axis": {"format": ",.0f"}},
            "tooltip": [x_tip, {"field": value, "type": "quantitative", "title": y_title, "format": ",.0f"}],
        }})


def faceted_lines(df: pd.DataFrame, x: str, series: str, value: str, title: str, y_title: str) -> None:
    """One small line chart per series, each with its own scale (a department and France differ by orders of magnitude).
    A faceted chart cannot stretch to its column: 290 px plus the axis fits the narrow map-side column at 1400 px."""
    data, x_tip = _x(df[[x, series, value]], x, "T")
    _show(data, {
        "title": title,
        "facet": {"row": {"field": series, "type": "nominal", "title": None, "sort": list(dict.fromkeys(df[series])),
                          "header": {"labelAngle": 0, "labelOrient": "top", "labelAnchor": "start", "labelFontWeight": "bold"}}},
        "spec": {
            "width": 290, "height": 110, "mark": {"type": "line", "point": True, "color": BLUE},
            "encoding": {
                # month and year: in a narrow facet the ticks fall on April and October, and no year would show
                "x": {"field": x, "type": "temporal", "title": None, "axis": {"format": "%m/%Y", "tickCount": 4}},
                "y": {"field": value, "type": "quantitative", "title": y_title, "axis": {"format": ",.0f"}},
                "tooltip": [x_tip, {"field": series, "type": "nominal", "title": "Territoire"},
                            {"field": value, "type": "quantitative", "title": y_title, "format": ",.0f"}],
            }},
        "resolve": {"scale": {"y": "independent"}},
    }, width="content")


def stacked_bars(df: pd.DataFrame, category: str, stack: str, value: str, title: str, value_title: str) -> None:
    _show(df[[category, stack, value]], {
        "title": title, "height": 22 * df[category].nunique() + 160 + 20 * ((df[stack].nunique() + 1) // 2), "mark": {"type": "bar"},  # + legend
        "encoding": {
            "y": {"field": category, "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 260}},
            "x": {"aggregate": "sum", "field": value, "type": "quantitative", "title": value_title},
            "color": {"field": stack, "type": "nominal", "title": None, "legend": {"orient": "bottom", "columns": 2},
                      "scale": {"range": ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]}},
            "tooltip": [{"field": category, "type": "nominal"}, {"field": stack, "type": "nominal"},
                        {"field": value, "type": "quantitative", "title": value_title, "format": ",.0f"}],
        }})


PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]


def multi_lines(df: pd.DataFrame, x: str, series: str, value: str, title: str, y_title: str, x_type: str = "O",
                fmt: str = ",.1f", height: int = 300) -> None:
    """Several series in long form (one line each), colour-blind-safe colours in the order given."""
    order = list(dict.fromkeys(df[series]))
    data, x_tip = _x(df[[x, series, value]], x, x_type)
    x_tip["title"] = "Période"
    kind = KINDS[x_type]
    spec = {
        "title": title, "height": height, "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": x, "type": kind, "title": None},
            "y": {"field": value, "type": "quantitative", "title": y_title, "axis": {"format": fmt}, "scale": {"zero": False}},
            "color": {"field": series, "type": "nominal", "title": None, "sort": order, "scale": {"range": PALETTE},
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 300}},
            "tooltip": [x_tip, {"field": series, "type": "nominal", "title": "Territoire"},
                        {"field": value, "type": "quantitative", "title": y_title, "format": fmt}],
        },
    }
    _show(data, spec)
