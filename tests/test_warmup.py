"""The warm-up of a freshly started server (observatoire.ui.warmup): after the first page run, every page runs once
in a background session. On a real server it must run every page without error, after a first run only; under
AppTest it must never start; the address it connects to follows the server's settings."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from observatoire.queries.pages import PAGES
from observatoire.ui import warmup

DONE = "Préchauffage des pages terminé"


def _first_run(url: str, page: str = "") -> str | None:
    async def one():
        async with warmup.connect(url) as ws:
            return await warmup.rerun(ws, page)

    out = {}
    # in a thread: Playwright's sync API may hold this thread's event loop in the same pytest session
    t = threading.Thread(target=lambda: out.setdefault("error", asyncio.run(one())))
    t.start()
    t.join()
    return out["error"]


def _wait_for(log, text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text(encoding="utf-8", errors="replace")
        if text in content:
            return content
        time.sleep(0.3)
    return log.read_text(encoding="utf-8", errors="replace")


def test_a_started_server_warms_every_page_after_its_first_run(built_db, tmp_path):
    from bench.server import streamlit_server

    log = tmp_path / "server.log"
    with streamlit_server(built_db, log) as (url, _proc):
        time.sleep(warmup.DELAY_S + 1)
        assert DONE not in log.read_text(encoding="utf-8"), "the warm-up must wait for a first run"
        assert _first_run(url, "territoires") is None
        content = _wait_for(log, DONE, 120)
    line = next((ln for ln in content.splitlines() if DONE in ln), None)
    assert line is not None, content[-2000:]
    assert f"{len(PAGES)} page(s), 0 erreur(s)" in line, line


def test_page_runs_under_apptest_never_start_it():
    from streamlit.testing.v1 import AppTest

    from bench.server import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "donnees.py"), default_timeout=120).run()
    assert not at.exception
    assert not warmup._started
    assert not any(t.name == "observatoire-warmup" for t in threading.enumerate())


@pytest.mark.parametrize("options, expected", [
    ({"server.address": None, "server.port": 8501, "server.baseUrlPath": ""}, "ws://127.0.0.1:8501/_stcore/stream"),
    ({"server.address": "0.0.0.0", "server.port": 9000, "server.baseUrlPath": "/obs/"}, "ws://127.0.0.1:9000/obs/_stcore/stream"),
    ({"server.address": "::1", "server.port": 8502, "server.baseUrlPath": ""}, "ws://[::1]:8502/_stcore/stream"),
    ({"server.address": "unix:/tmp/obs.sock", "server.port": 8501, "server.baseUrlPath": ""}, None),
])
def test_stream_url_follows_the_server_settings(options, expected):
    from streamlit import config

    saved = {k: config.get_option(k) for k in options}
    try:
        for k, v in options.items():
            config.set_option(k, v)
        assert warmup.stream_url() == expected
    finally:
        for k, v in saved.items():
            config.set_option(k, v)
