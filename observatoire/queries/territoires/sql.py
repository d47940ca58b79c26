"""SQL shared by the Territoires queries: current communes for any source code, units (territories of a version,
or departments, regions and France), and the series' statements."""

from __future__ import annotations

# Any commune code of a source -> its current (COG 2026) commune. A code split between several communes goes to the
# smallest code (2 such codes); codes with no current commune are counted on the methods box.
CODE_MAP = """code_map AS (
    SELECT commune_code AS code, commune_code AS current_code FROM geo_communes
    UNION ALL
    SELECT old_code, min(commune_code) FROM geo_commune_codes
    WHERE old_code NOT IN (SELECT commune_code FROM geo_communes) GROUP BY old_code)"""


# Units and their current communes: the territories of one version, or departments, regions and France.
TERRITORY_UNITS = (
    "SELECT 'territoire' AS kind, territory_id AS code, commune_code FROM ti_communes WHERE version = $version"
)


REFERENCE_UNITS = """SELECT 'departement' AS kind, departement_code AS code, commune_code FROM geo_communes
    UNION ALL SELECT 'region', region_code, commune_code FROM geo_communes
    UNION ALL SELECT 'france', 'FR', commune_code FROM geo_communes"""


# The 2020 perimeter is a list of communes in the census files' own codes (every listed code is in every census
# file): census figures join on the listed codes directly, with no code conversion.
CENSUS_UNITS_2020 = "SELECT 'territoire' AS kind, territory_id AS code, member_code AS commune_code FROM ti_members WHERE version = 2020"


UNITS_SQL = f"""WITH {CODE_MAP}, units AS ({{units}}),
census AS (
    SELECT {{census_code}} AS commune_code, f.year, f.jobs_total, f.jobs_fabrication
    FROM emploi_fonctions_communes f {{census_join}}),
census_units AS ({{census_units}})"""


# URSSAF private employment for territories: the URSSAF EPCI total for every EPCI member found in the URSSAF series;
# the other communes (EPT and commune members, 2020 commune lists) through the URSSAF commune series, which adds up to
# the France total exactly (no secrecy). Each commune is counted once.
URSSAF_TERRITORY_SQL = f"""
WITH {CODE_MAP},
members AS (
    SELECT territory_id, member_code FROM ti_members
    WHERE version = $version AND member_type = 'EPCI'
      AND member_code IN (SELECT territory_code FROM urssaf_emploi_series WHERE level = 'epci')),
communes_u AS (
    SELECT m.current_code AS commune_code, u.year, sum(u.jobs) AS jobs FROM urssaf_emploi_series u
    JOIN code_map m ON m.code = u.territory_code WHERE u.level = 'commune' GROUP BY ALL),
by_epci AS (
    SELECT m.territory_id, u.year, sum(u.jobs) AS jobs FROM members m
    JOIN urssaf_emploi_series u ON u.level = 'epci' AND u.territory_code = m.member_code GROUP BY ALL),
rest AS (
    SELECT t.territory_id, u.year, sum(u.jobs) AS jobs FROM ti_communes t
    JOIN geo_communes c ON c.commune_code = t.commune_code
    JOIN communes_u u ON u.commune_code = t.commune_code
    WHERE t.version = $version
      AND NOT EXISTS (SELECT 1 FROM members m WHERE m.territory_id = t.territory_id AND m.member_code = c.epci_siren)
    GROUP BY ALL),
years AS (SELECT DISTINCT year FROM urssaf_emploi_series WHERE level = 'france')
SELECT 'territoire' AS kind, t.territory_id AS code, y.year, coalesce(e.jobs, 0) + coalesce(r.jobs, 0) AS jobs,
       e.jobs AS jobs_from_epci, r.jobs AS jobs_from_communes
FROM ti_territories t CROSS JOIN years y
LEFT JOIN by_epci e ON e.territory_id = t.territory_id AND e.year = y.year
LEFT JOIN rest r ON r.territory_id = t.territory_id AND r.year = y.year
WHERE t.version = $version"""


URSSAF_REFERENCE_SQL = """
SELECT level AS kind, CASE level WHEN 'france' THEN 'FR' ELSE territory_code END AS code,
       year, jobs, NULL AS jobs_from_epci, NULL AS jobs_from_communes
FROM urssaf_emploi_series WHERE level IN ('departement', 'region') OR (level = 'france' AND territory_code = '00FR')"""


# Unemployment: a population-weighted mean of the rates of the zones d'emploi 2020 of the unit's communes (current
# populations). The same method for territories, departments, regions and France, so that they compare.
UNEMPLOYMENT_SQL = """
WITH units AS ({units})
SELECT u.kind, u.code, r.quarter, sum(g.population * r.rate_pct) / sum(g.population) AS rate_pct,
       sum(g.population) AS population_weighted, count(DISTINCT z.ze_code) AS n_zones
FROM units u JOIN geo_communes g ON g.commune_code = u.commune_code
JOIN geo_commune_ze2020 z ON z.commune_code = u.commune_code
JOIN chomage_rates r ON r.level = 'ze2020' AND r.territory_code = z.ze_code
GROUP BY ALL"""


def _params(version: int | None) -> dict:
    return {"version": version} if version is not None else {}


def _census_sql(version: int | None) -> str:
    if version == 2020:
        return UNITS_SQL.format(
            units=TERRITORY_UNITS, census_code="f.commune_code", census_join="", census_units=CENSUS_UNITS_2020
        )
    return UNITS_SQL.format(
        units=_units_sql(version),
        census_code="m.current_code",
        census_join="JOIN code_map m ON m.code = f.commune_code",
        census_units="SELECT * FROM units",
    )


def _units_sql(version: int | None) -> str:
    return TERRITORY_UNITS if version is not None else REFERENCE_UNITS


INSEE_FRANCE_SQL = """
    SELECT 'insee' AS kind, 'FR' AS code, quarter, rate_pct FROM chomage_rates
    WHERE level = 'france' AND quarter >= DATE '2003-01-01'
      AND ((territory_code = 'FM' AND quarter < DATE '2014-01-01') OR territory_code = 'FR')"""
