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
    # written in data links even at its default, whose meaning would change with the default (a perimeter version:
    # the same territory id names another territory in another version)
    pinned: bool = False


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


def _allowed(param: Param, values: dict) -> list | None:
    allowed = param.choices(values) if callable(param.choices) else param.choices
    return list(allowed) if allowed is not None else None


def _items(raw, allowed: list | None) -> list[str]:
    """The values of a comma-separated list. A value may hold commas itself (a Fonds friches nature such as « Friche
    commerciale, Autre (Préciser) »): adjacent pieces are joined back, longest first, when they make an allowed value."""
    pieces = (
        _split(raw)
        if allowed is None
        else [p for item in (raw if isinstance(raw, list | tuple) else [raw]) for p in str(item).split(",")]
    )
    if allowed is None:
        return pieces
    known = {str(a) for a in allowed}
    out, i = [], 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            joined = ",".join(pieces[i:j])
            if j - i > 1 and joined in known:
                out.append(joined)
                i = j
                break
        else:
            if pieces[i] != "":
                out.append(pieces[i])
            i += 1
    return out


def _multi(param: Param, raw, allowed: list | None) -> tuple[list, list[str]]:
    """The accepted values of a multiple parameter, in order and once each, and the rejected items."""
    items = _items(raw, allowed)
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
    return converted, rejected


def _single(param: Param, raw, allowed: list | None):
    v = _convert(param, _first(raw))
    if allowed is not None and v not in allowed:
        raise ValueError("valeur non proposée")
    return v


def _given(params: Mapping[str, Any], spec: list[Param], values: dict):
    """The spec's parameters in order (a choice may depend on those before it): an absent one takes its default in
    `values`, a given one is yielded with its raw URL value."""
    for param in spec:
        if param.key in params:
            yield param, params[param.key]
        else:
            values[param.key] = param.default


def _value(param: Param, raw, allowed) -> tuple[Any, list]:
    """A parameter's value from its raw URL value, and the values of a multi-valued one that were rejected."""
    return _multi(param, raw, allowed) if param.multi else (_single(param, raw, allowed), [])


def parse(params: Mapping[str, Any], spec: list[Param]) -> ParsedState:
    """Query params -> values. Unknown keys and invalid values are dropped with a note."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    known = {p.key for p in spec}
    for key in params:
        if key not in known:
            warnings.append(f"Paramètre d'URL inconnu « {str(key)[:40]} » ignoré.")
    for param, raw in _given(params, spec, values):
        try:
            values[param.key], rejected = _value(param, raw, _allowed(param, values))
            if rejected:
                warnings.append(
                    f"{param.label} : valeur(s) inconnue(s) {', '.join(repr(r[:30]) for r in rejected[:5])} ignorée(s)."
                )
        except (ValueError, TypeError, OverflowError):
            shown = _first(raw)[:40] if not param.multi else str(raw)[:40]
            warnings.append(f"{param.label} : valeur « {shown} » invalide, ignorée (valeur par défaut utilisée).")
            values[param.key] = param.default
    return ParsedState(values, warnings)


class InvalidParameter(ValueError):
    """An unknown parameter or a value the page does not offer, for an interface that must not guess (the API)."""

    def __init__(self, key: str, value, valid: list | None, message: str):
        super().__init__(message)
        self.key, self.value, self.valid = key, value, valid


def parse_strict(params: Mapping[str, Any], spec: list[Param]) -> dict[str, Any]:
    """Query params -> values, refusing (InvalidParameter, in French, with the valid values) what parse would drop."""
    known = [p.key for p in spec]
    for key in params:
        if key not in known:
            raise InvalidParameter(
                str(key)[:40],
                None,
                known,
                f"Paramètre inconnu « {str(key)[:40]} ». Paramètres possibles : {', '.join(known)}.",
            )
    values: dict[str, Any] = {}
    for param, raw in _given(params, spec, values):
        try:
            allowed = _allowed(param, values)
        except (ValueError, TypeError, KeyError):
            allowed = None
        try:
            values[param.key], rejected = _value(param, raw, allowed)
            if rejected:
                raise ValueError(rejected[0])
        except (ValueError, TypeError, OverflowError) as exc:
            shown = (str(exc) if param.multi and str(exc) not in ("trop de valeurs",) else _first(raw))[:60]
            valid = [_text(param, a) for a in allowed] if allowed is not None else None
            hint = (
                f" Valeurs possibles : {', '.join(valid[:30])}{' …' if len(valid) > 30 else ''}."
                if valid is not None
                else _KIND_HINT.get(param.kind, "")
            )
            raise InvalidParameter(
                param.key, shown, valid, f"{param.label} ({param.key}) : valeur « {shown} » invalide.{hint}"
            ) from None
    return values


_KIND_HINT = {
    "int": " Un nombre entier est attendu.",
    "bool": " « oui » ou « non » est attendu.",
    "date": " Une date aaaa-mm-jj est attendue.",
    "text": f" Un texte sans caractère de contrôle, de {MAX_VALUE_LENGTH} caractères au plus, est attendu.",
}


def _text(param: Param, value) -> str:
    if param.kind == "bool":
        return "oui" if value else "non"
    if param.kind == "date":
        return value.isoformat()
    return str(value)


def to_query(values: Mapping[str, Any], spec: list[Param], pinned: bool = False) -> dict[str, str]:
    """Values -> query params, leaving out defaults so URLs stay short (with `pinned`, a pinned parameter is written
    even at its default: for data links, which must name the same rows whatever the app's defaults become)."""
    out = {}
    for param in spec:
        value = values.get(param.key, param.default)
        at_default = value == param.default and not (pinned and param.pinned)
        if at_default or value is None or (param.multi and not value):
            continue
        out[param.key] = ",".join(_text(param, v) for v in value) if param.multi else _text(param, value)
    return out
