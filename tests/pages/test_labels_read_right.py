"""Labels that say what the figure is: quarters as Insee writes them, ranks counted the same way everywhere, units
only where they are units, counts without decimals, the right reason for a figure not published, an empty filter
said as such, months in French, section labels as published once."""

from __future__ import annotations

import re

from observatoire import fmt
from observatoire.queries import territoires as q
from tests.pages.conftest import html_tables, markdown_text

K = "territoires:{}".format


def test_quarters_read_t4_2006(app, con):
    quarter = q.quarters(con)[0]
    at = app("pages/territoires.py", {"territoire": "ti-3201"})
    at.run()
    assert at.selectbox(key=K("trimestre")).format_func(quarter) == fmt.quarter(quarter)
    text = markdown_text(at)
    assert f"Taux de chômage ({fmt.quarter(quarter)})" in text
    assert not re.search(r"Taux de chômage \(\d\d/\d\d/\d{4}\)", text)
    at.session_state[K("onglet")] = "Chômage"
    at.run()
    table = next(t for t in html_tables(at) if "Trimestre" in t.columns)
    assert table["Trimestre"].str.fullmatch(r"T[1-4] \d{4}").all()


def test_ranks_count_the_territories_with_a_value_like_the_map(app, con):
    at = app("pages/territoires.py", {"territoire": "ti-3201"})
    at.run()
    values = q.indicators(con, 2024, q.quarters(con)[0])
    text = markdown_text(at)
    for ind in ("population", "jobs_index"):
        n = int(values[values["kind"] == "territoire"][ind].notna().sum()) if "kind" in values else None
        assert n is None or f"sur {n}" in text
    assert " / 183" not in text


def test_map_tooltips_write_units_and_decimals_right(con):
    assert fmt.quantity(114.13, 1, "indice") == "114,1"
    assert fmt.quantity(90, 0, "entreprises") == "90\u00a0entreprises"
    from observatoire.queries import laureats as lq

    m = lq.departement_map(con, "nb-entreprises-industrielles-agricoles", "2022-12-31", "absolu")
    tips = [t for t in m["values"]["tip_value"] if t != "non publié"]
    assert tips and not [t for t in tips if re.search(r",0\u00a0entreprises", t)]


def test_pge_firms_say_why_they_are_missing(app):
    at = app("pages/aides_covid.py", {"dispositif": "pge"})
    at.run()
    text = markdown_text(at)
    assert "non publié pour ce dispositif" in text and "publié à partir de janvier 2021" not in text


def test_a_search_that_leaves_nothing_says_so(app):
    at = app("pages/laureats.py", {"q": "zzzz-aucun-site"})
    at.run()
    assert not at.exception
    assert any("Aucun site ni projet ne correspond" in i.value for i in at.info)
    assert "Par région et mesure" not in "".join(h.proto.body for h in at.get("html"))


def test_activite_partielle_months_in_french_and_c1_read_once(app, con):
    at = app("pages/aides_covid.py", {"dispositif": "activite_partielle"})
    at.run()
    body = "".join(h.proto.body for h in at.get("html"))
    assert "2020-03" not in body and "mars 2020" in body
    label = con.execute("SELECT label FROM ref_nace17_sections WHERE code = 'C1'").fetchone()[0]
    assert label.count("tabac") == 1, label


def test_long_texts_keep_a_readable_column_and_grids_fit_their_headers():
    import pandas as pd

    from observatoire import profile_html
    from observatoire.ui.kit import _width

    df = pd.DataFrame({"Intervention": ["Démolition, dépollution et réhabilitation du site " * 2] * 3, "n": [1, 2, 3]})
    html = profile_html.table_html(df)
    assert "<td class='w'>Démolition" in html and "<td class='n'>1</td>" in html
    # a header is never narrower than its longest word, a column never narrower than most of its values
    assert _width(pd.Series(["x"] * 5), "Appel à projets") >= 7.5 * len("projets")
    assert _width(pd.Series(["Fonds friches (recyclage foncier)"] * 5), "Mesure") >= 7.5 * 30
    assert _width(pd.Series(["y" * 500] * 5), "Description") == 360  # the longest in a tooltip


def test_every_figure_per_inhabitant_says_its_population_vintage(app):
    from observatoire import labels

    at = app("pages/aides_covid.py")
    at.run()
    assert any(labels.POPULATION_VINTAGE in c.value for c in at.caption)
    at = app("pages/laureats.py", {"vue": "Indicateurs"})
    at.run()
    assert any(labels.POPULATION_VINTAGE in c.value for c in at.caption)


def test_the_barometer_series_have_their_table(app, con):
    at = app("pages/laureats.py", {"vue": "Indicateurs", "departement": "2A"})
    at.session_state["laureats:tableau_series"] = True
    at.run()
    table = next(t for t in html_tables(at) if "Date" in t.columns and "France" in t.columns)
    national = con.execute(
        "SELECT value FROM relance_indicators WHERE level = 'france' AND "
        "indicator_id = 'nb-entreprises-industrielles-agricoles' ORDER BY date DESC LIMIT 1"
    ).fetchone()[0]
    assert table["France"].iloc[0] == fmt.integer(national)
    assert "Corse-du-Sud (département)" in table.columns
