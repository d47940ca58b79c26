"""Map data without Streamlit: overseas insets, GeoJSON collections, colour classes and legends.

Overseas departments are moved (translated and scaled) into insets west of metropolitan France, so one
national map shows all of them without basemap tiles.
"""

from __future__ import annotations

import json
import math

import pandas as pd

# department code -> (centre lon, centre lat, target lon, target lat, scale)
INSETS = {
    "971": (-61.45, 16.20, -7.3, 50.0, 1.3),
    "972": (-61.02, 14.65, -7.3, 48.5, 2.2),
    "973": (-53.15, 3.95, -7.3, 46.7, 0.42),
    "974": (55.53, -21.13, -7.3, 44.8, 1.7),
    "976": (45.15, -12.82, -7.3, 43.1, 2.6),
}
REGION_TO_OVERSEAS = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
INSET_LABELS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}
NATIONAL_STEP = 0.005  # degrees: boundary simplification for national maps (a pixel is about 0,02° there)
FRANCE_VIEW = {"longitude": 0.9, "latitude": 46.5, "zoom": 4.35}
LARGE_FRANCE_VIEW = {
    "longitude": 0.4,
    "latitude": 46.4,
    "zoom": 4.85,
}  # a taller map: 183 small territories need the room

# Viridis, 7 classes: colour-blind safe and readable in greyscale
PALETTE = [(68, 1, 84), (68, 57, 131), (49, 104, 142), (33, 145, 140), (53, 183, 121), (144, 215, 67), (253, 231, 37)]
NO_DATA = (220, 220, 220)
# Okabe-Ito qualitative palette for categories (measures, editions)
CATEGORICAL = [
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (240, 228, 66),
    (0, 0, 0),
]


def move_point(lon: float, lat: float, departement_code: str | None) -> tuple[float, float]:
    inset = INSETS.get(departement_code or "")
    if not inset or lon is None or lat is None or (isinstance(lon, float) and math.isnan(lon)):
        return lon, lat
    cx, cy, tx, ty, s = inset
    return tx + (lon - cx) * s, ty + (lat - cy) * s


def _move_coords(coords, inset):
    if isinstance(coords[0], (int, float)):
        cx, cy, tx, ty, s = inset
        return [round(tx + (coords[0] - cx) * s, 5), round(ty + (coords[1] - cy) * s, 5)]
    return [_move_coords(c, inset) for c in coords]


def move_geometry(geometry: dict, departement_code: str | None) -> dict:
    inset = INSETS.get(departement_code or "")
    if not inset or not geometry:
        return geometry
    if geometry["type"] == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [move_geometry(g, departement_code) for g in geometry["geometries"]],
        }
    return {"type": geometry["type"], "coordinates": _move_coords(geometry["coordinates"], inset)}


def _in_ring(lon: float, lat: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict, lon: float, lat: float) -> bool:
    """Whether a (Multi)Polygon holds the point (in its outer ring and in none of its holes)."""
    t = geometry.get("type") if geometry else None
    polys = [geometry["coordinates"]] if t == "Polygon" else geometry["coordinates"] if t == "MultiPolygon" else []
    return any(
        _in_ring(lon, lat, [p[:2] for p in poly[0]])
        and not any(_in_ring(lon, lat, [p[:2] for p in h]) for h in poly[1:])
        for poly in polys
    )


def _snap_ring(ring: list, step: float) -> list:
    """Grid-snap, then keep a vertex only when it is at least `step` from the last kept one (radial distance)."""
    out = []
    for x, y in ((round(p[0] / step) * step, round(p[1] / step) * step) for p in ring):
        if not out or abs(x - out[-1][0]) + abs(y - out[-1][1]) >= 1.5 * step:
            out.append((round(x, 4), round(y, 4)))
    if out and out[-1] != out[0]:
        out.append(out[0])
    return [list(p) for p in out] if len(out) >= 4 else [list(p[:2]) for p in ring]


def simplify(geometry: dict, step: float) -> dict:
    """Snap vertices to a grid of `step` degrees and thin them: at national zoom (about 0,02° a pixel) a 0,005° grid
    looks the same and sends several times fewer points. Rings too small to keep 4 points stay as they are."""
    t = geometry.get("type")
    if t == "Polygon":
        return {"type": t, "coordinates": [_snap_ring(r, step) for r in geometry["coordinates"]]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[_snap_ring(r, step) for r in poly] for poly in geometry["coordinates"]]}
    if t == "GeometryCollection":
        return {"type": t, "geometries": [simplify(g, step) for g in geometry["geometries"]]}
    return geometry


def feature_collection(
    df: pd.DataFrame,
    geometry_col: str = "boundary_geojson",
    inset_col: str | None = None,
    properties: list[str] | None = None,
    simplify_step: float | None = None,
) -> dict:
    """Rows with a GeoJSON geometry column -> FeatureCollection, overseas moved into insets (then simplified to a
    grid of `simplify_step` degrees if given)."""
    properties = properties if properties is not None else [c for c in df.columns if c != geometry_col]
    feats = []
    for row in df.itertuples(index=False):
        r = row._asdict()
        geom = r.get(geometry_col)
        if not geom:
            continue
        geometry = move_geometry(json.loads(geom), r.get(inset_col) if inset_col else None)
        if simplify_step:
            geometry = simplify(geometry, simplify_step)
        feats.append(
            {"type": "Feature", "geometry": geometry, "properties": {k: _jsonable(r.get(k)) for k in properties}}
        )
    return {"type": "FeatureCollection", "features": feats}


def _jsonable(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def inset_frames() -> list[dict]:
    """Small boxes drawn around each overseas inset, with its name."""
    out = []
    for code, (_, _, tx, ty, _) in INSETS.items():
        half_w, half_h = 0.9, 0.65
        out.append(
            {
                "code": code,
                "name": INSET_LABELS[code],
                "polygon": [
                    [tx - half_w, ty - half_h],
                    [tx + half_w, ty - half_h],
                    [tx + half_w, ty + half_h],
                    [tx - half_w, ty + half_h],
                ],
                "label_lon": tx - half_w + 0.05,
                "label_lat": ty + half_h - 0.12,
            }
        )
    return out


def classes(values: pd.Series, n: int = len(PALETTE)) -> list[float]:
    """Quantile class breaks (upper bounds), rounded, unique."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return []
    return sorted(set(float(x) for x in v.quantile([i / n for i in range(1, n + 1)])))  # one pass, not n


def colour_for(value, breaks: list[float]) -> list[int]:
    if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks or pd.isna(value):
        return list(NO_DATA) + [160]
    for i, upper in enumerate(breaks):
        if value <= upper:
            idx = round(i * (len(PALETTE) - 1) / max(len(breaks) - 1, 1))
            return list(PALETTE[idx]) + [210]
    return list(PALETTE[-1]) + [210]


def legend(breaks: list[float], fmt) -> list[tuple[str, tuple[int, int, int]]]:
    """[(label, colour)] for the class breaks, formatted with fmt."""
    out = []
    lower = None
    for i, upper in enumerate(breaks):
        idx = round(i * (len(PALETTE) - 1) / max(len(breaks) - 1, 1))
        label = f"≤ {fmt(upper)}" if lower is None else f"{fmt(lower)} – {fmt(upper)}"
        out.append((label, PALETTE[idx]))
        lower = upper
    return out
