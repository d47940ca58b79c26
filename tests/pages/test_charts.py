"""Charts are Vega-Lite specs written by hand (observatoire.ui.charts, no Altair at run time): every chart each page
draws, for several states, must be valid against the Vega-Lite schema that Streamlit's Vega-Lite version reads, and
carry its data."""
import json
from pathlib import Path

import altair
import jsonschema
import pytest

SCHEMA = json.loads((Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json").read_text())
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)

STATES = [
    ("pages/aides_covid.py", {}), ("pages/aides_covid.py", {"dispositif": "pge", "niveau": "region", "territoire": "84"}),
    ("pages/aides_covid.py", {"dispositif": "activite_partielle"}),
    ("pages/laureats.py", {}), ("pages/laureats.py", {"vue": "Indicateurs"}),
    ("pages/territoires.py", {}), ("pages/territoires.py", {"version": "2020"}),
    ("pages/territoires.py", {"comparer": "ti-8401,ti-7506"}),
]


@pytest.mark.parametrize("page,params", STATES)
def test_every_chart_is_a_valid_vega_lite_spec_with_data(app, page, params):
    at = app(page, params)
    at.run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert charts
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        # Streamlit sends the data beside the spec and names it in the browser; the schema wants a data entry
        errors = [e.message for e in VALIDATOR.iter_errors({"data": {"name": "donnees"}, **spec})]
        assert errors == [], (spec.get("title"), errors[:3])
        assert spec["config"]["locale"]["number"]["decimal"] == ","  # French numbers
        assert chart.proto.data.data or chart.proto.datasets  # the numbers travel with the chart


def test_an_invalid_spec_is_caught():
    """The check above can fail: a misspelt encoding type is rejected by the schema."""
    good = {"data": {"name": "donnees"}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    assert not list(VALIDATOR.iter_errors(good))
    bad = {**good, "encoding": {"x": {"field": "a", "type": "quantitativ"}}}
    assert list(VALIDATOR.iter_errors(bad))
