"""Codes stay text and keep their zeros; suppressed cells stay NULL."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from observatoire.pipeline import read as r
from observatoire.pipeline.errors import BuildError

DEP_RE = r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8])$"


def test_departement_codes_keep_leading_zero_and_letters(con):
    codes = {c for (c,) in con.execute("SELECT departement_code FROM geo_departements").fetchall()}
    assert {"01", "09", "2A", "2B", "971", "972", "973", "974", "976"} <= codes
    assert not any(c.isdigit() and len(c) == 1 for c in codes)


@pytest.mark.parametrize(
    "table,column,where",
    [
        ("covid_aid_snapshots", "territory_code", "level='departement' AND territory_code NOT IN ('ND', '958')"),
        ("relance_indicators", "territory_code", "level='departement'"),
        ("friches_sites", "departement_code", "true"),
        ("geo_communes", "departement_code", "zone <> 'com'"),
    ],
)
def test_fact_departement_codes_are_valid(con, table, column, where):
    bad = con.execute(
        f"SELECT DISTINCT {column} FROM {table} WHERE {where} AND NOT regexp_full_match({column}, '{DEP_RE[1:-1]}')"
    ).fetchall()
    assert bad == []


def test_corsica_and_overseas_present_in_facts(con):
    for table, col, where in (
        ("covid_aid_snapshots", "territory_code", "scheme='pge' AND level='departement'"),
        ("relance_indicators", "territory_code", "level='departement'"),
    ):
        codes = {c for (c,) in con.execute(f"SELECT DISTINCT {col} FROM {table} WHERE {where}").fetchall()}
        assert {"2A", "2B", "971", "972", "973", "974"} <= codes, table


def test_commune_codes_are_five_characters(con):
    for table in ("geo_communes", "emploi_fonctions_communes", "etablissements_communes_2014", "friches_sites"):
        assert con.execute(f"SELECT count(*) FROM {table} WHERE length(commune_code) <> 5").fetchone()[0] == 0, table
    # the 2014 file had its leading zeros stripped: 1001 must come back as 01001
    assert (
        con.execute("SELECT count(*) FROM etablissements_communes_2014 WHERE commune_code = '01001'").fetchone()[0] == 1
    )


def test_epci_sirens_are_nine_digits(con):
    assert (
        con.execute("SELECT count(*) FROM geo_epci WHERE NOT regexp_full_match(epci_siren, '[0-9]{9}')").fetchone()[0]
        == 0
    )


def test_suppressed_or_absent_cells_are_null_not_zero(con, mirror):
    # Before 2021 the FDS files had no nombre_entreprises: the firm count must be NULL there, never 0
    n_null, n_zero = con.execute(
        "SELECT count(*) FILTER (WHERE firm_count IS NULL), count(*) FILTER (WHERE firm_count = 0) "
        "FROM covid_aid_snapshots WHERE scheme='fds' AND snapshot_date < DATE '2021-01-01'"
    ).fetchone()
    assert n_null > 0 and n_zero == 0
    # Mayotte is 'nd' in the 2016 functions file: NULL in the database
    with open(
        mirror
        / "insee_analyse_fonctionnelle_emplois_communes_1999_2016/Analyse fonctionnelle - Données communales - 2016.csv",
        encoding="utf-8",
    ) as fh:
        rows = list(csv.reader(fh))[11:]
    nd = {r[0] for r in rows if r and r[4] == "nd"}
    assert nd
    got = con.execute(
        "SELECT count(*) FROM emploi_fonctions_communes WHERE year=2016 AND jobs_total IS NULL"
    ).fetchone()[0]
    assert got == len(nd)


@pytest.mark.parametrize(
    "text,expected", [("1 234,5", 1234.5), ("1\u202f234,5", 1234.5), ("", None), ("nd", None), ("s", None), ("0", 0.0)]
)
def test_to_number_french(text, expected):
    got = r.to_number(pd.Series([text]), "x", "f.csv", "c", thousands=" ", decimal=",").iloc[0]
    assert (pd.isna(got) and expected is None) or got == expected


def test_to_number_refuses_text():
    with pytest.raises(BuildError, match="valeurs non numériques"):
        r.to_number(pd.Series(["12", "douze"]), "x", "f.csv", "c")


@pytest.mark.parametrize("raw,expected", [("1", "01"), ("1.0", "01"), ("2a", "2A"), ("971", "971"), ("75", "75")])
def test_norm_departement(raw, expected):
    assert r.norm_departement(pd.Series([raw]), "x", "f").iloc[0] == expected


def test_norm_departement_refuses_unknown():
    with pytest.raises(BuildError, match="codes département invalides"):
        r.norm_departement(pd.Series(["999"]), "x", "f")


def test_labels_get_their_windows_1252_punctuation_back():
    raw = pd.Series(
        [
            "Friche urbaine \x96 îlots anciens dégradés,Friche commerciale\t\t",
            "Etablissement public d'\x92aménagement (EPA)",
            None,
            "Friche portuaire, aéroportuaire, routière, ou ferroviaire",
        ]
    )
    assert r.clean_label(raw, list_sep=",").tolist()[:2] == [
        "Friche urbaine – îlots anciens dégradés, Friche commerciale",
        "Etablissement public d'aménagement (EPA)",
    ]
    assert pd.isna(r.clean_label(raw)[2])
    assert r.clean_label(raw, list_sep=",")[3] == raw[3]  # commas inside a label already have their space


def test_friches_categories_are_not_split_by_the_spelling_of_the_file(con, mirror):
    """Each category counts the same rows as in the raw file, whatever dash, quote or spacing a row used there."""
    with open(mirror / "cerema_fonds_friches/fonds_friches_sites.derived.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ilots = sum("îlots anciens dégradés" in row["ds_nat_friche"] for row in rows)
    epa = sum("aménagement (EPA)" in row["ds_mo_requal"] for row in rows)
    assert ilots > 300 and epa > 20
    assert (
        con.execute(
            "SELECT count(*) FROM friches_sites WHERE friche_nature LIKE '%Friche urbaine – îlots anciens dégradés%'"
        ).fetchone()[0]
        == ilots
    )
    assert (
        con.execute(
            "SELECT count(*) FROM friches_sites WHERE owner_type = 'Etablissement public d''aménagement (EPA)'"
        ).fetchone()[0]
        == epa
    )
    for column in ("site_type", "site_status", "intervention", "intervention_logic", "owner_type", "friche_nature"):
        bad = con.execute(
            f"SELECT count(*) FROM friches_sites WHERE regexp_matches({column}, '[\\x{{80}}-\\x{{9f}}\\t]')"
        ).fetchone()[0]
        assert bad == 0, column
