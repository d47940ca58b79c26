"""Charts for the pages, drawn as SVG pictures by observatoire.svgcharts: the browser gets a finished picture, with each
value in French in a tooltip, and the page shows a table of the same numbers beside it (accessibility).
`fmt` arguments are the number formats the pages give (",.0f", ",.1f"): they set the decimals shown. A figure is drawn
once per data and options (observatoire.memo): a rerun with filters already seen redraws nothing."""

from __future__ import annotations

import re

import pandas as pd

from observatoire import svgcharts
from observatoire.memo import remember
from observatoire.ui.kit import html_block


def _format_decimals(number_format: str) -> int:
    m = re.search(r"\.(\d+)f", number_format)
    return int(m.group(1)) if m else 0


def _show(figure: str) -> None:
    html_block(svgcharts.CSS + figure)


def _unit(title: str) -> str:
    """The unit a tooltip repeats after a value: € and %, not a word such as 'indice' or 'emplois'."""
    return title if title in ("€", "%") else ""


def sorted_bars(df: pd.DataFrame, value: str, label: str, title: str, value_title: str, fmt: str = ",.0f") -> None:
    _show(
        remember(
            svgcharts.hbars,
            df[[label, value]],
            label,
            value,
            title=title,
            value_title=value_title,
            decimals=_format_decimals(fmt),
            unit=_unit(value_title),
        )
    )


def stacked_bars(df: pd.DataFrame, category: str, stack: str, value: str, title: str, value_title: str) -> None:
    _show(
        remember(
            svgcharts.hbars,
            df[[category, stack, value]],
            category,
            value,
            stack=stack,
            title=title,
            value_title=value_title,
            unit=_unit(value_title),
        )
    )


def lines(
    df: pd.DataFrame,
    x: str,
    series: dict[str, str],
    title: str,
    y_title: str,
    x_type: str = "T",
    fmt: str = ",.0f",
    x_format: str = "day",
) -> None:
    """series: column -> French label, drawn in that order (wide form). Two columns with the same label (a selection
    that is France itself, beside France) are one series: the first is drawn."""
    series = {c: label for c, label in series.items() if label not in list(series.values())[: list(series).index(c)]}
    long = df.melt(id_vars=[x], value_vars=list(series), var_name="serie", value_name="valeur")
    long["serie"] = long["serie"].map(series)
    _show(
        remember(
            svgcharts.lines,
            long,
            x,
            "serie",
            "valeur",
            title=title,
            y_title=y_title,
            x_kind=x_type,
            decimals=_format_decimals(fmt),
            order=list(series.values()),
            unit=_unit(y_title),
            x_format=x_format,
        )
    )


def bars_over_time(
    df: pd.DataFrame, x: str, value: str, title: str, y_title: str, x_type: str = "T", x_format: str = "day"
) -> None:
    _show(
        remember(
            svgcharts.bars_over_time,
            df[[x, value]],
            x,
            value,
            title=title,
            y_title=y_title,
            x_kind=x_type,
            unit=_unit(y_title),
            x_format=x_format,
        )
    )


def faceted_lines(df: pd.DataFrame, x: str, series: str, value: str, title: str, y_title: str) -> None:
    """One small line chart per series, each with its own scale (a department and France differ by orders of magnitude)."""
    _show(remember(_facets, df[[x, series, value]], x, series, value, title, y_title))


def _facets(df: pd.DataFrame, x: str, series: str, value: str, title: str, y_title: str) -> str:
    parts = [
        svgcharts.lines(g, x, series, value, title=str(name), y_title="", x_kind="T", height=130)
        for name, g in df.groupby(series, sort=False)
    ]  # the unit goes in the heading: a small chart has no room for it
    return (
        f"<div class='obs-chart'><div class='t'>{svgcharts.esc(title)} ({svgcharts.esc(y_title)})</div></div>"
        + "".join(parts)
    )


def multi_lines(
    df: pd.DataFrame,
    x: str,
    series: str,
    value: str,
    title: str,
    y_title: str,
    x_type: str = "O",
    fmt: str = ",.1f",
    height: int = 300,
    wide: bool = False,
    x_format: str = "day",
) -> None:
    """Several series in long form (one line each), colour-blind-safe colours in the order of their first row;
    the y axis starts near the data, not at zero (shares and indices move by a few points). `wide`: across the page."""
    _show(
        remember(
            svgcharts.lines,
            df[[x, series, value]],
            x,
            series,
            value,
            title=title,
            y_title=y_title,
            x_kind=x_type,
            decimals=_format_decimals(fmt),
            zero=False,
            height=height,
            unit=_unit(y_title),
            width=svgcharts.WIDE if wide else svgcharts.WIDTH,
            x_format=x_format,
        )
    )
