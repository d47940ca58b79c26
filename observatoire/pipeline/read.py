"""Read raw files as text and check them: columns by name, row counts, codes and numbers.

Every failure raises BuildError with the source, the file and the problem in French.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
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
        raise BuildError(source_id, label, f"CSV mal formé : {_csv_problem(exc)}.") from None
    except pd.errors.EmptyDataError:
        raise BuildError(source_id, label, "fichier vide.") from None
    return check_frame(source_id, label, df, columns, sep=sep, min_rows=min_rows, max_rows=max_rows)


def _csv_problem(exc: Exception) -> str:
    """pandas' tokenizer messages, in French."""
    text = str(exc)
    m = re.search(r"EOF inside string starting at row (\d+)", text)
    if m:
        return f"un champ entre guillemets n'est jamais fermé (à partir de la ligne {int(m.group(1)) + 1})"
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        return (
            f"ligne {m.group(2)} : {m.group(3)} champs au lieu de {m.group(1)} (ligne coupée ou séparateur en trop ?)"
        )
    return "lecture impossible (" + re.sub(r"\s+", " ", text)[:160] + ")"


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


def excel(source_id: str, label: str, path: Path, sheet: str, **kw) -> pd.DataFrame:
    """One sheet of a workbook as text; a corrupt or foreign file is a French error naming the file."""
    try:
        return pd.read_excel(path, sheet_name=sheet, dtype=str, engine="calamine", **kw)
    except ValueError as exc:
        if "Worksheet" in str(exc) or "sheet" in str(exc).lower():
            raise BuildError(source_id, label, f"feuille « {sheet} » absente du classeur.") from None
        raise BuildError(source_id, label, f"classeur illisible : {_reason(exc)}.") from None
    except Exception as exc:  # calamine, zipfile and the OLE reader raise their own types on a corrupt file
        raise BuildError(source_id, label, f"classeur illisible : {_reason(exc)}.") from None


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
    df = excel(source_id, label, path, sheet, skiprows=skiprows, header=header).fillna("")
    return check_frame(source_id, label, df, columns, min_rows=min_rows)


def read_parquet(source_id: str, label: str, path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow's ArrowInvalid, OSError on a truncated footer…
        raise BuildError(source_id, label, f"fichier Parquet illisible : {_reason(exc)}.") from None


def _reason(exc: BaseException) -> str:
    """What a reader said, short and without paths: the file is named by the error itself."""
    text = re.sub(r"(/[^\s'\"]+)+", "…", str(exc).split("\n")[0])[:160]
    kinds = {
        "ArrowInvalid": "pas un fichier Parquet valide",
        "CalamineError": "pas un classeur Excel valide",
        "BadZipFile": "pas un classeur XLSX valide (archive ZIP corrompue)",
    }
    return kinds.get(type(exc).__name__, "contenu inattendu") + (f" ({text})" if text else "")


# --- codes ---------------------------------------------------------------------------------------
DEP_RE = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8])$")
REG_RE = re.compile(r"^(0[1-6]|1[1-9]|2[0-9]|[3-9][0-9])$")
COMMUNE_RE = re.compile(r"^([0-9][0-9]|2A|2B)[0-9]{3}$")
SIREN_RE = re.compile(r"^[0-9]{9}$")


def _strip_float(value: str) -> str:
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


def _codes(bad: pd.Series) -> str:
    """The invalid codes, quoted (an empty one shown as such), with the line of the first: a truncated line has an
    empty code, which a bare list would show as nothing."""
    shown = ", ".join("« (vide) »" if v.strip() == "" else f"« {v} »" for v in sorted(set(bad))[:8])
    first = bad.index[0]
    line = f" (ligne {first + 2} du fichier, en-tête compris)" if isinstance(first, int | np.integer) else ""
    return shown + line


def norm_departement(series: pd.Series, source_id: str, label: str, allow: set[str] = frozenset()) -> pd.Series:
    """'1', '1.0', '01' -> '01'; '2a' -> '2A'; overseas kept as 3 characters."""
    s = series.astype(str).map(_strip_float).str.upper()
    s = s.where(~s.str.fullmatch(r"[0-9]"), "0" + s)
    bad = s[~s.str.match(DEP_RE) & ~s.isin(allow)]
    if len(bad):
        raise BuildError(source_id, label, f"codes département invalides : {_codes(bad)}.")
    return s


