"""Territoires d'industrie page: every control, URL round trip, fuzzing at the parsing and page levels, and the
figures shown equal the reconciled query values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire import fmt, labels, profile_html
from observatoire.queries import territoires as q
from observatoire.state import parse
from tests.pages.conftest import HOSTILE_PARAMS, html_tables, markdown_text

PAGE = "pages/territoires.py"
K = lambda name: f"territoires:{name}"  # noqa: E731


def qp(at) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_default_page_shows_the_first_territory_of_2024(app, con):
    at = app(PAGE)
    at.run()
    assert not at.exception
    first = q.territories(con, 2024).iloc[0]
    assert at.radio(key=K("version")).value == 2024
    assert at.selectbox(key=K("territoire")).value == first["territory_id"]
    assert any(h.value == f"Profil : {first['name']}" for h in at.header)
    assert f"Population</div><div class='v'>{fmt.integer(first['population'])}" in markdown_text(at)


def test_version_control_switches_perimeter_and_ids(app, con):
    at = app(PAGE, {"territoire": "ti-8401"})
    at.run()
    at.radio(key=K("version")).set_value(2020).run()
    assert not at.exception
    ids = q.territory_ids(con, 2020)
    assert at.selectbox(key=K("territoire")).value in ids
    assert qp(at)["version"] == "2020"
    assert any("2020 (148 territoires)" in h.value for h in at.header)
    assert "chaque commune est un point" in " ".join(c.value for c in at.caption)


def test_territory_control_changes_the_profile(app, con):
    at = app(PAGE)
    at.run()
    at.selectbox(key=K("territoire")).set_value("ti-8401").run()
    every = q.indicators(con, 2024, q.quarters(con)[0])
    row = every.set_index("code").loc["ti-8401"]
    assert any(h.value == "Profil : Ardèche Drôme Nord" for h in at.header)
    text = markdown_text(at)
    ranked = int(every[every["code"].str.startswith("ti-")]["jobs_index"].notna().sum())  # territories with a value
    assert fmt.integer(row["jobs_2024"]) in text and f"rang {row['rank_jobs_index']} sur {ranked}" in text
    assert qp(at)["territoire"] == "ti-8401"


def test_quarter_control_changes_the_unemployment_kpi(app, con):
    at = app(PAGE, {"territoire": "ti-8401"})
    at.run()
    at.selectbox(key=K("trimestre")).set_value("2010-01-01").run()
    rate = q.indicators(con, 2024, "2010-01-01").set_index("code").loc["ti-8401", "unemployment_pct"]
    assert f"Taux de chômage (T1 2010)</div><div class='v'>{fmt.percent(rate)}" in markdown_text(at)
    assert qp(at)["trimestre"] == "2010-01-01"


def test_map_indicator_control(app):
    at = app(PAGE)
    at.run()
    at.selectbox(key=K("indicateur")).set_value("fabrication_pct_2016").run()
    assert not at.exception
    assert "Part de la fabrication dans l'emploi 2016 (%)" in markdown_text(at)

    def is_ranking(t):
        return list(t.columns[:2]) == [labels.COLUMNS["identifiant"], labels.COLUMNS["territoire"]]

    # the ranking sits in a closed expander: computed and sent only once it is opened (kit.expander)
    assert not any(is_ranking(t) for t in html_tables(at))
    assert "Télécharger le classement" not in markdown_text(at)
    at.session_state[K("classement")] = True
    at.run()
    ranking = next(t for t in html_tables(at) if is_ranking(t))
    assert len(ranking) == 183 and ranking[labels.COLUMNS["rang"]].iloc[0] == "1"
    assert "Télécharger le classement" in markdown_text(at)
    assert qp(at)["indicateur"] == "fabrication_pct_2016"


def test_comparison_control(app, con):
    at = app(PAGE)
    at.run()
    at.multiselect(key=K("comparer")).set_value(["ti-8401", "ti-2806", "ti-0101"]).run()
    assert not at.exception
    names = q.territories(con, 2024).set_index("territory_id")["name"]
    table = html_tables(at)[-1]
    for t in ("ti-8401", "ti-2806", "ti-0101"):
        assert names[t] in table.columns and f"rang – {names[t]}" in table.columns
    assert "France" in table.columns
    values = q.indicators(con, 2024, q.quarters(con)[0]).set_index("code")
    row = table.set_index("Indicateur").loc["Population"]
    assert row[names["ti-2806"]] == fmt.integer(values.loc["ti-2806", "population"])
    assert qp(at)["comparer"] == "ti-8401,ti-2806,ti-0101"


def test_profile_table_writes_each_indicator_with_its_decimals(app, con):
    """One column holds a population, an index and a rate: each row has its indicator's decimals ('262 216' habitants,
    not '262 216,0'), in an HTML table whose figures are right-aligned; ranks as 'n / 182' among territories with a value."""
    at = app(PAGE, {"territoire": "ti-8401"})
    at.run()
    every = q.indicators(con, 2024, q.quarters(con)[0])
    every = every[every["kind"] == "territoire"] if "kind" in every else every
    row = every.set_index("code").loc["ti-8401"]
    name = q.territories(con, 2024).set_index("territory_id").loc["ti-8401", "name"]
    table = next(t for t in html_tables(at) if list(t.columns[:2]) == ["Indicateur", "Unité"]).set_index("Indicateur")
    for ind, (label, _, decimals) in q.INDICATORS.items():
        assert table.loc[label, name] == fmt.number(row[ind], decimals), ind
        rank, ranked = row[f"rank_{ind}"], int(every[ind].notna().sum())  # among the territories with a value
        assert table.loc[label, f"rang – {name}"] == (f"{int(rank)} / {ranked}" if rank == rank else "—"), ind
    assert (
        "," not in table.loc["Population", name]
        and "," in table.loc["Emploi salarié privé, indice 2024 (2014 = 100)", name]
    )
    html = next(h.proto.body for h in at.get("html") if "<th>Indicateur</th>" in h.proto.body)
    assert f"<td class='n'>{fmt.integer(row['population'])}</td>" in html
    assert not at.dataframe  # no canvas grid left on the page's first view


def test_comparison_needs_two(app):
    at = app(PAGE, {"comparer": "ti-8401"})
    at.run()
    assert "Choisissez au moins deux territoires pour les comparer." in [c.value for c in at.caption]


def test_url_round_trip(app):
    params = {
        "version": "2022",
        "territoire": "ti-8416",
        "indicateur": "establishments_50",
        "trimestre": "2015-01-01",
        "comparer": "ti-8416,ti-2806",
        "onglet": "Chômage",
    }
    at = app(PAGE, params)
    at.run()
    assert not at.exception and not at.warning
    assert at.session_state[K("onglet")] == "Chômage"  # the link opens the tab it was copied on
    assert any(c.value.startswith("Pour le territoire comme pour les départements") for c in at.caption)  # its text
    assert at.radio(key=K("version")).value == 2022
    assert at.selectbox(key=K("territoire")).value == "ti-8416"
    assert at.selectbox(key=K("indicateur")).value == "establishments_50"
    assert at.selectbox(key=K("trimestre")).value == "2015-01-01"
    assert at.multiselect(key=K("comparer")).value == ["ti-8416", "ti-2806"]
    assert qp(at) == params


@pytest.mark.parametrize(
    "params",
    HOSTILE_PARAMS
    + [
        {"version": "2023"},
        {"version": "2020", "territoire": "ti-8401"},
        {"version": "-1"},
        {"version": "2024.0"},
        {"comparer": ",".join(["ti-8401"] * 60)},
        {"comparer": "ti-8401,ti-2806,ti-0101,ti-7506,ti-1101,ti-2401"},
        {"trimestre": "2023-07-02"},
        {"indicateur": "__class__"},
        {"territoire": "ti-8401'; DROP TABLE ti_territories; --"},
    ],
)
def test_hostile_params(app, params):
    at = app(PAGE, params)
    at.run()
    assert not at.exception
    assert len(at.multiselect(key=K("comparer")).value) <= q.MAX_COMPARED


def test_foreign_version_id_is_refused_with_a_french_note(app, con):
    at = app(PAGE, {"version": "2020", "territoire": "ti-8401"})
    at.run()
    assert any("Territoire" in w.value and "invalide" in w.value for w in at.warning)
    assert at.selectbox(key=K("territoire")).value in q.territory_ids(con, 2020)


SPEC_CACHE: dict = {}


@settings(max_examples=500, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["version", "territoire", "indicateur", "comparer", "trimestre", "x"]),
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(["2020", "2022", "2024", "ti-8401", "8401", "2023-07-01", "jobs_index", "ti-8401,ti-2806"]),
        ),
        max_size=6,
    )
)
def test_state_parsing_never_raises(con, params):
    spec = SPEC_CACHE.setdefault("spec", q.state_spec(con))
    values = parse(params, spec).values
    assert values["version"] in q.VERSIONS
    ids = q.territory_ids(con, values["version"]) if values["territoire"] or values["comparer"] else []
    assert values["territoire"] is None or values["territoire"] in ids
    assert all(c in ids for c in values["comparer"])


def test_html_profile_is_self_contained(con):
    quarter = q.quarters(con)[0]
    p = q.profile(con, 2024, "ti-0101", quarter)
    doc = profile_html.territory_document(
        p,
        version_label="2024 (183 territoires)",
        quarter=quarter,
        methods=q.methods(q.method_counts(con, 2024), 2024, quarter),
        sources=["Source A"],
    )
    lowered = doc.lower()
    for fetching in ("<script", "<link", "src=", "@import", "url(", "<iframe", "<img"):
        assert fetching not in lowered
    assert "Basse-Terre" in doc and "<svg" in doc and "Source A" in doc and "Méthodes" in doc
    assert fmt.integer(p["territory"]["population"].iloc[0]) in doc


def test_html_profile_prints_years_plain_and_counts_in_french(con):
    """The downloadable profile's tables: years as 2014 (not 2 014), job counts grouped by thousands."""
    quarter = q.quarters(con)[0]
    p = q.profile(con, 2024, "ti-0101", quarter)
    doc = profile_html.territory_document(
        p,
        version_label="2024 (183 territoires)",
        quarter=quarter,
        methods=q.methods(q.method_counts(con, 2024), 2024, quarter),
        sources=["Source A"],
    )
    assert "<td>2014</td>" in doc and fmt.number(2014, 0) not in doc
    urssaf = profile_html.french(p, "urssaf")
    assert (
        f"<td class='n'>{fmt.integer(urssaf['emploi_salarie_prive'].iloc[0])}</td>" in doc
        and urssaf["emploi_salarie_prive"].iloc[0] >= 1000
    )


