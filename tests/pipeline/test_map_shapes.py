"""map_shapes holds the boundaries the national maps draw, derived at build. The features the pages draw from it must
equal those drawn the former way, from the full boundaries at each first draw (moved into insets, then snapped to the
grid), for every layer."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from observatoire import maps
from observatoire.queries import accueil, common
from observatoire.queries import territoires as tq

# layer -> (query of the full boundaries with each row's inset department, grid step): written here independently
FULL = {
    "departement": (
        """SELECT departement_code AS code, boundary_geojson, departement_code AS inset FROM geo_departements
                       WHERE boundary_geojson IS NOT NULL""",
        maps.NATIONAL_STEP,
    ),
    "epci": (
        """SELECT epci_siren AS code, boundary_geojson, (SELECT arg_max(departement_code, population) FROM geo_communes g
                WHERE g.epci_siren = e.epci_siren) AS inset FROM geo_epci e WHERE boundary_geojson IS NOT NULL""",
        2 * maps.NATIONAL_STEP,
    ),
    "ti_2024": (
        """SELECT t.territory_id AS code, t.boundary_geojson, (SELECT arg_max(g.departement_code, g.population)
                   FROM ti_communes c JOIN geo_communes g USING (commune_code) WHERE c.version = 2024 AND c.territory_id = t.territory_id) AS inset
                   FROM ti_territories t WHERE version = 2024 AND boundary_geojson IS NOT NULL""",
        maps.NATIONAL_STEP,
    ),
}


def _geometries(fc: dict) -> Counter:
    return Counter(json.dumps(f["geometry"], sort_keys=True) for f in fc["features"])


def _expected(con, layer: str) -> dict:
    sql, step = FULL[layer]
    df = con.execute(sql).df()
    return maps.feature_collection(df, inset_col="inset", properties=[], simplify_step=step)


@pytest.mark.parametrize(
    "layer, drawn",
    [
        ("departement", common.departement_outlines),
        ("epci", tq.epci_outlines),
        ("ti_2024", accueil.ti_features),
    ],
)
def test_layers_equal_the_full_boundaries_moved_and_snapped(con, layer, drawn):
    expected = _expected(con, layer)
    got = drawn(con)
    assert len(got["features"]) == len(expected["features"]) > 100
    assert _geometries(got) == _geometries(expected)


def test_coloured_maps_keep_codes_colours_and_overseas_insets(con):
    fills = (("974", (1, 2, 3, 255)), ("2A", (4, 5, 6, 255)))
    fc = common.filled_boundaries(con, "departement", fills)
    by_code = {f["properties"]["code"]: f for f in fc["features"]}
    assert by_code["974"]["properties"]["fill"] == [1, 2, 3, 255]
    assert by_code["75"]["properties"]["fill"] == [*maps.NO_DATA, 255]
    coords = by_code["974"]["geometry"]["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    lon, lat = coords  # La Réunion is drawn in its inset, west of Brittany
    assert lon < -5 and 43 < lat < 47
    regions = common.filled_boundaries(con, "region", ())
    assert (
        len(regions["features"])
        == con.execute("SELECT count(*) FROM geo_regions WHERE boundary_geojson IS NOT NULL").fetchone()[0]
    )
    guyane = next(f for f in regions["features"] if f["properties"]["code"] == "03")
    assert _geometries({"features": [guyane]}) == _geometries(
        maps.feature_collection(
            con.execute("SELECT boundary_geojson, '973' AS inset FROM geo_regions WHERE region_code = '03'").df(),
            inset_col="inset",
            properties=[],
            simplify_step=maps.NATIONAL_STEP,
        )
    )


def test_territory_polygons_of_both_perimeters_carry_their_colour(con):
    for version in (2022, 2024):
        ids = [
            r[0]
            for r in con.execute(
                "SELECT territory_id FROM ti_territories WHERE version = ? AND boundary_geojson IS NOT NULL ORDER BY 1",
                [version],
            ).fetchall()
        ]
        fc = tq.choropleth(con, version, ((ids[0], (9, 9, 9, 210)),))
        assert [f["properties"]["code"] for f in fc["features"]] == ids
        assert fc["features"][0]["properties"]["fill"] == [9, 9, 9, 210]
        assert fc["features"][1]["properties"]["fill"] is None
