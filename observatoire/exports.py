"""Filtered rows to the four download formats: French-Excel CSV, plain CSV, XLSX, Parquet.

Every format gets the same columns, as users read them (observatoire.labels: French names with units, code values
by their names, booleans Oui/Non), counts as integers and computed ratios with the decimals the pages show. The
French-Excel CSV writes every text a spreadsheet would turn into a number, a date or a formula (a code « 01 », a
SIRET, « =… ») as a text formula, ="01", which Excel and LibreOffice both read back as the text 01; the XLSX writes
dates as dates (shown jj/mm/aaaa) and text as text."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd

from observatoire import labels

FORMATS = {
    # code: (button label, file name ending, MIME type)
    "csv_fr": ("CSV (Excel français)", "_excel-fr.csv", "text/csv"),
    "csv": ("CSV", ".csv", "text/csv"),
    "xlsx": ("Excel (XLSX)", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", ".parquet", "application/vnd.apache.parquet"),
}
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, header excluded
# Text a spreadsheet would not keep as text: a number (a code with its zeros, a SIREN), a date (« mars 2020 » too,
# in French), a formula.
_SPREADSHEET_READS = re.compile(
    r"^\s*[-+]?[\d\s\u00a0\u202f]*[\d][\d\s\u00a0\u202f.,]*%?\s*$|^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$|^[=+\-@]"
    r"|^(janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|sept|oct|nov|déc|dec)[a-zéû]*\.? \d{4}$",
    re.IGNORECASE,
)


def prepare(df: pd.DataFrame, labelled: bool = True) -> pd.DataFrame:
    """The frame as downloaded: French labels and values (labels.french; not for a whole database table or a console
    result, whose names are the schema's or the visitor's), whole numbers as integers, computed ratios rounded to
    their displayed decimals, float noise (0.30000000000000004) removed from the pages' figures. A whole table or a
    console result keeps every digit of its values (1.2e-7 is not 0)."""
    raw = list(df.columns)
    out = labels.french(df) if labelled else df.copy()
    for name, col in zip(raw, out.columns, strict=True):
        s = out[col]
        if not pd.api.types.is_float_dtype(s):
            continue
        if name in labels.DECIMALS:
            out[col] = s.round(labels.DECIMALS[name]) + 0.0  # + 0.0: no '-0,0'
            continue
        values = s.dropna()
        if len(values) and bool((values == values.round()).all()) and bool((values.abs() < 2**53).all()):
            out[col] = s.round().astype("Int64")
        elif labelled:  # the pages' sums, whose order of addition varies (DuckDB's threads), differ in the last bits
            out[col] = s.round(6) + 0.0
        # a whole table or a console result: the values as stored or computed, every digit
    return out


def _is_dates(s: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(s):
        return True
    values = s.dropna()
    return s.dtype == object and len(values) > 0 and isinstance(values.iloc[0], dt.date)


def _french_dates(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if _is_dates(out[c]):
            out[c] = pd.to_datetime(out[c]).dt.strftime("%d/%m/%Y").where(out[c].notna(), None)
    return out


def _as_text_formula(v):
    if isinstance(v, str) and _SPREADSHEET_READS.search(v):
        return '="' + v.replace('"', '""') + '"'
    return v


def to_csv_fr(df: pd.DataFrame, labelled: bool = True) -> bytes:
    """';' separator, UTF-8 with BOM, decimal comma, dates 31/12/2021, codes kept as text: opens as-is in French Excel
    and LibreOffice (checked by converting it with LibreOffice in tests)."""
    out = prepare(df, labelled)
    for c in out.columns:
        if not _is_dates(out[c]) and (out[c].dtype == object or pd.api.types.is_string_dtype(out[c])):
            out[c] = out[c].map(_as_text_formula)
    return _french_dates(out).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_csv(df: pd.DataFrame, labelled: bool = True) -> bytes:
    """Comma, UTF-8, ISO dates, values as they are: for programs (a spreadsheet may drop a code's leading zeros)."""
    return prepare(df, labelled).to_csv(index=False).encode("utf-8")


def to_xlsx(df: pd.DataFrame, labelled: bool = True) -> bytes:
    """Dates as dates shown jj/mm/aaaa, numbers as numbers, text as text (never a formula), columns sized."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    if len(df) > XLSX_MAX_ROWS:
        raise ValueError(
            f"{len(df)} lignes : au-delà de la limite d'Excel ({XLSX_MAX_ROWS} lignes). Utilisez le CSV ou le Parquet."
        )
    out = prepare(df, labelled)
    dates = {c for c in out.columns if _is_dates(out[c])}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("données")
    for i, c in enumerate(out.columns, start=1):
        sample = out[c].head(200).map(lambda v: len(str(v)) if v is not None and v is not pd.NA else 0)
        width = max([len(str(c)), 10 if c in dates else 0, *(sample.tolist() or [0])])
        ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    ws.append([str(c) for c in out.columns])
    columns = [(c in dates, out[c].tolist()) for c in out.columns]
    for r in range(len(out)):
        row = []
        for is_date, values in columns:
            v = values[r]
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                row.append(None)
                continue
            cell = WriteOnlyCell(ws, value=None)
            if is_date:
                cell.value = pd.Timestamp(v).to_pydatetime().date()
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(v, str):
                cell.value = v
                cell.data_type = "s"  # '=…' stays text
            else:
                cell.value = v.item() if hasattr(v, "item") else v
            row.append(cell)
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_parquet(df: pd.DataFrame, labelled: bool = True) -> bytes:
    buf = io.BytesIO()
    prepare(df, labelled).to_parquet(buf, index=False)
    return buf.getvalue()


WRITERS = {"csv_fr": to_csv_fr, "csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


def json_rows(df: pd.DataFrame) -> bytes:
    """A prepared frame as a JSON array of objects: every digit of each float (pandas' to_json writes 15 decimals at
    most: 1/3 lost its last digit), dates as 2021-12-31, missing values as null."""
    import json

    columns = []
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            day = s.isna() | (s == s.dt.normalize())
            text = s.dt.strftime("%Y-%m-%d").where(day, s.map(lambda v: v.isoformat(), na_action="ignore"))
            values = text.astype(object).where(s.notna(), None).tolist()
        else:
            values = s.astype(object).where(s.notna(), None).tolist()
        columns.append(values)
    names = [str(c) for c in df.columns]
    rows = [dict(zip(names, r)) for r in zip(*columns)]
    return json.dumps(rows, ensure_ascii=False, allow_nan=False, default=str).encode()


def export(df: pd.DataFrame, fmt: str, labelled: bool = True) -> bytes:
    return WRITERS[fmt](df, labelled)


def file_name(*parts) -> str:
    """A download's file name from the page and its filters: lower case, no accents, '-' inside a part, '_' between
    parts ('aides-covid_pge_departement-2a_2021-12-31'); the format adds its own ending."""
    import unicodedata

    def slug(p) -> str:
        text = unicodedata.normalize("NFKD", str(p)).encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

    return "_".join(s for s in (slug(p) for p in parts if p not in (None, "", [])) if s)[:120]