def test_html_profile_indicators_have_their_own_decimals(con):
    """The profile's indicator table mixes units in a column: a population prints whole, an index with one decimal."""
    quarter = q.quarters(con)[0]
    p = q.profile(con, 2024, "ti-8401", quarter)
    doc = profile_html.territory_document(
        p, version_label="2024 (183 territoires)", quarter=quarter, methods=[], sources=[]
    )
    t = p["territory"].iloc[0]
    assert f"<td class='w'>Population</td><td>habitants</td><td class='n'>{fmt.integer(t['population'])}</td>" in doc
    assert f"<td>indice</td><td class='n'>{fmt.number(t['jobs_index'], 1)}</td>" in doc
    assert f"{fmt.integer(t['population'])},0" not in doc


def test_section_tabs_render_only_the_open_one(app, con):
    at = app(PAGE, {"territoire": "ti-8401"})
    at.run()
    assert at.session_state[K("onglet")] == "Emploi salarié privé" and "onglet" not in qp(at)  # the default
    assert not any("sites lauréats du Fonds friches" in m.value for m in at.markdown if m.value.startswith("**"))
    at.session_state[K("onglet")] = "Soutien public"
    at.run()
    assert qp(at)["onglet"] == "Soutien public"  # the open tab is in the URL
    n = len(q.friches(con, 2024, "ti-8401"))
    assert any(m.value.startswith(f"**{n} sites lauréats du Fonds friches**") for m in at.markdown)
    at.session_state[K("onglet")] = "Secteurs (APE)"
    at.run()
    assert any("ne couvre que la zone de Rouen" in i.value for i in at.info)


