"""The naive baseline page of the benchmark (bench/naive_app.py) renders each page's outputs for a valid state: the
suite's ratio depends on it, so it must not rot."""

import random

import pytest
from streamlit.testing.v1 import AppTest

from bench import states as page_states
from bench.naive import PAGES


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_naive_page_renders_a_valid_state(page, con, monkeypatch):
    monkeypatch.setenv("NAIVE_PAGE", page)
    monkeypatch.setenv("NAIVE_SCALE", "1")
    state = page_states.PAGES[page](con, 3, random.Random(7))[0]
    at = AppTest.from_file("../bench/naive_app.py", default_timeout=300)
    for k, v in state.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert len(at.get("dataframe")) + len(at.get("metric")) + len(at.get("vega_lite_chart")) >= 2
