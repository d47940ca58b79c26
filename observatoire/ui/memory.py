"""Keep the server's memory low and its pauses short.

Memory: Streamlit runs every session's script in its own thread, and glibc gives threads their own malloc arenas,
which keep freed memory. Measured (bench/load.py): the server grew to ~800 MB with 10 sessions, most of it
freed-but-kept memory. Fewer arenas, and giving freed pages back after each run, fix that. Blocks of 4 MB or more
(an image being drawn is 27 MB) are mapped on their own, so freeing them returns them at once: the peak under the
load test went from 654 to 582 MB.

Pauses: the caches hold hundreds of thousands of long-lived Python objects, and every few reruns Python's cyclic
garbage collector walked all of them: 0.1 s added to a warm rerun of 0.09 s (the 95th percentile of Territoires went
from 0.13 to 0.21 s). After a run that filled a cache, `settle` collects once and freezes what is alive, so later
collections skip the cached objects. Frozen objects are still freed by reference counting; cycles among them wait
for a full settle, which unfreezes first. A full settle walks every cached object (a few hundred thousand) holding
the GIL, so it runs at most every FULL_EVERY_S: done after every cache miss, it was 63 % of the server's Python time
under the load test (py-spy --gil), and every other session waited for it. Between full ones, a settle collects and
freezes only what is new since the last one."""
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
FULL_EVERY_S = 300.0  # cached frames and images hold no reference cycles: little waits for a full settle
_last_full = time.monotonic()


def grew() -> None:
    """Called by a cached function when it computes (a cache miss): long-lived objects were added."""
    global _grew
    _grew = True


def settle() -> None:
    """After a run: if the caches grew, collect what is new and freeze what survives (a no-op otherwise); at most every
    FULL_EVERY_S, unfreeze first, so garbage cycles among objects frozen earlier are collected too."""
    global _grew, _last_full
    if not _grew:
        return
    _grew = False
    now = time.monotonic()
    if now - _last_full >= FULL_EVERY_S:
        _last_full = now
        gc.unfreeze()
    gc.collect()
    gc.freeze()
