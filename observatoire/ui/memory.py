"""Keep the server's memory low and its pauses short.

Memory: Streamlit runs every session's script in its own thread, and glibc gives threads their own malloc arenas,
which keep freed memory. Measured (bench/load.py): the server grew to ~800 MB with 10 sessions, most of it
freed-but-kept memory. Fewer arenas, and giving freed pages back after each run, fix that. Blocks of 4 MB or more
(an image being drawn is 27 MB) are mapped on their own, so freeing them returns them at once: the peak under the
load test went from 654 to 582 MB.

Pauses: the caches hold hundreds of thousands of long-lived Python objects, and Streamlit collects garbage after
every run (gc.collect(2)), walking all of them: 0.1 s added to a warm rerun of 0.09 s. So `settle`, at the end of a
run, collects and freezes what is alive: later collections skip frozen objects. It runs when a cache grew, and when
a collection was slow while finding little garbage: it walked a pile of live objects nobody caches (under load,
pandas' notes of shallow copies, see ui.data._shallow; Streamlit's per-session objects), which freezing takes out.
Frozen objects are still freed by reference counting. Garbage cycles among them wait for a full settle, which
unfreezes first and walks everything: under load, a settle also freezes the scripts other sessions are running, and
each run's module is a cycle (its functions point to its globals), 5,000 to 10,000 objects a second in the load test.
So a full settle comes at most every FULL_EVERY_S (0.2 to 0.6 s holding the GIL under load). Under the earlier rule,
a full settle after every cache miss, they took 63 % of the server's Python time in the load test (py-spy --gil)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import time

M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
_libc = None


def _lib():
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc.malloc_trim  # glibc only
        except (OSError, AttributeError):
            _libc = False
    return _libc


def limit_arenas(n: int = 2) -> None:
    lib = _lib()
    if lib:
        lib.mallopt(M_ARENA_MAX, n)
        # blocks of 4 MB or more (images being drawn, frames) get their own mapping, returned to the system when
        # freed; by default glibc raises this threshold after the first big free, and later big blocks stay in the heap
        lib.mallopt(M_MMAP_THRESHOLD, 4 << 20)


def give_back() -> None:
    """Return freed heap pages to the system (a few milliseconds)."""
    lib = _lib()
    if lib:
        lib.malloc_trim(0)


_grew = False
_slow = False
FULL_EVERY_S = 20.0  # under load, frozen garbage cycles wait about this long at most
SLOW_COLLECTION_S = 0.01  # a full collection this long walks many unfrozen objects: freeze them
FEW_COLLECTED = 5000  # unless it was slow freeing garbage (a large page's run), which freezing would keep alive
_last_full = time.monotonic()
_started = 0.0


def grew() -> None:
    """Called by a cached function when it computes (a cache miss): long-lived objects were added."""
    global _grew
    _grew = True


def _time_collection(phase: str, info: dict) -> None:
    global _started, _slow
    if info["generation"] != 2:
        return
    if phase == "start":
        _started = time.perf_counter()
    elif time.perf_counter() - _started >= SLOW_COLLECTION_S and info["collected"] < FEW_COLLECTED:
        _slow = True  # slow while finding little garbage: it walked many live objects, which freezing takes out


def watch_collections() -> None:
    """Time full collections, so that settle freezes what made one slow (once per process)."""
    if _time_collection not in gc.callbacks:
        gc.callbacks.append(_time_collection)


def settle() -> None:
    """After a run: if a cache grew or a collection was slow, collect what is unfrozen and freeze what survives (a
    no-op otherwise); if the last full settle is FULL_EVERY_S old, unfreeze everything first."""
    global _grew, _slow, _last_full
    if not (_grew or _slow):
        return
    _grew = False
    now = time.monotonic()
    if now - _last_full >= FULL_EVERY_S:
        _last_full = now
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    _slow = False  # this collection may have been slow itself: what made it so is frozen now
