"""AppTest fixtures: every page runs against the built database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(built_db, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(built_db))

    def make(_page: str, params: dict | None = None, **kw) -> AppTest:
        at = AppTest.from_file(str(ROOT / _page), default_timeout=120)
        for k, v in {**(params or {}), **kw}.items():
            at.query_params[k] = v
        return at

    return make


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def html_tables(at) -> list:
    """The HTML tables of kit.table on the page, as DataFrames of their cell texts (headers from <th>)."""
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.row, self.cell = [], None, None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.row is not None:
                self.row.append(self.cell)
                self.cell = None
            elif tag == "tr":
                self.tables[-1].append(self.row)

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    out = []
    for h in at.get("html"):
        if "obs-table" not in h.proto.body:
            continue
        parser = Cells()
        parser.feed(h.proto.body)
        out += [pd.DataFrame(rows[1:], columns=rows[0]) for rows in parser.tables]
    return out


HOSTILE_PARAMS = [
    {"table": "'; DROP TABLE sources; --"},
    {"table": "../../etc/passwd"},
    {"table": ""},
    {"table": "x" * 5000},
    {"exemple": "<script>alert(1)</script>"},
    {"exemple": "\x00"},
    {"inconnu": "1"},
    {"table": ["a", "b", "sources"]},
    {"version": "2024", "territoire": "ti-9999"},
    {"dispositif": "pge' OR 1=1"},
    {"niveau": "lune"},
    {"date": "2021-02-30"},
    {"date": "9999-99-99"},
    {"sections": "A,,,Z,ZZ,<b>"},
    {"sections": "," * 300},
    {"territoire": "🏭"},
    {"indicateur": "NaN"},
    {"mois": "-1"},
    {"mode": "1e309"},
    {"q": "%%%"},
    {"table": "sources", "exemple": "Sources et date des données"},
    {"page": "../accueil"},
    {"table": "None"},
    {"exemple": " " * 10},
    {"niveau": "departement", "territoire": "2A"},
    {"table": "geo_communes", "extra": "y"},
]
