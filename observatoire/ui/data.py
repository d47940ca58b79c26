"""One read-only connection per database file, query results cached on their arguments and shared by all sessions
(each session gets its own shallow copy, see `_fresh`)."""

from __future__ import annotations

import importlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

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


# Results (query frames, map payloads, images) are computed once and shared by all sessions. Not st.cache_data: it
# hands every rerun a fresh unpickled copy of each result, the largest cost of a warm Lauréats rerun at 100x (its
# explorer rows: 10 ms a rerun). Not st.cache_resource either: it hashes every argument on each call, 0.1-0.3 ms a
# call and 2.5 ms a call for a map's 101 department colours. Our arguments are plain values (strings, numbers, dates,
# and lists, tuples and dicts of them), so a dictionary keyed on their frozen form finds a result in microseconds.
_MISSING = object()


def _frozen(value):
    """A hashable form of an argument, distinct for distinct values (a list and a tuple of the same items too)."""
    if isinstance(value, dict):
        return (dict, tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_frozen(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return (frozenset, frozenset(_frozen(v) for v in value))
    hash(value)  # TypeError for anything else mutable: such an argument has no place in a cache key
    return (type(value), value)


class SharedCache:
    """Results shared by all sessions of the process, least recently used dropped beyond `max_entries`. A result
    being computed is computed once: sessions asking for it meanwhile wait for it."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._results: OrderedDict = OrderedDict()
        self._pending: dict = {}  # key -> lock held while that result is computed
        self._lock = threading.Lock()

    def get(self, key, compute):
        key = _frozen(key)
        with self._lock:
            value = self._results.get(key, _MISSING)
            if value is not _MISSING:
                self._results.move_to_end(key)
                return value
            computing = self._pending.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                value = self._results.get(key, _MISSING)
            if value is not _MISSING:  # another session computed it meanwhile
                return value
            try:
                memory.grew()
                value = compute()
                with self._lock:
                    self._results[key] = value
                    while len(self._results) > self.max_entries:
                        self._results.popitem(last=False)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def __len__(self) -> int:
        return len(self._results)


_queries = SharedCache(2000)
_payloads = SharedCache(64)  # serialised GeoJSON layers
_images = SharedCache(64)  # map images
_layers = SharedCache(16)  # unchanging layers (outlines) drawn once, and their canvas
_highlights = SharedCache(256)  # small images of a selection
_combined = SharedCache(256)  # results assembled from cached query results (combined): a profile 0.05-0.1 MB


# pandas' copy-on-write notes every shallow copy with a weak reference in the shared blocks and axes, and drops dead
# ones only beyond 100 to 500 each: handing out copies on every rerun, the server held 222,000 of them after four
# minutes of the load test, and every garbage collection walked them. A threshold of 0 before each copy makes that
# copy drop them.
REFS_PRUNED_BEYOND = 0


def _shallow(frame):
    try:
        axes = [frame.index] + ([frame.columns] if isinstance(frame, pd.DataFrame) else [])
        for refs in [block.refs for block in frame._mgr.blocks] + [axis._references for axis in axes]:
            if refs is not None:
                refs.clear_counter = REFS_PRUNED_BEYOND
    except AttributeError:  # a pandas without these internals: its own pruning applies (tests/test_query_cache.py)
        pass
    return frame.copy(deep=False)


def _fresh(value):
    """The caller's own view of a shared cached result. Frames and series are shallow copies: with pandas'
    copy-on-write, writing to one copies the touched data and never changes the shared result. Dicts are copied
    with their values made fresh; lists are copied, their items shared (query functions put only strings and numbers
    in lists); scalars, strings, dates and tuples are immutable and shared."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return _shallow(value)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


def query(fn, *args, **kwargs):
    """Run a query function of observatoire.queries with caching keyed on the database file and its filter values."""
    path, mtime_ns = _db_key()

    def compute():
        with _COMPUTING:
            return fn(_connection(path, mtime_ns), *args, **kwargs)

    return _fresh(_queries.get((path, mtime_ns, fn.__module__, fn.__qualname__, args, kwargs), compute))


class Derived(NamedTuple):
    """A combined result given as an input of another combined: combined(fn, *queries, args=args)."""

    fn: Callable
    queries: tuple
    args: tuple = ()


def _spec(item) -> tuple:
    if isinstance(item, Derived):
        return ("derived", item.fn.__module__, item.fn.__qualname__, tuple(_spec(q) for q in item.queries), item.args)
    f, *a = item
    return (f.__module__, f.__qualname__, tuple(a))


def _input(item):
    return combined(item.fn, *item.queries, args=item.args) if isinstance(item, Derived) else query(*item)


def combined(fn, *queries, args: tuple = ()):
    """fn(*results, *args), a pure function of cached query results, each query given as (query function, *its
    arguments) or as a Derived (another combined result): computed once and shared, under those inputs and `args`,
    so it is never returned for other inputs. For frames a page assembled from cached parts on every rerun
    (Territoires: its indicators and profile, 40 % of a warm rerun in pandas merges)."""
    path, mtime_ns = _db_key()
    spec = tuple(_spec(q) for q in queries)
    return _fresh(
        _combined.get(
            (path, mtime_ns, fn.__module__, fn.__qualname__, spec, args),
            lambda: fn(*(_input(q) for q in queries), *args),
        )
    )


def clear_queries() -> None:
    """Forget every cached query result, and what was combined from them (benchmarks of cold reruns, tests)."""
    _queries.clear()
    _combined.clear()


def clear_all() -> None:
    """Forget every shared result: queries, map payloads and images (benchmarks of a cold process)."""
    for cache in (_queries, _combined, _payloads, _images, _layers, _highlights):
        cache.clear()


def geojson(fn, *args):
    """A FeatureCollection built by a function of observatoire.queries, serialised once and shared by all sessions
    (no copy per rerun). Use it as a layer's data."""
    from observatoire.ui.maps import Payload

    path, mtime_ns = _db_key()
    return _payloads.get(
        (path, mtime_ns, fn.__module__, fn.__qualname__, args),
        lambda: Payload(json.dumps(fn(_connection(path, mtime_ns), *args), separators=(",", ":"))),
    )


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


@st.cache_resource(show_spinner=False)
def _console_connection(path: str, mtime_ns: int):
    memory.grew()
    # a separate connection for the SQL console, so an interrupt never touches the pages' queries
    return db.connect(path)


def console_connection():
    return _console_connection(*_db_key())
