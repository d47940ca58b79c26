"""Each workaround of a library's internals or of the C allocator has a fallback for the day the internal is gone,
and the app still works on that fallback. The canaries that say when an internal changed: tests/test_web.py,
tests/test_network.py, tests/test_query_cache.py (pandas' reference notes)."""

from __future__ import annotations

import ctypes

import pandas as pd
import pytest

from observatoire.ui import copies, memory


@pytest.mark.parametrize("libc", ["absent", "without_malloc_trim"])
def test_memory_without_glibc_does_nothing_and_breaks_nothing(monkeypatch, libc):
    """musl (Alpine) has no malloc_trim; some platforms no C library found by name at all."""

    def cdll(name, *a, **kw):
        if libc == "absent":
            raise OSError(f"{name}: cannot open shared object file")
        return object()  # a C library without glibc's functions

    monkeypatch.setattr(ctypes, "CDLL", cdll)
    monkeypatch.setattr(memory, "_libc", None)
    memory.limit_arenas()
    memory.give_back()
    assert memory._lib() is False


def test_memory_finds_glibc_here():
    """The canary: on this Debian the workaround is live (a False here would hide the fallback behind a pass)."""
    assert memory._lib()


def test_shared_frames_stay_safe_on_a_pandas_without_the_internals(monkeypatch):
    def gone(frame):
        raise AttributeError("'BlockValuesRefs' object has no attribute 'clear_counter'")

    monkeypatch.setattr(copies, "prune_notes", gone)
    shared = pd.DataFrame({"n": [1, 2], "s": ["a", "b"]})
    mine = copies.fresh({"t": shared, "serie": shared["n"]})
    mine["t"].loc[0, "n"] = 9
    mine["serie"].iloc[1] = 7
    assert shared["n"].tolist() == [1, 2] and mine["t"]["n"].tolist() == [9, 2]


def test_pages_run_as_they_are_on_a_streamlit_without_its_old_pages_mode(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    from observatoire.ui import frame

    assert hasattr(PagesManager, "uses_pages_directory")  # the canary: ui/frame.ensure reads it
    ran = []
    monkeypatch.setattr(frame, "run", lambda: ran.append("frame"))
    monkeypatch.setattr(frame.st, "stop", lambda: ran.append("stop"))
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    frame.ensure()  # the old mode: the frame runs the page, then this script stops
    assert ran == ["frame", "stop"]
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    frame.ensure()  # no such mode: the page goes on inside the frame that runs it
    assert ran == ["frame", "stop"]
