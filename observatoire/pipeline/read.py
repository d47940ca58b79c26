"""Read raw files as text and check them: columns by name, row counts, codes and numbers.

Every failure raises BuildError with the source, the file and the problem in French.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

from observatoire.pipeline.errors import BuildError

MISSING_MARKERS = {"", "nd", "n.d.", "s", "secret", "nan", "none", "null", "na", "-", "…"}


def read_csv(
    source_id: str,
    label: str,
    path: Path,
    columns: dict[str, str],
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    skiprows: int = 0,
    min_rows: int = 1,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Read a CSV as text, keep and rename only `columns` (raw name -> our name)."""
    try:
        raw = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as exc:
        raise BuildError(
            source_id,
            label,
            f"encodage invalide : le fichier n'est pas lisible en {encoding.upper()} "
            f"(octet {exc.object[exc.start : exc.start + 1]!r} à la position {exc.start}).",
        ) from None
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    try:
        df = pd.read_csv(
            io.StringIO(raw),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skiprows=skiprows,
            engine="c",
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise BuildError(source_id, label, f"CSV mal formé ({exc}).") from None
    except pd.errors.EmptyDataError:
        raise BuildError(source_id, label, "fichier vide.") from None
    return check_frame(source_id, label, df, columns, sep=sep, min_rows=min_rows, max_rows=max_rows)


def check_frame(
    source_id: str,
    label: str,
    df: pd.DataFrame,
    columns: dict[str, str],
    *,
    sep: str = ",",
    min_rows: int = 1,
    max_rows: int | None = None,
) -> pd.DataFrame:
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        hint = ""
        if len(df.columns) == 1:
            other = ";" if sep == "," else ","
            hint = f" Une seule colonne lue : le séparateur n'est sans doute pas « {sep} »" + (
                f" mais « {other} »." if other in df.columns[0] else "."
            )
        raise BuildError(source_id, label, f"colonnes manquantes : {', '.join(missing)}.{hint}")
    check_rows(source_id, label, len(df), min_rows, max_rows)
    return df[list(columns)].rename(columns=columns)


def check_rows(source_id: str, label: str, n: int, min_rows: int, max_rows: int | None = None) -> None:
    if n < min_rows:
        raise BuildError(
            source_id, label, f"seulement {n} lignes lues, au moins {min_rows} attendues (fichier tronqué ?)."
        )
    if max_rows is not None and n > max_rows:
        raise BuildError(source_id, label, f"{n} lignes lues, au plus {max_rows} attendues.")


def read_json(source_id: str, label: str, path: Path):
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BuildError(
            source_id, label, f"encodage invalide : le fichier n'est pas lisible en UTF-8 (position {exc.start})."
        ) from None
    except json.JSONDecodeError as exc:
        raise BuildError(
            source_id, label, f"JSON mal formé ou tronqué (ligne {exc.lineno}, colonne {exc.colno})."
        ) from None


def read_excel(
    source_id: str,
    label: str,
    path: Path,
    sheet: str,
    columns: dict[str, str],
    *,
    skiprows: int = 0,
    min_rows: int = 1,
    header: int = 0,
) -> pd.DataFrame:
    try:
        df = pd.read_excel(path, sheet_name=sheet, skiprows=skiprows, header=header, dtype=str, engine="calamine")
    except ValueError as exc:
        raise BuildError(source_id, label, f"feuille « {sheet} » illisible ({exc}).") from None
    except Exception as exc:  # xlrd/openpyxl raise their own types on a corrupt file
        raise BuildError(source_id, label, f"classeur illisible ({type(exc).__name__} : {exc}).") from None
    df = df.fillna("")
    return check_frame(source_id, label, df, columns, min_rows=min_rows)


# --- codes ---------------------------------------------------------------------------------------
DEP_RE = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8])$")
REG_RE = re.compile(r"^(0[1-6]|1[1-9]|2[0-9]|[3-9][0-9])$")
COMMUNE_RE = re.compile(r"^([0-9][0-9]|2A|2B)[0-9]{3}$")
SIREN_RE = re.compile(r"^[0-9]{9}$")


def _strip_float(value: str) -> str:
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


