"""Keep the server's memory low and its pauses short: fewer glibc malloc arenas, freed pages given back after each
run (peak under the load test 654 -> 582 MB), and long-lived objects frozen out of the garbage collector's walks
(`settle`). Why and how it was measured: bench/JOURNAL.md, « Notes de conception : ui/memory.py »."""

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
