"""A territory's context: zones d'emploi, sector detail, Fonds friches sites, DGE projects, departments' support."""

from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df
from observatoire.queries.territoires.sql import CODE_MAP


def zones(con, version: int, territory_id: str) -> pd.DataFrame:
    """Zones d'emploi 2020 holding the territory's communes, with the share of the territory's population in each."""
    return fetch_df(
        con,
        """
        WITH c AS (SELECT g.commune_code, g.population FROM ti_communes t JOIN geo_communes g USING (commune_code)
                   WHERE t.version = ? AND t.territory_id = ?)
        SELECT z.ze_code, n.name, 100 * sum(c.population) / (SELECT sum(population) FROM c) AS population_share
        FROM c JOIN geo_commune_ze2020 z USING (commune_code) JOIN geo_ze2020 n USING (ze_code)
        GROUP BY ALL ORDER BY 3 DESC""",
        [version, territory_id],
    )


def zones_2010(con, version: int, territory_id: str) -> pd.DataFrame:
    return fetch_df(
        con,
        """
        WITH c AS (SELECT g.commune_code, g.population FROM ti_communes t JOIN geo_communes g USING (commune_code)
                   WHERE t.version = ? AND t.territory_id = ?)
        SELECT z.ze2010_code, any_value(z.ze2010_name) AS name, 100 * sum(c.population) / (SELECT sum(population) FROM c) AS population_share
        FROM c JOIN geo_commune_ze2010 z USING (commune_code) GROUP BY 1 ORDER BY 3 DESC""",
        [version, territory_id],
    )


def zone_industry_urssaf(con, ze_codes: list[str]) -> pd.DataFrame:
    """URSSAF industry (A5 'BE') jobs and share of all URSSAF jobs, by zone d'emploi 2020, 2019-2024."""
    return fetch_df(
        con,
        """
        SELECT s.ze_code, z.name, s.year, sum(s.jobs) FILTER (WHERE s.sector_code = 'BE') AS industry_jobs,
               sum(s.jobs) AS all_jobs, 100 * sum(s.jobs) FILTER (WHERE s.sector_code = 'BE') / sum(s.jobs) AS industry_pct
        FROM urssaf_emploi_ze_secteurs s JOIN geo_ze2020 z USING (ze_code)
        WHERE s.nomenclature = 'a5' AND list_contains(?, s.ze_code) GROUP BY ALL ORDER BY 1, 3""",
        [ze_codes],
    )


def zone_sectors_a38(con, ze_codes: list[str], year: int = 2024) -> pd.DataFrame:
    return fetch_df(
        con,
        """
        SELECT s.ze_code, z.name, s.sector_code, s.sector_label, s.jobs FROM urssaf_emploi_ze_secteurs s JOIN geo_ze2020 z USING (ze_code)
        WHERE s.nomenclature = 'a38' AND s.year = ? AND list_contains(?, s.ze_code) AND s.sector_code LIKE 'C%'
        ORDER BY 1, s.jobs DESC NULLS LAST""",
        [year, ze_codes],
    )


def zone_industry_estel(con, ze2010_codes: list[str]) -> pd.DataFrame:
    """ESTEL industry ('BE') jobs and share of all jobs by zone d'emploi 2010, 1998-2017."""
    return fetch_df(
        con,
        """
        SELECT ze2010_code, any_value(ze2010_name) AS name, year, sum(jobs) FILTER (WHERE sector_code = 'BE') AS industry_jobs,
               sum(jobs) FILTER (WHERE sector_code = 'TT') AS all_jobs,
               100 * sum(jobs) FILTER (WHERE sector_code = 'BE') / sum(jobs) FILTER (WHERE sector_code = 'TT') AS industry_pct
        FROM estel_emploi_ze2010 WHERE list_contains(?, ze2010_code) GROUP BY 1, 3 ORDER BY 1, 3""",
        [ze2010_codes],
    )


