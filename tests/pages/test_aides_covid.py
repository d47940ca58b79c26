"""Aides Covid: KPIs reconcile with the raw CSV files; every scheme runs; filters move the KPIs as SQL predicts;
URL state round-trips; hostile parameters never raise."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire import fmt
from observatoire.queries import aides_covid as q
from observatoire.state import parse
from tests.pages.conftest import HOSTILE_PARAMS, markdown_text

PUB = "aides_covid_etalab/published-data"


def raw_sum(path: Path, count_col: str, **filters) -> tuple[float, float]:
    """Independent read of a published CSV: sums of montant_total and of the count column over matching rows."""
    amount = count = 0.0
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if all((r.get(k) in v) if isinstance(v, (list, set, tuple)) else r.get(k) == v for k, v in filters.items()):
                amount += float(r["montant_total"])
                count += float(r[count_col] or 0)
    return amount, count


CASES = [
    # scheme, level, code, sections, date, file, count column, filters on the raw file
    ("pge", "france", None, [], "2021-12-31", "pge/pge-2021-12-31/pge-regional-naf-latest.csv", "nombre_pge", {}),
    ("pge", "departement", "2A", [], "2021-12-31", "pge-departemental-naf-latest.csv", "nombre_pge", {"dep": "2A"}),
    (
        "pge",
        "departement",
        "971",
        ["I", "G"],
        "2020-06-26",
        "pge/pge-2020-06-26/pge-departemental-naf-latest.csv",
        "nombre_pge",
        {"dep": "971", "code_section": ["I", "G"]},
    ),
    (
        "fds",
        "departement",
        "2A",
        ["I"],
        "2022-06-24",
        "fonds-solidarite-volet-1-departemental-naf-latest.csv",
        "nombre_aides",
        {"dep": "2A", "code_section": "I"},
    ),
    (
        "fds",
        "region",
        "94",
        [],
        "2021-03-31",
        "fonds-solidarite/fds-2021-03-31/fonds-solidarite-volet-1-regional-naf-latest.csv",
        "nombre_aides",
        {"reg": "94"},
    ),
    (
        "fds",
        "france",
        None,
        ["C"],
        "2020-12-31",
        "fonds-solidarite/fds-2020-12-31/fonds-solidarite-volet-1-regional-naf-latest.csv",
        "nombre_aides",
        {"code_section": "C"},
    ),
    (
        "reports",
        "departement",
        "974",
        [],
        "2021-08-26",
        "reports-echeances-departemental-naf-latest.csv",
        "nombre_reports",
        {"dep": "974"},
    ),
    (
        "cpsti",
        "departement",
        "59",
        ["F"],
        "2020-07-17",
        "cpsti/cpsti-2020-07-17/cpsti-departemental-naf-latest.csv",
        "nombre_beneficiaires",
        {"dep": "59", "code_section": "F"},
    ),
    (
        "fds_volet2",
        "region",
        "84",
        [],
        "2022-06-24",
        "fonds-solidarite-volet-2-regional-naf-latest.csv",
        "nombre_aides",
        {"reg": "84"},
    ),
]


@pytest.mark.parametrize("scheme,level,code,sections,date,rel,count_col,filters", CASES)
def test_kpis_equal_raw_csv(con, mirror, scheme, level, code, sections, date, rel, count_col, filters):
    amount, count = raw_sum(mirror / PUB / rel, count_col, **filters)
    k = q.kpis(con, scheme, level, code, sections, date)["selection"]
    assert k["amount"] == pytest.approx(amount, abs=0.5) and amount > 0
    assert k["count"] == pytest.approx(count)


def test_activite_partielle_equals_raw(con, mirror):
    path = mirror / PUB / "activite-partielle-2-regional-nace17-latest.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["mois"] == "2020-04"]
    france = sum(
        float(r["nombre_heures_demandees"]) for r in rows if r["code_section_nace17"] == "IZ"
    )  # France, same sections
    idf = sum(
        float(r["nombre_heures_demandees"]) for r in rows if r["reg"] == "11" and r["code_section_nace17"] == "IZ"
    )
    k = q.ap_kpis(con, "region", "11", ["IZ"], "2020-04")
    assert k["selection"]["hours"] == pytest.approx(idf) and k["france"]["hours"] == pytest.approx(france)


def test_flows_are_differences_of_stocks(con):
    ser = q.series(con, "pge", "departement", "2A", [])
    a = ser.dropna(subset=["amount"]).reset_index(drop=True)
    for i in range(1, len(a)):
        assert a.loc[i, "flow"] == pytest.approx(a.loc[i, "amount"] - a.loc[i - 1, "amount"])


@pytest.mark.parametrize("scheme", list(q.SCHEMES))
def test_each_scheme_runs(app, scheme):
    at = app("pages/aides_covid.py", dispositif=scheme)
    at.run()
    assert not at.exception
    assert q.SCHEMES[scheme] in markdown_text(at)


def test_filters_change_kpis_as_sql_predicts(app, con):
    at = app("pages/aides_covid.py", dispositif="pge")
    at.run()
    expected = q.kpis(con, "pge", "france", None, [], "2021-12-31")["selection"]["amount"]
    assert fmt.euros(expected) in markdown_text(at)
    at.radio(key="aides_covid:niveau").set_value("departement").run()
    at.selectbox(key="aides_covid:territoire").set_value("2A").run()
    expected = con.execute(
        "SELECT sum(amount_eur) FROM covid_aid_snapshots WHERE scheme='pge' AND level='departement' "
        "AND territory_code='2A' AND snapshot_date = DATE '2021-12-31'"
    ).fetchone()[0]
    assert fmt.euros(expected) in markdown_text(at)
    at.multiselect(key="aides_covid:sections").set_value(["I"]).run()
    expected = con.execute(
        "SELECT sum(amount_eur) FROM covid_aid_snapshots WHERE scheme='pge' AND level='departement' "
        "AND territory_code='2A' AND naf_section_code='I' AND snapshot_date = DATE '2021-12-31'"
    ).fetchone()[0]
    assert fmt.euros(expected) in markdown_text(at)
    at.selectbox(key="aides_covid:date").set_value("2020-06-26").run()
    expected = con.execute(
        "SELECT sum(amount_eur) FROM covid_aid_snapshots WHERE scheme='pge' AND level='departement' "
        "AND territory_code='2A' AND naf_section_code='I' AND snapshot_date = DATE '2020-06-26'"
    ).fetchone()[0]
    assert fmt.euros(expected) in markdown_text(at)
    assert not at.exception
    qp = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp == {
        "dispositif": "pge",
        "niveau": "departement",
        "territoire": "2A",
        "sections": "I",
        "date": "2020-06-26",
    }


def test_url_round_trip(app):
    params = {
        "dispositif": "fds",
        "niveau": "departement",
        "territoire": "971",
        "sections": "I,G",
        "date": "2021-06-30",
        "carte": "par_habitant",
    }
    at = app("pages/aides_covid.py", params)
    at.run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="aides_covid:dispositif").value == "fds"
    assert at.radio(key="aides_covid:niveau").value == "departement"
    assert at.selectbox(key="aides_covid:territoire").value == "971"
    assert at.multiselect(key="aides_covid:sections").value == ["I", "G"]
    assert at.selectbox(key="aides_covid:date").value == "2021-06-30"
    assert at.radio(key="aides_covid:carte").value == "par_habitant"


def chart_titles(at) -> list[str]:
    from tests.pages.test_charts import figures, title

    return [title(f) for f in figures(at)]


def test_breakdown_tabs_draw_only_the_open_one_and_live_in_the_url(app, con):
    at = app("pages/aides_covid.py", {"dispositif": "fds", "niveau": "region", "territoire": "84"})
    at.run()
    assert not at.exception
    titles = chart_titles(at)
    assert any(t.startswith("Par section NAF") for t in titles) and not any(
        t.startswith("Tranches d'effectif") for t in titles
    )
    at.session_state["aides_covid:repartition"] = "Tranches d'effectif"  # what a click on the tab does
    at.run()
    titles = chart_titles(at)
    assert any(t.startswith("Tranches d'effectif – Auvergne-Rhône-Alpes") for t in titles)
    assert not any(t.startswith("Par section NAF") for t in titles)
    b = q.fds_breakdown(con, "fds", "region", "84", "classe_effectif")
    assert f"<td class='n'>{fmt.integer(b['amount'].iloc[0])}</td>" in "".join(h.proto.body for h in at.get("html"))
    assert not any(m.value.strip("`") == "None" for m in at.markdown)  # no stray value written by Streamlit's magic
    qp = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp["repartition"] == "Tranches d'effectif"
    # a pasted link opens the same tab; other schemes have only the section breakdown, no tabs
    again = app("pages/aides_covid.py", {"dispositif": "fds", "repartition": "Catégories juridiques"})
    again.run()
    assert any(t.startswith("Catégories juridiques – France") for t in chart_titles(again))
    pge = app("pages/aides_covid.py", {"dispositif": "pge"})
    pge.run()
    assert not pge.exception and len(pge.get("tabs")) == 0
    assert any(t.startswith("Par section NAF") for t in chart_titles(pge))


def test_activite_partielle_adapts_filters(app):
    at = app("pages/aides_covid.py", dispositif="activite_partielle", niveau="departement", territoire="75")
    at.run()
    assert not at.exception
    assert at.radio(key="aides_covid:niveau").options == ["France", "Région"]
    assert any("ignorée" in w.value for w in at.warning)
    assert any("grain région" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "params",
    HOSTILE_PARAMS
    + [{"dispositif": "fds_volet2", "niveau": "departement"}, {"dispositif": "cpsti", "date": "2022-06-24"}],
)
def test_hostile_params(app, params):
    at = app("pages/aides_covid.py", params)
    at.run()
    assert not at.exception


HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "pge",
            "fds",
            "activite_partielle",
            "france",
            "region",
            "departement",
            "2A",
            "971",
            "84",
            "I",
            "I,G,ZZ",
            "2021-12-31",
            "2020-04",
            "par_habitant",
        ]
    ),
)


@settings(max_examples=500, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["dispositif", "niveau", "territoire", "sections", "date", "carte", "mesure", "autre"]),
        HOSTILE,
        max_size=7,
    )
)
def test_state_parsing_never_raises(con, params):
    values = parse(params, q.state_spec(con)).values
    assert values["dispositif"] in q.SCHEMES and values["niveau"] in q.levels_for(values["dispositif"])
