"""The DGE 'plan-de-relance' adapter, on a small fixture written in the official export's exact schema."""

from __future__ import annotations

import pandas as pd
import pytest

from observatoire.pipeline.errors import BuildError
from observatoire.pipeline.france_relance import parse_dge_projects

HEADER = (
    "entreprise;type_entreprise;siren;volet_relance;mesure;nom_departement;nom_commune;code_postal;coordonnees_gps;"
    "description_projet;mesure_light;mise_a_jour;filiere;tonnes_equivalent_co2_pour_les_projets_decarbonation;"
    "code_departement;nom_region"
)
ROWS = [
    'ACME SAS;PME;123456789;Compétitivité;Soutien à l\'investissement industriel dans les territoires;Rhône;Lyon;69003;"45.7578, 4.8320";'
    "Nouvelle ligne de production;Territoires d'industrie;2022-04-08;Mécanique;;69;Auvergne-Rhône-Alpes",
    'Corsica Énergie;ETI;12345678900017;Écologie;Décarbonation de l\'industrie;Corse-du-Sud;Ajaccio;20000;"41.9192, 8.7386";'
    "Chaudière biomasse;Décarbonation;2022-04-08;Énergie;1 250,5;2A;Corse",
    "Sucrerie Antilles;GE;987654321;Compétitivité;Résilience;Guadeloupe;Le Moule;97160;;Relocalisation;Résilience;2022-04-08;Agroalimentaire;;971;Guadeloupe",
]


def write(tmp_path, header=HEADER, rows=ROWS, extra_cols=""):
    path = tmp_path / "plan-de-relance.csv"
    path.write_text("\n".join([header + extra_cols] + rows) + "\n", encoding="utf-8")
    return path


def test_adapter_parses_official_columns(tmp_path):
    df = parse_dge_projects(write(tmp_path))
    assert len(df) == 3
    assert df["lat"].tolist()[:2] == [45.7578, 41.9192] and df["lon"].tolist()[:2] == [4.8320, 8.7386]
    assert pd.isna(df["lat"].iloc[2])  # no coordinates: kept, not invented
    assert df["departement_code"].tolist() == ["69", "2A", "971"]
    assert df["siren"].tolist() == ["123456789", "123456789", "987654321"]
    assert df["siret"].iloc[1] == "12345678900017" and pd.isna(df["siret"].iloc[0])
    assert df["co2_t"].iloc[1] == 1250.5 and pd.isna(df["co2_t"].iloc[0])
    assert df["investment_eur"].isna().all() and df["state_aid_eur"].isna().all()  # absent columns: NULL, never 0
    assert str(df["date"].iloc[0]) == "2022-04-08"


def test_adapter_reads_amounts_when_present(tmp_path):
    rows = [r + ";1 500 000;250 000,5" for r in ROWS]
    df = parse_dge_projects(write(tmp_path, rows=rows, extra_cols=";montant_investissement;montant_participation_etat"))
    assert df["investment_eur"].tolist() == [1_500_000.0] * 3
    assert df["state_aid_eur"].tolist() == [250_000.5] * 3


def test_adapter_refuses_bad_coordinates(tmp_path):
    rows = [ROWS[0].replace('"45.7578, 4.8320"', '"quarante-cinq"')]
    with pytest.raises(BuildError, match="coordonnées GPS illisibles"):
        parse_dge_projects(write(tmp_path, rows=rows))


def test_adapter_refuses_missing_column(tmp_path):
    with pytest.raises(BuildError, match="colonnes manquantes : coordonnees_gps"):
        parse_dge_projects(write(tmp_path, header=HEADER.replace("coordonnees_gps", "gps")))


def comma_file(tmp_path, rows=ROWS):
    """The same export as asked with delimiter=%2C: comma-separated, UTF-8 with a BOM, fields quoted where needed."""
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for line in [HEADER, *rows]:
        w.writerow(next(csv.reader([line], delimiter=";")))
    path = tmp_path / "plan-de-relance.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def test_adapter_reads_both_separators_alike(tmp_path):
    semicolon = parse_dge_projects(write(tmp_path))
    comma = parse_dge_projects(comma_file(tmp_path))
    pd.testing.assert_frame_equal(semicolon, comma)
    assert comma["beneficiary"].iloc[1] == "Corsica Énergie" and comma["co2_t"].iloc[1] == 1250.5


def test_sector_spellings_that_differ_by_case_are_one(tmp_path):
    rows = [
        ROWS[0].replace(";Mécanique;", ";Mode et luxe;"),
        ROWS[1].replace(";Énergie;", ";Mode et Luxe;"),
        ROWS[2].replace(";Agroalimentaire;", "; mode et luxe ;"),
        ROWS[0].replace(";Mécanique;", ";Mode et luxe;").replace("ACME SAS", "Autre SA"),
    ]
    df = parse_dge_projects(write(tmp_path, rows=rows))
    assert df["sector"].tolist() == ["Mode et luxe"] * 4
