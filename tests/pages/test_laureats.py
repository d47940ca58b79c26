"""Lauréats France Relance: reconciliation with the raw files, every filter, URL round trip, fuzzing, all points on the map."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire import fmt
from observatoire.queries import common as q_common
from observatoire.queries import laureats as q
from observatoire.state import parse
from tests.pages.conftest import HOSTILE_PARAMS

IND = q.DEFAULT_INDICATOR


def raw_barometre(mirror, rel):
    with open(mirror / "france-relance-barometre" / rel, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["id_indicateur"] == IND]


def raw_friches(mirror):
    with open(mirror / "cerema_fonds_friches/fonds_friches_sites.derived.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("date", ["2021-03-31", "2021-12-31", "2022-06-30", "2022-12-31"])
def test_national_count_at_dates(con, mirror, date):
    raw = {
        r["date"]: float(r["valeur"])
        for r in raw_barometre(mirror, "barometre-resultats-relance-emploi-economie-detail-national.csv")
    }
    assert q.national_value(con, IND, date) == raw[date]


@pytest.mark.parametrize("dep", ["01", "2A", "69", "971", "976"])
def test_department_values(con, mirror, dep):
    raw = {
        r["date"]: float(r["valeur"])
        for r in raw_barometre(
            mirror, f"departements/detail/barometre-resultats-relance-emploi-economie-detail-departement-{dep}.csv"
        )
    }
    got = q.departement_values(con, IND, "2022-12-31").set_index("code")["value"]
    assert got[dep] == raw["2022-12-31"]
    ser = q.series(con, IND, dep)
    dep_ser = ser[ser["serie"].str.endswith("(département)")]
    assert {str(d)[:10]: v for d, v in zip(dep_ser["date"], dep_ser["value"])} == raw


def test_series_draws_france_once_and_names_unknown_codes(built_db):
    """relance_indicators with a second national row per date and a department the reference lists lack (as the 10x
    and 100x bench copies hold): France stays the national file's one point per date, and the department is drawn
    under its code, not dropped."""
    import duckdb

    mem = duckdb.connect()
    mem.execute(f"ATTACH '{built_db}' AS src (READ_ONLY)")
    for table in ("geo_departements", "geo_regions"):
        mem.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
    mem.execute(
        "CREATE TABLE relance_indicators AS SELECT * FROM src.relance_indicators UNION ALL "
        "SELECT * REPLACE (territory_code || '~1' AS territory_code) FROM src.relance_indicators"
    )
    national = {
        str(d)[:10]: v
        for d, v in mem.execute(
            "SELECT date, value FROM src.relance_indicators WHERE level = 'france' AND indicator_id = ?", [IND]
        ).fetchall()
    }
    ser = q.series(mem, IND, "69~1")
    france = ser[ser["serie"] == "France"]
    assert {str(d)[:10]: v for d, v in zip(france["date"], france["value"])} == national
    assert len(france) == len(national) > 0
    assert set(ser["serie"]) == {"France", "69~1 (département)"}
    assert q.national_value(mem, IND, "2022-12-31") == national["2022-12-31"]


def test_friches_laureates_total_by_edition_and_region(con, mirror):
    raw = [r for r in raw_friches(mirror) if r["ds_laureat_fv"] == "Oui"]
    rows = q.explorer_rows(con, {}, "", False)
    assert len(rows) == len(raw) == 914
    by_edition = {}
    for r in raw:
        by_edition[r["programme"]] = by_edition.get(r["programme"], 0) + 1
    assert rows.groupby("edition").size().to_dict() == by_edition
    # by region: the raw department code -> region through the COG
    dep_region = dict(
        con.execute(
            "SELECT d.departement_code, r.name FROM geo_departements d JOIN geo_regions r USING (region_code)"
        ).fetchall()
    )
    raw_by_region = {}
    for r in raw:
        reg = dep_region[r["dep"]]
        raw_by_region[reg] = raw_by_region.get(reg, 0) + 1
    assert rows.groupby("region_name").size().to_dict() == raw_by_region
    for edition, n in by_edition.items():
        assert len(q.explorer_rows(con, {"editions": [edition]}, "", False)) == n


def test_candidates_toggle(con, mirror):
    raw = [
        r
        for r in raw_friches(mirror)
        if r["ds_laureat_fv"] in ("Oui", "Non") and r["programme"].startswith("Fonds friches edition")
    ]
    assert len(q.explorer_rows(con, {}, "", True)) == len(raw) == 2206


def test_search_and_facet_counts_agree_with_rows(con):
    counts = q.facet_counts(con, {"regions": ["Bretagne"]}, "", False)
    rows = q.explorer_rows(con, {"regions": ["Bretagne"]}, "", False)
    assert counts["departements"]["n"].sum() == len(rows)  # facets are computed on the filtered rows
    assert dict(zip(counts["regions"]["value"], counts["regions"]["n"]))["Bretagne"] == len(rows)
    brest = q.explorer_rows(con, {}, "brest", True)
    hay = brest["name"].fillna("") + " " + brest["commune_name"].fillna("")
    assert len(brest) > 0 and hay.str.contains("brest", case=False).all()
    assert len(q.explorer_rows(con, {}, "'; DROP TABLE friches_sites; --", True)) == 0


def deck_points(at) -> int:
    for el in at.get("deck_gl_json_chart"):
        spec = json.loads(el.proto.json)
        for layer in spec.get("layers", []):
            if layer.get("id") == "points":
                return len(layer["data"])
    raise AssertionError("couche de points absente")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"candidats": "oui"},
        {"regions": "Bretagne,Normandie"},
        {"editions": "Fonds friches edition 3"},
        {"q": "lyon", "candidats": "oui"},  # no site: the note instead of a map
        {"q": "quimper", "candidats": "oui"},
        {"ti": "Pays de Lorient – Quimperlé"},
    ],
)
def test_every_selected_row_is_a_point(app, con, params):
    at = app("pages/laureats.py", params)
    at.run()
    assert not at.exception
    filters = {k: v.split(",") for k, v in params.items() if k in q.FACETS}
    rows = q.explorer_rows(con, filters, params.get("q", ""), params.get("candidats") == "oui")
    if rows.empty:  # nothing selected: said in a note, no empty map
        assert any("Aucun site ni projet ne correspond" in i.value for i in at.info)
        return
    assert deck_points(at) == len(rows.dropna(subset=["lat", "lon"])) == len(rows)
    assert f"{fmt.integer(len(rows))} points sur la carte" in " ".join(c.value for c in at.caption)


def test_facet_lists_count_rows_under_the_other_filters(app, con):
    """Each sidebar list: its values, most frequent first, each with the number of rows the other filters leave; a
    chosen value those filters exclude (from a link) stays listed with 0."""
    at = app("pages/laureats.py", {"regions": "Bretagne,Normandie"})
    at.run()
    rows = q.explorer_rows(con, {"regions": ["Bretagne", "Normandie"]}, "", False)
    expected = [
        f"{v} ({fmt.integer(n)})"
        for v, n in sorted(rows["departement_name"].value_counts().items(), key=lambda x: (-x[1], x[0]))
    ]
    assert at.multiselect(key="laureats:departements").options == expected and len(expected) == 9
    at = app("pages/laureats.py", {"regions": "Bretagne,Normandie", "departements": "Finistère"})
    at.run()
    rows = q.explorer_rows(con, {"departements": ["Finistère"]}, "", False)
    assert at.multiselect(key="laureats:regions").options == [f"Bretagne ({fmt.integer(len(rows))})", "Normandie (0)"]
    assert at.multiselect(key="laureats:regions").value == ["Bretagne", "Normandie"]


def test_each_filter_changes_the_selection(app, con):
    at = app("pages/laureats.py")
    at.run()
    total = deck_points(at)
    at.multiselect(key="laureats:regions").set_value(["Bretagne"]).run()
    assert deck_points(at) == len(q.explorer_rows(con, {"regions": ["Bretagne"]}, "", False)) < total
    at.multiselect(key="laureats:editions").set_value(["Fonds friches edition 1"]).run()
    assert deck_points(at) == len(
        q.explorer_rows(con, {"regions": ["Bretagne"], "editions": ["Fonds friches edition 1"]}, "", False)
    )
    at.toggle(key="laureats:candidats").set_value(True).run()
    assert deck_points(at) == len(
        q.explorer_rows(con, {"regions": ["Bretagne"], "editions": ["Fonds friches edition 1"]}, "", True)
    )
    at.text_input(key="laureats:q").set_value("quimper").run()
    n = len(q.explorer_rows(con, {"regions": ["Bretagne"], "editions": ["Fonds friches edition 1"]}, "quimper", True))
    assert deck_points(at) == n
    assert at.selectbox.len == 0  # the indicators tab is closed: its widgets are not drawn
    at.session_state["laureats:vue"] = "Indicateurs"  # what a click on the tab does
    at.run()
    assert not at.get("deck_gl_json_chart") or all("points" not in el.proto.json for el in at.get("deck_gl_json_chart"))
    at.selectbox(key="laureats:indicateur").set_value("nb-entreprises-cheaque-numerique").run()
    at.selectbox(key="laureats:departement").set_value("2A").run()
    at.radio(key="laureats:carte").set_value("pour_100k").run()
    assert not at.exception
    qp = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert (
        qp["regions"] == "Bretagne" and qp["candidats"] == "oui" and qp["q"] == "quimper" and qp["departement"] == "2A"
    )
    assert (
        qp["indicateur"] == "nb-entreprises-cheaque-numerique"
        and qp["carte"] == "pour_100k"
        and qp["vue"] == "Indicateurs"
    )
    # back to the explorer: its selection and the indicator choices are both kept (URL and widgets)
    at.session_state["laureats:vue"] = "Explorateur"
    at.run()
    assert deck_points(at) == n
    qp = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp["indicateur"] == "nb-entreprises-cheaque-numerique" and qp["departement"] == "2A" and "vue" not in qp
    at.session_state["laureats:vue"] = "Indicateurs"
    at.run()
    assert at.selectbox(key="laureats:indicateur").value == "nb-entreprises-cheaque-numerique"
    assert at.radio(key="laureats:carte").value == "pour_100k"


def test_url_round_trip(app):
    params = {
        "indicateur": "nombre-contrats-apprentissage",
        "date": "2021-12-31",
        "carte": "pour_100k",
        "departement": "971",
        "regions": "Bretagne",
        "editions": "Fonds friches edition 2",
        "candidats": "oui",
        "q": "rennes",
        "vue": "Indicateurs",
    }
    at = app("pages/laureats.py", params)
    at.run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="laureats:indicateur").value == "nombre-contrats-apprentissage"
    assert at.selectbox(key="laureats:date").value == "2021-12-31"
    assert at.selectbox(key="laureats:departement").value == "971"
    assert at.multiselect(key="laureats:regions").value == ["Bretagne"]
    assert at.toggle(key="laureats:candidats").value is True
    assert at.text_input(key="laureats:q").value == "rennes"


def test_dge_absent_is_said_in_one_line(app):
    at = app("pages/laureats.py")
    at.run()
    assert any("n'est pas chargée" in i.value for i in at.info)


@pytest.mark.parametrize(
    "params",
    HOSTILE_PARAMS
    + [
        {"indicateur": "x", "date": "2022-12-31"},
        {"candidats": "peut-être"},
        {"agregation": "oui"},
        {"q": "%' OR 1=1 --"},
    ],
)
def test_hostile_params(app, params):
    at = app("pages/laureats.py", params)
    at.run()
    assert not at.exception


@settings(max_examples=500, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["indicateur", "date", "carte", "departement", "regions", "editions", "q", "candidats", "ti", "x"]
        ),
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(["Bretagne", "oui", "2A", "2022-12-31", IND, "Fonds friches edition 1"]),
        ),
        max_size=8,
    )
)
def test_state_parsing_never_raises(con, params):
    values = parse(params, q.state_spec(con)).values
    assert values["indicateur"] in q.indicators(con)["indicator_id"].tolist()


@pytest.mark.parametrize(
    "filters, search, candidates",
    [
        ({}, "", False),
        ({}, "", True),
        ({"regions": ["Bretagne", "Normandie"]}, "", True),
        ({"editions": ["Fonds friches edition 3"]}, "", False),
        ({}, "zzzz-aucun", True),
    ],
)
def test_explorer_summary_counts_exactly_the_explorer_rows(con, filters, search, candidates):
    # the KPIs and breakdowns come from SQL; recounted here in pandas from the rows the grid and downloads hold
    rows = q.explorer_rows(con, filters, search, candidates)
    s = q.explorer_summary(con, filters, search, candidates)
    assert (s["rows"], s["laureates"], s["communes"], s["departements"], s["in_ti"], s["located"]) == (
        len(rows),
        int(rows["laureate"].sum()),
        rows["commune_code"].nunique(),
        rows["departement_code"].nunique(),
        int(rows["ti_id"].notna().sum()),
        int((rows["lat"].notna() & rows["lon"].notna()).sum()),
    )
    deficit = rows["declared_deficit_eur"].sum(min_count=1)
    assert (
        (s["declared_deficit_eur"] is None) if pd.isna(deficit) else s["declared_deficit_eur"] == pytest.approx(deficit)
    )
    assert s["measures"] == sorted(rows["measure"].dropna().unique())
    by_type = rows["company_type"].fillna(q.NONE_LABEL).value_counts()
    assert dict(zip(s["by_type"]["company_type"], s["by_type"]["n"])) == by_type.to_dict()
    by_region = rows.dropna(subset=["region_name"]).groupby(["region_name", "measure"]).size()
    got = s["by_region"][s["by_region"]["n"] > 0].set_index(["region_name", "measure"])["n"]
    assert got.to_dict() == by_region.to_dict()
    assert s["by_region"]["region_name"].nunique() == len(q_common.regions(con))  # every region, 0 where none
