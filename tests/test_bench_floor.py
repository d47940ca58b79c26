"""The stack's floor page of the benchmark (bench/floor_app.py): each element a measured page's floor asks for is on
it, and nothing else; the suite's 'what our code adds' depends on it."""

import pytest
from streamlit.testing.v1 import AppTest

from bench import browser

# an element of the floor's vocabulary -> what AppTest sees of it
KINDS = {"carte": "deck_gl_json_chart", "grille": "component_instance", "dataframe": "dataframe", "tableau": "html"}


def floor(elements: str) -> dict[str, int]:
    at = AppTest.from_file("../bench/floor_app.py", default_timeout=60)
    at.query_params["elements"] = elements
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Plancher de la pile"]
    counts = {kind: len(at.get(kind)) for kind in KINDS.values()}
    counts["html"] -= 1  # the KPI card
    if counts["component_instance"]:
        assert "agGrid" in at.get("component_instance")[0].proto.component_name
    return counts


@pytest.mark.parametrize("page", sorted(browser.PAGES))
def test_each_measured_page_has_a_floor_with_exactly_its_elements(page):
    asked = browser.FLOOR[page].split(",")
    assert set(asked) <= set(KINDS)
    assert floor(browser.FLOOR[page]) == {kind: int(element in asked) for element, kind in KINDS.items()}


def test_the_bare_floor_holds_a_title_and_a_kpi_only():
    assert floor("") == dict.fromkeys(KINDS.values(), 0)
