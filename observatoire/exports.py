"""Filtered rows to the four download formats: French-Excel CSV, plain CSV, XLSX, Parquet."""

from __future__ import annotations

import io

import pandas as pd

FORMATS = {
    "csv_fr": ("CSV (Excel français)", "csv", "text/csv"),
    "csv": ("CSV", "csv", "text/csv"),
    "xlsx": ("Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", "parquet", "application/vnd.apache.parquet"),
}
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, header excluded


def _dates_to_french(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[c] = s.dt.strftime("%d/%m/%Y")
        elif (
            s.dtype == object
            and len(s)
            and all(hasattr(v, "strftime") for v in s.dropna().head(20))
            and s.notna().any()
        ):
            out[c] = s.map(lambda v: v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v)
    return out


def to_csv_fr(df: pd.DataFrame) -> bytes:
    """';' separator, UTF-8 with BOM, decimal comma, dates 31/12/2021: opens as-is in French Excel."""
    return _dates_to_french(df).to_csv(index=False, sep=";", decimal=",", encoding="utf-8-sig").encode("utf-8-sig")


def to_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8")


def to_xlsx(df: pd.DataFrame) -> bytes:
    if len(df) > XLSX_MAX_ROWS:
        raise ValueError(
            f"{len(df)} lignes : au-delà de la limite d'Excel ({XLSX_MAX_ROWS} lignes). Utilisez le CSV ou le Parquet."
        )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name="données")
    return buf.getvalue()


def to_parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


WRITERS = {"csv_fr": to_csv_fr, "csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


def export(df: pd.DataFrame, fmt: str) -> bytes:
    return WRITERS[fmt](df)
