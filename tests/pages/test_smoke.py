"""Every page of the registry (queries.pages.PAGES) runs, with its title and no error: a new page is tested the day it
is listed, and a page file that the registry forgets fails here."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from observatoire.queries.pages import PAGES
from tests.pages.conftest import ROOT


def test_the_registry_lists_every_page_file_once():
    listed = [p[0] for p in PAGES]
    on_disk = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
    assert sorted(listed) == on_disk and len(set(listed)) == len(listed)
    assert len({p[2] for p in PAGES}) == len(PAGES)  # one address per page


def _runs_with_its_title_and_no_error(at, page, title):
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    titles = [t.value for t in at.title]
    # one h1, the page's name in the navigation (the home page's names the whole app)
    assert len(titles) == 1 and (titles[0] == title or page == PAGES[0][0]), titles
    assert len(at.markdown) + len(at.get("html")) >= 3  # the page drew its content, not only its frame


@pytest.mark.parametrize(("page", "title"), [(p[0], p[1]) for p in PAGES], ids=[p[2] for p in PAGES])
def test_every_page_runs_with_its_title_and_no_error(app, page, title):
    _runs_with_its_title_and_no_error(app(page), page, title)


@pytest.mark.parametrize(("page", "title"), [(p[0], p[1]) for p in PAGES], ids=[p[2] for p in PAGES])
def test_every_page_runs_on_the_tiny_database(tiny_db, monkeypatch, page, title):
    """Also where most tables are empty (no employment series, no DGE projects, sources without a load time): a page
    still runs. Runs anywhere (no mirror, no built database)."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(tiny_db))
    _runs_with_its_title_and_no_error(AppTest.from_file(str(ROOT / page), default_timeout=120), page, title)
