"""Yearly and quarterly series of every unit: URSSAF private employment, census jobs, unemployment."""

from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df
from observatoire.queries.territoires.sql import (
    INSEE_FRANCE_SQL,
    UNEMPLOYMENT_SQL,
    URSSAF_REFERENCE_SQL,
    URSSAF_TERRITORY_SQL,
    _census_sql,
    _params,
    _units_sql,
)


def urssaf_series(con, version: int | None = None) -> pd.DataFrame:
    """kind, code, year, jobs (2014-2024) for every territory of the version, or for departments, regions and France
    (table urssaf_emploi_series; statements in sql.py)."""
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


SERIES = {"urssaf": urssaf_series, "census": census_series, "unemployment": unemployment_series}


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
