"""Closed expanders (kit.expander) send nothing; opened, their tables show the figures independent SQL gives."""

from __future__ import annotations

import pytest

from observatoire import fmt, labels
from observatoire.ui import state
from tests.pages.conftest import html_tables, markdown_text


def number(text: str) -> float:
    """A number as kit.table writes it in French: narrow or plain spaces between thousands, a decimal comma."""
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))


def opened(at, key: str):
    before = (len(html_tables(at)), markdown_text(at))
    at.session_state[key] = True
    at.run()
    assert not at.exception
    return before


def test_accueil_map_figures_are_sent_once_opened_and_add_up_to_the_sites(app, con):
    at = app("pages/accueil.py")
    at.run()
    assert not [t for t in html_tables(at) if "sites lauréats" in t.columns]
    opened(at, "accueil:chiffres")
    by_dep = next(t for t in html_tables(at) if "sites lauréats" in t.columns)
    departements = con.execute("SELECT count(*) FROM geo_departements WHERE boundary_geojson IS NOT NULL").fetchone()[0]
    laureates = con.execute("SELECT count(*) FROM friches_sites WHERE laureate").fetchone()[0]
    assert len(by_dep) == departements
    assert sum(number(v) for v in by_dep["sites lauréats"]) == laureates
    nord = con.execute("SELECT count(*) FROM friches_sites WHERE laureate AND departement_code = '59'").fetchone()[0]
    assert number(by_dep.set_index("Code département").loc["59", "sites lauréats"]) == nord
    assert f"{fmt.integer(laureates)} sites lauréats du Fonds friches" in "\n".join(c.value for c in at.caption)


def test_aides_covid_map_table_once_opened_equals_sql(app, con):
    key = lambda name: state.key("aides_covid", name)  # noqa: E731
    at = app("pages/aides_covid.py", {"dispositif": "pge", "date": "2021-12-31"})
    at.run()
    assert not [t for t in html_tables(at) if "Rang (valeur)" in t.columns]
    opened(at, key("tableau_carte"))
    ranking = next(t for t in html_tables(at) if "Rang (valeur)" in t.columns)
    expected = dict(
        con.execute("""SELECT territory_code, sum(amount_eur) FROM covid_aid_snapshots
                                   WHERE scheme = 'pge' AND level = 'departement' AND snapshot_date = DATE '2021-12-31'
                                   GROUP BY 1""").fetchall()
    )
    shown = {r["Code"]: number(r["Valeur (€)"]) for _, r in ranking.iterrows() if r["Valeur (€)"]}
    assert shown and set(shown) <= set(expected)
    for code, value in shown.items():
        assert value == pytest.approx(expected[code], abs=0.5), code
    assert ranking["Rang (valeur)"].iloc[0] == "1"


def test_aides_covid_series_table_once_opened_ends_at_the_kpi(app, con):
    key = lambda name: state.key("aides_covid", name)  # noqa: E731
    at = app("pages/aides_covid.py", {"dispositif": "fds"})
    at.run()
    is_series = lambda t: "Montant cumulé – sélection (€)" in t.columns  # noqa: E731
    assert not [t for t in html_tables(at) if is_series(t)]
    opened(at, key("tableau_serie"))
    series = next(t for t in html_tables(at) if is_series(t))
    snapshots = con.execute(
        "SELECT count(DISTINCT snapshot_date) FROM covid_aid_snapshots WHERE scheme = 'fds'"
    ).fetchone()[0]
    assert len(series) == snapshots
    last = con.execute("""SELECT sum(amount_eur) FROM covid_aid_snapshots WHERE scheme = 'fds' AND level = 'region'
                          AND snapshot_date = (SELECT max(snapshot_date) FROM covid_aid_snapshots WHERE scheme = 'fds')""").fetchone()[
        0
    ]
    assert number(series["Montant cumulé – France (€)"].iloc[-1]) == pytest.approx(last, abs=0.5)


def test_methods_are_sent_once_opened(app):
    at = app("pages/aides_covid.py")
    at.run()
    assert "Stocks et flux" not in markdown_text(at)
    opened(at, state.key("aides_covid", "notes"))
    assert "Stocks et flux" in markdown_text(at)
    at = app("pages/territoires.py")
    at.run()
    before = markdown_text(at)
    opened(at, state.key("territoires", "classement"))
    opened(at, state.key("territoires", "methodes"))
    methods = markdown_text(at)
    assert (
        "Télécharger tous les indicateurs, tous les territoires" in methods
        and "Télécharger tous les indicateurs" not in before
    )
    assert len(methods) > len(before) + 500


def test_laureats_department_ranking_once_opened_equals_sql(app, con):
    key = lambda name: state.key("laureats", name)  # noqa: E731
    at = app("pages/laureats.py", {"vue": "Indicateurs"})
    at.run()
    assert not at.exception
    rank = labels.COLUMNS["rang_valeur"]
    assert not [t for t in html_tables(at) if rank in t.columns]
    opened(at, key("classement"))
    ranking = next(t for t in html_tables(at) if rank in t.columns)
    expected = dict(
        con.execute("""SELECT territory_code, value FROM relance_indicators WHERE level = 'departement'
                                   AND indicator_id = 'nb-entreprises-industrielles-agricoles'
                                   AND date = (SELECT max(date) FROM relance_indicators
                                               WHERE indicator_id = 'nb-entreprises-industrielles-agricoles')""").fetchall()
    )
    code, value = labels.COLUMNS["code_departement"], labels.COLUMNS["valeur"]
    shown = {r[code]: number(r[value]) for _, r in ranking.iterrows() if r[value]}
    assert len(shown) > 90
    for code, value in shown.items():
        assert value == pytest.approx(expected[code]), code
    assert "Télécharger le classement" in markdown_text(at)
