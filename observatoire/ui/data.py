"""One read-only connection per database file, query results cached on their arguments and shared by all sessions
(each session gets its own shallow copy, see `_fresh`)."""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
from pathlib import Path

import pandas as pd

from observatoire import config, db
from observatoire.recipes import Derived
from observatoire.ui import memory
from observatoire.ui.cache import MB, SharedCache

# One connection per database file, opened again when the file changes (a rebuild): observatoire.db attaches the
# file to a DuckDB of its own, so the new connection reads the new file while runs that began on the old one finish
# on it (each run pins its connection, see `pinned`); the old connection closes once no run holds it.
_CONNECTIONS: dict[str, tuple[int, object]] = {}
_CONNECTING = threading.Lock()
_run = threading.local()  # the database pinned by the page run of this thread (a session's script thread)


def _connection(path: str, mtime_ns: int):
    pin = getattr(_run, "pin", None)
    if pin is not None and pin[:2] == (path, mtime_ns):
        return pin[2]
    with _CONNECTING:
        known = _CONNECTIONS.get(path)
        if known is not None and known[0] == mtime_ns:
            return known[1]
        memory.grew()
        con = db.connect(path)
        _CONNECTIONS[path] = (mtime_ns, con)
        return con


def _db_key() -> tuple[str, int]:
    pin = getattr(_run, "pin", None)
    if pin is not None:
        return pin[0], pin[1]
    path = Path(config.db_path())
    return str(path), path.stat().st_mtime_ns


def connection():
    return _connection(*_db_key())


@contextlib.contextmanager
def pinned():
    """One page run reads one database file: a rebuild that replaces the file mid-run is picked up by the next run,
    never half-way through this one (observatoire.ui.frame wraps each run in it)."""
    path, mtime_ns = _db_key()
    _run.pin = (path, mtime_ns, _connection(path, mtime_ns))
    try:
        yield
    finally:
        _run.pin = None


# At most two queries computed at once (one per core): ten sessions arriving on cold caches otherwise ran ten pandas
# and DuckDB computations side by side, each with its working memory, for no gain in time on 2 cores.
_COMPUTING = threading.BoundedSemaphore(2)


# Results (query frames, map payloads, images) are computed once and shared by all sessions (observatoire.ui.cache),
# each cache bounded in entries and in bytes: 336 MB in all at most (README, « Mémoire et pauses »).
_queries = SharedCache(2000, 128 * MB)
_payloads = SharedCache(64, 48 * MB)  # serialised GeoJSON layers
_images = SharedCache(64, 32 * MB)  # map images (PNG data URLs, 56-248 kB each)
_layers = SharedCache(16, 64 * MB)  # unchanging layers (outlines) drawn once, and their canvas
_highlights = SharedCache(256, 16 * MB)  # small images of a selection
_combined = SharedCache(256, 32 * MB)  # results assembled from cached query results: a profile 0.05-0.1 MB
_console = SharedCache(64, 16 * MB)  # console results (each under console.BYTE_CAP) and refusals


# pandas' copy-on-write notes every shallow copy with a weak reference in the shared blocks and axes, and drops dead
# ones only beyond 100 to 500 each: handing out copies on every rerun, the server held 222,000 of them after four
# minutes of the load test, and every garbage collection walked them. A threshold of 0 before each copy makes that
# copy drop them.
REFS_PRUNED_BEYOND = 0


def _prune_notes(frame) -> None:
    axes = [frame.index] + ([frame.columns] if isinstance(frame, pd.DataFrame) else [])
    for refs in [block.refs for block in frame._mgr.blocks] + [axis._references for axis in axes]:
        if refs is not None:
            refs.clear_counter = REFS_PRUNED_BEYOND


def _shallow(frame):
    try:
        _prune_notes(frame)
    except AttributeError:  # a pandas without these internals: its own pruning applies (tests/test_fallbacks.py)
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


def compute(fn, *args, **kwargs):
    """`query` without the cache: for the data API's answers, each as large as a whole table may be and asked once per
    script or workbook refresh, which would push the pages' results out of the shared cache."""
    with _COMPUTING:
        return fn(connection(), *args, **kwargs)


def _spec(item) -> tuple:
    if isinstance(item, Derived):
        return ("derived", item.fn.__module__, item.fn.__qualname__, tuple(_spec(q) for q in item.queries), item.args)
    f, *a = item
    return (f.__module__, f.__qualname__, tuple(a))


def _input(item):
    return combined(item.fn, *item.queries, args=item.args) if isinstance(item, Derived) else query(*item)


def result(item):
    """A recipe (observatoire.recipes) or one query, (fn, *args), from the shared cache."""
    return _input(item)


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


_POOLS: dict[str, tuple[int, object]] = {}


def console_pool():
    """The console's worker processes for the current database file (observatoire.console_worker); the workers of
    a replaced file are stopped."""
    from observatoire.console_worker import Pool

    path, mtime_ns = _db_key()
    with _CONNECTING:
        known = _POOLS.get(path)
        if known is not None and known[0] == mtime_ns:
            return known[1]
        pool = Pool(Path(path))
        _POOLS[path] = (mtime_ns, pool)
    if known is not None:
        known[1].close()
    return pool


def console_result(sql: str, tick=None):
    """A console query's result, or its French refusal, shared by every session that asks the same query of the
    same file (a hostile query costs its time limit once, not on every rerun). Raises ConsoleError."""
    from observatoire import console

    path, mtime_ns = _db_key()

    def compute():
        try:
            return console_pool().run(sql, tick=tick)
        except console.ConsoleError as exc:
            if exc.transient:
                raise
            return exc

    result = _console.get((path, mtime_ns, sql), compute)
    if isinstance(result, console.ConsoleError):
        raise result
    return console.ConsoleResult(_shallow(result.frame), result.truncated, result.seconds, result.truncated_bytes)
