"""Server-drawn base images (observatoire.raster): each area is painted where it is and with its own colour, holes stay
empty, translucent fills blend, and the national maps send one image instead of vector boundaries."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from observatoire import maps, raster
from observatoire.queries import common
from observatoire.queries import territoires as tq


def decode(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGBA")


def close(a, b, tol=8) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def nearest(pixel, colours: dict):
    """The key whose colour is closest to the pixel (the image's palette shifts colours a little)."""
    return min(colours, key=lambda k: sum((a - b) ** 2 for a, b in zip(pixel, colours[k])))


def square(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def test_each_department_is_painted_with_its_colour_at_its_label_point(con):
    deps = common.departements(con)
    # 8 colours (a real map has 7 classes) spread over the departments: a misplaced image would show wrong colours
    grid = [(*c, 255) for c in maps.CATEGORICAL]
    fills = tuple((c, grid[(i * 3) % len(grid)]) for i, c in enumerate(deps["departement_code"]))
    fc = common.filled_boundaries(con, "departement", fills)
    png, bounds = raster.render([(fc, raster.Style(fill_property="fill"))], maps.FRANCE_VIEW["zoom"])
    img = decode(png)
    colour = dict(fills)
    wrong = []
    for code, lon, lat in zip(deps["departement_code"], deps["label_lon"], deps["label_lat"]):
        x, y = raster.pixel_of(*maps.move_point(lon, lat, code), bounds, img.size)
        if grid[nearest(img.getpixel((x, y)), dict(enumerate(grid)))] != colour[code]:
            wrong.append((code, img.getpixel((x, y)), colour[code]))
    assert len(deps) == 101 and wrong == []


def test_territory_colours_follow_the_indicator_classes(con):
    quarter = tq.quarters(con)[0]
    indicator = "jobs_index"
    table = tq.indicators(con, 2024, quarter)
    fc = tq.choropleth(con, 2024, tq.fills(table, indicator))
    png, bounds = raster.render([(fc, raster.Style(fill_property="fill"))], maps.LARGE_FRANCE_VIEW["zoom"])
    img = decode(png)
    values = table.set_index("code")[indicator]
    breaks = maps.classes(values)
    shapes = tq.shapes(con, 2024)
    classes = {i: tuple(c) for i, c in enumerate(maps.PALETTE + [maps.NO_DATA])}
    wrong = []
    for code, lon, lat, dep in zip(shapes["code"], shapes["lon"], shapes["lat"], shapes["departement_code"]):
        x, y = raster.pixel_of(*maps.move_point(lon, lat, dep), bounds, img.size)
        *expected, alpha = maps.colour_for(values[code], breaks)
        expected = tuple(expected)
        # every marker point lies inside its territory; it may sit by an edge shared with a neighbour (blended
        # pixels), so one of the pixels next to it must carry the territory's class colour, fully painted
        around = [img.getpixel((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        if not any(p[3] >= alpha - 10 and classes[nearest(p[:3], classes)] == expected for p in around):
            wrong.append((code, around, expected))
    assert len(shapes) == 183 and len({c for c in values.map(lambda v: tuple(maps.colour_for(v, breaks)))}) >= 7
    assert wrong == []


def test_holes_stay_empty_and_translucent_fills_blend():
    ring, hole = square(1.0, 45.0, 3.0, 47.0), square(1.6, 45.6, 2.4, 46.4)
    donut = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring, hole]}, "properties": {}}
        ],
    }
    veil = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [square(2.5, 45.0, 3.0, 47.0)]},
                "properties": {},
            }
        ],
    }
    png, bounds = raster.render(
        [(donut, raster.Style(fill=(200, 0, 0, 255))), (veil, raster.Style(fill=(0, 0, 200, 128)))], 5
    )
    img = decode(png)
    assert img.getpixel(raster.pixel_of(2.0, 46.0, bounds, img.size))[3] == 0  # the hole
    assert close(img.getpixel(raster.pixel_of(1.3, 46.0, bounds, img.size)), (200, 0, 0, 255))
    blended = img.getpixel(raster.pixel_of(2.75, 46.0, bounds, img.size))
    assert close(blended, (100, 0, 100, 255), tol=10)  # half blue over red, not blue replacing red


