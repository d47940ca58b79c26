"""Every page in chromium at 1 280 and 1 920 px: axe-core finds no WCAG 2.1 A or AA violation, headings go down one
level at a time, nothing overflows sideways, the tab names the page, and no English text the app can set is shown.
Screenshots in test-output/screenshots/."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest

from tests.browser.conftest import SHOTS, open_page

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
PAGES = {
    "/": "Observatoire",
    "/territoires": "Territoires d'industrie – Observatoire",
    "/laureats": "Lauréats France Relance – Observatoire",
    "/aides_covid": "Aides Covid – Observatoire",
    "/donnees": "Données – Observatoire",
}
# English the app can set, and has set in French (placeholders, options, titles)
ENGLISH = ["Select all", "Choose an option", "Choose options", "Page not found", "Running the app's main page"]


def axe(page, rules: dict) -> list[dict]:
    page.add_script_tag(content=AXE)
    return page.evaluate(
        "async (options) => (await axe.run(document, options)).violations.map(v => "
        "({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}))",
        rules,
    )


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("path", list(PAGES))
def test_page_is_accessible_fits_and_speaks_french(server, browser, path, width):
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        open_page(page, server + path, path)
        page.wait_for_timeout(1500)
        assert PAGES[path] in page.title(), page.title()
        violations = axe(
            page,
            {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
        )
        assert violations == [], violations
        overflow = page.evaluate(
            "() => [document.documentElement, document.querySelector('[data-testid=stMain]')]"
            ".filter(e => e && e.scrollWidth > e.clientWidth + 1).map(e => e.tagName + ' ' + e.scrollWidth)"
        )
        assert overflow == [], overflow
        # no button cuts its name (four download buttons in a narrow column read « CSV … », « Exce… »)
        cut = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stMain] button')]"
            ".filter(b => [b, ...b.querySelectorAll('*')].some(t => t.offsetParent && t.scrollWidth > t.clientWidth + 1))"
            ".map(b => b.innerText)"
        )
        assert cut == [], cut
        text = page.inner_text("body")
        assert not [e for e in ENGLISH if e in text]
        height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": width, "height": min(int(height) + 50, 8000)})
        page.wait_for_timeout(800)
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = path.strip("/") or "accueil"
        page.screenshot(path=str(SHOTS / f"{name}_{width}.png"), full_page=True, timeout=90_000)
    finally:
        context.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_headings_are_in_order(server, browser, path):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        open_page(page, server + path, path)
        assert axe(page, {"runOnly": {"type": "rule", "values": ["heading-order", "page-has-heading-one"]}}) == []
        levels = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stMain] h1, [data-testid=stMain] h2, "
            "[data-testid=stMain] h3')].map(h => Number(h.tagName[1]))"
        )
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    finally:
        context.close()
