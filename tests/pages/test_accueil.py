"""Accueil: runs, and its headline figures equal independent SQL on the database."""

from __future__ import annotations

import pytest

from observatoire import fmt
from observatoire.web import NOT_FOUND_PARAM
from tests.pages.conftest import HOSTILE_PARAMS, html_tables, markdown_text


def test_accueil_runs_and_figures_match_sql(app, con):
    at = app("pages/accueil.py")
    at.run()
    assert not at.exception
    text = markdown_text(at)
    fds_all = con.execute(
        "SELECT amount_eur FROM covid_dashboard_kpis WHERE scheme='aides' AND level='france'"
    ).fetchone()[0]
    fds_v1 = con.execute(
        "SELECT sum(amount_eur) FROM covid_aid_snapshots WHERE scheme='fds' AND level='departement' "
        "AND snapshot_date = DATE '2022-06-24'"
    ).fetchone()[0]
    pge = con.execute("SELECT amount_eur FROM covid_dashboard_kpis WHERE scheme='pge' AND level='france'").fetchone()[0]
    relance = con.execute(
        "SELECT value FROM relance_indicators WHERE level='france' AND indicator_id='nb-entreprises-industrielles-agricoles' "
        "AND date = (SELECT max(date) FROM relance_indicators WHERE level='france')"
    ).fetchone()[0]
    ti = con.execute("SELECT count(DISTINCT territory_id) FROM ti_members WHERE version = 2024").fetchone()[0]
    friches = con.execute("SELECT count(*) FROM friches_sites WHERE laureate").fetchone()[0]
    for expected in (
        fmt.euros(fds_all),
        fmt.euros(fds_v1),
        fmt.euros(pge),
        fmt.integer(relance),
        fmt.integer(ti),
        fmt.integer(friches),
    ):
        assert expected in text, expected
    assert (ti, friches, relance) == (183, 914, 8972)
    assert "24/06/2022" in text and "31/12/2022" in text  # each figure carries its source date
    assert any("Source" in c.value for c in at.caption)


def test_freshness_lists_every_source_whole_with_its_dates(app, con):
    """A plain HTML table (kit.table): every source, its title whole (a canvas grid cut long titles), dates in French."""
    at = app("pages/accueil.py")
    at.run()
    fresh = next(t for t in html_tables(at) if "Identifiant" in t.columns).set_index("Identifiant")
    rows = con.execute("SELECT source_id, title, data_date, loaded_at, status FROM sources").fetchall()
    assert len(fresh) == len(rows) > 10
    for source_id, title, data_date, loaded_at, status in rows:
        shown = fresh.loc[source_id]
        assert shown["Source"] == title and shown["État"] == status
        assert shown["Données au"] == (data_date.strftime("%d/%m/%Y") if data_date else "—")
        assert shown["Chargée le"] == loaded_at.strftime("%d/%m/%Y %H:%M")


@pytest.mark.parametrize("params", HOSTILE_PARAMS)
def test_accueil_ignores_hostile_params(app, params):
    at = app("pages/accueil.py", params)
    at.run()
    assert not at.exception


def test_accueil_names_and_drops_unknown_params(app):
    at = app("pages/accueil.py", {"inconnu": "1"})
    at.run()
    assert not at.exception
    assert any("inconnu" in w.value and "ignoré" in w.value for w in at.warning)
    assert "inconnu" not in at.query_params


def test_the_home_page_says_which_page_was_not_found(app):
    at = app("pages/accueil.py", {NOT_FOUND_PARAM: "pagexyz"})
    at.run()
    assert not at.exception
    assert any("pagexyz" in w.value and "n'existe pas" in w.value.replace("\\", "") for w in at.warning)
    assert NOT_FOUND_PARAM not in at.query_params