def shares(con, a_version, a_id, b_version, b_id) -> int:
    """Population of the communes two territories of two versions have in common (an independent query)."""
    return con.execute(
        "SELECT coalesce(sum(g.population), 0) FROM ti_communes a JOIN ti_communes b USING (commune_code) "
        "JOIN geo_communes g USING (commune_code) WHERE a.version = ? AND a.territory_id = ? "
        "AND b.version = ? AND b.territory_id = ?",
        [a_version, a_id, b_version, b_id],
    ).fetchone()[0]


@pytest.mark.parametrize(
    "start,new,expected,note",
    [
        # Clermont Arverne Industrie (2024) has no commune in a 2022 territory (2022's ti-8404 is Grand Annecy): the
        # most populated 2022 territory of its region, said as such
        ("ti-8404", 2022, "region", "le territoire le plus peuplé de la même région"),
        # Grand Annecy is ti-8405 in 2024 and ti-8404 in 2022: the same territory under another id
        ("ti-8405", 2022, "ti-8404", "est le même territoire dans la version 2022, sous l'identifiant ti-8404"),
        # Aa – Dunkerque – Flandre (2024) grew from Dunkerque (2022): the 2022 territory sharing the most population
        ("ti-3201", 2022, "ti-3208", "le territoire qui partage avec lui le plus de population"),
    ],
)
def test_a_version_switch_never_silently_shows_another_territory(app, con, start, new, expected, note):
    at = app(PAGE, {"territoire": start})
    at.run()
    at.radio(key=K("version")).set_value(new).run()
    assert not at.exception
    if expected == "region":
        expected = con.execute(
            "SELECT t.territory_id FROM ti_territories t JOIN ti_communes c USING (version, territory_id) "
            "JOIN geo_communes g USING (commune_code) WHERE t.version = ? AND t.region_code = "
            "(SELECT region_code FROM ti_territories WHERE version = 2024 AND territory_id = ?) "
            "GROUP BY 1 ORDER BY sum(g.population) DESC LIMIT 1",
            [new, start],
        ).fetchone()[0]
        assert expected != start
    assert at.selectbox(key=K("territoire")).value == expected
    notes = " ".join(i.value for i in at.info)
    assert note in notes.replace("\\", ""), notes
    if expected and "population" in note:
        best = max(q.territory_ids(con, new), key=lambda t: shares(con, 2024, start, new, t))
        assert best == expected
        assert fmt.integer(shares(con, 2024, start, new, expected)) in notes.replace("\\", "")
