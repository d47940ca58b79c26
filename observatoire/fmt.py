"""French formatting of numbers, euros, percentages and dates, for display."""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u00a0"  # non-breaking space: thousands separator and before units, so a figure never wraps


class Figure(str):
    """A number already written in French (its decimals chosen by whoever wrote it): tables align it right, as a
    number, and print it as it is."""


def _missing(value) -> bool:
    try:
        return value is None or (isinstance(value, float) and math.isnan(value)) or value != value
    except (TypeError, ValueError):
        return False


def number(value, decimals: int = 0) -> str:
    """1234.5 -> '1 234,5' (decimals fixed)."""
    if _missing(value):
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def integer(value) -> str:
    return number(value, 0)


def euros(value, decimals: int = 1) -> str:
    """Amount in euros with a readable unit: '1 234,5 M€', '35,5 Md€', '12 345 €'."""
    if _missing(value):
        return "—"
    v = float(value)
    for threshold, unit in ((1e9, "Md€"), (1e6, "M€"), (1e3, "k€")):
        if abs(v) >= threshold:
            return f"{number(v / threshold, decimals)}{NBSP}{unit}"
    return f"{number(v, 0)}{NBSP}€"


def millions(value, decimals: int = 1) -> str:
    """Always in millions: 1234.5e6 -> '1 234,5 M€'."""
    if _missing(value):
        return "—"
    return f"{number(float(value) / 1e6, decimals)}{NBSP}M€"


def percent(value, decimals: int = 1) -> str:
    """12.345 -> '12,3 %' (value already in percent)."""
    if _missing(value):
        return "—"
    return f"{number(value, decimals)}{NBSP}%"


def signed_percent(value, decimals: int = 1) -> str:
    if _missing(value):
        return "—"
    sign = "+" if float(value) > 0 else ""
    return f"{sign}{percent(value, decimals)}"


def date(value) -> str:
    """2021-12-31 -> '31/12/2021'."""
    if _missing(value):
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    return value.strftime("%d/%m/%Y")


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def month(value) -> str:
    """2021-12-31 -> 'décembre 2021'."""
    if _missing(value):
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{MONTHS[value.month - 1]} {value.year}"