def rouen_ape(con, version: int, territory_id: str) -> pd.DataFrame:
    """URSSAF jobs by APE in the territory's communes covered by the Rouen-area extract (latest year), with coverage."""
    return fetch_df(
        con,
        """
        WITH c AS (SELECT commune_code FROM ti_communes WHERE version = ? AND territory_id = ?),
        r AS (SELECT * FROM urssaf_rouen_commune_ape WHERE commune_code IN (SELECT commune_code FROM c)),
        y AS (SELECT max(year) AS year FROM r)
        SELECT r.ape_code, n.subclass_label AS ape_label, n.section_code, any_value(r.sector_gs) AS sector, r.year,
               sum(r.establishments) AS establishments, sum(r.jobs) AS jobs,
               (SELECT count(DISTINCT commune_code) FROM r) AS communes_covered, (SELECT count(*) FROM c) AS communes_total
        FROM r JOIN y USING (year) LEFT JOIN ref_naf n ON n.subclass_code = r.ape_code
        GROUP BY ALL ORDER BY jobs DESC NULLS LAST, r.ape_code""",
        [version, territory_id],
    )


def _in_territory(con, version: int, territory_id: str, table: str, columns: str, where: str, order: str):
    """Rows of `table` (alias x) whose commune, mapped to today's code, is in the territory."""
    return fetch_df(
        con,
        f"""WITH {CODE_MAP}
        SELECT {columns} FROM {table} x JOIN code_map m ON m.code = x.commune_code
        JOIN ti_communes t ON t.commune_code = m.current_code AND t.version = ? AND t.territory_id = ?
        WHERE {where} ORDER BY {order}""",
        [version, territory_id],
    )


def friches(con, version: int, territory_id: str) -> pd.DataFrame:
    """Fonds friches laureate sites located in the territory's communes."""
    columns = """x.site_id, x.edition, x.name, x.commune_code, x.commune_name, x.departement_code, x.surface_m2,
        x.site_type, x.intervention, x.owner_type, x.lat, x.lon"""
    return _in_territory(
        con, version, territory_id, "friches_sites", columns, "x.laureate", "x.edition, x.commune_name, x.name"
    )


def dge_projects(con, version: int, territory_id: str) -> pd.DataFrame:
    columns = """x.project_id, x.measure, x.name, x.beneficiary, x.siren, x.commune_name, x.commune_code,
        x.departement_code, x.investment_eur, x.state_aid_eur, x.date"""
    return _in_territory(con, version, territory_id, "relance_projects", columns, "TRUE", "x.measure, x.name")


def departement_support(con, departement_codes: list[str]) -> pd.DataFrame:
    """Department context: France Relance industrial investment aid (latest barometer) and Covid aid totals (latest snapshot)."""
    return fetch_df(
        con,
        """
        WITH d AS (SELECT departement_code AS code, name FROM geo_departements WHERE list_contains($codes, departement_code)),
        fr AS (SELECT territory_code AS code, value, date FROM relance_indicators
               WHERE level = 'departement' AND indicator_id = 'nb-entreprises-industrielles-agricoles'
                 AND date = (SELECT max(date) FROM relance_indicators WHERE indicator_id = 'nb-entreprises-industrielles-agricoles')),
        cov AS (SELECT territory_code AS code, scheme, snapshot_date, sum(amount_eur) AS amount FROM covid_aid_snapshots s
                WHERE level = 'departement' AND scheme IN ('fds', 'pge')
                  AND snapshot_date = (SELECT max(snapshot_date) FROM covid_aid_snapshots x WHERE x.scheme = s.scheme AND x.level = 'departement')
                GROUP BY ALL)
        SELECT d.code, d.name, fr.value AS relance_firms, fr.date AS relance_date,
               (SELECT amount FROM cov WHERE cov.code = d.code AND scheme = 'fds') AS fds_eur,
               (SELECT max(snapshot_date) FROM cov WHERE scheme = 'fds') AS fds_date,
               (SELECT amount FROM cov WHERE cov.code = d.code AND scheme = 'pge') AS pge_eur,
               (SELECT max(snapshot_date) FROM cov WHERE scheme = 'pge') AS pge_date
        FROM d LEFT JOIN fr USING (code) ORDER BY d.code""",
        {"codes": departement_codes},
    )
