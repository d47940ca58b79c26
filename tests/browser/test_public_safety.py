"""Safe in public, in a real browser: every hostile console query ends within 6 s with a French message and the
server does not grow; a running query shows that it runs and can be cancelled; text from the URL stays text."""

from __future__ import annotations

import time

import psutil
import pytest

from tests.browser.conftest import ROOT, open_page, screenshot
from tests.test_console import RESOURCES

HOSTILE_BY_PAGE = [
    "SELECT list_sort(range(100000000))[1]",
    "SELECT length(repeat('x', 1000000000))",
    "SELECT repeat('x', 100000) AS s FROM range(5000)",
    "SELECT len(list_value(range(100000000)))",
    "SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c",
    "SELECT current_setting('home_directory')",
    "SELECT 1 FORM sources",
]
assert set(HOSTILE_BY_PAGE[:5]) <= set(RESOURCES)


@pytest.fixture(scope="module")
def own_server(built_db):
    """A server of this module's own, so that its memory is this test's alone."""
    from bench.server import streamlit_server

    (ROOT / "test-output").mkdir(exist_ok=True)
    with streamlit_server(built_db, ROOT / "test-output" / "streamlit_safety.log", timeout=60) as (url, proc):
        yield url, psutil.Process(proc.pid)


def run_query(page, sql: str) -> None:
    box = page.get_by_label("Requête SQL")
    box.fill(sql)
    page.get_by_role("button", name="Exécuter").click()


def test_hostile_queries_through_the_page(own_server, page):
    url, server = own_server
    open_page(page, f"{url}/donnees", "donnees")
    run_query(page, "SELECT 1 AS un")  # the first query starts the workers
    page.get_by_text("1 ligne en").first.wait_for(timeout=60_000)
    before = server.memory_info().rss
    for sql in HOSTILE_BY_PAGE:
        started = time.monotonic()
        run_query(page, sql)
        alert = page.locator("[data-testid='stAlertContentError']").first
        alert.wait_for(timeout=15_000)
        elapsed = time.monotonic() - started
        text = alert.inner_text()
        assert elapsed < 6, (sql, elapsed, text)
        assert any(w in text for w in ("mémoire", "dépassé", "refusée", "syntaxe")), (sql, text)
        assert "Error" not in text and "MessageSizeError" not in page.inner_text("body"), text
        assert server.memory_info().rss - before < 300 * 2**20, sql
    screenshot(page, "donnees_console_refus")


def test_a_running_query_shows_and_can_be_cancelled(own_server, page):
    url, _ = own_server
    open_page(page, f"{url}/donnees", "donnees")
    run_query(page, "SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c")
    page.get_by_text("Requête en cours").first.wait_for(timeout=5_000)
    screenshot(page, "donnees_console_en_cours")
    started = time.monotonic()
    page.get_by_role("button", name="Annuler la requête").click()
    page.get_by_text("Requête annulée.").first.wait_for(timeout=5_000)
    assert time.monotonic() - started < 3
    assert page.get_by_text("a dépassé").count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/donnees?table=[Cliquez ici](https://evil-site.fr/x)",
        "/aides_covid?dispositif=![i](https://evil-site.fr/i.png)&[x](https://evil-site.fr)=1",
        "/territoires?territoire=<img src=https://evil-site.fr/i.png>&indicateur=https://evil-site.fr",
        "/laureats?mesures=www.evil-site.fr,x@evil-site.fr&vue=:red[rouge]",
        "/?[Cliquez ici](https://evil-site.fr)=1",
    ],
)
def test_url_text_renders_as_text(own_server, page, path):
    url, _ = own_server
    open_page(page, url + path, "url_text")
    page.locator("[data-testid='stAlertContentWarning']").first.wait_for(timeout=30_000)
    live = page.evaluate(
        '() => [...document.querySelectorAll(\'a[href*="evil"], img[src*="evil"], [src*="evil"]\')].length'
    )
    assert live == 0
    assert "evil-site.fr" in page.inner_text("body")  # shown, as text
    assert not [r for r in page.external_requests if "evil" in r]
