"""Downloads as a French analyst expects them, on the real frames the pages download: each format reopened (pandas,
openpyxl) and the French-Excel CSV and the XLSX opened by a real spreadsheet (LibreOffice Calc, French, headless):
codes keep their zeros, counts are integers, numbers are numbers, dates are dates, names are French; each format
has its own file name, which says the page and its filters."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from observatoire import exports
from tests.pages.conftest import captured

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
STATES = [
    ("pages/aides_covid.py", {"dispositif": "pge", "niveau": "departement", "territoire": "01"}),
    ("pages/aides_covid.py", {"dispositif": "activite_partielle"}),
    ("pages/territoires.py", {"territoire": "ti-0101"}),
    ("pages/laureats.py", {"departements": "Ain"}),
    ("pages/laureats.py", {"vue": "Indicateurs"}),
]


@pytest.fixture(scope="module")
def downloads(built_db, monkeypatch_module) -> list[tuple[str, pd.DataFrame]]:
    monkeypatch_module.setenv("OBSERVATOIRE_DB", str(built_db))
    out, seen = [], set()
    for i, (page, params) in enumerate(STATES):
        for kind, name, frame, run, *_ in captured(page, params):
            if kind == "download":
                assert (i, run, name) not in seen, f"deux téléchargements nommés {name} dans une même page"
                seen.add((i, run, name))
                out.append((name, frame))
    out = list({name: (name, frame) for name, frame in out}.values())  # each once
    assert len(out) >= 8
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def spreadsheet(path: Path, tmp: Path) -> list[tuple]:
    """The file as LibreOffice Calc reads it (French, ';' and UTF-8 for a CSV), saved as XLSX and read back."""
    assert Path(SOFFICE).exists(), "LibreOffice absent : lancez bash scripts/install.sh --tests"
    args = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/lo-profile"]
    if path.suffix == ".csv":
        args.append("--infilter=CSV:59,34,76,1,,1036")
    out = tmp / "calc"
    subprocess.run(
        [*args, "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=120
    )
    sheet = openpyxl.load_workbook(out / (path.stem + ".xlsx"), data_only=True).active
    return list(sheet.iter_rows(values_only=True))


def expected_cells(prepared: pd.DataFrame):
    """What each column must read as in a spreadsheet: ('text', value), ('number', value) or ('date', value)."""
    for col in prepared.columns:
        s = prepared[col]
        if exports._is_dates(s):
            yield col, "date", [None if pd.isna(v) else pd.Timestamp(v).date() for v in s]
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            yield col, "number", [None if pd.isna(v) else float(v) for v in s]
        else:
            yield col, "text", [None if v is None or v == "" or pd.isna(v) else str(v) for v in s]


def check_sheet(rows: list[tuple], prepared: pd.DataFrame, name: str) -> None:
    header, body = list(rows[0]), rows[1:]
    assert header == [str(c) for c in prepared.columns], name
    assert len(body) == len(prepared), name
    for i, (col, kind, values) in enumerate(expected_cells(prepared)):
        for r, want in enumerate(values[:300]):
            got = body[r][i]
            if want is None:
                assert got in (None, ""), (name, col, r, got)
            elif kind == "text":
                assert got == want, (name, col, r, got, want)  # « 01 » stays « 01 »
            elif kind == "number":
                assert isinstance(got, int | float) and got == pytest.approx(want), (name, col, r, got, want)
            else:
                assert isinstance(got, dt.datetime) and got.date() == want, (name, col, r, got, want)


def test_each_download_reads_back_in_a_real_spreadsheet(downloads, tmp_path):
    for name, frame in downloads:
        prepared = exports.prepare(frame)
        for code in ("csv_fr", "xlsx"):
            path = tmp_path / f"{name}{exports.FORMATS[code][1]}"
            path.write_bytes(exports.export(frame, code))
            check_sheet(spreadsheet(path, tmp_path), prepared, f"{name} {code}")


def test_each_download_reopens_in_pandas_and_openpyxl(downloads):
    for name, frame in downloads:
        prepared = exports.prepare(frame)
        for col in prepared.columns:  # whole numbers are integers, unless a ratio with its displayed decimals
            s = prepared[col].dropna()
            if pd.api.types.is_float_dtype(s) and len(s):
                assert not (s == s.round()).all() or col in _computed(), (name, col)
        back = pd.read_parquet(io.BytesIO(exports.export(frame, "parquet")))
        pd.testing.assert_frame_equal(back, prepared.reset_index(drop=True), check_dtype=False)
        plain = pd.read_csv(io.BytesIO(exports.export(frame, "csv")), dtype=str, keep_default_na=False)
        assert list(plain.columns) == [str(c) for c in prepared.columns]
        fr = pd.read_csv(io.BytesIO(exports.export(frame, "csv_fr")), sep=";", dtype=str, encoding="utf-8-sig")
        for col in prepared.columns:  # a count reads 99, not 99,0
            if str(prepared[col].dtype) == "Int64":
                assert not fr[str(col)].dropna().str.contains(",").any(), (name, col)
        sheet = openpyxl.load_workbook(io.BytesIO(exports.export(frame, "xlsx"))).active
        for cell in next(sheet.iter_cols(min_row=2, max_row=3)) if sheet.max_row > 1 else []:
            assert cell.data_type != "f"  # never a formula


def _computed() -> set[str]:
    from observatoire import labels

    return {labels.COLUMNS[c] for c in labels.DECIMALS}


def test_file_names_say_the_page_and_its_filters_and_differ_by_format():
    endings = [ending for _, ending, _ in exports.FORMATS.values()]
    assert len(set(endings)) == len(endings)
    assert exports.file_name("aides-covid", "pge", "departement-2A", "2021-12-31") == (
        "aides-covid_pge_departement-2a_2021-12-31"
    )
    assert exports.file_name("Territoires", "Aa – Dunkerque – Flandre", 2024) == "territoires_aa-dunkerque-flandre_2024"


def test_pages_name_their_downloads_after_their_filters(downloads, app):
    names = [name for name, _ in downloads]
    assert any(n.startswith("aides-covid_pge_departement-01_") for n in names), names
    assert any(n.startswith("territoires_2024_ti-0101") for n in names), names
    at = app("pages/aides_covid.py")
    at.run()
    helps = [b.proto.help for b in at.get("download_button")]
    assert any("zéros" in (h or "") for h in helps)  # the plain CSV says what a spreadsheet may do to codes


def test_the_capture_reaches_helpers_that_ui_modules_import_by_name(built_db, monkeypatch):
    """Every test above (and the vocabulary and API tests) sees what the pages download through `captured`: it must
    see the downloads drawn by observatoire.ui modules too, whatever was imported before it."""
    import observatoire.ui.covid_breakdowns  # noqa: F401  imported first, as after any earlier test
    import observatoire.ui.territory_tabs  # noqa: F401

    monkeypatch.setenv("OBSERVATOIRE_DB", str(built_db))
    for page, params, view in (
        ("pages/aides_covid.py", {}, "aides_covid/secteurs"),
        ("pages/territoires.py", {"territoire": "ti-2802"}, "territoires/zones_urssaf_a5"),
    ):
        assert view in {o[4] for o in captured(page, params) if o[0] == "download"}, view
