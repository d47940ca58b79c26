"""One row of indicators per unit (territories of a version, or departments, regions and France), with ranks, and
the indicator x unit table of a profile."""

from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df
from observatoire.queries.territoires.definitions import INDICATORS, URSSAF_FIRST, URSSAF_LAST
from observatoire.queries.territoires.series import unit_series
from observatoire.queries.territoires.sql import CODE_MAP, UNEMPLOYMENT_SQL, _params, _units_sql
from observatoire.recipes import Derived, evaluate


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


def static_recipe(version: int | None) -> Derived:
    """static_indicators from the parts the pages cache (static_parts, and unit_series, which they cache anyway)."""
    return Derived(static_from, ((static_parts, version), (unit_series, version)), (version,))


def indicators_recipe(version: int | None, quarter: str) -> Derived:
    return Derived(combine_indicators, (static_recipe(version), (unemployment_at, version, quarter)), (version,))
