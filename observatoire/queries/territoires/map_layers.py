"""The map of territories: polygons, marker points, outlines and the colours of an indicator's classes."""

from __future__ import annotations

import pandas as pd

from observatoire import maps
from observatoire.db import fetch_df
from observatoire.queries import common


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
