"""French formatting and the four export formats."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from observatoire import exports, fmt

NB = "\u00a0"


def test_french_numbers():
    assert fmt.millions(1234.5e6) == f"1{NB}234,5{NB}M€"
    assert fmt.euros(35_490_463_923) == f"35,5{NB}Md€"
    assert fmt.euros(950) == f"950{NB}€"
    assert fmt.percent(12.345) == f"12,3{NB}%"
    assert fmt.integer(8972) == f"8{NB}972"
    assert fmt.date(dt.date(2021, 12, 31)) == "31/12/2021" == fmt.date("2021-12-31")
    assert fmt.number(None) == "—" and fmt.euros(float("nan")) == "—"
    assert fmt.timestamp(pd.Timestamp("2021-12-31 14:05:59")) == "31/12/2021 14:05" and fmt.timestamp(pd.NaT) == "—"


def frame():
    return pd.DataFrame(
        {
            "code": ["01", "2A", "971"],
            "montant": [1234.5, None, 0.25],
            "date": [dt.date(2021, 12, 31), dt.date(2022, 1, 31), dt.date(2022, 6, 24)],
            "nom": ["Ain", "Corse-du-Sud", "Guadeloupe; île"],
        }
    )


def test_csv_fr_is_excel_ready():
    data = exports.to_csv_fr(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "code;montant;Date;Nom"  # French labels where the vocabulary has the name
    assert lines[1] == '"=""01""";1234,5;31/12/2021;Ain'  # ="01": a spreadsheet keeps the code's zero
    assert lines[2].startswith("2A;;31/01/2022")  # missing stays empty, never 0
    assert '"Guadeloupe; île"' in lines[3]
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"code": str})
    assert back["code"].tolist() == ['="01"', "2A", '="971"'] and len(back) == 3


def test_plain_csv_xlsx_parquet_round_trip():
    df = frame()
    assert pd.read_csv(io.BytesIO(exports.to_csv(df)), dtype={"code": str})["code"].tolist() == ["01", "2A", "971"]
    x = pd.read_excel(io.BytesIO(exports.to_xlsx(df)), dtype={"code": str}, engine="openpyxl")
    assert len(x) == 3 and x["code"].tolist() == ["01", "2A", "971"]
    p = pd.read_parquet(io.BytesIO(exports.to_parquet(df)))
    assert p["montant"].sum() == 1234.75 and len(p) == 3


def test_tables_and_console_results_keep_every_digit_page_figures_lose_the_noise():
    """A whole table or a console result (labelled=False) keeps each float as it is, small ones included (rounding to
    6 decimals made 1.2e-9 a 0); a page's figures lose the noise of sums (0.1 + 0.2 is 0.3)."""
    values = [0.1 + 0.2, 1.234567e-9, -7.25e-7, 123456.789012345, None]
    raw = exports.prepare(pd.DataFrame({"x": values}), labelled=False)["x"].tolist()
    assert raw[:4] == values[:4] and pd.isna(raw[4])
    page = exports.prepare(pd.DataFrame({"x": values}), labelled=True).iloc[:, 0].tolist()
    assert page[:4] == [0.3, 0.0, -1e-06, 123456.789012] and pd.isna(page[4])
