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


HOSTILE_PARAMS = [
    {"table": "'; DROP TABLE sources; --"}, {"table": "../../etc/passwd"}, {"table": ""}, {"table": "x" * 5000},
    {"exemple": "<script>alert(1)</script>"}, {"exemple": "\x00"}, {"inconnu": "1"}, {"table": ["a", "b", "sources"]},
    {"version": "2024", "territoire": "ti-9999"}, {"dispositif": "pge' OR 1=1"}, {"niveau": "lune"}, {"date": "2021-02-30"},
    {"date": "9999-99-99"}, {"sections": "A,,,Z,ZZ,<b>"}, {"sections": "," * 300}, {"territoire": "🏭"}, {"indicateur": "NaN"},
    {"mois": "-1"}, {"mode": "1e309"}, {"q": "%%%"}, {"table": "sources", "exemple": "Sources et date des données"},
    {"page": "../accueil"}, {"table": "None"}, {"exemple": " " * 10}, {"niveau": "departement", "territoire": "2A"},
    {"table": "geo_communes", "extra": "y"},
]
