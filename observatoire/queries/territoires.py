"""Territoires d'industrie: indicators per territory of one perimeter version, summed exactly from commune and EPCI
data, with the same indicators for departments, regions and France. Territory ids are only compared within a version."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from observatoire import fmt, maps
from observatoire.db import fetch_df, fetch_one
from observatoire.queries import common
from observatoire.recipes import Derived, evaluate
from observatoire.state import Param

VERSIONS = {2024: "2024 (183 territoires)", 2022: "2022 (149 territoires)", 2020: "2020 (148 territoires)"}
DEFAULT_VERSION = 2024
CENSUS_YEARS = (1999, 2006, 2011, 2016)
URSSAF_FIRST, URSSAF_LAST = 2014, 2024
MAX_COMPARED = 5

# id -> (French label, unit, decimals). Ranks: 1 = the highest value among the territories of the version.
INDICATORS = {
    "population": ("Population", "habitants", 0),
    "jobs_2024": ("Emploi salarié privé 2024", "emplois", 0),
    "jobs_2014": ("Emploi salarié privé 2014", "emplois", 0),
    "jobs_index": ("Emploi salarié privé, indice 2024 (2014 = 100)", "indice", 1),
    "census_jobs_2016": ("Emplois au lieu de travail 2016", "emplois", 0),
    "fabrication_2016": ("Emplois de la fonction « Fabrication » 2016", "emplois", 0),
    "fabrication_1999": ("Emplois de la fonction « Fabrication » 1999", "emplois", 0),
    "fabrication_pct_2016": ("Part de la fabrication dans l'emploi 2016", "%", 1),
    "fabrication_pct_1999": ("Part de la fabrication dans l'emploi 1999", "%", 1),
    "fabrication_pct_change": ("Évolution de la part de la fabrication 1999-2016", "points", 1),
    "establishments": ("Établissements 2014", "établissements", 0),
    "establishments_50": ("Établissements de 50 salariés ou plus 2014", "établissements", 0),
    "establishments_200": ("Établissements de 200 salariés ou plus 2014", "établissements", 0),
    "unemployment_pct": ("Taux de chômage (trimestre choisi)", "%", 1),
    "friches_laureates": ("Sites lauréats du Fonds friches", "sites", 0),
}
DEFAULT_INDICATOR = "jobs_index"
# The profile's tabs, in order (the page draws only the open one)
TABS = [
    "Emploi salarié privé",
    "Recensements",
    "Établissements",
    "Chômage",
    "Zone d'emploi",
    "Secteurs (APE)",
    "Soutien public",
    "Composition",
]
# The source of each indicator, named under the map that shows it
INDICATOR_SOURCES = {
    "population": "geo_decoupage_administratif_npm",
    "jobs": "urssaf_flores_ze2020_a38_ptod",
    "census": "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
    "fabrication": "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
    "establishments": "insee_etablissements_salaires_commune_2014",
    "unemployment": "insee_chomage_localise",
    "friches": "cerema_fonds_friches",
}


def indicator_sources(indicator: str) -> list[str]:
    """The perimeter file and the source of the indicator's figures."""
    return ["territoires-industrie", INDICATOR_SOURCES[indicator.split("_")[0]]]


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


# === territories and their composition ========================================================================
def territories(con, version: int) -> pd.DataFrame:
    """One row per territory: name, region, departments, member and commune counts, current population."""
    return fetch_df(
        con,
        """
        SELECT t.territory_id, t.name, t.region_code, r.name AS region_name, t.n_members,
               count(c.commune_code) AS n_communes, sum(g.population) AS population,
               string_agg(DISTINCT g.departement_code, ', ' ORDER BY g.departement_code) AS departements
        FROM ti_territories t LEFT JOIN ti_communes c USING (version, territory_id)
        LEFT JOIN geo_communes g ON g.commune_code = c.commune_code
        LEFT JOIN geo_regions r ON r.region_code = t.region_code
        WHERE t.version = ? GROUP BY ALL ORDER BY t.name, t.territory_id""",
        [version],
    )


def territory_ids(con, version: int) -> list[str]:
    return fetch_df(
        con, "SELECT territory_id FROM ti_territories WHERE version = ? ORDER BY name, territory_id", [version]
    )["territory_id"].tolist()


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().casefold()
        return re.sub(r"[^a-z0-9]+", " ", s).strip()

    return norm(a) == norm(b)


