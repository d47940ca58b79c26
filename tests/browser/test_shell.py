"""Every page in headless chromium: no Streamlit error, the map canvas and grid rows render, downloads are exact."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import assert_no_streamlit_error, open_page, screenshot

PAGES = [("", "Observatoire des aides publiques"), ("donnees", "Console SQL")]


@pytest.mark.parametrize("path,text", PAGES)
def test_page_loads_without_error(server, page, path, text):
    open_page(page, f"{server}/{path}", path)
    page.get_by_text(text).first.wait_for(timeout=60_000)
    assert_no_streamlit_error(page)
    screenshot(page, path or "accueil")
    assert page.external_requests == []
    # the favicon is inline: a Material icon favicon is fetched from fonts.gstatic.com, after the checks above
    icons = page.evaluate("() => [...document.querySelectorAll('link[rel~=\"icon\"]')].map(l => l.href)")
    assert icons and all(h.startswith("data:image/svg+xml") for h in icons), icons


def test_the_page_says_it_is_french(server, page):
    """Streamlit's shell says lang="en" and "Streamlit": observatoire.web rewrites it, for screen readers, for Chrome's
    translation offer, and for the preview of a pasted link (which reads the HTML only; the server sends it gzip-free)."""
    import urllib.request

    request = urllib.request.Request(f"{server}/laureats?regions=Bretagne", headers={"Accept-Encoding": "gzip"})
    html = urllib.request.urlopen(request, timeout=30).read().decode()
    assert (
        '<html lang="fr">' in html
        and "<title>Observatoire – aides publiques" in html
        and '<meta name="description"' in html
    )
    open_page(page, f"{server}/territoires", "territoires")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    assert_no_streamlit_error(page)


def test_a_page_link_finds_the_server_without_probing(server, page):
    """A link to a page with parameters: the script asks the app's root at once (observatoire.web), not
    /donnees/_stcore/health first (a 404, then 100 ms of waiting); the link's parameters and the navigation work."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url[len(server) :]) if "/_stcore/" in r.url else None)
    open_page(page, f"{server}/donnees?table=friches_sites", "donnees")
    page.get_by_text("3 700 lignes").first.wait_for(timeout=60_000)
    assert "/_stcore/health" in asked and not [a for a in asked if a.startswith("/donnees/")], asked
    page.get_by_role("link", name="Territoires d'industrie").first.click()
    page.wait_for_url(f"{server}/territoires**", timeout=60_000)
    page.get_by_role("heading", name="Territoires d'industrie").first.wait_for(timeout=60_000)
    assert_no_streamlit_error(page)


def test_a_request_leaving_the_machine_is_recorded(server, page):
    """The check above can fail: a request to another host is recorded (and cannot leave: only 127.0.0.1 resolves)."""
    open_page(page, f"{server}/donnees", "donnees")
    page.evaluate("() => fetch('https://tiles.example.org/style.json').catch(() => null)")
    page.wait_for_timeout(500)
    assert page.external_requests == ["https://tiles.example.org/style.json"]


def test_accueil_map_canvas(server, page, con):
    open_page(page, f"{server}/", "accueil")
    page.wait_for_selector("canvas", timeout=60_000)
    assert page.locator("canvas").count() >= 1
    assert "8 972" in page.inner_text("body").replace("\u00a0", " ")


def test_console_grid_rows_and_download(server, page, con):
    open_page(page, f"{server}/donnees?exemple=Sites+laur%C3%A9ats+du+Fonds+friches+par+%C3%A9dition", "donnees")
    page.get_by_role("button", name="Exécuter").click()
    frame = page.frame_locator("iframe[title*='st_aggrid'], iframe[title*='aggrid']").first
    cell = frame.locator(".ag-cell", has_text="Fonds friches edition 1").first
    cell.wait_for(timeout=60_000)
    expected = con.execute(
        "SELECT count(*) FROM friches_sites WHERE laureate AND edition = 'Fonds friches edition 1'"
    ).fetchone()[0]
    row_text = frame.locator(".ag-row", has_text="Fonds friches edition 1").first.inner_text()
    assert str(expected) in row_text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    screenshot(page, "donnees_console")
    with page.expect_download(timeout=60_000) as dl:
        page.locator("[data-testid='stDownloadButton']", has_text="CSV (Excel français)").last.click()
    data = open(dl.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    n_editions = con.execute("SELECT count(DISTINCT edition) FROM friches_sites WHERE laureate").fetchone()[0]
    assert len(rows) - 1 == n_editions
    assert_no_streamlit_error(page)


def test_whole_table_download_row_count(server, page, con):
    open_page(page, f"{server}/donnees?table=friches_sites", "donnees")
    page.get_by_text("3 700 lignes").first.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as dl:
        page.locator("[data-testid='stDownloadButton']", has_text="CSV").nth(1).click()
    data = dl.value.path().read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(data)))
    assert len(rows) - 1 == con.execute("SELECT count(*) FROM friches_sites").fetchone()[0] == 3700
