"""Shared fixtures: the mirror, a built database (the CI one, or one built here), and the tiny database counted by
hand (tests/tiny.py). A test that needs the mirror, the built database or chromium is marked `integration`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from observatoire import config, db

ROOT = Path(__file__).resolve().parent.parent


# a test that asks for one of these (or for a fixture that does) needs real data, a server or a browser
INTEGRATION_FIXTURES = {"mirror", "built_db", "browser"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """The tiny database's file (tests/tiny.py)."""
    from tests.tiny import build_tiny

    return build_tiny(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture(scope="session")
def tiny(tiny_db):
    """The tiny database, through the app's read-only connection."""
    c = db.connect(tiny_db)
    yield c
    c.close()


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = config.mirror_path()
    assert path is not None and path.is_dir(), (
        "Le miroir ../shared/opendata (ou $OPENDATA_MIRROR) est requis par les tests."
    )
    return path


@pytest.fixture(scope="session")
def built_db(tmp_path_factory, mirror) -> Path:
    """The database the README's build made from the mirror, else one built now from the mirror (a database restored
    from the data bundle is not a build: the bundle test compares the two)."""
    path = config.db_path()
    if path.is_file() and build_kind(path) == "sources":
        return path
    from observatoire.pipeline.build import build

    path = tmp_path_factory.mktemp("db") / "observatoire.duckdb"
    build(path, mirror, quiet=True)
    return path


def build_kind(path: Path) -> str | None:
    """'sources' for a build from the sources, 'bundle' for a database made from the data bundle."""
    c = db.connect(path)  # the app's settings: DuckDB refuses two configurations for one file in a process
    try:
        return c.execute("SELECT kind FROM build_info").fetchone()[0]
    except (duckdb.Error, TypeError):
        return None
    finally:
        c.close()


@pytest.fixture(scope="session")
def con(built_db):
    # same settings as the app's connections: DuckDB refuses two configurations for one file in a process
    c = db.connect(built_db)
    yield c
    c.close()


@pytest.fixture(scope="session")
def raw():
    """An in-memory DuckDB for independent reads of the raw files."""
    c = duckdb.connect()
    yield c
    c.close()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole run (Playwright's sync API allows one at a time in a process)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), "chromium absent : lancez bash scripts/install.sh --tests"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
