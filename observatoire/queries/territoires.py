"""Territoires d'industrie: indicators per territory of one perimeter version, summed exactly from commune and EPCI
data. Groundwork for the page (issue 6); ids are only compared within a version."""
from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df

VERSIONS = {2024: "2024 (183 territoires)", 2022: "2022 (149 territoires)", 2020: "2020 (148 territoires)"}

# URSSAF EPCI totals for EPCI members found in the URSSAF series; the other communes of the territory (EPT, commune
# members, EPCI unknown to URSSAF) through the URSSAF commune series. Each commune is counted once.
URSSAF_SQL = """
WITH members AS (
    SELECT m.territory_id, m.member_code FROM ti_members m
    WHERE m.version = $version AND m.member_type = 'EPCI'
      AND m.member_code IN (SELECT territory_code FROM urssaf_emploi_series WHERE level = 'epci' AND year = $year)),
by_epci AS (
    SELECT m.territory_id, sum(u.jobs) AS jobs FROM members m
    JOIN urssaf_emploi_series u ON u.level = 'epci' AND u.territory_code = m.member_code AND u.year = $year GROUP BY 1),
rest AS (
    SELECT t.territory_id, sum(u.jobs) AS jobs FROM ti_communes t
    JOIN geo_communes c ON c.commune_code = t.commune_code
    JOIN urssaf_emploi_series u ON u.level = 'commune' AND u.territory_code = t.commune_code AND u.year = $year
    WHERE t.version = $version
      AND NOT EXISTS (SELECT 1 FROM members m WHERE m.territory_id = t.territory_id AND m.member_code = c.epci_siren)
    GROUP BY 1)
SELECT t.territory_id, coalesce(e.jobs, 0) + coalesce(r.jobs, 0) AS jobs, e.jobs AS jobs_from_epci, r.jobs AS jobs_from_communes
FROM ti_territories t LEFT JOIN by_epci e USING (territory_id) LEFT JOIN rest r USING (territory_id)
WHERE t.version = $version ORDER BY 1
"""

# Census files are in older commune codes: a code no longer current is moved to its current commune (first match).
CURRENT_CODE_SQL = """
    CASE WHEN {code} IN (SELECT commune_code FROM geo_communes) THEN {code}
         ELSE (SELECT min(k.commune_code) FROM geo_commune_codes k WHERE k.old_code = {code}) END
"""


def territories(con, version: int) -> pd.DataFrame:
    return fetch_df(con, """SELECT t.territory_id, t.name, t.region_code, t.n_members, count(c.commune_code) AS n_communes,
                                   sum(g.population) AS population
                            FROM ti_territories t LEFT JOIN ti_communes c USING (version, territory_id)
                            LEFT JOIN geo_communes g ON g.commune_code = c.commune_code
                            WHERE t.version = ? GROUP BY ALL ORDER BY t.territory_id""", [version])


def urssaf_jobs(con, version: int, year: int) -> pd.DataFrame:
    return fetch_df(con, URSSAF_SQL, {"version": version, "year": year})


def census_jobs(con, version: int, year: int) -> pd.DataFrame:
    """Jobs at place of work and 'Fabrication' jobs, summed over the territory's communes; unmatched codes counted."""
    return fetch_df(con, f"""
        WITH f AS (SELECT {CURRENT_CODE_SQL.format(code='commune_code')} AS commune_code, jobs_total, jobs_fabrication
                   FROM emploi_fonctions_communes WHERE year = $year)
        SELECT t.territory_id, sum(f.jobs_total) AS jobs_total, sum(f.jobs_fabrication) AS jobs_fabrication,
               100 * sum(f.jobs_fabrication) / sum(f.jobs_total) AS fabrication_pct
        FROM ti_communes t JOIN f USING (commune_code) WHERE t.version = $version GROUP BY 1 ORDER BY 1""",
                    {"version": version, "year": year})


def unmatched_census_codes(con, year: int) -> int:
    return fetch_df(con, f"""SELECT count(*) AS n FROM emploi_fonctions_communes
                             WHERE year = ? AND ({CURRENT_CODE_SQL.format(code='commune_code')}) IS NULL""", [year])["n"].iloc[0]


def establishments(con, version: int) -> pd.DataFrame:
    return fetch_df(con, f"""
        WITH e AS (SELECT {CURRENT_CODE_SQL.format(code='commune_code')} AS commune_code, total,
                          size_50_99 + size_100_199 + size_200_499 + size_500_plus AS size_50_plus,
                          size_200_499 + size_500_plus AS size_200_plus FROM etablissements_communes_2014)
        SELECT t.territory_id, sum(e.total) AS total, sum(e.size_50_plus) AS size_50_plus, sum(e.size_200_plus) AS size_200_plus
        FROM ti_communes t JOIN e USING (commune_code) WHERE t.version = ? GROUP BY 1 ORDER BY 1""", [version])


def unemployment(con, version: int, quarter: str) -> pd.DataFrame:
    """Population-weighted mix of the zones d'emploi 2020 of the territory's communes (2026 populations)."""
    return fetch_df(con, """
        SELECT t.territory_id, sum(g.population * r.rate_pct) / sum(g.population) AS rate_pct,
               sum(g.population) AS population_weighted, count(DISTINCT z.ze_code) AS n_zones
        FROM ti_communes t JOIN geo_communes g ON g.commune_code = t.commune_code
        JOIN geo_commune_ze2020 z ON z.commune_code = t.commune_code
        JOIN chomage_rates r ON r.level = 'ze2020' AND r.territory_code = z.ze_code AND r.quarter = CAST(? AS DATE)
        WHERE t.version = ? GROUP BY 1 ORDER BY 1""", [quarter, version])