def norm_departement(series: pd.Series, source_id: str, label: str, allow: set[str] = frozenset()) -> pd.Series:
    """'1', '1.0', '01' -> '01'; '2a' -> '2A'; overseas kept as 3 characters."""
    s = series.astype(str).map(_strip_float).str.upper()
    s = s.where(~s.str.fullmatch(r"[0-9]"), "0" + s)
    bad = s[~s.str.match(DEP_RE) & ~s.isin(allow)]
    if len(bad):
        raise BuildError(source_id, label, f"codes département invalides : {', '.join(sorted(set(bad))[:8])}.")
    return s


def norm_region(series: pd.Series, source_id: str, label: str, allow: set[str] = frozenset()) -> pd.Series:
    s = series.astype(str).map(_strip_float)
    s = s.where(~s.str.fullmatch(r"[0-9]"), "0" + s)
    bad = s[~s.str.match(REG_RE) & ~s.isin(allow)]
    if len(bad):
        raise BuildError(source_id, label, f"codes région invalides : {', '.join(sorted(set(bad))[:8])}.")
    return s


def norm_commune(series: pd.Series, source_id: str, label: str) -> pd.Series:
    s = series.astype(str).map(_strip_float).str.upper()
    s = s.where(~s.str.fullmatch(r"[0-9]{4}"), "0" + s)
    bad = s[~s.str.match(COMMUNE_RE)]
    if len(bad):
        raise BuildError(source_id, label, f"codes commune invalides : {', '.join(sorted(set(bad))[:8])}.")
    return s


# C1 control characters in a text are Windows-1252 punctuation read as Latin-1 upstream (the Fonds friches file has
# "Friche urbaine \x96 îlots anciens dégradés" beside the same label with an en dash): restored, so one category is
# not split in two.
_C1 = str.maketrans({chr(b): bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xA0)})


def clean_label(series: pd.Series, *, list_sep: str | None = None) -> pd.Series:
    """Labels as categories: Windows-1252 punctuation restored (an apostrophe doubled by it kept once), tabs and
    surrounding spaces removed; in a list of labels, `list_sep` followed by one space."""
    sep = re.compile(rf"\s*{re.escape(list_sep)}\s*") if list_sep else None

    def clean(value):
        if not isinstance(value, str):
            return value
        text = value.translate(_C1).replace("\t", "")
        text = text.replace("'\u2019", "'").replace("\u2019'", "'")
        if sep:
            text = sep.sub(list_sep + " ", text)
        return text.strip()

    return series.map(clean)


def norm_siren(series: pd.Series, source_id: str, label: str) -> pd.Series:
    s = series.astype(str).str.strip().str.replace(" ", "", regex=False)
    bad = s[~s.str.match(SIREN_RE)]
    if len(bad):
        raise BuildError(
            source_id, label, f"SIREN invalides (9 chiffres attendus) : {', '.join(sorted(set(bad))[:8])}."
        )
    return s


# --- numbers -------------------------------------------------------------------------------------
def to_number(
    series: pd.Series, source_id: str, label: str, column: str, *, thousands: str = "", decimal: str = "."
) -> pd.Series:
    """Text to float. Suppressed or missing cells become NULL, never 0."""
    s = series.astype(str).str.strip()
    missing = s.str.lower().isin(MISSING_MARKERS)
    cleaned = s
    for sep in thousands:
        cleaned = cleaned.str.replace(sep, "", regex=False)
    cleaned = cleaned.str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    if decimal != ".":
        cleaned = cleaned.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(cleaned.where(~missing), errors="coerce")
    bad = s[values.isna() & ~missing]
    if len(bad):
        raise BuildError(
            source_id,
            label,
            f"colonne « {column} » : valeurs non numériques {', '.join(repr(v) for v in sorted(set(bad))[:5])}.",
        )
    return values.astype("Float64")


def require_unique(df: pd.DataFrame, keys: list[str], source_id: str, label: str) -> None:
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        sample = df.loc[dup, keys].head(3).to_dict("records")
        raise BuildError(source_id, label, f"clé en double sur ({', '.join(keys)}) : {sample}.")


def require_not_null(df: pd.DataFrame, columns: list[str], source_id: str, label: str) -> None:
    for c in columns:
        n = (
            int(df[c].isna().sum() + (df[c].astype(str) == "").sum())
            if df[c].dtype == object
            else int(df[c].isna().sum())
        )
        if n:
            raise BuildError(source_id, label, f"colonne « {c} » : {n} valeurs vides inattendues.")
