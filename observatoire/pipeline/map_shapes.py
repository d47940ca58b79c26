"""Boundaries as the national maps draw them, derived once at build time: overseas territories moved into their
insets and vertices snapped to the national grid (observatoire.maps.move_geometry, simplify). Pages used to do this
on the first draw of every map in each server process: 0.3 s of the first Territoires run (EPCI outlines and
territory polygons), and again for each new colouring of the department and region maps. The full boundaries stay
in their tables (the selection outline and downloads use them)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from observatoire import maps

# The territories' insets follow their most populated commune (as their map markers do).
_TI = """WITH p AS (SELECT c.territory_id, arg_max(g.departement_code, g.population) AS inset
                    FROM ti_communes c JOIN geo_communes g USING (commune_code) WHERE c.version = {v} GROUP BY 1)
         SELECT t.territory_id AS code, t.boundary_geojson AS boundary, p.inset, t.source_id
         FROM ti_territories t JOIN p USING (territory_id) WHERE t.version = {v} AND t.boundary_geojson IS NOT NULL"""
# layer -> (query: code, boundary, inset department, source_id ; grid step in degrees)
LAYERS = {
    "departement": (
        """SELECT departement_code AS code, boundary_geojson AS boundary, departement_code AS inset, source_id
                       FROM geo_departements WHERE boundary_geojson IS NOT NULL""",
        maps.NATIONAL_STEP,
    ),
    "region": (
        """SELECT region_code AS code, boundary_geojson AS boundary, NULL AS inset, source_id
                  FROM geo_regions WHERE boundary_geojson IS NOT NULL""",
        maps.NATIONAL_STEP,
    ),
    # EPCI outlines are faint lines under the territories: a coarser grid is enough
    "epci": (
        """SELECT e.epci_siren AS code, e.boundary_geojson AS boundary, e.source_id,
                       (SELECT arg_max(departement_code, population) FROM geo_communes g WHERE g.epci_siren = e.epci_siren) AS inset
                FROM geo_epci e WHERE boundary_geojson IS NOT NULL""",
        2 * maps.NATIONAL_STEP,
    ),
    "ti_2022": (_TI.format(v=2022), maps.NATIONAL_STEP),
    "ti_2024": (_TI.format(v=2024), maps.NATIONAL_STEP),
}


def national_geometry(boundary: str, inset: str | None, step: float) -> str:
    return json.dumps(maps.simplify(maps.move_geometry(json.loads(boundary), inset), step), separators=(",", ":"))


def frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    rows = []
    for layer, (sql, step) in LAYERS.items():
        df = con.execute(sql).df()
        if layer == "region":
            df["inset"] = df["code"].map(maps.REGION_TO_OVERSEAS)
        for code, boundary, inset, source_id in zip(df["code"], df["boundary"], df["inset"], df["source_id"]):
            inset = inset if isinstance(inset, str) else None
            rows.append((layer, code, national_geometry(boundary, inset, step), source_id))
    return pd.DataFrame(rows, columns=["layer", "code", "geojson", "source_id"])
