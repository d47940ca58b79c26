"""Keep the server's memory low: Streamlit runs every session's script in its own thread, and glibc gives threads
their own malloc arenas, which keep freed memory. Measured (bench/load.py): the server grew to ~800 MB with 10
sessions, most of it freed-but-kept memory. Fewer arenas, and giving freed pages back after each run, fix that."""
from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8
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


def give_back() -> None:
    """Return freed heap pages to the system (a few milliseconds)."""
    lib = _lib()
    if lib:
        lib.malloc_trim(0)
