"""One real server for the API tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def api(built_db, tmp_path_factory):
    from bench.server import streamlit_server

    log = tmp_path_factory.mktemp("api") / "server.log"
    with streamlit_server(built_db, log, timeout=90) as (url, _):
        yield url
