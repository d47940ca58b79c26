"""Aides Covid in chromium: for every scheme the map canvas and the grid rows render; a screenshot per scheme."""
from __future__ import annotations

import pytest

from observatoire.queries import aides_covid as q
from tests.browser.conftest import assert_no_streamlit_error, open_page, screenshot

# first grid rows at France level are the Guadeloupe region (code 01): virtualised rows further down are not drawn
EXPECTED_CELL = {"fds": "Guadeloupe", "fds_volet2": "Guadeloupe", "pge": "Guadeloupe", "reports": "Guadeloupe", "cpsti": "Guadeloupe",
                 "activite_partielle": "Guadeloupe"}


@pytest.mark.parametrize("scheme", list(q.SCHEMES))
def test_scheme_map_and_grid(server, page, scheme):
    open_page(page, f"{server}/aides_covid?dispositif={scheme}", scheme)
    page.get_by_text("Lignes publiées").first.wait_for(timeout=60_000)
    page.wait_for_selector("canvas", timeout=60_000)
    assert page.locator("canvas").count() >= 1
    page.locator("iframe[title*='aggrid']").first.scroll_into_view_if_needed(timeout=60_000)  # the grid renders once visible
    frame = page.frame_locator("iframe[title*='aggrid']").first
    frame.locator(".ag-cell", has_text=EXPECTED_CELL[scheme]).first.wait_for(timeout=60_000)
    assert frame.locator(".ag-row").count() > 0
    assert_no_streamlit_error(page)
    screenshot(page, f"aides_covid_{scheme}")
    assert page.external_requests == []



def _pixel(lon, lat, view):
    """Web-Mercator offset (px) of a point from the view centre, as deck.gl draws it (512 px world at zoom 0)."""
    import math
    world = 512 * 2 ** view["zoom"]
    x = lambda lo: (lo + 180) / 360 * world  # noqa: E731
    y = lambda la: (1 - math.log(math.tan(math.radians(la)) + 1 / math.cos(math.radians(la))) / math.pi) / 2 * world  # noqa: E731
    return x(lon) - x(view["longitude"]), y(lat) - y(view["latitude"])


def test_click_on_a_territory_selects_it(server, page, con):
    from observatoire import maps

    open_page(page, f"{server}/aides_covid?dispositif=pge", "pge_click")
    deck = page.locator("[data-testid='stDeckGlJsonChart']").first
    deck.scroll_into_view_if_needed(timeout=60_000)
    page.wait_for_timeout(2000)
    box = deck.bounding_box()
    lon, lat = con.execute("SELECT label_lon, label_lat FROM geo_departements WHERE departement_code = '69'").fetchone()
    dx, dy = _pixel(lon, lat, maps.FRANCE_VIEW)
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
    page.wait_for_function("() => window.location.search.includes('territoire=69')", timeout=30_000)
    assert "niveau=departement" in page.url
    page.get_by_text("Rhône (69)").first.wait_for(timeout=30_000)
    assert_no_streamlit_error(page)
