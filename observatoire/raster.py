"""Static map layers drawn once on the server into a PNG image, shown in the browser by a deck.gl BitmapLayer.

Why: with no GPU (headless browsers, virtual desktops), WebGL is drawn in software and a national map of a few
thousand vector polygons and outlines took 3 to 7 s before the page answered. A picture of the same boundaries and
colours is one textured rectangle. Only what the user points at (markers, points with tooltips) stays vector.

The image is in Web Mercator, like the map: x is linear in longitude, y in Mercator y, so a BitmapLayer stretched
over `bounds` puts every pixel in place. It is drawn at SCALE image pixels per screen pixel of the national view
(sharp on high-density screens, and one zoom level in), with 2x supersampling for smooth edges.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

SCALE = 2  # image pixels per CSS pixel at the national view's zoom
SUPERSAMPLE = 2
MARGIN_PX = 4


@dataclass(frozen=True)
class Style:
    """How a layer is drawn. Widths and radii are in CSS pixels at the national view (as deck.gl's *_min_pixels)."""

    fill: tuple | None = None  # RGBA for every feature
    fill_property: str | None = None  # or a feature property holding [r, g, b, a] (choropleths)
    line: tuple | None = None  # RGBA outline
    width: float = 1.0
    radius: float = 0.0  # for points ({"lon_map", "lat_map", fill_property or fill})


def mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def pixels_per_degree(zoom: float) -> float:
    """deck.gl / MapLibre world width is 512 * 2^zoom CSS pixels for 360 degrees."""
    return 512 * 2**zoom / 360


def _parts(geometry: dict, single: str, multi: str) -> list:
    """The coordinates of every `single` in a geometry, whether single, multi or inside a collection."""
    t = geometry.get("type") if geometry else None
    if t == single:
        return [geometry["coordinates"]]
    if t == multi:
        return geometry["coordinates"]
    if t == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in _parts(g, single, multi)]
    return []


def _polygons(geometry: dict) -> list:
    return _parts(geometry, "Polygon", "MultiPolygon")


def _points(geometry: dict) -> list:
    """Point coordinates: a few territories made of communes are published as their centroids."""
    return _parts(geometry, "Point", "MultiPoint")


def _is_points(data) -> bool:
    return isinstance(data, list)