def correspondence(con, from_version: int, territory_id: str, to_version: int) -> dict | None:
    """The territory of `to_version` that continues `territory_id` of `from_version` (ids of different versions are
    never compared): the same territory when it has the same name and more than half of the same communes; else
    the one that shares the most population with it; when none shares a commune, the most populated of the same
    region (shared_population 0). Keys: id, name, same, shared_population, from_name."""
    rows = fetch_df(
        con,
        """
        WITH a AS (SELECT commune_code FROM ti_communes WHERE version = $from AND territory_id = $id),
        b AS (SELECT territory_id, commune_code FROM ti_communes WHERE version = $to)
        SELECT b.territory_id, t.name, count(*) AS shared_communes, sum(g.population) AS shared_population,
               (SELECT count(*) FROM a) AS n_from,
               (SELECT count(*) FROM ti_communes x WHERE x.version = $to AND x.territory_id = b.territory_id) AS n_to
        FROM a JOIN b USING (commune_code) JOIN geo_communes g USING (commune_code)
        JOIN ti_territories t ON t.version = $to AND t.territory_id = b.territory_id
        GROUP BY ALL ORDER BY shared_population DESC NULLS LAST, b.territory_id""",
        {"from": from_version, "id": territory_id, "to": to_version},
    )
    from_name = fetch_one(
        con, "SELECT name FROM ti_territories WHERE version = ? AND territory_id = ?", [from_version, territory_id]
    )
    if from_name is None:
        return None
    if rows.empty:  # nothing shared: the most populated territory of the same region, said as such
        nearby = fetch_one(
            con,
            """
            SELECT t.territory_id, t.name FROM ti_territories t JOIN ti_communes c USING (version, territory_id)
            JOIN geo_communes g USING (commune_code)
            WHERE t.version = $to AND t.region_code = (
                SELECT region_code FROM ti_territories WHERE version = $from AND territory_id = $id)
            GROUP BY ALL ORDER BY sum(g.population) DESC, t.territory_id LIMIT 1""",
            {"from": from_version, "id": territory_id, "to": to_version},
        )
        if nearby is None:
            return None
        return {"id": nearby[0], "name": nearby[1], "same": False, "shared_population": 0, "from_name": from_name[0]}
    same = rows[
        [
            _same_name(n, from_name[0]) and shared > 0.5 * max(a, b)
            for n, shared, a, b in zip(rows["name"], rows["shared_communes"], rows["n_from"], rows["n_to"])
        ]
    ]
    best = same.iloc[0] if len(same) else rows.iloc[0]
    return {
        "id": best["territory_id"],
        "name": best["name"],
        "same": bool(len(same)),
        "shared_population": int(best["shared_population"] or 0),
        "from_name": from_name[0],
    }


def territory_name(con, version: int, territory_id: str) -> str | None:
    row = fetch_one(
        con, "SELECT name FROM ti_territories WHERE version = ? AND territory_id = ?", [version, territory_id]
    )
    return row[0] if row else None


def carry_over_note(match: dict | None, old: int, old_id: str, new: int, old_name: str | None) -> str:
    """What happened to the chosen territory when the perimeter version changed, in French (names from the data)."""
    before = f"« {old_name or old_id} » ({old_id}, version {old})"
    if match is None:
        return (
            f"{before} n'a pas d'équivalent dans la version {new} : aucune de ses communes n'y est dans un territoire "
            "d'industrie, ni aucun territoire de sa région."
        )
    after = f"« {match['name']} » ({match['id']}, version {new})"
    if not match["same"] and not match["shared_population"]:
        return (
            f"{before} n'a pas d'équivalent dans la version {new} : aucune de ses communes n'y est dans un territoire "
            f"d'industrie. {after} est affiché : le territoire le plus peuplé de la même région."
        )
    if match["same"]:
        if match["id"] == old_id:
            return f"{before} est le même territoire dans la version {new}."
        return f"{before} est le même territoire dans la version {new}, sous l'identifiant {match['id']}."
    return (
        f"{before} n'existe pas tel quel dans la version {new} : {after} est sélectionné, le territoire qui partage "
        f"avec lui le plus de population ({fmt.integer(match['shared_population'])} habitants)."
    )


def members(con, version: int, territory_id: str) -> pd.DataFrame:
    """Members as published (EPCI, EPT or commune SIREN; communes for 2020) with their current population."""
    return fetch_df(
        con,
        """
        WITH m AS (SELECT * FROM ti_members WHERE version = $version AND territory_id = $id)
        SELECT m.member_type, m.member_code, coalesce(m.member_name, e.name, c.name, p.name) AS member_name,
               CASE m.member_type
                 WHEN 'EPCI' THEN (SELECT sum(population) FROM geo_communes g WHERE g.epci_siren = m.member_code)
                 WHEN 'EPT' THEN (SELECT sum(g.population) FROM geo_ept_communes x JOIN geo_communes g USING (commune_code) WHERE x.ept_siren = m.member_code)
                 ELSE coalesce(c.population, p.population) END AS population
        FROM m LEFT JOIN geo_epci e ON e.epci_siren = m.member_code
        LEFT JOIN geo_communes c ON m.member_type = 'commune' AND c.commune_siren = m.member_code
        LEFT JOIN geo_communes p ON m.member_type = 'commune' AND $version = 2020 AND p.commune_code = m.member_code
        ORDER BY population DESC NULLS LAST, m.member_code""",
        {"version": version, "id": territory_id},
    )


def communes(con, version: int, territory_id: str) -> pd.DataFrame:
    return fetch_df(
        con,
        """
        SELECT c.commune_code, g.name, g.departement_code, g.epci_siren, e.name AS epci_name, g.population, c.via,
               g.centroid_lon, g.centroid_lat
        FROM ti_communes c JOIN geo_communes g USING (commune_code) LEFT JOIN geo_epci e ON e.epci_siren = g.epci_siren
        WHERE c.version = ? AND c.territory_id = ? ORDER BY g.population DESC NULLS LAST, c.commune_code""",
        [version, territory_id],
    )


def context_units(con, version: int, territory_id: str) -> pd.DataFrame:
    """The departments and regions the territory's communes lie in (with the share of its population), and France."""
    return fetch_df(
        con,
        """
        WITH c AS (SELECT g.* FROM ti_communes t JOIN geo_communes g USING (commune_code) WHERE t.version = ? AND t.territory_id = ?),
        total AS (SELECT sum(population) AS p FROM c)
        SELECT 'departement' AS kind, c.departement_code AS code, d.name, 100 * sum(c.population) / any_value(total.p) AS population_share
        FROM c JOIN geo_departements d USING (departement_code), total GROUP BY ALL
        UNION ALL
        SELECT 'region', c.region_code, r.name, 100 * sum(c.population) / any_value(total.p)
        FROM c JOIN geo_regions r USING (region_code), total GROUP BY ALL
        UNION ALL SELECT 'france', 'FR', 'France', 100
        ORDER BY 1, 4 DESC""",
        [version, territory_id],
    )


