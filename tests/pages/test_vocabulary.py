"""One vocabulary for what users read: every column of every table, grid and download of every page (each tab and
section open, several URL states) has a French name from observatoire.labels, or is the name of a place (a
territory, department, region: the columns of a wide comparison)."""

from __future__ import annotations

import pytest

from observatoire import labels
from tests.pages.conftest import captured

STATES = {
    "pages/accueil.py": [{}],
    "pages/territoires.py": [{}, {"territoire": "ti-3201", "comparer": "ti-3201,ti-8404"}],
    "pages/laureats.py": [{}, {"departements": "Nord"}],
    "pages/aides_covid.py": [
        {},
        {"dispositif": "pge", "niveau": "departement", "territoire": "2A"},
        {"dispositif": "activite_partielle"},
    ],
}


@pytest.fixture(scope="module")
def places(con) -> set[str]:
    """Names from the data that wide tables use as columns: territories, « Département (code) », regions, France, and
    the France Relance measures."""
    names = {"France"}
    names |= {n for (n,) in con.execute("SELECT DISTINCT name FROM ti_territories").fetchall()}
    names |= {f"{n} ({c})" for n, c in con.execute("SELECT name, departement_code FROM geo_departements").fetchall()}
    names |= {n for (n,) in con.execute("SELECT name FROM geo_regions").fetchall()}
    names |= {f"rang – {n}" for n in names}
    # the barometer's series: « Rhône (département) », « Auvergne-Rhône-Alpes (région) »
    names |= {f"{n} (département)" for (n,) in con.execute("SELECT name FROM geo_departements").fetchall()}
    names |= {f"{n} (région)" for (n,) in con.execute("SELECT name FROM geo_regions").fetchall()}
    from observatoire.queries import laureats

    # a region × measure breakdown has one column per measure
    return names | set(laureats.explorer_rows(con, {}, "", True)["measure"].dropna())


@pytest.mark.parametrize("page", list(STATES))
def test_every_column_a_user_reads_is_in_the_vocabulary(page, places, app):
    vocabulary = labels.vocabulary() | places
    seen = 0
    for params in STATES[page]:
        for kind, key, frame, *_ in captured(page, params):
            shown = labels.french(frame)
            unknown = [c for c in shown.columns if c not in vocabulary]
            assert not unknown, f"{page} {params} {kind} {key} : colonnes hors du vocabulaire {unknown}"
            for col in shown.columns:  # booleans are written Oui/Non, never True/False
                assert not shown[col].map(lambda v: isinstance(v, bool)).any(), (kind, key, col)
            seen += 1
    assert seen, "aucun tableau ni téléchargement capturé"


def test_donnees_tables_speak_french(app):
    """Données' tables (sources, tables, columns) are plain HTML tables: whole, French, no English toolbar."""
    from tests.pages.conftest import html_tables

    at = app("pages/donnees.py")
    at.run()
    assert not at.dataframe
    vocabulary = labels.vocabulary()
    tables = html_tables(at)
    assert len(tables) >= 3
    for t in tables:
        assert set(t.columns) <= vocabulary, sorted(set(t.columns) - vocabulary)
        assert not t.isin(["YES", "NO", "True", "False"]).any().any()
