"""One read-only connection per database file, query results cached on their arguments and shared by all sessions
(each session gets its own shallow copy, see observatoire.ui.copies)."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path

from observatoire import config, db
from observatoire.recipes import Derived
from observatoire.ui import memory
from observatoire.ui.cache import MB, SharedCache
from observatoire.ui.copies import fresh, shallow

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


def query(fn, *args, **kwargs):
    """Run a query function of observatoire.queries with caching keyed on the database file and its filter values."""
    path, mtime_ns = _db_key()

    def compute():
        with _COMPUTING:
            return fn(_connection(path, mtime_ns), *args, **kwargs)

    return fresh(_queries.get((path, mtime_ns, fn.__module__, fn.__qualname__, args, kwargs), compute))


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
    return fresh(
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
    return console.ConsoleResult(shallow(result.frame), result.truncated, result.seconds, result.truncated_bytes)
