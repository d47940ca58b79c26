"""Each fact table against an independent read of its raw files: row counts and totals of the main measure."""

from __future__ import annotations

import csv
import json
import re

import pytest

COVID = "aides_covid_etalab/published-data"


def test_pge_latest_departemental_equals_raw(con, raw, mirror):
    f = mirror / COVID / "pge-departemental-naf-latest.csv"
    n, total, count = raw.execute(
        "SELECT count(*), sum(CAST(montant_total AS DOUBLE)), sum(CAST(nombre_pge AS DOUBLE)) "
        "FROM read_csv(?, all_varchar=true)",
        [str(f)],
    ).fetchone()
    got = con.execute(
        "SELECT count(*), sum(amount_eur), sum(aid_count) FROM covid_aid_snapshots WHERE scheme='pge' "
        "AND level='departement' AND snapshot_date=(SELECT max(snapshot_date) FROM covid_aid_snapshots WHERE scheme='pge')"
    ).fetchone()
    assert got == (n, pytest.approx(total, abs=0.5), pytest.approx(count))
    assert n == 1747  # PROVENANCE: 1,747 rows


def test_fds_volet1_latest_equals_raw(con, raw, mirror):
    f = mirror / COVID / "fonds-solidarite-volet-1-departemental-naf-latest.csv"
    n, total, firms = raw.execute(
        "SELECT count(*), sum(CAST(montant_total AS DOUBLE)), sum(CAST(nombre_entreprises AS DOUBLE)) "
        "FROM read_csv(?, all_varchar=true)",
        [str(f)],
    ).fetchone()
    got = con.execute(
        "SELECT count(*), sum(amount_eur), sum(firm_count) FROM covid_aid_snapshots WHERE scheme='fds' "
        "AND level='departement' AND snapshot_date = DATE '2022-06-24'"
    ).fetchone()
    assert got == (n, pytest.approx(total, abs=0.5), pytest.approx(firms))


def test_every_covid_snapshot_file_reconciles(con, mirror):
    """Every dated CSV: same rows and same amount as the database rows it produced."""
    db = {
        (f, n, a)
        for f, n, a in con.execute(
            "SELECT source_file, count(*), round(sum(amount_eur)) FROM covid_aid_snapshots GROUP BY 1"
        ).fetchall()
    }
    files = sorted(p for p in (mirror / COVID).glob("*/*/*-naf-latest.csv") if "activite" not in str(p))
    assert len(files) > 100
    expected = set()
    for p in files:
        with open(p, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        expected.add(
            (
                str(p.relative_to(mirror / "aides_covid_etalab")),
                len(rows),
                round(sum(float(r["montant_total"]) for r in rows)),
            )
        )
    assert expected <= db


def test_activite_partielle_monthly_equals_raw(con, raw, mirror):
    f = mirror / COVID / "activite-partielle-2-regional-nace17-latest.csv"
    n, hours = raw.execute(
        "SELECT count(*), sum(CAST(nombre_heures_demandees AS DOUBLE)) FROM read_csv(?, all_varchar=true)", [str(f)]
    ).fetchone()
    assert con.execute(
        "SELECT count(*), sum(hours) FROM covid_activite_partielle WHERE dataset='ap_mensuel'"
    ).fetchone() == (n, pytest.approx(hours))


def test_fds_breakdowns_equal_raw(con, raw, mirror):
    f = mirror / COVID / "fonds-solidarite-volet-1-departemental-classe-effectif-latest.csv"
    n, total = raw.execute(
        "SELECT count(*), sum(CAST(montant_total AS DOUBLE)) FROM read_csv(?, all_varchar=true)", [str(f)]
    ).fetchone()
    got = con.execute(
        "SELECT count(*), sum(amount_eur) FROM covid_fds_breakdowns WHERE volet='VOLET1' AND level='departement' "
        "AND dimension='classe_effectif'"
    ).fetchone()
    assert got == (n, pytest.approx(total, abs=0.5))


def test_dashboard_whole_fds_national_equals_json(con, mirror):
    data = json.loads((mirror / "aides_covid_etalab/backend/json/aides/aides-maille-national.json").read_text())
    got = con.execute("SELECT amount_eur FROM covid_dashboard_kpis WHERE scheme='aides' AND level='france'").fetchone()[
        0
    ]
    assert got == pytest.approx(float(data[0]["montant"]))


def test_relance_national_count_2022_12_31(con, mirror):
    path = mirror / "france-relance-barometre/barometre-resultats-relance-emploi-economie-detail-national.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        value = next(
            float(r["valeur"])
            for r in csv.DictReader(fh)
            if r["id_indicateur"] == "nb-entreprises-industrielles-agricoles" and r["date"] == "2022-12-31"
        )
    got = con.execute(
        "SELECT value FROM relance_indicators WHERE level='france' AND indicator_id='nb-entreprises-industrielles-agricoles' "
        "AND date = DATE '2022-12-31'"
    ).fetchone()[0]
    assert got == value == 8972


