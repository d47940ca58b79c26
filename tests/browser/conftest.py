"""Real-browser harness: `streamlit run` on a free 127.0.0.1 port, driven by Debian's chromium through Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Only 127.0.0.1 resolves: any other host fails at DNS level, and every request is recorded (no interception:
# Playwright's routing disables the HTTP cache and stalls the data: URLs of the maps' base images)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL = ("http://127.0.0.1", "data:", "blob:")


@pytest.fixture(scope="session")
def server(built_db):
    from bench.server import streamlit_server

    (ROOT / "test-output").mkdir(exist_ok=True)
    with streamlit_server(built_db, ROOT / "test-output" / "streamlit.log", timeout=60) as (url, _proc):
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="fr-FR")
    # any request leaving 127.0.0.1 (map tiles or styles, fonts, telemetry) is recorded; tests assert there is none
    external: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(LOCAL) else external.append(r.url))
    pg = context.new_page()
    pg.external_requests = external
    yield pg
    context.close()


def open_page(pg, url: str, name: str):
    pg.goto(url)
    pg.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    pg.wait_for_timeout(1500)
    return pg


def screenshot(pg, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    # Streamlit scrolls inside its own container: grow the viewport to the content before the shot
    height = pg.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')].map(e => e.scrollHeight), 1000)"
    )
    pg.set_viewport_size({"width": 1400, "height": min(int(height) + 50, 8000)})
    pg.wait_for_timeout(800)
    pg.screenshot(
        path=str(path), full_page=True, timeout=90_000
    )  # a tall page with software WebGL, on a busy CI machine
    return path


def assert_no_streamlit_error(pg):
    assert pg.locator("[data-testid='stException']").count() == 0
    body = pg.inner_text("body")
    assert "Page not found" not in body and "Traceback" not in body and "TypeError" not in body


def click_territory_marker(pg, con, departement_code: str) -> None:
    """Click the marker of a department on the first map of the page (its label point), until the URL names it."""
    lon, lat = con.execute(
        "SELECT label_lon, label_lat FROM geo_departements WHERE departement_code = ?", [departement_code]
    ).fetchone()
    click_map_until(pg, lon, lat, f"={departement_code}")


def click_map_until(pg, lon: float, lat: float, url_fragment: str, view: dict | None = None, tries: int = 3) -> None:
    """A click may land while a cold first run is still drawing the map: click again until the URL changes."""
    for attempt in range(tries):
        pg.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", state="attached", timeout=60_000)
        pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
        click_map_point(pg, lon, lat, view=view)
        try:
            pg.wait_for_function("(f) => window.location.search.includes(f)", arg=url_fragment, timeout=15_000)
            return
        except Exception:
            if attempt == tries - 1:
                raise


def click_map_point(pg, lon: float, lat: float, nth: int = 0, view: dict | None = None) -> None:
    """Click a map (the nth deck on the page, at its initial view) at a lon/lat, through its Web-Mercator pixel position."""
    import math

    from observatoire import maps

    deck = pg.locator("[data-testid='stDeckGlJsonChart']").nth(nth)
    deck.scroll_into_view_if_needed(timeout=60_000)
    pg.wait_for_timeout(2000)
    box = deck.bounding_box()
    view = view or maps.FRANCE_VIEW
    world = 512 * 2 ** view["zoom"]  # deck.gl: a 512 px world at zoom 0

    def x(lo):
        return (lo + 180) / 360 * world

    def y(la):
        return (1 - math.log(math.tan(math.radians(la)) + 1 / math.cos(math.radians(la))) / math.pi) / 2 * world

    pg.mouse.click(
        box["x"] + box["width"] / 2 + x(lon) - x(view["longitude"]),
        box["y"] + box["height"] / 2 + y(lat) - y(view["latitude"]),
    )
