"""Groundwork for the Territoires d'industrie page: territory indicators against independent reads of the raw files."""
from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from observatoire.queries import territoires as q

TI = "territoires-industrie"


def raw_members_2024(mirror) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in json.loads((mirror / TI / "phase2_183_anct_2024/ti_geom.geojson").read_text())["features"]:
        p = f["properties"]
        out[p["id_territoire"]] = [item.rsplit("(", 1)[1].rstrip(")") for item in p["liste_geo"].split("; ")]
    return out


@pytest.mark.parametrize("territory", ["ti-8401", "ti-2806", "ti-0101"])
def test_population_2024_equals_raw(con, mirror, territory):
    members = raw_members_2024(mirror)[territory]
    epci = {e["code"]: e for e in json.loads((mirror / "geo_decoupage_administratif_npm/data/epci.json").read_text())}
    # populations of communes.json (latest legal populations); the EPCI file's member populations are an older vintage
    pop = {c["code"]: c.get("population") or 0 for c in json.loads((mirror / "geo_decoupage_administratif_npm/data/communes.json").read_text())
           if c["type"] == "commune-actuelle"}
    expected = sum(pop[m["code"]] for s in members if s in epci for m in epci[s]["membres"])
    assert all(s in epci for s in members)
    assert q.territories(con, 2024).set_index("territory_id").loc[territory, "population"] == expected


@pytest.mark.parametrize("territory", ["ti-8401", "ti-2806", "ti-0101"])
@pytest.mark.parametrize("year", [2014, 2024])
def test_urssaf_jobs_2024_equals_raw_epci_sum(con, mirror, territory, year):
    raw = pd.read_parquet(mirror / "urssaf_flores_ze2020_a38_ptod/urssaf_serie_indice100.parquet")
    epci = raw[(raw["echelon"] == "epci") & (raw["year"] == year)].set_index("code")["eff_total"]
    members = raw_members_2024(mirror)[territory]
    assert all(s in epci.index for s in members)
    assert q.urssaf_jobs(con, 2024, year).set_index("territory_id").loc[territory, "jobs"] == epci[members].sum()


def test_urssaf_sum_over_territories_equals_sum_over_member_epci(con):
    t = q.urssaf_jobs(con, 2024, 2024)
    members = con.execute("""SELECT sum(u.jobs) FROM ti_members m JOIN urssaf_emploi_series u ON u.level='epci'
                             AND u.territory_code = m.member_code AND u.year = 2024 WHERE m.version = 2024""").fetchone()[0]
    assert t["jobs_from_epci"].sum() == members


@pytest.mark.parametrize("territory", ["8401", "2806", "7601"])
def test_fabrication_2020_version_equals_raw(con, mirror, territory):
    with open(mirror / TI / "phase1_148_communes_2020/terrind_communes_201013.derived.csv", encoding="utf-8") as fh:
        communes = {r["code_commune"] for r in csv.DictReader(fh) if r["code_terrind"] == territory}
    for year, yy in ((1999, "99"), (2016, "16")):
        path = mirror / f"insee_analyse_fonctionnelle_emplois_communes_1999_2016/Analyse fonctionnelle - Données communales - {year}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header = rows[10]
        i_code, i_fab = header.index("CODGEO"), header.index(f"FABRIC{yy}")
        raw = sum(float(r[i_fab].replace(",", "")) for r in rows[11:] if r and r[i_code] in communes and r[i_fab] not in ("", "nd"))
        got = q.census_jobs(con, 2020, year).set_index("territory_id")
        # Exact for 8401/1999 and 2806; within 0,2 % elsewhere: a commune merged after 2020 moves to a 2026 commune
        # whose code the 2020 list does not hold (e.g. 14 923 vs 14 938 for 8401 in 2016). To be made exact in issue 6.
        assert got.loc[territory, "jobs_fabrication"] == pytest.approx(raw, rel=0.002)


def test_unemployment_is_a_weighted_mean_within_zone_bounds(con):
    u = q.unemployment(con, 2024, "2023-07-01")
    rates = con.execute("SELECT min(rate_pct), max(rate_pct) FROM chomage_rates WHERE level='ze2020' AND quarter = DATE '2023-07-01'").fetchone()
    assert len(u) > 150 and u["rate_pct"].between(rates[0], rates[1]).all()