# === series ===================================================================================================
def urssaf_series(con, version: int | None = None) -> pd.DataFrame:
    """kind, code, year, jobs (2014-2024) for every territory of the version, or for departments, regions and France."""
    if version is None:
        return fetch_df(con, URSSAF_REFERENCE_SQL + " ORDER BY 1, 2, 3")
    return fetch_df(con, URSSAF_TERRITORY_SQL + " ORDER BY 2, 3", _params(version))


def census_series(con, version: int | None = None) -> pd.DataFrame:
    """kind, code, year, jobs at place of work and 'Fabrication' jobs, summed over the communes (1999-2016)."""
    return fetch_df(
        con,
        _census_sql(version)
        + """
        SELECT u.kind, u.code, f.year, sum(f.jobs_total) AS jobs_total, sum(f.jobs_fabrication) AS jobs_fabrication,
               100 * sum(f.jobs_fabrication) / sum(f.jobs_total) AS fabrication_pct
        FROM census_units u JOIN census f USING (commune_code) GROUP BY ALL ORDER BY 1, 2, 3""",
        _params(version),
    )


def unemployment_series(con, version: int | None = None) -> pd.DataFrame:
    """kind, code, quarter, rate_pct: population-weighted zone d'emploi rates, 2003-2023."""
    return fetch_df(con, UNEMPLOYMENT_SQL.format(units=_units_sql(version)) + " ORDER BY 1, 2, 3", _params(version))


def quarters(con) -> list[str]:
    return fetch_df(
        con,
        "SELECT DISTINCT strftime(quarter, '%Y-%m-%d') AS q FROM chomage_rates WHERE level = 'ze2020' ORDER BY 1 DESC",
    )["q"].tolist()


# === one row of indicators per unit ===========================================================================
def _establishments(con, version: int | None) -> pd.DataFrame:
    return fetch_df(
        con,
        f"""WITH {CODE_MAP}, units AS ({_units_sql(version)}),
        e AS (SELECT m.current_code AS commune_code, total, size_50_99 + size_100_199 + size_200_499 + size_500_plus AS size_50_plus,
                     size_200_499 + size_500_plus AS size_200_plus
              FROM etablissements_communes_2014 x JOIN code_map m ON m.code = x.commune_code)
        SELECT u.kind, u.code, sum(e.total) AS establishments, sum(e.size_50_plus) AS establishments_50,
               sum(e.size_200_plus) AS establishments_200
        FROM units u JOIN e USING (commune_code) GROUP BY ALL""",
        _params(version),
    )


def _population_and_friches(con, version: int | None) -> pd.DataFrame:
    return fetch_df(
        con,
        f"""WITH {CODE_MAP}, units AS ({_units_sql(version)}),
        f AS (SELECT m.current_code AS commune_code, count(*) AS n FROM friches_sites s JOIN code_map m ON m.code = s.commune_code
              WHERE s.laureate GROUP BY 1)
        SELECT u.kind, u.code, sum(g.population) AS population, coalesce(sum(f.n), 0) AS friches_laureates
        FROM units u JOIN geo_communes g USING (commune_code) LEFT JOIN f USING (commune_code) GROUP BY ALL""",
        _params(version),
    )


def _wide(df: pd.DataFrame, by: str, columns: dict) -> pd.DataFrame:
    """Long (kind, code, by, values) -> one row per unit, with explicitly named columns."""
    out = None
    for key, names in columns.items():
        part = df[df[by] == key][["kind", "code", *names]].rename(columns=names)
        out = part if out is None else out.merge(part, on=["kind", "code"], how="outer")
    return out


def indicators(con, version: int | None, quarter: str) -> pd.DataFrame:
    """One row per unit with every indicator of INDICATORS; for territories (version given) with ranks (rank_<id>)."""
    return evaluate(indicators_recipe(version, quarter), con)


def static_indicators(con, version: int | None) -> pd.DataFrame:
    """Every indicator but the quarter's unemployment rate, one row per unit."""
    return evaluate(static_recipe(version), con)


def static_parts(con, version: int | None) -> dict[str, pd.DataFrame]:
    """What static_indicators needs besides the URSSAF and census series: population and Fonds friches sites,
    establishments, names."""
    if version is not None:
        names = fetch_df(con, "SELECT territory_id AS code, name FROM ti_territories WHERE version = ?", [version])
    else:
        names = fetch_df(
            con,
            """SELECT 'departement' AS kind, departement_code AS code, name FROM geo_departements
                                 UNION ALL SELECT 'region', region_code, name FROM geo_regions UNION ALL SELECT 'france', 'FR', 'France'""",
        )
    return {
        "base": _population_and_friches(con, version),
        "establishments": _establishments(con, version),
        "names": names,
    }


