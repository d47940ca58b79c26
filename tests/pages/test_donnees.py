"""Données: runs, URL state round-trips, hostile parameters are dropped with a warning, the console works."""

from __future__ import annotations

import pytest

from observatoire import console
from tests.pages.conftest import HOSTILE_PARAMS


def test_donnees_runs(app):
    at = app("pages/donnees.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="donnees:table").value == "sources"


def test_url_state_round_trip(app):
    example = list(console.EXAMPLES)[3]
    at = app("pages/donnees.py", table="friches_sites", exemple=example)
    at.run()
    assert not at.exception
    assert at.selectbox(key="donnees:table").value == "friches_sites"
    assert at.selectbox(key="donnees:exemple").value == example
    assert not at.warning
    at.selectbox(key="donnees:table").set_value("geo_epci").run()
    assert at.query_params["table"] == ["geo_epci"] or at.query_params["table"] == "geo_epci"


def test_invalid_table_is_dropped_with_warning(app):
    at = app("pages/donnees.py", table="pg_shadow")
    at.run()
    assert not at.exception
    assert at.selectbox(key="donnees:table").value == "sources"
    assert any("ignorée" in w.value for w in at.warning)


def test_console_runs_example_and_refuses_writes(app, con):
    at = app("pages/donnees.py", exemple="Sites lauréats du Fonds friches par édition")
    at.run()
    at.button[0].click().run()
    assert not at.exception and not at.error
    at.text_area[0].set_value("DROP TABLE sources").run()
    at.button[0].click().run()
    assert any("lecture" in e.value for e in at.error)


@pytest.mark.parametrize("params", HOSTILE_PARAMS)
def test_donnees_ignores_hostile_params(app, params):
    at = app("pages/donnees.py", params)
    at.run()
    assert not at.exception


def test_the_page_says_how_the_database_was_made_and_what_the_last_build_changed(app, built_db, tmp_path, monkeypatch):
    import shutil

    import duckdb

    from observatoire.markup import plain
    from tests.pages.conftest import html_tables

    at = app("pages/donnees.py")
    at.run()
    assert any("construite depuis les sources le" in c.value for c in at.caption)
    assert not [t for t in html_tables(at) if "Modifiées" in t.columns]
    copy = shutil.copyfile(built_db, tmp_path / "observatoire.duckdb")
    with duckdb.connect(str(copy)) as c:
        c.execute(
            "INSERT INTO build_changes VALUES ('relance_indicators', 10, 11, 1, 0, 2, 'value : 5 → 7 (+40,00 %)')"
        )
        c.execute("UPDATE build_info SET detail = 'fichiers acceptés hors manifeste : x/y.csv'")
    monkeypatch.setenv("OBSERVATOIRE_DB", str(copy))
    at = app("pages/donnees.py")
    at.run()
    assert not at.exception
    shown = next(t for t in html_tables(at) if "Modifiées" in t.columns)
    assert shown.iloc[0].tolist()[:1] == ["relance_indicators"] and "5 → 7" in shown.iloc[0]["Totaux (avant → après)"]
    assert any(plain("x/y.csv") in c.value for c in at.caption)  # shown as text
