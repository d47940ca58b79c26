"""One read-only connection per database file, query results cached on their arguments and shared by all sessions
(each session gets its own shallow copy, see `_fresh`)."""
from __future__ import annotations

import importlib
import json
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from observatoire import config, db
from observatoire.ui import memory


@st.cache_resource(show_spinner=False)
def _connection(path: str, mtime_ns: int):
    memory.grew()
    # keyed on the path and the file's mtime: a rebuilt database gets a fresh connection, tests never share one
    return db.connect(path)


def _db_key() -> tuple[str, int]:
    path = Path(config.db_path())
    return str(path), path.stat().st_mtime_ns


def connection():
    return _connection(*_db_key())


# At most two queries computed at once (one per core): ten sessions arriving on cold caches otherwise ran ten pandas
# and DuckDB computations side by side, each with its working memory, for no gain in time on 2 cores.
_COMPUTING = threading.BoundedSemaphore(2)


# cache_resource, not cache_data: cache_data hands every rerun a fresh unpickled copy of each result, which was the
# largest cost of a warm Lauréats rerun at 100x (its explorer rows: 10 ms a rerun). Results are shared instead, and
# `_fresh` gives each caller its own shallow copy.
@st.cache_resource(show_spinner=False, max_entries=2000)
def _cached(path: str, mtime_ns: int, module: str, name: str, args: tuple, kwargs: tuple):
    memory.grew()
    fn = getattr(importlib.import_module(module), name)
    with _COMPUTING:
        return fn(_connection(path, mtime_ns), *args, **dict(kwargs))


def _fresh(value):
    """The caller's own view of a shared cached result. Frames and series are shallow copies: with pandas'
    copy-on-write, writing to one copies the touched data and never changes the shared result. Dicts are copied
    with their values made fresh; lists are copied, their items shared (query functions put only strings and numbers
    in lists); scalars, strings, dates and tuples are immutable and shared."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


def query(fn, *args, **kwargs):
    """Run a query function of observatoire.queries with caching keyed on its filter values."""
    return _fresh(_cached(*_db_key(), fn.__module__, fn.__name__, tuple(args), tuple(sorted(kwargs.items()))))


def clear_queries() -> None:
    """Forget every cached query result (benchmarks of cold reruns)."""
    _cached.clear()


@st.cache_resource(show_spinner=False, max_entries=64)
def _geojson(path: str, mtime_ns: int, module: str, name: str, args: tuple):
    memory.grew()
    from observatoire.ui.maps import Payload

    fn = getattr(importlib.import_module(module), name)
    return Payload(json.dumps(fn(_connection(path, mtime_ns), *args), separators=(",", ":")))


def geojson(fn, *args):
    """A FeatureCollection built by a function of observatoire.queries, serialised once and shared by all sessions
    (cache_resource: no copy per rerun). Use it as a layer's data."""
    return _geojson(*_db_key(), fn.__module__, fn.__name__, tuple(args))


def _load(path: str, mtime_ns: int, layers: tuple) -> list:
    con = _connection(path, mtime_ns)
    return [(getattr(importlib.import_module(module), name)(con, *args), style) for module, name, args, style in layers]


# One drawing at a time per process: a national image needs about 70 MB while it is drawn (a 2x supersampled RGBA
# canvas); sessions drawing different images at once pushed the server past 700 MB under load. On 2 cores, drawing
# them one after another costs no more time. Only raster.draw and encode run under it: never a cached call.
_DRAWING = threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=16)
def _drawn(path: str, mtime_ns: int, layers: tuple, zoom: float, bounds: tuple | None):
    """Layers that never change (outlines), drawn once per process as an image to stack under or over others."""
    memory.grew()
    from observatoire import raster

    data = _load(path, mtime_ns, layers)
    with _DRAWING:
        return raster.draw(data, zoom, bounds)


@st.cache_resource(show_spinner=False, max_entries=16)
def _canvas(path: str, mtime_ns: int, layers: tuple, zoom: float):
    memory.grew()
    from observatoire import raster

    return raster.canvas(_load(path, mtime_ns, layers), zoom)


@st.cache_resource(show_spinner=False, max_entries=64)
def _raster(path: str, mtime_ns: int, layers: tuple, zoom: float, below: tuple, above: tuple):
    memory.grew()
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
    spec = lambda ls: tuple((fn.__module__, fn.__name__, tuple(args), style) for fn, args, style in ls)  # noqa: E731
    return _raster(*_db_key(), spec(layers), zoom, spec(below), spec(above))


@st.cache_resource(show_spinner=False, max_entries=256)
def _highlight(fc_json: str, zoom: float, style):
    memory.grew()
    from observatoire import raster
    from observatoire.ui.maps import Payload

    try:
        png, bounds = raster.render([(json.loads(fc_json), style)], zoom)
    except ValueError:  # features without a drawable polygon
        return None
    return Payload(json.dumps(raster.data_url(png))), bounds


def highlight_image(fc: dict, zoom: float, style):
    """A few features (a selection) drawn into a small PNG with its own bounds, cached on the features' JSON; None
    when they have no polygon to draw."""
    return _highlight(json.dumps(fc, separators=(",", ":")), zoom, style)


@st.cache_resource(show_spinner=False)
def _console_connection(path: str, mtime_ns: int):
    memory.grew()
    # a separate connection for the SQL console, so an interrupt never touches the pages' queries
    return db.connect(path)


def console_connection():
    return _console_connection(*_db_key())