def test_points_and_lines_are_drawn_and_bounds_cover_them():
    pts = [
        {"lon_map": 0.0, "lat_map": 45.0, "fill": [0, 150, 0, 255]},
        {"lon_map": 4.0, "lat_map": 48.0, "fill": [0, 0, 150, 255]},
    ]
    line = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [square(1.0, 46.0, 3.0, 47.0)]},
                "properties": {},
            }
        ],
    }
    png, bounds = raster.render(
        [(pts, raster.Style(fill_property="fill", radius=3)), (line, raster.Style(line=(10, 10, 10, 255), width=2))], 5
    )
    img = decode(png)
    west, south, east, north = bounds
    assert west < 0.0 and east > 4.0 and south < 45.0 and north > 48.0
    assert close(img.getpixel(raster.pixel_of(0.0, 45.0, bounds, img.size)), (0, 150, 0, 255))
    assert close(img.getpixel(raster.pixel_of(4.0, 48.0, bounds, img.size)), (0, 0, 150, 255))
    assert close(
        img.getpixel(raster.pixel_of(2.0, 46.0, bounds, img.size)), (10, 10, 10, 255), tol=30
    )  # on the outline
    assert img.getpixel(raster.pixel_of(2.0, 46.5, bounds, img.size))[3] == 0  # inside, not filled
    with pytest.raises(ValueError):
        raster.render([({"type": "FeatureCollection", "features": []}, raster.Style(fill=(0, 0, 0, 255)))], 5)


@pytest.mark.parametrize(
    "page,params",
    [
        ("pages/territoires.py", {}),
        ("pages/territoires.py", {"version": "2020"}),
        ("pages/aides_covid.py", {"niveau": "region"}),
        ("pages/laureats.py", {}),
        ("pages/accueil.py", {}),
    ],
)
def test_national_maps_send_an_image_not_vector_boundaries(app, page, params):
    at = app(page, params)
    at.run()
    assert not at.exception
    decks = [json.loads(el.proto.json) for el in at.get("deck_gl_json_chart")]
    assert decks
    first = decks[0]["layers"]
    images = [layer for layer in first if layer["@@type"] == "BitmapLayer"]
    assert images and images[0]["id"] == "fond" and len(images) <= 2
    for layer in images:
        assert layer["image"].startswith("data:image/png;base64,") and len(layer["bounds"]) == 4
        png = decode(__import__("base64").b64decode(layer["image"].split(",", 1)[1]))
        assert png.getbbox() is not None  # something is drawn
    assert decode(__import__("base64").b64decode(images[0]["image"].split(",", 1)[1])).size[0] > 500
    # boundaries, colours and the selection are images; only clickable markers and points stay vector (ScatterplotLayer):
    # every other layer type would compile its own shaders in the browser
    assert {layer["@@type"] for layer in first} <= {"BitmapLayer", "ScatterplotLayer"}
    for deck in decks:
        assert deck.get("mapStyle") == "__MAP_STYLE__"  # Streamlit then fetches no style (missing or empty: Carto)


