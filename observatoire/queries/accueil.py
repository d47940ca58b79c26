"""Headline national figures for the home page, each with its source date."""

from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df, fetch_one
from observatoire.queries import common, laureats

CURRENT_TI_VERSION = 2024


def headline(con) -> dict[str, dict]:
    """One entry per family: value, date and source id. Values come straight from the tables."""
    fds = fetch_one(
        con,
        "SELECT amount_eur, snapshot_date FROM covid_dashboard_kpis WHERE scheme = 'aides' AND level = 'france' "
        "ORDER BY snapshot_date DESC LIMIT 1",
    )
    fds_v1 = fetch_one(
        con,
        "SELECT sum(amount_eur), max(snapshot_date) FROM covid_aid_snapshots WHERE scheme = 'fds' AND level = 'departement' "
        "AND snapshot_date = (SELECT max(snapshot_date) FROM covid_aid_snapshots WHERE scheme = 'fds')",
    )
    pge = fetch_one(
        con,
        "SELECT amount_eur, aid_count, snapshot_date FROM covid_dashboard_kpis WHERE scheme = 'pge' AND level = 'france' "
        "ORDER BY snapshot_date DESC LIMIT 1",
    )
    relance = fetch_one(
        con,
        "SELECT value, date FROM relance_indicators WHERE level = 'france' AND territory_code = ? "
        "AND indicator_id = ? ORDER BY date DESC LIMIT 1",
        [laureats.FRANCE, laureats.DEFAULT_INDICATOR],
    )
    ti = fetch_one(con, "SELECT count(*) FROM ti_territories WHERE version = ?", [CURRENT_TI_VERSION])
    friches = fetch_one(
        con,
        "SELECT count(*) FILTER (WHERE laureate), count(DISTINCT edition) FILTER (WHERE laureate) FROM friches_sites",
    )
    dates = dict(fetch_df(con, "SELECT source_id, data_date FROM sources").itertuples(index=False, name=None))
    return {
        "fds": {"value": fds[0], "date": fds[1], "source": "aides_covid_etalab", "volet1": fds_v1[0]},
        "pge": {"value": pge[0], "count": pge[1], "date": pge[2], "source": "aides_covid_etalab"},
        "relance": {"value": relance[0], "date": relance[1], "source": "france-relance-barometre"},
        "ti": {
            "value": ti[0],
            "version": CURRENT_TI_VERSION,
            "date": dates.get("territoires-industrie"),
            "source": "territoires-industrie",
        },
        "friches": {
            "value": friches[0],
            "editions": friches[1],
            "date": dates.get("cerema_fonds_friches"),
            "source": "cerema_fonds_friches",
        },
    }


def freshness(con) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT title, publisher, data_date, loaded_at, status, source_id FROM sources ORDER BY data_date DESC NULLS LAST",
    )


def friches_laureates(con) -> pd.DataFrame:
    """Fonds friches laureate sites, for the overview map."""
    return fetch_df(
        con, "SELECT site_id, name, commune_name, departement_code, edition, lat, lon FROM friches_sites WHERE laureate"
    )


def ti_features(con) -> dict:
    """The current Territoires d'industrie perimeter, for the overview map's base image (names are on ti_markers)."""
    return common.national_features(common.map_shapes(con, f"ti_{CURRENT_TI_VERSION}"), [])


def ti_markers(con) -> pd.DataFrame:
    """One marker per territory of the current perimeter (its most populated commune), carrying its name: the
    territories themselves are drawn in the map's base image, which has no tooltip."""
    from observatoire import maps
    from observatoire.queries.territoires import shapes

    df = shapes(con, CURRENT_TI_VERSION)
    placed = [maps.move_point(x, y, d) for x, y, d in zip(df["lon"], df["lat"], df["departement_code"])]
    return pd.DataFrame(
        {
            "code": df["code"],
            "lon_map": [p[0] for p in placed],
            "lat_map": [p[1] for p in placed],
            "tooltip": "Territoire d'industrie : " + df["name"],
        }
    )


def friches_points(con) -> list[dict]:
    """Fonds friches laureate sites for the overview map (overseas moved into insets), built and serialised once."""
    from observatoire import maps

    pts = friches_laureates(con)
    colour = list(maps.CATEGORICAL[1]) + [230]
    out = []
    for lon, lat, dep, name, commune in zip(
        pts["lon"], pts["lat"], pts["departement_code"], pts["name"].fillna(""), pts["commune_name"].fillna("")
    ):
        x, y = maps.move_point(lon, lat, dep)
        out.append(
            {
                "lon_map": round(x, 5),
                "lat_map": round(y, 5),
                "color": colour,
                "tooltip": f"Fonds friches (lauréat) : {name[:80]} — {commune}",
            }
        )
    return out


def friches_by_departement(con) -> pd.DataFrame:
    return fetch_df(
        con,
        """SELECT d.departement_code AS "Code département", d.name AS "Département", count(f.site_id) AS "sites lauréats"
                            FROM geo_departements d LEFT JOIN friches_sites f ON f.departement_code = d.departement_code AND f.laureate
                            WHERE d.boundary_geojson IS NOT NULL GROUP BY ALL ORDER BY 1""",
    )
