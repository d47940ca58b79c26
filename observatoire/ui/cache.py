"""The results cache shared by all sessions of the server: keyed on plain values frozen in microseconds, computed
once even when several sessions ask at once, and bounded in bytes as well as in entries, so that a stream of
distinct URLs cannot grow the server without limit (their budgets: observatoire/ui/data.py, said in the README).

Not st.cache_data: it hands every rerun a fresh unpickled copy of each result (10 ms a warm Lauréats rerun at 100x).
Not st.cache_resource: it hashes every argument on each call (up to 2.5 ms for a map's colours). See
bench/JOURNAL.md (ninth pass)."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict

import pandas as pd

from observatoire.ui import memory

_MISSING = object()
MB = 2**20


def frozen(value):
    """A hashable form of an argument, distinct for distinct values (a list and a tuple of the same items too)."""
    if isinstance(value, dict):
        return (dict, tuple(sorted((k, frozen(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return (type(value), tuple(frozen(v) for v in value))
    if isinstance(value, set | frozenset):
        return (frozenset, frozenset(frozen(v) for v in value))
    hash(value)  # TypeError for anything else mutable: such an argument has no place in a cache key
    return (type(value), value)


def weight(value, _depth: int = 0) -> int:
    """What a cached value holds in memory, in bytes (an estimate, cheap next to computing the value)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        usage = value.memory_usage(index=True, deep=True)
        return int(usage.sum() if isinstance(usage, pd.Series) else usage)
    if isinstance(value, str):
        extra = getattr(value, "json_text", None)  # a map Payload carries its JSON beside its token
        return sys.getsizeof(value) + (len(extra) if isinstance(extra, str) else 0)
    if isinstance(value, bytes | bytearray):
        return len(value) + 33
    if hasattr(value, "size") and hasattr(value, "mode") and hasattr(value, "tobytes"):  # a PIL image
        return value.size[0] * value.size[1] * len(value.getbands())
    if _depth > 4:
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(weight(v, _depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return sys.getsizeof(value) + sum(weight(v, _depth + 1) for v in value)
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return sys.getsizeof(value) + weight(vars(value), _depth + 1)
    return sys.getsizeof(value)


class SharedCache:
    """Results shared by all sessions of the process; the least recently used are dropped beyond `max_entries` or
    beyond `max_bytes` in all. A result being computed is computed once: sessions asking meanwhile wait for it."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._results: OrderedDict = OrderedDict()  # key -> (value, bytes)
        self._pending: dict = {}  # key -> lock held while that result is computed
        self._lock = threading.Lock()
        self.bytes = 0

    def get(self, key, compute):
        key = frozen(key)
        with self._lock:
            found = self._results.get(key, _MISSING)
            if found is not _MISSING:
                self._results.move_to_end(key)
                return found[0]
            computing = self._pending.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                found = self._results.get(key, _MISSING)
            if found is not _MISSING:  # another session computed it meanwhile
                return found[0]
            try:
                memory.grew()
                value = compute()
                size = weight(value)
                with self._lock:
                    if size <= self.max_bytes:  # a result larger than the whole budget is returned, not kept
                        self._results[key] = (value, size)
                        self.bytes += size
                    while self._results and (len(self._results) > self.max_entries or self.bytes > self.max_bytes):
                        _, (_, dropped) = self._results.popitem(last=False)
                        self.bytes -= dropped
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._results.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._results)
