"""Map layers drawn on the server into PNG images (observatoire.raster), cached and shared by all sessions: the
unchanging layers once per process, a filter state's layers once per state, a selection's outline once per
selection. One drawing at a time per process."""

from __future__ import annotations

import importlib
import json
import threading

import pandas as pd

from observatoire.ui.data import _connection, _db_key, _highlights, _images, _layers


def _load(path: str, mtime_ns: int, layers: tuple) -> list:
    con = _connection(path, mtime_ns)
    return [(getattr(importlib.import_module(module), name)(con, *args), style) for module, name, args, style in layers]


# One drawing at a time per process: a national image needs about 70 MB while it is drawn (a 2x supersampled RGBA
# canvas); sessions drawing different images at once pushed the server past 700 MB under load. On 2 cores, drawing
# them one after another costs no more time. Only raster.draw and encode run under it: never a cached call.
_DRAWING = threading.Lock()


def _drawn(path: str, mtime_ns: int, layers: tuple, zoom: float, bounds: tuple | None):
    """Layers that never change (outlines), drawn once per process as an image to stack under or over others."""
    from observatoire import raster

    def compute():
        data = _load(path, mtime_ns, layers)
        with _DRAWING:
            return raster.draw(data, zoom, bounds)

    return _layers.get(("drawn", path, mtime_ns, layers, zoom, bounds), compute)


def _canvas(path: str, mtime_ns: int, layers: tuple, zoom: float):
    from observatoire import raster

    return _layers.get(
        ("canvas", path, mtime_ns, layers, zoom), lambda: raster.canvas(_load(path, mtime_ns, layers), zoom)
    )


def _raster(path: str, mtime_ns: int, layers: tuple, zoom: float, below: tuple, above: tuple):
    from PIL import Image

    from observatoire import raster
    from observatoire.ui.maps import Payload

    data = _load(path, mtime_ns, layers)
    if below or above:
        # the unchanging layers are drawn once; only `layers` is drawn here, on their canvas, and the images stacked
        bounds = _canvas(path, mtime_ns, below + above, zoom)  # the unchanging layers cover the map
        under = _drawn(path, mtime_ns, below, zoom, bounds)[0] if below else None
        over = _drawn(path, mtime_ns, above, zoom, bounds)[0] if above else None
        with _DRAWING:
            drawn = raster.draw(data, zoom, bounds)[0]
            img = under.copy() if under is not None else Image.new("RGBA", drawn.size, (255, 255, 255, 0))
            img.alpha_composite(drawn)
            if over is not None:
                img.alpha_composite(over)
            png = raster.encode(img)
    else:
        with _DRAWING:
            img, bounds = raster.draw(data, zoom)
            png = raster.encode(img)
    return Payload(json.dumps(raster.data_url(png))), [round(b, 6) for b in bounds]


def raster_image(layers, zoom: float, below=(), above=()):
    """Layers drawn into one PNG (observatoire.raster), cached and shared by all sessions: layers are (query function,
    its arguments, raster.Style), bottom first. `below` and `above` are layers that never change: drawn once per
    process and stacked under and over, so a new filter state only draws `layers`. Returns (Payload, bounds)."""

    def spec(ls):
        return tuple((fn.__module__, fn.__name__, tuple(args), style) for fn, args, style in ls)

    path, mtime_ns = _db_key()
    key = (path, mtime_ns, spec(layers), zoom, spec(below), spec(above))
    return _images.get(key, lambda: _raster(*key))


def _highlight(rows: pd.DataFrame, inset_col: str, zoom: float, style):
    from observatoire import maps, raster
    from observatoire.ui.maps import Payload

    fc = maps.feature_collection(rows, inset_col=inset_col, properties=["code"])
    if not fc["features"]:
        return None
    try:
        png, bounds = raster.render([(fc, style)], zoom)
    except ValueError:  # features without a drawable polygon
        return None
    return Payload(json.dumps(raster.data_url(png))), bounds


def highlight_image(rows: pd.DataFrame, inset_col: str, zoom: float, style):
    """Selected territories (columns code, boundary_geojson and `inset_col`) drawn into a small PNG with its own bounds;
    None when they have no polygon to draw. Cached on their codes and geometry text: a rerun neither parses nor
    re-encodes the boundary."""
    key = (tuple(rows["code"]), tuple(rows["boundary_geojson"]), tuple(rows[inset_col]), inset_col, zoom, style)
    return _highlights.get(key, lambda: _highlight(rows, inset_col, zoom, style))