def norm_region(series: pd.Series, source_id: str, label: str, allow: set[str] = frozenset()) -> pd.Series:
    s = series.astype(str).map(_strip_float)
    s = s.where(~s.str.fullmatch(r"[0-9]"), "0" + s)
    bad = s[~s.str.match(REG_RE) & ~s.isin(allow)]
    if len(bad):
        raise BuildError(source_id, label, f"codes région invalides : {_codes(bad)}.")
    return s


def norm_commune(series: pd.Series, source_id: str, label: str) -> pd.Series:
    s = series.astype(str).map(_strip_float).str.upper()
    s = s.where(~s.str.fullmatch(r"[0-9]{4}"), "0" + s)
    bad = s[~s.str.match(COMMUNE_RE)]
    if len(bad):
        raise BuildError(source_id, label, f"codes commune invalides : {_codes(bad)}.")
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


def require_unique(
    df: pd.DataFrame, keys: list[str], source_id: str, label: str, file_column: str | None = None
) -> None:
    """Refuse duplicated keys, naming the file (its `file_column` when rows come from several files)."""
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        sample = df.loc[dup, keys].head(3).to_dict("records")
        if file_column:
            label = ", ".join(sorted(set(df.loc[dup, file_column])))[:300]
        raise BuildError(source_id, label, f"clé en double sur ({', '.join(keys)}) : {sample}.")


def require_non_negative(
    df: pd.DataFrame, columns: list[str], source_id: str, label: str, file_column: str | None = None
) -> None:
    """Counts and amounts the source cannot publish below zero."""
    for c in columns:
        bad = df[df[c] < 0]
        if len(bad):
            where = ", ".join(sorted(set(bad[file_column])))[:300] if file_column else label
            first = bad.iloc[0]
            raise BuildError(
                source_id,
                where,
                f"colonne « {c} » : {len(bad)} valeur(s) négative(s), impossible(s) pour cette source "
                f"(par exemple {first[c]:g}, {_row_text(first, c, file_column)}).",
            )


def require_within(
    df: pd.DataFrame,
    value: str,
    keys: list[str],
    child: str,
    parent: str,
    parent_code: pd.Series,
    source_id: str,
    file_column: str,
    what: str,
) -> None:
    """Where the source publishes a total and its parts, no part above its total: each `child` level row's value at
    most its `parent` row's (same keys), `parent_code` giving each child row's parent territory."""
    kids = df[df["level"] == child].assign(_parent=parent_code)
    tops = df[df["level"] == parent][[*keys, "territory_code", value]].rename(
        columns={"territory_code": "_parent", value: "_top"}
    )
    joined = kids.merge(tops, on=[*keys, "_parent"], how="inner")
    bad = joined[joined[value] > joined["_top"]]
    if len(bad):
        first = bad.iloc[0]
        raise BuildError(
            source_id,
            ", ".join(sorted(set(bad[file_column])))[:300],
            f"{len(bad)} valeur(s) de niveau {child} au-dessus de celle de leur {what} : par exemple "
            f"{first[value]:g} pour {first['territory_code']} contre {first['_top']:g} pour {first['_parent']} "
            f"({_row_text(first, value, file_column)}). Fichier altéré ?",
        )


def _row_text(row: pd.Series, skip: str, file_column: str | None) -> str:
    keep = [
        k
        for k in row.index
        if k not in (skip, file_column, "_top", "_parent", "source_id") and not str(k).startswith("_")
    ]
    return ", ".join(f"{k} = {row[k]}" for k in keep[:5])


def require_not_null(df: pd.DataFrame, columns: list[str], source_id: str, label: str) -> None:
    for c in columns:
        n = (
            int(df[c].isna().sum() + (df[c].astype(str) == "").sum())
            if df[c].dtype == object
            else int(df[c].isna().sum())
        )
        if n:
            raise BuildError(source_id, label, f"colonne « {c} » : {n} valeurs vides inattendues.")
