"""Aides Covid in chromium: for every scheme the map canvas and the grid rows render; a screenshot per scheme."""

from __future__ import annotations

import pytest

from observatoire.queries import aides_covid as q
from tests.browser.conftest import assert_no_streamlit_error, click_territory_marker, open_page, screenshot

# first grid rows at France level are the Guadeloupe region (code 01): virtualised rows further down are not drawn
EXPECTED_CELL = {
    "fds": "Guadeloupe",
    "fds_volet2": "Guadeloupe",
    "pge": "Guadeloupe",
    "reports": "Guadeloupe",
    "cpsti": "Guadeloupe",
    "activite_partielle": "Guadeloupe",
}


@pytest.mark.parametrize("scheme", list(q.SCHEMES))
def test_scheme_map_and_grid(server, page, scheme):
    open_page(page, f"{server}/aides_covid?dispositif={scheme}", scheme)
    page.get_by_text("Lignes publiées").first.wait_for(timeout=60_000)
    page.wait_for_selector("canvas", timeout=60_000)
    assert page.locator("canvas").count() >= 1
    page.locator("iframe[title*='aggrid']").first.scroll_into_view_if_needed(
        timeout=60_000
    )  # the grid renders once visible
    frame = page.frame_locator("iframe[title*='aggrid']").first
    frame.locator(".ag-cell", has_text=EXPECTED_CELL[scheme]).first.wait_for(timeout=60_000)
    assert frame.locator(".ag-row").count() > 0
    assert_no_streamlit_error(page)
    screenshot(page, f"aides_covid_{scheme}")
    assert page.external_requests == []


def test_click_on_a_territory_selects_it(server, page, con):
    open_page(page, f"{server}/aides_covid?dispositif=pge", "pge_click")
    click_territory_marker(page, con, "69")
    page.wait_for_function("() => window.location.search.includes('territoire=69')", timeout=30_000)
    assert "niveau=departement" in page.url
    page.get_by_text("Rhône (69)").first.wait_for(timeout=30_000)
    assert_no_streamlit_error(page)