def bounds_of(layers: list[tuple[object, Style]]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for data, _ in layers:
        if _is_points(data):
            xs += [p["lon_map"] for p in data if p.get("lon_map") is not None]
            ys += [p["lat_map"] for p in data if p.get("lat_map") is not None]
            continue
        for f in data["features"]:
            for poly in _polygons(f["geometry"]):
                xs += [c[0] for c in poly[0]]
                ys += [c[1] for c in poly[0]]
            for c in _points(f["geometry"]):
                xs.append(c[0])
                ys.append(c[1])
    if not xs:
        raise ValueError("aucune géométrie à dessiner")
    return min(xs), min(ys), max(xs), max(ys)


def render(layers: list[tuple[object, Style]], zoom: float) -> tuple[bytes, list[float]]:
    """Draw the layers (FeatureCollections or point lists, each with its Style, bottom first) for a map whose
    national view has this zoom. Returns the PNG and its bounds [west, south, east, north] for the BitmapLayer."""
    img, bounds = draw(layers, zoom)
    return encode(img), [round(b, 6) for b in bounds]


def canvas(layers: list[tuple[object, Style]], zoom: float) -> tuple[float, float, float, float]:
    """The bounds of an image holding the layers, widened by a margin so lines on the edge are not cut."""
    west, south, east, north = bounds_of(layers)
    ppd = pixels_per_degree(zoom) * SCALE * SUPERSAMPLE
    per_rad = ppd * 180 / math.pi
    pad = MARGIN_PX * SCALE * SUPERSAMPLE
    top_y, bottom_y = mercator_y(north) + pad / per_rad, mercator_y(south) - pad / per_rad
    return (
        west - pad / ppd,
        math.degrees(2 * math.atan(math.exp(bottom_y)) - math.pi / 2),
        east + pad / ppd,
        math.degrees(2 * math.atan(math.exp(top_y)) - math.pi / 2),
    )


def draw(layers: list[tuple[object, Style]], zoom: float, bounds: tuple | None = None) -> tuple[Image.Image, tuple]:
    """The layers drawn into an RGBA image, on the canvas `bounds` (default: the layers' own). Images drawn with the
    same zoom and bounds have the same size and can be stacked (Image.alpha_composite)."""
    west, south, east, north = bounds or canvas(layers, zoom)
    ppd = pixels_per_degree(zoom) * SCALE * SUPERSAMPLE  # drawing pixels per degree of longitude
    per_rad = ppd * 180 / math.pi
    top_y, bottom_y = mercator_y(north), mercator_y(south)
    width = math.ceil(round((east - west) * ppd / SUPERSAMPLE, 6)) * SUPERSAMPLE
    height = math.ceil(round((top_y - bottom_y) * per_rad / SUPERSAMPLE, 6)) * SUPERSAMPLE
    # the image spans exactly width x height drawing pixels: east and south follow from them
    east = west + width / ppd
    south = math.degrees(2 * math.atan(math.exp(top_y - height / per_rad)) - math.pi / 2)

    def xy(ring):
        if not len(ring):
            return []
        a = np.asarray(
            ring, dtype=float
        )  # vectorised: per point in Python, this was a tenth of a first Territoires run
        ys = np.log(np.tan(np.pi / 4 + np.radians(np.clip(a[:, 1], -85.0, 85.0)) / 2))
        return list(zip(((a[:, 0] - west) * ppd).tolist(), ((top_y - ys) * per_rad).tolist()))

    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    k = SCALE * SUPERSAMPLE
    for data, style in layers:
        if _is_points(data):
            r = style.radius * k
            for p in data:
                if p.get("lon_map") is None or p.get("lat_map") is None:
                    continue
                colour = p.get(style.fill_property) if style.fill_property else style.fill
                ((x, y),) = xy([(p["lon_map"], p["lat_map"])])
                draw.ellipse(
                    (x - r, y - r, x + r, y + r),
                    fill=tuple(colour) if colour else None,
                    outline=tuple(style.line) if style.line else None,
                    width=max(1, round(style.width * k)),
                )
            continue
        line_w = max(1, round(style.width * k))
        for f in data["features"]:
            polys = [[xy(r) for r in poly] for poly in _polygons(f["geometry"])]
            colour = f["properties"].get(style.fill_property) if style.fill_property else style.fill
            if colour:
                for rings in polys:
                    _fill_polygon(img, rings, tuple(colour))
            if style.line:
                for rings in polys:
                    for ring in rings:
                        if len(ring) >= 2:
                            draw.line(ring + ring[:1], fill=tuple(style.line), width=line_w, joint="curve")
            r = max(style.radius, 2.0) * k  # point geometries: a dot in the fill colour (or the line's when unfilled)
            for x, y in xy(_points(f["geometry"])):
                draw.ellipse(
                    (x - r, y - r, x + r, y + r),
                    fill=tuple(colour or style.line or (0, 0, 0, 255)),
                    outline=tuple(style.line) if style.line and colour else None,
                    width=max(1, round(style.width * k)),
                )
    # a box average of each SUPERSAMPLE x SUPERSAMPLE block (alpha-weighted, as resize): the antialiasing of a
    # supersampled drawing, and 15 times faster than a Lanczos resize of the same image
    return img.reduce(SUPERSAMPLE), (west, south, east, north)


def encode(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    # a 256-colour palette keeps edges smooth and the file several times smaller than full RGBA. zlib level 6, not
    # optimize=True (level 9): a national map encodes in 0.02 s instead of 0.18 s, for a file 3 % larger
    img.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def _fill_polygon(img: Image.Image, rings: list, colour: tuple) -> None:
    """Fill the outer ring minus its holes (an enclave is left as it is underneath), through a mask cropped to the
    polygon's box."""
    outer = rings[0]
    if len(outer) < 3:
        return
    x0, y0 = max(0, int(min(p[0] for p in outer))), max(0, int(min(p[1] for p in outer)))
    x1, y1 = min(img.width, int(max(p[0] for p in outer)) + 2), min(img.height, int(max(p[1] for p in outer)) + 2)
    if x1 <= x0 or y1 <= y0:
        return
    alpha = colour[3] if len(colour) > 3 else 255
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)  # the polygon drawn with the colour's opacity, its holes cleared
    md = ImageDraw.Draw(mask)
    md.polygon([(x - x0, y - y0) for x, y in outer], fill=alpha)
    for hole in rings[1:]:
        if len(hole) >= 3:
            md.polygon([(x - x0, y - y0) for x, y in hole], fill=0)
    overlay = Image.new("RGBA", mask.size, (*colour[:3], 0))
    overlay.putalpha(mask)
    img.alpha_composite(overlay, (x0, y0))  # blends: a translucent fill shows what is under it


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def pixel_of(lon: float, lat: float, bounds: list[float], size: tuple[int, int]) -> tuple[int, int]:
    """The image pixel of a point (tests and checks): the inverse of the drawing transform."""
    west, south, east, north = bounds
    x = (lon - west) / (east - west) * size[0]
    y = (mercator_y(north) - mercator_y(lat)) / (mercator_y(north) - mercator_y(south)) * size[1]
    return int(x), int(y)