def static_from(parts: dict, series: dict, version: int | None) -> pd.DataFrame:
    """static_indicators from static_parts and the series of every unit (unit_series, or its URSSAF and census
    series): pages pass the series they cache anyway, rather than computing them a second time."""
    u, c = series["urssaf"], series["census"]
    wide = [
        _wide(u, "year", {URSSAF_FIRST: {"jobs": "jobs_2014"}, URSSAF_LAST: {"jobs": "jobs_2024"}}),
        _wide(
            c,
            "year",
            {y: {"jobs_total": f"census_jobs_{y}", "jobs_fabrication": f"fabrication_{y}"} for y in (1999, 2016)},
        ),
    ]
    df = parts["base"]
    for part in (*wide, parts["establishments"]):
        df = df.merge(part, on=["kind", "code"], how="left")
    df["jobs_index"] = 100 * df["jobs_2024"] / df["jobs_2014"]
    df["fabrication_pct_1999"] = 100 * df["fabrication_1999"] / df["census_jobs_1999"]
    df["fabrication_pct_2016"] = 100 * df["fabrication_2016"] / df["census_jobs_2016"]
    df["fabrication_pct_change"] = df["fabrication_pct_2016"] - df["fabrication_pct_1999"]
    if version is not None:
        df = parts["names"].merge(df, on="code", how="left").assign(kind="territoire")
    else:
        df = df.merge(parts["names"], on=["kind", "code"], how="left")
    return df.sort_values(["kind", "code"]).reset_index(drop=True)  # SQL groups come in any order


def unemployment_at(con, version: int | None, quarter: str) -> pd.DataFrame:
    """kind, code, unemployment_pct at one quarter."""
    sql = UNEMPLOYMENT_SQL.format(units=_units_sql(version))
    df = fetch_df(
        con, f"SELECT * FROM ({sql}) WHERE quarter = CAST($quarter AS DATE)", {**_params(version), "quarter": quarter}
    )
    return df[["kind", "code", "rate_pct"]].rename(columns={"rate_pct": "unemployment_pct"})


def combine_indicators(static: pd.DataFrame, unemployment: pd.DataFrame, version: int | None) -> pd.DataFrame:
    """static_indicators + unemployment_at; for territories, the rank of each indicator (rank_<id>, 1 = highest)."""
    df = static.merge(unemployment, on=["kind", "code"], how="left")
    if version is not None:
        for col in INDICATORS:
            df[f"rank_{col}"] = df[col].rank(ascending=False, method="min").astype("Int64")
    return df.sort_values(["kind", "code"]).reset_index(drop=True)


def ranked_counts(territories_rows: pd.DataFrame) -> dict[str, int]:
    return {ind: int(territories_rows[ind].notna().sum()) for ind in INDICATORS}


def comparison_table(
    territory_rows: pd.DataFrame, reference_rows: pd.DataFrame, ranked: dict[str, int]
) -> pd.DataFrame:
    """Indicator x (each territory with its rank, then each department, region and France): the profile's main table.
    `ranked`: per indicator, how many territories of the version have a value (ranks are among those: « 43 / 182 »,
    as the map's tooltip says « rang 43 sur 182 »)."""
    rows = []
    # records once (itertuples builds a namedtuple class per call: most of a warm profile's time)
    territories_ = territory_rows.to_dict("records")
    references = reference_rows.to_dict("records")
    for ind, (label, unit, _) in INDICATORS.items():
        row = {"indicateur": label, "unite": unit}
        for t in territories_:
            row[t["name"]] = t[ind]
            rank = t[f"rank_{ind}"]
            row[f"rang – {t['name']}"] = f"{int(rank)} / {ranked[ind]}" if pd.notna(rank) else None
        for r in references:
            row[r["name"] if r["kind"] != "departement" else f"{r['name']} ({r['code']})"] = r[ind]
        rows.append(row)
    return pd.DataFrame(rows)


# === zone-level context, sector detail, public support ========================================================
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


def friches(con, version: int, territory_id: str) -> pd.DataFrame:
    """Fonds friches laureate sites located in the territory's communes."""
    return fetch_df(
        con,
        f"""WITH {CODE_MAP}
        SELECT s.site_id, s.edition, s.name, s.commune_code, s.commune_name, s.departement_code, s.surface_m2, s.site_type,
               s.intervention, s.owner_type, s.lat, s.lon
        FROM friches_sites s JOIN code_map m ON m.code = s.commune_code
        JOIN ti_communes t ON t.commune_code = m.current_code AND t.version = ? AND t.territory_id = ?
        WHERE s.laureate ORDER BY s.edition, s.commune_name, s.name""",
        [version, territory_id],
    )


def dge_projects(con, version: int, territory_id: str) -> pd.DataFrame:
    return fetch_df(
        con,
        f"""WITH {CODE_MAP}
        SELECT p.project_id, p.measure, p.name, p.beneficiary, p.siren, p.commune_name, p.commune_code, p.departement_code,
               p.investment_eur, p.state_aid_eur, p.date
        FROM relance_projects p JOIN code_map m ON m.code = p.commune_code
        JOIN ti_communes t ON t.commune_code = m.current_code AND t.version = ? AND t.territory_id = ?
        ORDER BY p.measure, p.name""",
        [version, territory_id],
    )


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


