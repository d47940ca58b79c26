"""Queries shared by several pages: sources, geography."""

from __future__ import annotations

import pandas as pd

from observatoire import fmt
from observatoire.db import fetch_df


def sources(con) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT source_id, title, publisher, licence, licence_url, url, files, n_files, sha256, rows_loaded, "
        "data_date, loaded_at, status, origin, note FROM sources ORDER BY source_id",
    )


def source_footnote(con, source_ids: list[str]) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT source_id, title, publisher, licence, licence_url, url, data_date, status FROM sources "
        "WHERE list_contains(?, source_id) ORDER BY list_position(?, source_id)",
        [source_ids, source_ids],
    )


def footnote_text(con, source_ids: list[str]) -> str:
    """'Source : … (données au …)' in Markdown for every source id (built once per database and list: every page
    shows one on each rerun)."""
    parts = []
    for r in source_footnote(con, source_ids).itertuples(index=False):
        date = (
            f"données au {fmt.date(r.data_date)}"
            if r.data_date is not None and not pd.isna(r.data_date)
            else "date non publiée"
        )
        state = "" if r.status == "chargée" else f" — {r.status}"
        parts.append(f"{r.publisher}, [{r.title}]({r.url}) ({date}){state}. Licence : [{r.licence}]({r.licence_url})")
    return "Source : " + " · ".join(parts) if parts else "Source : non renseignée."


def departements(con) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT departement_code, name, region_code, population, label_lon, label_lat, boundary_geojson "
        "FROM geo_departements WHERE boundary_geojson IS NOT NULL ORDER BY departement_code",
    )


def regions(con) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT region_code, name, population, boundary_geojson FROM geo_regions "
        "WHERE boundary_geojson IS NOT NULL ORDER BY region_code",
    )


def map_shapes(con, layer: str) -> pd.DataFrame:
    """Boundaries as national maps draw them, derived at build (observatoire.pipeline.map_shapes): code, geojson.
    Layers: departement, region, epci, ti_2022, ti_2024."""
    return fetch_df(con, "SELECT code, geojson FROM map_shapes WHERE layer = ? ORDER BY code", [layer])


def national_features(df: pd.DataFrame, properties: list[str]) -> dict:
    """Rows of map_shapes (with any added columns) -> FeatureCollection."""
    from observatoire import maps

    return maps.feature_collection(df, geometry_col="geojson", properties=properties)


def departement_outlines(con) -> dict:
    """Department boundaries as a FeatureCollection (overseas moved into insets), no properties: a base layer."""
    return national_features(map_shapes(con, "departement"), [])


def filled_boundaries(con, level: str, fills: tuple) -> dict:
    """Department or region boundaries coloured per code: fills is ((code, (r, g, b, a)), ...). Keyed on the colours
    only, so two filter states with the same colours share one cached, serialised layer."""
    from observatoire import maps

    colour = dict(fills)
    df = map_shapes(con, "region" if level == "region" else "departement")
    df["fill"] = [list(colour.get(c, (*maps.NO_DATA, 255))) for c in df["code"]]
    return national_features(df, ["code", "fill"])


def inset_frames(con) -> dict:
    """The boxes around the overseas insets, as a FeatureCollection (drawn into base images; no query needed)."""
    from observatoire import maps

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [f["polygon"] + f["polygon"][:1]]},
                "properties": {},
            }
            for f in maps.inset_frames()
        ],
    }
