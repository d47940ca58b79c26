"""One read-only connection per database file (cache_resource), query results cached on their arguments (cache_data)."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import streamlit as st

from observatoire import config, db


@st.cache_resource(show_spinner=False)
def _connection(path: str, mtime_ns: int):
    # keyed on the path and the file's mtime: a rebuilt database gets a fresh connection, tests never share one
    return db.connect(path)


def _db_key() -> tuple[str, int]:
    path = Path(config.db_path())
    return str(path), path.stat().st_mtime_ns


def connection():
    return _connection(*_db_key())


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached(path: str, mtime_ns: int, module: str, name: str, args: tuple, kwargs: tuple):
    fn = getattr(importlib.import_module(module), name)
    return fn(_connection(path, mtime_ns), *args, **dict(kwargs))


def query(fn, *args, **kwargs):
    """Run a query function of observatoire.queries with caching keyed on its filter values."""
    return _cached(*_db_key(), fn.__module__, fn.__name__, tuple(args), tuple(sorted(kwargs.items())))


@st.cache_resource(show_spinner=False, max_entries=64)
def _geojson(path: str, mtime_ns: int, module: str, name: str, args: tuple):
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


@st.cache_resource(show_spinner=False, max_entries=16)
def _drawn(path: str, mtime_ns: int, layers: tuple, zoom: float, bounds: tuple | None):
    """Layers that never change (outlines), drawn once per process as an image to stack under or over others."""
    from observatoire import raster

    return raster.draw(_load(path, mtime_ns, layers), zoom, bounds)


@st.cache_resource(show_spinner=False, max_entries=16)
def _canvas(path: str, mtime_ns: int, layers: tuple, zoom: float):
    from observatoire import raster

    return raster.canvas(_load(path, mtime_ns, layers), zoom)


@st.cache_resource(show_spinner=False, max_entries=64)
def _raster(path: str, mtime_ns: int, layers: tuple, zoom: float, below: tuple, above: tuple):
    from observatoire import raster
    from observatoire.ui.maps import Payload

    if below or above:
        from PIL import Image

        # the unchanging layers are drawn once; only `layers` is drawn here, on their canvas, and the images stacked
        bounds = _canvas(path, mtime_ns, below + above, zoom)  # the unchanging layers cover the map
        first = _drawn(path, mtime_ns, below or above, zoom, bounds)[0]
        img = first.copy() if below else Image.new("RGBA", first.size, (255, 255, 255, 0))
        img.alpha_composite(raster.draw(_load(path, mtime_ns, layers), zoom, bounds)[0])
        if above:
            img.alpha_composite(_drawn(path, mtime_ns, above, zoom, bounds)[0])
    else:
        img, bounds = raster.draw(_load(path, mtime_ns, layers), zoom)
    return Payload(json.dumps(raster.data_url(raster.encode(img)))), [round(b, 6) for b in bounds]


def raster_image(layers, zoom: float, below=(), above=()):
    """Layers drawn into one PNG (observatoire.raster), cached and shared by all sessions: layers are (query function,
    its arguments, raster.Style), bottom first. `below` and `above` are layers that never change: drawn once per
    process and stacked under and over, so a new filter state only draws `layers`. Returns (Payload, bounds)."""
    spec = lambda ls: tuple((fn.__module__, fn.__name__, tuple(args), style) for fn, args, style in ls)  # noqa: E731
    return _raster(*_db_key(), spec(layers), zoom, spec(below), spec(above))


@st.cache_resource(show_spinner=False)
def _console_connection(path: str, mtime_ns: int):
    # a separate connection for the SQL console, so an interrupt never touches the pages' queries
    return db.connect(path)


def console_connection():
    return _console_connection(*_db_key())
