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


def count(n, noun: str, plural: str | None = None) -> str:
    """'1 ligne', '2 lignes', '0 ligne' (French: singular below 2), the number grouped by thousands."""
    return f"{integer(n)} {noun if abs(n) < 2 else (plural or noun + 's')}"


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


def timestamp(value) -> str:
    """2021-12-31 14:05 -> '31/12/2021 14:05'."""
    if _missing(value):
        return "—"
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value.strftime("%d/%m/%Y %H:%M")


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
    """2021-12-31, '2021-12' or a timestamp -> 'décembre 2021'."""
    if _missing(value):
        return "—"
    if isinstance(value, str) and len(value) == 7:
        value += "-01"
    value = _as_date(value)
    return f"{MONTHS[value.month - 1]} {value.year}"


def _as_date(value) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value.date() if isinstance(value, dt.datetime) else value


def quarter(value) -> str:
    """The quarter that starts on a date: 2006-10-01 -> 'T4 2006' (Insee writes quarters so)."""
    if _missing(value):
        return "—"
    d = _as_date(value)
    return f"T{(d.month - 1) // 3 + 1} {d.year}"


# Units that read as a name of the figure rather than after it: '114,1' is an index, not '114,1 indice'
NO_SUFFIX = {"", "indice"}


def quantity(value, decimals: int, unit: str = "") -> str:
    """A value with its unit: '262 216 habitants', '14,8 %', '114,1' for an index."""
    text = number(value, decimals)
    if text == "—" or unit in NO_SUFFIX:
        return text
    return f"{text}{NBSP}{unit}"