# === methods: joins across geographies ========================================================================
def method_counts(con, version: int) -> dict:
    """Counts for the methods box: every join across geographies, and what does not match."""

    def one(sql, p=None):
        return fetch_one(con, sql, p)[0]

    mapped = f"WITH {CODE_MAP} "
    return {
        "members": one("SELECT count(*) FROM ti_members WHERE version = ?", [version]),
        "members_unmatched": one(
            """SELECT count(*) FROM ti_members m WHERE version = $v AND NOT EXISTS (
                                        SELECT 1 FROM ti_communes c WHERE c.version = $v AND c.territory_id = m.territory_id) """,
            {"v": version},
        ),
        "communes": one("SELECT count(*) FROM ti_communes WHERE version = ?", [version]),
        "communes_moved": one("SELECT count(*) FROM ti_communes WHERE version = ? AND via LIKE '%→%'", [version]),
        "list_codes_not_current": one(
            """SELECT count(*) FROM ti_members WHERE version = 2020 AND $v = 2020
                                         AND member_code NOT IN (SELECT commune_code FROM geo_communes)""",
            {"v": version},
        ),
        "census_codes_unmatched": one(
            mapped
            + """SELECT count(DISTINCT commune_code) FROM emploi_fonctions_communes
                                                  WHERE commune_code NOT IN (SELECT code FROM code_map)"""
        ),
        "census_codes_converted": one(
            mapped
            + """SELECT count(DISTINCT commune_code) FROM emploi_fonctions_communes
                                                  WHERE commune_code NOT IN (SELECT commune_code FROM geo_communes)"""
        ),
        "establishment_codes_unmatched": one(
            mapped
            + "SELECT count(*) FROM etablissements_communes_2014 WHERE commune_code NOT IN (SELECT code FROM code_map)"
        ),
        "establishment_codes_converted": one(
            "SELECT count(*) FROM etablissements_communes_2014 WHERE commune_code NOT IN (SELECT commune_code FROM geo_communes)"
        ),
        "urssaf_codes_unmatched": one(
            mapped
            + """SELECT count(DISTINCT territory_code) FROM urssaf_emploi_series
                                                  WHERE level = 'commune' AND territory_code NOT IN (SELECT code FROM code_map)"""
        ),
        "urssaf_codes_converted": one("""SELECT count(DISTINCT territory_code) FROM urssaf_emploi_series WHERE level = 'commune'
                                         AND territory_code NOT IN (SELECT commune_code FROM geo_communes)"""),
        "epci_members_not_in_urssaf": one(
            """SELECT count(*) FROM ti_members WHERE version = ? AND member_type = 'EPCI'
                                             AND member_code NOT IN (SELECT territory_code FROM urssaf_emploi_series WHERE level = 'epci')""",
            [version],
        ),
        "communes_without_ze": one(
            """SELECT count(*) FROM ti_communes t WHERE version = ?
                                      AND commune_code NOT IN (SELECT commune_code FROM geo_commune_ze2020)""",
            [version],
        ),
        "population_without_ze": one(
            """SELECT coalesce(sum(g.population), 0) FROM ti_communes t JOIN geo_communes g USING (commune_code)
                                        WHERE version = ? AND commune_code NOT IN (SELECT commune_code FROM geo_commune_ze2020)""",
            [version],
        ),
        "split_codes": one("""SELECT count(*) FROM (SELECT old_code FROM geo_commune_codes WHERE old_code NOT IN (SELECT commune_code FROM geo_communes)
                              GROUP BY 1 HAVING count(DISTINCT commune_code) > 1)"""),
    }


# === map ======================================================================================================
def shapes(con, version: int) -> pd.DataFrame:
    """Territory polygons (2022, 2024) with a marker point per territory: its most populated commune's centroid.
    The polygons are joined after the aggregation: grouping by their text held hundreds of MB under concurrent load."""
    return fetch_df(
        con,
        """
        WITH p AS (SELECT c.territory_id, arg_max(g.centroid_lon, g.population) AS lon, arg_max(g.centroid_lat, g.population) AS lat,
                          arg_max(g.departement_code, g.population) AS departement_code
                   FROM ti_communes c JOIN geo_communes g USING (commune_code) WHERE c.version = $v GROUP BY 1)
        SELECT t.territory_id AS code, t.name, t.region_code, t.boundary_geojson, p.lon, p.lat, p.departement_code
        FROM ti_territories t JOIN p USING (territory_id) WHERE t.version = $v ORDER BY 1""",
        {"v": version},
    )


def commune_points(con, version: int) -> pd.DataFrame:
    """Every commune of the version's territories (the 2020 perimeter has no published polygons)."""
    return fetch_df(
        con,
        """SELECT c.territory_id AS code, g.centroid_lon AS lon, g.centroid_lat AS lat, g.departement_code
                            FROM ti_communes c JOIN geo_communes g USING (commune_code) WHERE c.version = ?""",
        [version],
    )


def epci_outlines(con) -> dict:
    """Every EPCI boundary (faint outlines under the territories), as a FeatureCollection."""
    return common.national_features(common.map_shapes(con, "epci"), [])


def fills(values: pd.DataFrame, indicator: str) -> tuple:
    """((territory code, colour), ...) of an indicator's classes: the key of the map's coloured image, so states with
    the same colours (another quarter, for an indicator that does not depend on it) share one image."""
    breaks = maps.classes(values[indicator])
    return tuple((c, tuple(maps.colour_for(v, breaks))) for c, v in zip(values["code"], values[indicator]))


def choropleth(con, version: int, colours: tuple) -> dict | list:
    """Territories coloured by `colours` (from fills()): polygons (2022, 2024), or one point per commune (2020, no polygons)."""
    fill = {c: list(rgba) for c, rgba in colours}
    if version == 2020:
        pts = commune_points(con, version)
        return [
            {"lon_map": round(lon, 4), "lat_map": round(lat, 4), "fill": fill.get(code)}
            for code, lon, lat in (
                (c, *maps.move_point(x, y, d))
                for c, x, y, d in zip(pts["code"], pts["lon"], pts["lat"], pts["departement_code"])
            )
        ]
    data = common.map_shapes(con, f"ti_{version}").assign(fill=lambda d: d["code"].map(fill))
    return common.national_features(data, ["code", "fill"])


