"""URL state: round trip, and hostile query strings never raise (500+ per page)."""

from __future__ import annotations

from urllib.parse import parse_qs

from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire.queries import donnees
from observatoire.state import Param, parse, to_query

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "\x00",
            "9" * 5000,
            "-1",
            "1e309",
            "NaN",
            "2021-02-30",
            "🏭",
            "a,b,c," * 100,
            "DROP TABLE sources",
            "\n\r\t",
            "[]",
            "{}",
            "None",
            "true",
        ]
    ),
)
PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(["table", "exemple", "version", "territoire", "x"]), st.text(max_size=30)),
    st.one_of(HOSTILE, st.lists(HOSTILE, max_size=5)),
    max_size=6,
)

TABLES = ["sources", "geo_communes", "covid_aid_snapshots"]


def test_round_trip():
    spec = donnees.state_spec(TABLES)
    values = {"table": "geo_communes", "exemple": list(spec[1].choices)[2]}
    query = to_query(values, spec)
    assert parse(query, spec).values == values
    assert to_query(parse({}, spec).values, spec) == {}  # defaults are left out of the URL


def test_invalid_values_dropped_with_note():
    spec = donnees.state_spec(TABLES)
    parsed = parse({"table": "pg_catalog; DROP", "inconnu": "1"}, spec)
    assert parsed.values["table"] == "sources"
    assert any("Table" in w for w in parsed.warnings) and any("inconnu" in w for w in parsed.warnings)


def test_typed_params():
    spec = [
        Param("annee", "Année", default=2024, kind="int", min=2014, max=2024),
        Param("oui", "Drapeau", default=False, kind="bool"),
        Param("sections", "Sections", default=[], choices=["A", "C"], multi=True),
    ]
    p = parse({"annee": "2020", "oui": "oui", "sections": "C,Z,A"}, spec)
    assert p.values == {"annee": 2020, "oui": True, "sections": ["C", "A"]}
    assert len(p.warnings) == 1
    assert parse({"annee": "1999"}, spec).values["annee"] == 2024


@settings(max_examples=600, deadline=None)
@given(PARAMS)
def test_donnees_state_never_raises(params):
    spec = donnees.state_spec(TABLES)
    parsed = parse(params, spec)
    assert parsed.values["table"] in TABLES
    assert to_query(parsed.values, spec) is not None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_raw_query_strings_never_raise(raw):
    spec = donnees.state_spec(TABLES) + [
        Param("n", "N", default=1, kind="int"),
        Param("d", "D", default=None, kind="date"),
        Param("m", "M", default=[], choices=["A"], multi=True),
    ]
    parse(parse_qs(raw, keep_blank_values=True), spec)


def test_data_links_write_pinned_parameters_even_at_their_default():
    spec = [Param("version", "Version", default=2024, choices=[2020, 2024], kind="int", pinned=True),
            Param("territoire", "Territoire", default=None, choices=["ti-1"]),
            Param("carte", "Carte", default="montant", choices=["montant", "par_habitant"])]  # fmt: skip
    values = {"version": 2024, "territoire": "ti-1", "carte": "montant"}
    assert to_query(values, spec) == {"territoire": "ti-1"}  # the page's URL stays short
    assert to_query(values, spec, pinned=True) == {"version": "2024", "territoire": "ti-1"}
    assert parse({"version": "2024", "territoire": "ti-1"}, spec).values == values


def test_the_perimeter_version_and_the_scheme_are_pinned(con):
    from observatoire.queries import aides_covid, territoires

    assert {p.key for p in territoires.state_spec(con) if p.pinned} == {"version"}
    assert {p.key for p in aides_covid.state_spec(con) if p.pinned} == {"dispositif"}
