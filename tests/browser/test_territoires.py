"""Territoires d'industrie in chromium: national map, click on a territory, profile, comparison, version switch,
and the downloaded HTML profile read with no network at all. Screenshots in test-output/screenshots."""

from __future__ import annotations

from observatoire import fmt, maps
from observatoire.queries import territoires as q
from tests.browser.conftest import SHOTS, assert_no_streamlit_error, click_map_until, open_page, screenshot


def wait_profile(page, name: str):
    page.get_by_text(f"Profil : {name}").first.wait_for(timeout=60_000)
    page.wait_for_selector("canvas", timeout=60_000)


def test_national_map_and_profile(server, page, con):
    open_page(page, f"{server}/territoires?territoire=ti-8401", "territoires")
    wait_profile(page, "Ardèche Drôme Nord")
    assert page.locator("[data-testid='stDeckGlJsonChart'] canvas").count() >= 1
    row = q.indicators(con, 2024, q.quarters(con)[0]).set_index("code").loc["ti-8401"]
    body = page.inner_text("body").replace("\u00a0", " ")
    assert fmt.integer(row["population"]).replace("\u00a0", " ") in body
    assert "Version du périmètre : 2024 (183 territoires)" in body
    page.locator("figure.obs-chart img").first.wait_for(timeout=60_000)
    assert page.locator("figure.obs-chart img").first.evaluate(
        "i => i.complete && i.naturalWidth > 0"
    )  # the SVG decodes
    assert_no_streamlit_error(page)
    screenshot(page, "territoires_profil")
    assert page.external_requests == []


def test_click_on_a_territory_marker_opens_its_profile(server, page, con):
    open_page(page, f"{server}/territoires", "territoires_click")
    shapes = q.shapes(con, 2024).set_index("code")
    click_map_until(
        page,
        shapes.loc["ti-9402", "lon"],
        shapes.loc["ti-9402", "lat"],
        "territoire=ti-9402",
        view=maps.LARGE_FRANCE_VIEW,
    )
    wait_profile(page, "Pays Ajaccien")
    assert_no_streamlit_error(page)


def test_version_switch_and_2020_map(server, page):
    open_page(page, f"{server}/territoires", "territoires_2020")
    page.get_by_text("2020 (148 territoires)").first.click()
    page.wait_for_function("() => window.location.search.includes('version=2020')", timeout=30_000)
    page.get_by_text("Carte nationale — périmètre 2020 (148 territoires)").first.wait_for(timeout=60_000)
    page.get_by_text("chaque commune est un point").first.wait_for(timeout=60_000)
    assert_no_streamlit_error(page)
    screenshot(page, "territoires_2020")


def test_comparison(server, page, con):
    open_page(page, f"{server}/territoires?comparer=ti-8401,ti-2806,ti-0101", "territoires_comparaison")
    page.get_by_text("Télécharger la comparaison").first.wait_for(timeout=60_000)
    page.get_by_text("Télécharger la comparaison").first.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)
    names = q.territories(con, 2024).set_index("territory_id")["name"]
    body = page.inner_text("body")
    for t in ("ti-8401", "ti-2806", "ti-0101"):
        assert names[t] in body
    assert_no_streamlit_error(page)
    screenshot(page, "territoires_comparaison")


def test_downloaded_html_profile_reads_offline(server, page, browser):
    open_page(page, f"{server}/territoires?territoire=ti-0101", "territoires_html")
    wait_profile(page, "Basse-Terre")
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_text("Télécharger le profil complet").first.click()
    path = SHOTS.parent / "profil_ti-0101.html"
    dl.value.save_as(path)
    offline = browser.new_context(offline=True)
    requests: list[str] = []
    offline.route(
        "**/*",
        lambda r: (
            requests.append(r.request.url),
            r.abort() if not r.request.url.startswith("file:") else r.continue_(),
        ),
    )
    p = offline.new_page()
    p.goto(path.as_uri())
    text = p.inner_text("body")
    assert "Basse-Terre — Territoire d'industrie" in text and "Sources" in text and "Méthodes" in text
    assert p.locator("figure.obs-chart svg path").count() >= 3  # URSSAF, census and unemployment charts, drawn inline
    assert p.locator("figure.obs-chart svg rect title").count() >= 30  # each point's value as a tooltip
    assert [u for u in requests if not u.startswith("file:")] == []
    p.screenshot(path=str(SHOTS / "territoires_profil_html.png"), full_page=True)
    offline.close()


def test_the_open_tab_is_in_the_link(server, page):
    open_page(page, f"{server}/territoires?territoire=ti-2802&onglet=Soutien%20public", "territoires_onglet")
    page.get_by_text("sites lauréats du Fonds friches").first.wait_for(timeout=60_000)  # the linked tab, open
    assert page.locator("[role=tab][aria-selected=true]").all_inner_texts() == ["Soutien public"]
    page.get_by_role("tab", name="Chômage").click()
    page.wait_for_function("() => decodeURIComponent(location.search).includes('onglet=Chômage')", timeout=30_000)
    page.get_by_role("tab", name="Emploi salarié privé").click()  # the default tab leaves the link short
    page.wait_for_function("() => !location.search.includes('onglet=')", timeout=30_000)
    assert "territoire=ti-2802" in page.url
    assert_no_streamlit_error(page)