# === URL state ================================================================================================
def state_spec(
    con, ids_by_version: dict[int, list[str]] | None = None, quarter_list: list[str] | None = None
) -> list[Param]:
    """URL parameters; territory ids are checked against the chosen version's list. Allowlists may be passed in cached."""
    ids = ids_by_version or {v: territory_ids(con, v) for v in VERSIONS}
    qs = quarter_list if quarter_list is not None else quarters(con)
    return [
        Param("version", "Version du périmètre", default=DEFAULT_VERSION, choices=list(VERSIONS), kind="int"),
        Param("indicateur", "Indicateur de la carte", default=DEFAULT_INDICATOR, choices=list(INDICATORS)),
        Param("territoire", "Territoire", default=None, choices=lambda v: ids[v["version"]]),
        Param("comparer", "Territoires comparés", default=[], multi=True, choices=lambda v: ids[v["version"]]),
        Param("trimestre", "Trimestre du chômage", default=qs[0] if qs else None, choices=qs),
    ]


# === the profile and the comparison, as frames (the page and the HTML file show the same ones) ==================
def _label(kind: str, code: str, name: str) -> str:
    return f"{name} ({code})" if kind == "departement" else name


def _with_labels(df: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    out = df.merge(names[["kind", "code", "name"]], on=["kind", "code"])
    out["serie"] = [_label(k, c, n) for k, c, n in zip(out["kind"], out["code"], out["name"])]
    return out


SERIES = {"urssaf": urssaf_series, "census": census_series, "unemployment": unemployment_series}


# France's unemployment rate two ways: ours, the population-weighted mean of the zones d'emploi as for every unit
# (metropolitan zones only before 2014, overseas ones after), and the rate Insee publishes for the country
# (metropolitan France up to 2013, France without Mayotte from 2014; Insee's file ends in 2021)
FRANCE_RECONSTRUCTED = "France, reconstitution (zones d'emploi pondérées)"
FRANCE_INSEE = "France, taux publié par l'Insee"
INSEE_FRANCE_SQL = """
    SELECT 'insee' AS kind, 'FR' AS code, quarter, rate_pct FROM chomage_rates
    WHERE level = 'france' AND quarter >= DATE '2003-01-01'
      AND ((territory_code = 'FM' AND quarter < DATE '2014-01-01') OR territory_code = 'FR')"""


def unit_series(con, version: int | None) -> dict[str, pd.DataFrame]:
    """The three series (URSSAF, census, unemployment) of every territory of a version, or of every reference unit
    (then with Insee's own national unemployment rate, kind 'insee'). Cached once by pages (0.2 to 0.5 s): one
    territory's series, filtered in SQL, cost nearly as much (0.2 s of each territory's first visit), since the joins
    ran over all communes before the filter."""
    series = {key: fn(con, version) for key, fn in SERIES.items()}
    if version is None:
        insee = fetch_df(con, INSEE_FRANCE_SQL + " ORDER BY quarter")
        series["unemployment"] = pd.concat([series["unemployment"], insee], ignore_index=True)
    return series


def _of_units(series: dict[str, pd.DataFrame], units: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows of the given units, from series of many units (the merge in _with_labels keeps exactly these)."""
    kinds, codes = set(units["kind"]), set(units["code"])
    return [df[df["kind"].isin(kinds) & df["code"].isin(codes)] for df in series.values()]


def _combine(territory_series: dict, reference: dict, units: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Territory and reference series of the given units, labelled, indexed (URSSAF 2014 = 100), in the units' order.
    The series may hold other units (all territories of the version, all reference units): only these are kept."""
    rank = {(k, c): i for i, (k, c) in enumerate(zip(units["kind"], units["code"]))}
    out = {}
    for key, ours, refs in zip(SERIES, _of_units(territory_series, units), _of_units(reference, units)):
        df = _with_labels(pd.concat([ours, refs], ignore_index=True), units)
        df = df.drop(columns=[c for c in ("jobs_from_epci", "jobs_from_communes") if c in df.columns])
        df["_order"] = [rank[(k, c)] for k, c in zip(df["kind"], df["code"])]
        out[key] = (
            df.sort_values(["_order", df.columns[2]], kind="stable").drop(columns="_order").reset_index(drop=True)
        )
    u = out["urssaf"]
    base = u[u["year"] == URSSAF_FIRST].set_index(["kind", "code"])["jobs"]
    u["index_2014"] = 100 * u["jobs"] / [base.get((k, c)) for k, c in zip(u["kind"], u["code"])]
    un = out["unemployment"]
    if (un["kind"] == "france").any():  # France's rate is ours: say so, beside the one Insee publishes
        un.loc[un["kind"] == "france", "serie"] = FRANCE_RECONSTRUCTED
        insee = reference["unemployment"]
        insee = insee[insee["kind"] == "insee"].assign(name=FRANCE_INSEE, serie=FRANCE_INSEE)
        out["unemployment"] = pd.concat([un, insee], ignore_index=True)
    return out


def profile_parts(con, version: int, territory_id: str) -> dict[str, pd.DataFrame]:
    """Everything of a territory's profile but the indicator rows and the series (each cached per version, shared)."""
    ctx = context_units(con, version, territory_id)
    name = fetch_one(
        con, "SELECT name FROM ti_territories WHERE version = ? AND territory_id = ?", [version, territory_id]
    )[0]
    order = {"departement": 0, "region": 1, "france": 2}
    ctx = ctx.sort_values(
        ["kind", "population_share"], key=lambda s: s.map(order) if s.name == "kind" else -s
    ).reset_index(drop=True)
    units = pd.concat(
        [pd.DataFrame([{"kind": "territoire", "code": territory_id, "name": name}]), ctx[["kind", "code", "name"]]],
        ignore_index=True,
    )
    z = zones(con, version, territory_id)
    z10 = zones_2010(con, version, territory_id)
    return {
        "context": ctx,
        "units": units,
        "members": members(con, version, territory_id),
        "communes": communes(con, version, territory_id),
        "zones": z,
        "zones_2010": z10,
        "zone_urssaf": zone_industry_urssaf(con, z["ze_code"].tolist()),
        "zone_a38": zone_sectors_a38(con, z["ze_code"].tolist()),
        "zone_estel": zone_industry_estel(con, z10["ze2010_code"].tolist()),
        "rouen": rouen_ape(con, version, territory_id),
        "friches": friches(con, version, territory_id),
        "dge": dge_projects(con, version, territory_id),
        "support": departement_support(con, ctx.loc[ctx["kind"] == "departement", "code"].tolist()),
    }


def assemble_profile(
    territories_rows: pd.DataFrame,
    reference_rows: pd.DataFrame,
    parts: dict,
    territory_id: str,
    version_series: dict,
    reference_series: dict,
) -> dict:
    """The profile from the version's indicator rows, the reference rows, the territory's parts, and the series of
    the version's territories and of the reference units (unit_series)."""
    row = territories_rows[territories_rows["code"] == territory_id]
    refs = parts["context"][["kind", "code", "population_share"]].merge(reference_rows, on=["kind", "code"], how="left")
    return {
        **parts,
        **_combine(version_series, reference_series, parts["units"]),
        "territory": row,
        "references": refs,
        "table": comparison_table(row, refs, ranked_counts(territories_rows)),
    }


def profile_from(
    static: pd.DataFrame,
    unemployment: pd.DataFrame,
    reference_static: pd.DataFrame,
    reference_unemployment: pd.DataFrame,
    parts: dict,
    version_series: dict,
    reference_series: dict,
    version: int,
    territory_id: str,
) -> dict:
    """The profile from its cached building blocks (static_indicators and unemployment_at of the version and of the
    reference units, profile_parts, unit_series of both)."""
    return assemble_profile(
        combine_indicators(static, unemployment, version),
        combine_indicators(reference_static, reference_unemployment, None),
        parts,
        territory_id,
        version_series,
        reference_series,
    )


def static_recipe(version: int | None) -> Derived:
    """static_indicators from the parts the pages cache (static_parts, and unit_series, which they cache anyway)."""
    return Derived(static_from, ((static_parts, version), (unit_series, version)), (version,))


def indicators_recipe(version: int | None, quarter: str) -> Derived:
    return Derived(combine_indicators, (static_recipe(version), (unemployment_at, version, quarter)), (version,))


def _block_recipes(version: int, quarter: str) -> tuple:
    return (
        static_recipe(version),
        (unemployment_at, version, quarter),
        static_recipe(None),
        (unemployment_at, None, quarter),
    )


def profile_recipe(version: int, territory_id: str, quarter: str) -> Derived:
    """A territory's profile, from blocks shared by every territory of the version (and by the references)."""
    return Derived(
        profile_from,
        (
            *_block_recipes(version, quarter),
            (profile_parts, version, territory_id),
            (unit_series, version),
            (unit_series, None),
        ),
        (version, territory_id),
    )


def comparison_recipe(version: int, territory_ids, quarter: str) -> Derived:
    """2 to 5 territories of one version side by side, with France: one table, and the series."""
    ids = tuple(territory_ids)
    return Derived(
        comparison_from,
        (
            *_block_recipes(version, quarter),
            (comparison_parts, version, ids),
            (unit_series, version),
            (unit_series, None),
        ),
        (version, ids),
    )


def profile(con, version: int, territory_id: str, quarter: str) -> dict[str, pd.DataFrame]:
    return evaluate(profile_recipe(version, territory_id, quarter), con)


def comparison_parts(con, version: int, territory_ids: list[str]) -> dict:
    names = fetch_df(
        con,
        "SELECT territory_id AS code, name FROM ti_territories WHERE version = ? AND list_contains(?, territory_id)",
        [version, list(territory_ids)],
    ).set_index("code")["name"]
    ids = [t for t in territory_ids if t in names.index]
    units = pd.DataFrame(
        [{"kind": "territoire", "code": t, "name": names[t]} for t in ids]
        + [{"kind": "france", "code": "FR", "name": "France"}]
    )
    return {"units": units}


def assemble_comparison(
    territories_rows: pd.DataFrame,
    reference_rows: pd.DataFrame,
    parts: dict,
    territory_ids: list[str],
    version_series: dict,
    reference_series: dict,
) -> dict:
    rows = (
        territories_rows.set_index("code")
        .loc[[t for t in territory_ids if t in set(territories_rows["code"])]]
        .reset_index()
    )
    france = reference_rows[reference_rows["kind"] == "france"]
    return {
        **_combine(version_series, reference_series, parts["units"]),
        "table": comparison_table(rows, france, ranked_counts(territories_rows)),
        "territories": rows,
    }


def comparison_from(
    static: pd.DataFrame,
    unemployment: pd.DataFrame,
    reference_static: pd.DataFrame,
    reference_unemployment: pd.DataFrame,
    parts: dict,
    version_series: dict,
    reference_series: dict,
    version: int,
    territory_ids: list[str],
) -> dict:
    """The comparison from its cached building blocks (as profile_from)."""
    return assemble_comparison(
        combine_indicators(static, unemployment, version),
        combine_indicators(reference_static, reference_unemployment, None),
        parts,
        list(territory_ids),
        version_series,
        reference_series,
    )


def comparison(con, version: int, territory_ids: list[str], quarter: str) -> dict[str, pd.DataFrame]:
    return evaluate(comparison_recipe(version, territory_ids, quarter), con)


def methods(counts: dict, version: int, quarter: str) -> list[str]:
    """The methods box, in French: source, vintage and method of every indicator, and every join across years."""

    def n(v):
        return f"{v:,}".replace(",", "\u00a0")

    perimeter = (
        "Périmètre 2020 : liste de communes publiée en octobre 2020 (codes communaux de 2020, Signaux Faibles / ANCT). "
        f"Ces codes sont rattachés aux communes actuelles (COG 2026) : {n(counts['list_codes_not_current'])} codes de la liste ne sont plus "
        f"des communes actuelles (fusions), {n(counts['communes_moved'])} communes actuelles ont été ajoutées par ce rattachement ; "
        "une commune actuelle issue d'une fusion est comptée entière."
        if version == 2020
        else f"Périmètre {version} : liste des membres publiée par l'ANCT (EPCI par SIREN, établissements publics territoriaux du "
        "Grand Paris, communes par SIREN). Les communes des EPCI sont celles de 2026 (découpage administratif, COG 2026) : "
        "si un EPCI a changé de composition depuis la publication, c'est sa composition de 2026 qui compte."
    )
    return [
        perimeter
        + f" {n(counts['members'])} membres, {n(counts['communes'])} communes ; membres sans commune retrouvée : "
        f"{n(counts['members_unmatched'])}. Les identifiants ne sont jamais comparés d'une version à l'autre.",
        "Population : populations légales des communes (découpage administratif, millésime courant), sommées.",
        "Emploi salarié privé 2014-2024 : URSSAF (série publiée par le tableau de bord PTOD). Pour chaque EPCI membre, le total "
        f"publié de l'EPCI ; pour les autres communes (EPT, communes membres, périmètre 2020), la série communale, qui s'additionne "
        f"exactement au total France. EPCI membres absents de la série URSSAF : {n(counts['epci_members_not_in_urssaf'])} "
        f"(leurs communes passent par la série communale). {n(counts['urssaf_codes_converted'])} codes communaux URSSAF anciens "
        f"rattachés à la commune actuelle ; non rattachés : {n(counts['urssaf_codes_unmatched'])}. Département, région, France : "
        "totaux publiés.",
        "Emplois au lieu de travail et fonction « Fabrication » : Insee, analyse fonctionnelle des emplois, recensements 1999, "
        "2006, 2011, 2016, par commune (géographie de 2019/2020), sommés. "
        + (
            "Périmètre 2020 : jointure directe sur les codes de la liste (tous présents dans chaque fichier). "
            if version == 2020
            else f"Les {n(counts['census_codes_converted'])} codes qui ne sont plus des communes actuelles sont rattachés à leur commune actuelle ; "
        )
        + f"non rattachés : {n(counts['census_codes_unmatched'])} ; codes partagés entre plusieurs communes actuelles, attribués à la "
        f"première : {n(counts['split_codes'])}.",
        "Établissements par tranche d'effectif salarié (Insee, 2014, géographie 2014) : "
        f"{n(counts['establishment_codes_converted'])} communes de 2014 rattachées à leur commune actuelle ; non rattachées : "
        f"{n(counts['establishment_codes_unmatched'])}. 50 salariés ou plus = 50-99 + 100-199 + 200-499 + 500 et plus.",
        f"Taux de chômage (Insee, taux localisés trimestriels des zones d'emploi 2020, 2003-2023 ; trimestre affiché : {fmt.quarter(quarter)}) : "
        "moyenne des taux des zones d'emploi des communes du territoire, pondérée par la population actuelle des communes. "
        "Même calcul pour les départements, régions et la France, pour qu'ils se comparent (les taux officiels départementaux "
        f"s'arrêtent fin 2021). Communes du périmètre sans zone d'emploi (créées après 2023) : {n(counts['communes_without_ze'])}, "
        f"{n(counts['population_without_ze'])} habitants, laissées hors de la pondération.",
        "Contexte de zone d'emploi : Estel (zones d'emploi 2010, 1998-2017) et URSSAF A5/A38 (zones d'emploi 2020, 2019-2024). "
        "Ces chiffres décrivent les zones entières, pas le territoire.",
        "Détail par APE : extrait URSSAF commune × APE de la zone de Rouen seulement (2006-2022).",
        "Soutien public : sites lauréats du Fonds friches (Cerema, Cartofriches) situés dans les communes du territoire ; "
        "projets DGE France Relance quand la liste est chargée ; France Relance et aides Covid du ou des départements, "
        "donnés comme contexte départemental.",
        "Rang : 1 = valeur la plus élevée parmi tous les territoires de la version.",
    ]