def test_relance_department_rows_equal_raw(con, raw, mirror):
    files = str(mirror / "france-relance-barometre/departements/detail/*.csv")
    n, total = raw.execute(
        "SELECT count(*), sum(CAST(valeur AS DOUBLE)) FROM read_csv(?, all_varchar=true)", [files]
    ).fetchone()
    assert con.execute("SELECT count(*), sum(value) FROM relance_indicators WHERE level='departement'").fetchone() == (
        n,
        pytest.approx(total),
    )


@pytest.mark.parametrize(
    "version,path,key",
    [
        (2024, "territoires-industrie/phase2_183_anct_2024/ti_geom.geojson", "id_territoire"),
        (2022, "territoires-industrie/phase1_149_anct_datagouv/polygone-4326_ti.geojson", "id_ti"),
    ],
)
def test_ti_territories_per_version(con, mirror, version, path, key):
    ids = {f["properties"][key] for f in json.loads((mirror / path).read_text())["features"]}
    got = {r[0] for r in con.execute("SELECT territory_id FROM ti_territories WHERE version = ?", [version]).fetchall()}
    assert got == ids and len(ids) == {2024: 183, 2022: 149}[version]


def test_ti_2020_territories_and_members(con, mirror):
    with open(
        mirror / "territoires-industrie/phase1_148_communes_2020/terrind_communes_201013.derived.csv", encoding="utf-8"
    ) as fh:
        rows = list(csv.DictReader(fh))
    assert (
        con.execute("SELECT count(*) FROM ti_territories WHERE version = 2020").fetchone()[0]
        == len({r["code_terrind"] for r in rows})
        == 148
    )
    assert con.execute("SELECT count(*) FROM ti_members WHERE version = 2020").fetchone()[0] == len(rows)


def test_communes_and_epci_counts(con, mirror):
    communes = json.loads((mirror / "geo_decoupage_administratif_npm/data/communes.json").read_text())
    epci = json.loads((mirror / "geo_decoupage_administratif_npm/data/epci.json").read_text())
    assert con.execute("SELECT count(*), sum(population) FROM geo_communes").fetchone() == (
        sum(c["type"] == "commune-actuelle" for c in communes),
        sum(c.get("population") or 0 for c in communes if c["type"] == "commune-actuelle"),
    )
    assert con.execute("SELECT count(*) FROM geo_epci").fetchone()[0] == len(epci) == 1255


def test_friches_laureates(con, mirror):
    with open(mirror / "cerema_fonds_friches/fonds_friches_sites.derived.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE laureate) FROM friches_sites").fetchone() == (
        len(rows),
        sum(r["ds_laureat_fv"] == "Oui" for r in rows),
    )


def test_fabrication_jobs_2016_total(con, mirror):
    path = (
        mirror
        / "insee_analyse_fonctionnelle_emplois_communes_1999_2016/Analyse fonctionnelle - Données communales - 2016.csv"
    )
    with open(path, encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    header = lines[10]
    idx = header.index("FABRIC16")
    total = sum(float(r[idx].replace(",", "")) for r in lines[11:] if r and r[idx] not in ("", "nd"))
    assert con.execute("SELECT sum(jobs_fabrication) FROM emploi_fonctions_communes WHERE year = 2016").fetchone()[
        0
    ] == pytest.approx(total)


def test_urssaf_epci_series_equals_parquet(con, raw, mirror):
    f = str(mirror / "urssaf_flores_ze2020_a38_ptod/urssaf_serie_indice100.parquet")
    expected = raw.execute(
        "SELECT count(*), sum(eff_total) FROM read_parquet(?) WHERE echelon = 'epci'", [f]
    ).fetchone()
    assert con.execute("SELECT count(*), sum(jobs) FROM urssaf_emploi_series WHERE level = 'epci'").fetchone() == (
        expected[0],
        pytest.approx(expected[1]),
    )


def test_establishments_total(con, mirror):
    with open(
        mirror / "insee_etablissements_salaires_commune_2014/base_etablissement_par_tranche_effectif.csv",
        encoding="utf-8",
    ) as fh:
        total = sum(float(r["E14TST"]) for r in csv.DictReader(fh))
    assert con.execute("SELECT sum(total) FROM etablissements_communes_2014").fetchone()[0] == total == 4528492


def test_unemployment_zone_value(con, mirror):
    import pandas as pd

    ze = pd.read_excel(
        mirror / "insee_chomage_localise/chomage-zone-t1-2003-t3-2023.xlsx",
        sheet_name="txcho_ze",
        skiprows=5,
        dtype=str,
        engine="openpyxl",
    )
    row = ze[ze["ZE2020"] == "2815"].iloc[0]
    got = con.execute(
        "SELECT rate_pct FROM chomage_rates WHERE level='ze2020' AND territory_code='2815' AND quarter = DATE '2023-07-01'"
    ).fetchone()[0]
    assert got == pytest.approx(float(row["2023-T3"]))


def test_sources_table_is_complete(con):
    from observatoire.manifest import load_manifest

    rows = {r[0]: r for r in con.execute("SELECT source_id, status, rows_loaded, sha256 FROM sources").fetchall()}
    assert set(rows) == set(load_manifest())
    for sid, (_, status, n, sha) in rows.items():
        if status == "chargée":
            assert n > 0 and re.fullmatch(r"[0-9a-f]{64}", sha), sid
