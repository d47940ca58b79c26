"""AppTest fixtures: every page runs against the built database."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from observatoire.queries import territoires

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


# Open every expander and each tab in turn: what each page can draw, for the capture below
EXPANDERS = {
    "pages/accueil.py": ["accueil:chiffres"],
    "pages/aides_covid.py": ["aides_covid:tableau_serie", "aides_covid:tableau_carte", "aides_covid:notes"],
    "pages/laureats.py": ["laureats:classement", "laureats:tableau_series"],
    "pages/territoires.py": ["territoires:classement", "territoires:methodes"],
}
# each page's tabs, opened through their URL parameter (on a first run the URL wins over the session's state)
TABS = {
    "pages/territoires.py": ("onglet", [None, *territoires.TABS[1:]]),
    "pages/aides_covid.py": ("repartition", [None, "Tranches d'effectif", "Catégories juridiques"]),
    "pages/laureats.py": ("vue", [None, "Indicateurs"]),
}


def each_tab(app, page: str, params: dict):
    """The page run once per tab, each open in turn (a lazy tab draws only when open): (tab, AppTest) pairs."""
    tab_key, tabs = TABS.get(page, (None, [None]))
    for tab in tabs:
        at = app(page, {**params, tab_key: tab} if tab else params)
        at.run()
        assert not at.exception, (page, params, tab, at.exception)
        yield tab, at


def captured(page: str, params: dict, tabs: bool = True) -> list[tuple[str, str, object]]:
    """Run a page (every expander open, each tab in turn) and return what it handed to the shared table, grid and
    download helpers: (kind, key or file name, frame as given, before any relabelling, the run it came from); a
    download's record also carries its data API path as a sixth item (None without one)."""
    from streamlit.testing.v1 import AppTest

    from observatoire import ui
    from observatoire.ui import kit

    out, run = [], [0]
    originals = kit.download_bar, kit.table, kit.grid

    def bar(df, basename, key, **kw):
        if not key.startswith(("bulk", "console")):  # a database table, or the visitor's own query: raw names
            out.append(("download", basename, df() if callable(df) else df, run[0], kw.get("api")))
        return originals[0](df, basename, key, **kw)

    def table(df, **kw):
        out.append(("table", "", df, run[0]))
        return originals[1](df, **kw)

    def grid(df, key, **kw):
        out.append(("grid", key, df.rename(columns=kw.get("column_labels") or {}), run[0]))
        return originals[2](df, key, **kw)

    tab_key, tab_values = TABS.get(page, (None, [None])) if tabs else (None, [None])
    # patched wherever the app holds them: pages import them afresh on each run, but a module of observatoire.ui that
    # imported them by name (territory_tabs, covid_breakdowns) keeps the function it got at its import
    patches = dict(zip(("download_bar", "table", "grid"), (bar, table, grid)))
    modules = [importlib.import_module(f"observatoire.ui.{m.name}") for m in pkgutil.iter_modules(ui.__path__)]
    held = [(m, n, getattr(m, n)) for m in modules for n in patches if getattr(m, n, None) in originals]
    for module, name, _ in held:
        setattr(module, name, patches[name])
    try:
        for tab in tab_values:
            run[0] += 1
            at = AppTest.from_file(str(ROOT / page), default_timeout=120)
            for k, v in ({**params, tab_key: tab} if tab else params).items():
                at.query_params[k] = v
            for e in EXPANDERS.get(page, []):
                at.session_state[e] = True
            at.run()
            assert not at.exception, (page, params, tab, at.exception)
    finally:
        for module, name, original in held:
            setattr(module, name, original)
    return out
