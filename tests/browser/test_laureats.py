"""Lauréats in chromium: each tab draws its map, every selected point is counted, the tab is in the URL, screenshots."""

from __future__ import annotations

from observatoire import fmt
from observatoire.queries import laureats as q
from tests.browser.conftest import assert_no_streamlit_error, click_territory_marker, open_page, screenshot


def test_laureats_maps_and_points(server, page, con):
    open_page(page, f"{server}/laureats?candidats=oui&regions=Bretagne", "laureats")
    page.get_by_text("points sur la carte").first.wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60_000)
    assert (
        page.locator("[data-testid='stDeckGlJsonChart']").count() == 1
    )  # the explorer's map only: the other tab is not drawn
    n = len(q.explorer_rows(con, {"regions": ["Bretagne"]}, "", True))
    body = page.inner_text("body").replace("\u00a0", " ")
    assert f"{fmt.integer(n).replace(chr(160), ' ')} points sur la carte" in body
    assert_no_streamlit_error(page)
    screenshot(page, "laureats")
    # the other tab: its map, the view in the URL, the explorer's filters kept
    page.get_by_role("tab", name="Indicateurs").click()
    page.get_by_text("Département de la série").first.wait_for(timeout=60_000)
    page.wait_for_function("() => window.location.search.includes('vue=Indicateurs')", timeout=30_000)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60_000)
    assert "regions=Bretagne" in page.url and "candidats=oui" in page.url
    assert "points sur la carte" not in page.inner_text("body")
    assert_no_streamlit_error(page)
    screenshot(page, "laureats_indicateurs")
    assert page.external_requests == []


def test_selecting_a_row_shows_its_description(server, page, con):
    open_page(page, f"{server}/laureats?regions=Corse", "laureats_corse")
    page.get_by_text("points sur la carte").first.wait_for(timeout=60_000)
    page.locator("iframe[title*='aggrid']").first.scroll_into_view_if_needed(timeout=60_000)
    frame = page.frame_locator("iframe[title*='aggrid']").first
    first = frame.locator(".ag-row[row-index='0'] .ag-cell").first
    first.wait_for(timeout=60_000)
    first.click()
    page.get_by_text("Sélectionnez une ligne").first.wait_for(state="detached", timeout=30_000)
    rows = q.explorer_rows(con, {"regions": ["Corse"]}, "", False)
    assert rows.iloc[0]["intervention"] in page.inner_text("body")
    assert_no_streamlit_error(page)
    screenshot(page, "laureats_selection")


def test_click_on_a_department_marker_shows_its_series(server, page, con):
    open_page(page, f"{server}/laureats?vue=Indicateurs", "laureats_click")
    click_territory_marker(page, con, "33")
    page.wait_for_function("() => window.location.search.includes('departement=33')", timeout=30_000)
    page.get_by_text("Gironde (33)").first.wait_for(timeout=30_000)
    assert_no_streamlit_error(page)
