"""Page state <-> query string. Every value is checked against what the page allows;
anything else is dropped with a French note, never an exception."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_VALUE_LENGTH = 200
MAX_ITEMS = 50


@dataclass(frozen=True)
class Param:
    """One URL parameter. `choices` is the allowlist (a callable so it can depend on other values)."""

    key: str  # French URL key, e.g. "dispositif"
    label: str  # French label used in notes
    default: Any = None
    choices: Iterable | Callable[[dict], Iterable] | None = None
    multi: bool = False
    kind: str = "choice"  # choice | int | bool | date | text
    min: Any = None
    max: Any = None


@dataclass
class ParsedState:
    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _first(raw) -> str:
    if isinstance(raw, (list, tuple)):
        return str(raw[-1]) if raw else ""
    return str(raw)


def _split(raw) -> list[str]:
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for item in items:
        out.extend(p for p in str(item).split(",") if p != "")
    return out


def _convert(param: Param, text: str):
    if len(text) > MAX_VALUE_LENGTH:
        raise ValueError("valeur trop longue")
    if param.kind == "int":
        value = int(text.strip())
        if (param.min is not None and value < param.min) or (param.max is not None and value > param.max):
            raise ValueError("hors limites")
        return value
    if param.kind == "bool":
        lowered = text.strip().lower()
        if lowered in ("1", "oui", "true", "vrai"):
            return True
        if lowered in ("0", "non", "false", "faux"):
            return False
        raise ValueError("oui/non attendu")
    if param.kind == "date":
        return dt.date.fromisoformat(text.strip())
    if param.kind == "text":
        if any(ord(c) < 32 for c in text):
            raise ValueError("caractère de contrôle")
        return text
    return text


def parse(params: Mapping[str, Any], spec: list[Param]) -> ParsedState:
    """Query params -> values. Unknown keys and invalid values are dropped with a note."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    known = {p.key for p in spec}
    for key in params:
        if key not in known:
            warnings.append(f"Paramètre d'URL inconnu « {str(key)[:40]} » ignoré.")
    for param in spec:
        if param.key not in params:
            values[param.key] = param.default
            continue
        raw = params[param.key]
        allowed = param.choices(values) if callable(param.choices) else param.choices
        allowed = list(allowed) if allowed is not None else None
        try:
            if param.multi:
                items = _split(raw)
                if len(items) > MAX_ITEMS:
                    raise ValueError("trop de valeurs")
                converted, rejected = [], []
                for item in items:
                    try:
                        v = _convert(param, item)
                    except (ValueError, TypeError):
                        rejected.append(item)
                        continue
                    if allowed is not None and v not in allowed:
                        rejected.append(item)
                    elif v not in converted:
                        converted.append(v)
                if rejected:
                    warnings.append(
                        f"{param.label} : valeur(s) inconnue(s) {', '.join(repr(r[:30]) for r in rejected[:5])} ignorée(s)."
                    )
                values[param.key] = converted
            else:
                v = _convert(param, _first(raw))
                if allowed is not None and v not in allowed:
                    raise ValueError("valeur non proposée")
                values[param.key] = v
        except (ValueError, TypeError, OverflowError):
            shown = _first(raw)[:40] if not param.multi else str(raw)[:40]
            warnings.append(f"{param.label} : valeur « {shown} » invalide, ignorée (valeur par défaut utilisée).")
            values[param.key] = param.default
    return ParsedState(values, warnings)


def _text(param: Param, value) -> str:
    if param.kind == "bool":
        return "oui" if value else "non"
    if param.kind == "date":
        return value.isoformat()
    return str(value)


def to_query(values: Mapping[str, Any], spec: list[Param]) -> dict[str, str]:
    """Values -> query params, leaving out defaults so URLs stay short."""
    out = {}
    for param in spec:
        value = values.get(param.key, param.default)
        if value == param.default or value is None or (param.multi and not value):
            continue
        out[param.key] = ",".join(_text(param, v) for v in value) if param.multi else _text(param, value)
    return out