def test_the_selection_is_drawn_where_the_territory_is(app, con):
    """The selected territory's outline image (Aides Covid, Occitanie selected) lies on Occitanie: its bounds are
    those of the region's boundary, and orange is drawn on the boundary, not inside."""
    at = app("pages/aides_covid.py", {"niveau": "region", "territoire": "76"})
    at.run()
    assert not at.exception
    layer = next(
        layer
        for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
        if layer["id"] == "selection"
    )
    img = decode(__import__("base64").b64decode(layer["image"].split(",", 1)[1]))
    regions = common.filled_boundaries(con, "region", ())
    occitanie = next(f for f in regions["features"] if f["properties"]["code"] == "76")
    ring = max((p[0] for p in raster._polygons(occitanie["geometry"])), key=len)
    west, south, east, north = layer["bounds"]
    assert west < min(c[0] for c in ring) < west + 0.2 and east - 0.2 < max(c[0] for c in ring) < east
    assert south < min(c[1] for c in ring) < south + 0.2 and north - 0.2 < max(c[1] for c in ring) < north
    on_line = [
        img.getpixel(raster.pixel_of(x, y, layer["bounds"], img.size)) for x, y in ring[:: max(1, len(ring) // 40)]
    ]
    assert sum(p[3] > 100 and p[0] > 180 and p[2] < 80 for p in on_line) >= 0.8 * len(on_line)
    assert img.getpixel(raster.pixel_of(2.3, 43.6, layer["bounds"], img.size))[3] == 0  # Toulouse, inside: not filled
    # nothing selected: no selection layer
    at = app("pages/aides_covid.py", {"niveau": "france"})
    at.run()
    assert all(layer["id"] != "selection" for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"])


def test_every_department_marker_lies_inside_its_department(con):
    """Markers are clicked to select a department: the published label points of 54 (in Moselle) and 971 (at sea)
    are replaced in the build by the centroid of the department's most populated commune."""
    deps = common.departements(con)
    outside = [
        c
        for c, lon, lat, g in zip(
            deps["departement_code"], deps["label_lon"], deps["label_lat"], deps["boundary_geojson"]
        )
        if not maps.contains(json.loads(g), lon, lat)
    ]
    assert outside == []
    assert not maps.contains(
        json.loads(deps.set_index("departement_code").loc["54", "boundary_geojson"]), 6.275, 48.956
    )


def test_map_colours_are_shared_across_quarters_unless_the_indicator_depends_on_it(con):
    """The coloured image is keyed on the colours: another quarter reuses it, except for the unemployment rate."""
    qs = tq.quarters(con)
    a, b = tq.indicators(con, 2024, qs[0]), tq.indicators(con, 2024, qs[40])
    assert tq.fills(a, "population") == tq.fills(b, "population")
    assert tq.fills(a, "unemployment_pct") != tq.fills(b, "unemployment_pct")


def test_the_territoires_page_image_puts_each_territory_in_its_class_colour(app, con):
    """End to end: the image the page sends (EPCI outlines under, department lines over, drawn once and stacked with
    the colours), placed by its own bounds, shows each territory's class colour at its marker."""
    at = app("pages/territoires.py", {"indicateur": "fabrication_pct_2016"})
    at.run()
    assert not at.exception
    layer = next(
        layer
        for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
        if layer["@@type"] == "BitmapLayer"
    )
    img = decode(__import__("base64").b64decode(layer["image"].split(",", 1)[1]))
    table = tq.indicators(con, 2024, tq.quarters(con)[0])
    colours = dict(tq.fills(table, "fabrication_pct_2016"))
    classes = {i: tuple(c) for i, c in enumerate(maps.PALETTE + [maps.NO_DATA])}
    shapes = tq.shapes(con, 2024)
    wrong = []
    for code, lon, lat, dep in zip(shapes["code"], shapes["lon"], shapes["lat"], shapes["departement_code"]):
        x, y = raster.pixel_of(*maps.move_point(lon, lat, dep), layer["bounds"], img.size)
        around = [img.getpixel((x + dx, y + dy)) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
        if not any(classes[nearest(p[:3], classes)] == tuple(colours[code][:3]) for p in around if p[3] > 150):
            wrong.append(code)
    assert len({c[:3] for c in colours.values()}) >= 7 and wrong == []


def test_territories_published_as_points_are_drawn_and_selectable(app, con):
    """Five 2022 territories are published as commune centroids (PROVENANCE caveat): each point gets a dot of the
    territory's class colour on the map image, and selecting one draws its dots in the selection image."""
    at = app("pages/territoires.py", {"version": "2022", "territoire": "ti-9301", "indicateur": "population"})
    at.run()
    assert not at.exception
    layers = {layer["id"]: layer for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]}
    shapes = tq.shapes(con, 2022)
    points = json.loads(shapes.set_index("code").loc["ti-9301", "boundary_geojson"])["coordinates"]
    colour = tuple(dict(tq.fills(tq.indicators(con, 2022, tq.quarters(con)[0]), "population"))["ti-9301"][:3])
    for layer_id, expected in (("fond", colour), ("selection", (230, 159, 0))):
        img = decode(__import__("base64").b64decode(layers[layer_id]["image"].split(",", 1)[1]))
        hits = [img.getpixel(raster.pixel_of(lon, lat, layers[layer_id]["bounds"], img.size)) for lon, lat in points]
        assert sum(p[3] > 150 and close(p[:3], expected, tol=40) for p in hits) >= 0.8 * len(points), layer_id
