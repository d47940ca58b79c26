"""A database you can count by hand: the real schema (pipeline/schema.sql) and a few dozen hand-written rows. Tests on
it compute their expected figures by hand, from the rows below, never from the code under test.

Two regions: Corse (94: 2A Corse-du-Sud, 2B Haute-Corse) and Guadeloupe (01: 971). Two Territoires d'industrie per
version, whose ids repeat across versions for different territories (as the real files do). Covid aid: FDS volet 1
by department and section at two dates; PGE with regional rows at its second date only."""

from __future__ import annotations

from pathlib import Path

from observatoire.db import connect
from observatoire.pipeline.build import SCHEMA

D1, D2 = "2021-06-30", "2022-06-24"


# rows given by column name (the others NULL)
def _source(source_id: str, title: str, publisher: str, rows: int, data_date: str) -> dict:
    return dict(source_id=source_id, title=title, publisher=publisher, licence="Licence Ouverte", rows_loaded=rows,
                data_date=data_date, status="ok")  # fmt: skip


def _relance(date: str, value: int) -> dict:
    """The barometer's national count of industrial and agricultural firms supported, at a date."""
    return dict(level="france", territory_code="FR", indicator_id="nb-entreprises-industrielles-agricoles",
                indicator="Entreprises", date=date, value=value, source_id="france-relance-barometre")  # fmt: skip


def _friche(site, edition, commune, commune_name, dep, region, surface, laureate) -> dict:
    return dict(site_id=site, edition=edition, name="Site " + site, commune_code=commune, commune_name=commune_name,
                departement_code=dep, region_code=region, surface_m2=surface, laureate=laureate,
                source_id="cerema_fonds_friches")  # fmt: skip


