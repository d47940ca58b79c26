"""A rebuild that replaces the database file is picked up by a running server at its next page run, never half-way
through a run."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from observatoire import db
from observatoire.ui import data
from tests.conftest import ROOT


def laureates(con) -> int:
    return db.fetch_one(con, "SELECT count(*) FROM friches_sites WHERE laureate")[0]


@pytest.fixture
def files(tmp_path, built_db):
    """The database at its path, and a rebuilt one (10 laureate sites fewer) ready to replace it."""
    live = tmp_path / "observatoire.duckdb"
    shutil.copyfile(built_db, live)
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(built_db, rebuilt)
    with duckdb.connect(str(rebuilt)) as c:
        c.execute(
            "DELETE FROM friches_sites WHERE site_id IN (SELECT site_id FROM friches_sites WHERE laureate LIMIT 10)"
        )
    return live, rebuilt


def replace(rebuilt, live) -> None:
    """As the build does: a new file renamed over the old one (its modification time moves on)."""
    os.replace(rebuilt, live)
    st = live.stat()
    os.utime(live, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def test_a_new_connection_reads_the_new_file(files):
    live, rebuilt = files
    old = db.connect(live)  # still open, as the server's connection is
    before = laureates(old)
    replace(rebuilt, live)
    new = db.connect(live)
    assert laureates(new) == before - 10
    assert laureates(old) == before  # the old connection still reads the old file to the end of its runs
    old.close()
    new.close()


def test_a_page_run_reads_one_file(files, monkeypatch):
    live, rebuilt = files
    monkeypatch.setenv("OBSERVATOIRE_DB", str(live))
    data.clear_queries()
    with data.pinned():
        before = data.query(laureates)
        replace(rebuilt, live)
        assert data.query(laureates) == before  # the same run: the same file
        assert laureates(data.connection()) == before
    assert data.query(laureates) == before - 10  # the next run: the new file


def test_the_app_shows_the_rebuilt_data_at_its_next_run(files, monkeypatch):
    live, rebuilt = files
    monkeypatch.setenv("OBSERVATOIRE_DB", str(live))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    before = laureates(db.connect(live))
    assert f"<div class='v'>{before}</div>" in "".join(m.value for m in at.markdown)
    replace(rebuilt, live)
    at.run()
    assert not at.exception
    assert f"<div class='v'>{before - 10}</div>" in "".join(m.value for m in at.markdown)