ROWS = {
    "sources": [
        _source("aides_covid_etalab", "Aides Covid", "DINUM", 10, D2),
        _source("territoires-industrie", "TI", "ANCT", 8, "2024-05-01"),
        _source("cerema_fonds_friches", "Friches", "Cerema", 3, "2023-01-15"),
        _source("france-relance-barometre", "Baromètre", "DGE", 2, "2022-09-30"),
    ],
    "geo_regions": [
        ("94", "Corse", "metro", 350_000, "{}", "cog"),
        ("01", "Guadeloupe", "drom", 380_000, "{}", "cog"),
    ],
    "geo_departements": [
        ("2A", "Corse-du-Sud", "94", "metro", 160_000, 8.9, 41.9, "{}", "cog"),
        ("2B", "Haute-Corse", "94", "metro", 190_000, 9.2, 42.4, "{}", "cog"),
        ("971", "Guadeloupe", "01", "drom", 380_000, -61.5, 16.2, "{}", "cog"),
    ],
    "geo_communes": [
        ("2A004", "Ajaccio", "2A", "94", "200066793", "212000046", "metro", 70_000, 8.7, 41.9, 8.7, 41.9, "cog"),
        ("2A247", "Porto-Vecchio", "2A", "94", "200073237", "212002471", "metro", 12_000, 9.3, 41.6, 9.3, 41.6, "cog"),
        ("2B033", "Bastia", "2B", "94", "242000354", "212000335", "metro", 48_000, 9.4, 42.7, 9.4, 42.7, "cog"),
        ("97101", "Les Abymes", "971", "01", "249710047", "219710013", "drom", 53_000, -61.5, 16.3, -61.5, 16.3, "cog"),
    ],
    "ref_naf_sections": [("C", "Industrie manufacturière"), ("I", "Hébergement et restauration")],
    # scheme, level, territory, region, section, date, aids, firms, amount
    "covid_aid_snapshots": [
        ("fds", "departement", "2A", "94", "C", D1, 10, 4, 1_000.0, "aides_covid_etalab", "fds.csv"),
        ("fds", "departement", "2A", "94", "I", D1, 20, 8, 3_000.0, "aides_covid_etalab", "fds.csv"),
        ("fds", "departement", "2B", "94", "I", D1, 5, 2, 500.0, "aides_covid_etalab", "fds.csv"),
        ("fds", "departement", "2A", "94", "C", D2, 12, 5, 1_500.0, "aides_covid_etalab", "fds.csv"),
        ("fds", "departement", "2A", "94", "I", D2, 30, 9, 4_000.0, "aides_covid_etalab", "fds.csv"),
        ("fds", "departement", "2B", "94", "I", D2, 7, 3, 800.0, "aides_covid_etalab", "fds.csv"),
        ("fds", "departement", "971", "01", "I", D2, 9, None, 1_000.0, "aides_covid_etalab", "fds.csv"),
        ("pge", "departement", "2A", "94", "C", D1, 1, None, 100_000.0, "aides_covid_etalab", "pge.csv"),
        ("pge", "departement", "2A", "94", "C", D2, 2, None, 150_000.0, "aides_covid_etalab", "pge.csv"),
        ("pge", "region", "94", "94", "C", D2, 3, None, 210_000.0, "aides_covid_etalab", "pge_reg.csv"),
        ("pge", "region", "01", "01", "C", D2, 1, None, 40_000.0, "aides_covid_etalab", "pge_reg.csv"),
    ],
    "covid_dashboard_kpis": [
        ("aides", "france", "FR", D2, 9_999.0, 80, 30, "aides_covid_etalab"),
        ("pge", "france", "FR", D2, 250_000.0, 4, None, "aides_covid_etalab"),
    ],
    "relance_indicators": [_relance("2022-06-30", 8_000), _relance("2022-09-30", 8_500)],
    "ti_territories": [
        (2022, "ti-0001", "Ajaccio 2022", "94", 1, None, "territoires-industrie"),
        (2022, "ti-0002", "Bastia 2022", "94", 1, None, "territoires-industrie"),
        (2024, "ti-0001", "Pointe-à-Pitre 2024", "01", 1, None, "territoires-industrie"),
        (2024, "ti-0003", "Porto-Vecchio 2024", "94", 1, None, "territoires-industrie"),
    ],
    # Ajaccio's territory of 2022 held Porto-Vecchio, which is its own territory in 2024
    "ti_communes": [
        (2022, "ti-0001", "2A004", "epci", "territoires-industrie"),
        (2022, "ti-0001", "2A247", "epci", "territoires-industrie"),
        (2022, "ti-0002", "2B033", "epci", "territoires-industrie"),
        (2024, "ti-0001", "97101", "epci", "territoires-industrie"),
        (2024, "ti-0003", "2A247", "epci", "territoires-industrie"),
    ],
    "ti_members": [
        (2022, "ti-0001", "EPCI", "200066793", "CA du Pays Ajaccien", "territoires-industrie"),
        (2022, "ti-0002", "EPCI", "242000354", "CA de Bastia", "territoires-industrie"),
        (2024, "ti-0001", "EPCI", "249710047", "CA Cap Excellence", "territoires-industrie"),
        (2024, "ti-0003", "EPCI", "200073237", "CC Sud Corse", "territoires-industrie"),
    ],
    # site, edition, commune, department, region, surface, laureate
    "friches_sites": [
        _friche("f1", "Fonds friches edition 1", "2A004", "Ajaccio", "2A", "94", 1_000.0, True),
        _friche("f2", "Fonds friches edition 2", "2B033", "Bastia", "2B", "94", 2_000.0, True),
        _friche("f3", "Fonds friches edition 2", "97101", "Les Abymes", "971", "01", 500.0, False),
        _friche("f4", "Fonds vert 2023", "2A247", "Porto-Vecchio", "2A", "94", 700.0, False),  # not France Relance
    ],
}


def build_tiny(path: Path) -> Path:
    """Create the tiny database at `path` (the schema, then ROWS) and return it."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        for table, rows in ROWS.items():
            for row in rows:
                columns = f"({', '.join(row)})" if isinstance(row, dict) else ""
                values = list(row.values()) if isinstance(row, dict) else list(row)
                con.execute(f"INSERT INTO {table} {columns} VALUES ({', '.join('?' * len(values))})", values)
        con.execute("INSERT INTO build_info VALUES ('tiny', TIMESTAMP '2026-12-07 00:00:00', 'tests/tiny.py')")
    finally:
        con.close()
    return path


def open_tiny(path: Path):
    """The tiny database through the app's own read-only connection."""
    return connect(path)
