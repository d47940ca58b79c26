"""observatoire.ui.data.query: results are computed once and shared by every session, and each caller gets its own
view, so a page that writes to a result never changes what the next session reads. Also: URL allowlists go through
the cached runner."""

import pandas as pd
import pytest

from observatoire.queries import aides_covid, laureats
from observatoire.state import parse
from observatoire.ui import copies, data


@pytest.fixture()
def db_env(tiny_db, monkeypatch):
    """The cache's behaviour needs no real data: the tiny database (tests/tiny.py)."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(tiny_db))
    data.clear_queries()
    yield
    data.clear_queries()


def test_a_caller_writing_to_a_result_leaves_the_shared_result_unchanged(db_env):
    first = data.query(aides_covid.sections, "fds")
    codes = first["code"].tolist()
    first.loc[first.index[0], "code"] = "ÉCRIT"
    first["ajout"] = 1
    del first["label"]
    second = data.query(aides_covid.sections, "fds")
    assert second["code"].tolist() == codes
    assert list(second.columns) == ["code", "label"]

    facets = data.query(laureats.facet_values)
    kept = list(facets["regions"])
    facets["regions"].append("Atlantide")
    facets["nouveau"] = []
    again = data.query(laureats.facet_values)
    assert again["regions"] == kept and "nouveau" not in again


def test_a_result_is_computed_once_then_shared(db_env, monkeypatch):
    calls = []
    real = aides_covid.dates

    def counted(con, scheme):
        calls.append(scheme)
        return real(con, scheme)

    counted.__module__, counted.__name__ = real.__module__, real.__name__  # query() finds functions by module and name
    monkeypatch.setattr(aides_covid, "dates", counted)
    a = data.query(aides_covid.dates, "pge")
    b = data.query(aides_covid.dates, "pge")
    assert a == b and len(calls) == 1
    assert a is not b  # each caller its own list
    data.clear_queries()
    data.query(aides_covid.dates, "pge")
    assert len(calls) == 2


@pytest.mark.parametrize(
    "module, params, expected",
    [
        (
            aides_covid,
            {
                "dispositif": ["pge"],
                "niveau": ["departement"],
                "territoire": ["69"],
                "sections": ["C"],
                "date": ["2021-06-30"],
            },
            {"territories", "sections", "dates"},
        ),
        (
            laureats,
            {"indicateur": ["nombre-contrats-apprentissage"], "date": ["2021-06-30"]},
            {"facet_values", "indicators", "departement_codes", "indicator_dates"},
        ),
    ],
)
def test_url_allowlists_are_read_through_the_given_runner(con, module, params, expected):
    # the page passes its cached runner: parsing a pasted link must not query the database directly
    asked = set()

    def fetch(fn, *args):
        asked.add(fn.__name__)
        return fn(con, *args)

    spec = module.state_spec(None, fetch=fetch)
    values = parse(params, spec).values
    assert expected <= asked
    assert isinstance(values, dict)


def test_shallow_copies_of_frames_do_not_share_writes():
    shared = pd.DataFrame({"a": [1, 2]})
    mine = copies.fresh({"t": shared, "l": [1], "s": "x"})
    mine["t"].loc[0, "a"] = 9
    mine["l"].append(2)
    assert shared["a"].tolist() == [1, 2]


def test_handing_out_copies_leaves_few_references_in_the_shared_frame():
    """Every rerun gets shallow copies of shared frames; pandas notes each in the shared blocks, so dead notes must be
    dropped as they come (beyond 500 per block by default, a million objects for the garbage collector to walk under
    load), and live copies must stay noted, so that writing to one still copies."""
    shared = pd.DataFrame({"n": [1, 2], "s": pd.array(["a", "b"], dtype="str"), "x": [0.5, 1.5]})
    refs = [b.refs for b in shared._mgr.blocks] + [shared.index._references, shared.columns._references]
    assert all(hasattr(r, "referenced_blocks") for r in refs)  # the internals copies.shallow relies on
    live = []
    for i in range(400):  # under pandas' own threshold of 500: without pruning, all 400 would still be noted
        copy = copies.fresh(shared)
        if i % 100 == 0:
            live.append(copy)
    assert (
        max(sum(w() is None for w in r.referenced_blocks) for r in refs) <= copies.REFS_PRUNED_BEYOND + 2
    )  # dead notes
    live[0].loc[0, "n"] = 9
    live[1].loc[1, "s"] = "z"
    assert shared["n"].tolist() == [1, 2] and shared["s"].tolist() == ["a", "b"]
    assert all(c["n"].tolist() == [1, 2] for c in live[1:])


def test_arguments_are_keyed_by_value_and_type(db_env):
    calls = []

    def echo(con, *args, **kwargs):
        calls.append((args, kwargs))
        return len(calls)

    assert data.query(echo, {"a": [1], "b": "x"}) == data.query(echo, {"b": "x", "a": [1]})  # same dict, any order
    assert len({data.query(echo, v) for v in ([1], (1,), 1, True, 1.0, "1", None)}) == 7
    assert data.query(echo, k=1) != data.query(echo, 1)
    assert len(calls) == 9
    with pytest.raises(TypeError):
        data.query(echo, pd.DataFrame())  # a mutable argument cannot key a shared result


def test_sessions_asking_at_once_compute_once(db_env):
    import threading
    import time

    calls = []

    def slow(con, x):
        calls.append(x)
        time.sleep(0.2)
        return pd.DataFrame({"x": [x]})

    out = []
    threads = [threading.Thread(target=lambda: out.append(data.query(slow, 5))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [5] and len(out) == 6 and all(o["x"].tolist() == [5] for o in out)


def test_results_are_bounded(db_env, monkeypatch):
    monkeypatch.setattr(data._queries, "max_entries", 3)
    seen = []

    def echo(con, x):
        seen.append(x)
        return x

    for x in range(5):
        data.query(echo, x)
    data.query(echo, 4)  # still there
    data.query(echo, 0)  # evicted: computed again
    assert seen == [0, 1, 2, 3, 4, 0] and len(data._queries) == 3


def test_a_combination_of_cached_results_is_computed_once_per_inputs(db_env):
    """data.combined: fn runs once per set of queries and args, gets their results, and each caller its own view;
    other query arguments or args are another combination; clearing the queries clears it."""
    calls = []

    def joined(sections, dates, sep):
        calls.append(sep)
        return pd.DataFrame({"text": [sep.join(sections["code"]) + sep + str(len(dates))]})

    first = data.combined(joined, (aides_covid.sections, "fds"), (aides_covid.dates, "pge"), args=("|",))
    expected = (
        "|".join(aides_covid.sections(data.connection(), "fds")["code"])
        + f"|{len(aides_covid.dates(data.connection(), 'pge'))}"
    )
    assert first["text"].iloc[0] == expected
    first.loc[0, "text"] = "ÉCRIT"
    again = data.combined(joined, (aides_covid.sections, "fds"), (aides_covid.dates, "pge"), args=("|",))
    assert again["text"].iloc[0] == expected and calls == ["|"]
    data.combined(joined, (aides_covid.sections, "fds"), (aides_covid.dates, "fds"), args=("|",))
    data.combined(joined, (aides_covid.sections, "fds"), (aides_covid.dates, "pge"), args=(";",))
    assert calls == ["|", "|", ";"]
    data.clear_queries()
    data.combined(joined, (aides_covid.sections, "fds"), (aides_covid.dates, "pge"), args=("|",))
    assert len(calls) == 4


def test_a_combination_can_take_another_as_an_input(db_env):
    """data.Derived: a combined result as an input of another, computed once and shared by every combination that
    takes it; its own inputs are part of the key of the outer one."""
    inner_calls, outer_calls = [], []

    def codes(sections, sep):
        inner_calls.append(sep)
        return pd.DataFrame({"text": [sep.join(sections["code"])]})

    def counted(text, dates):
        outer_calls.append(1)
        return f"{text['text'].iloc[0]} / {len(dates)}"

    inner = lambda scheme: data.Derived(codes, ((aides_covid.sections, scheme),), ("|",))  # noqa: E731
    con = data.connection()
    expected = "|".join(aides_covid.sections(con, "fds")["code"]) + f" / {len(aides_covid.dates(con, 'pge'))}"
    assert data.combined(counted, inner("fds"), (aides_covid.dates, "pge")) == expected
    with_fds_dates = data.combined(counted, inner("fds"), (aides_covid.dates, "fds"))
    assert (
        with_fds_dates
        == "|".join(aides_covid.sections(con, "fds")["code"]) + f" / {len(aides_covid.dates(con, 'fds'))}"
    )
    assert inner_calls == ["|"] and len(outer_calls) == 2  # the inner result is shared by both outer ones
    other = data.combined(counted, inner("pge"), (aides_covid.dates, "pge"))  # other inner inputs: another result
    assert other == "|".join(aides_covid.sections(con, "pge")["code"]) + f" / {len(aides_covid.dates(con, 'pge'))}"
    assert inner_calls == ["|", "|"] and len(outer_calls) == 3
    data.combined(counted, inner("fds"), (aides_covid.dates, "pge"))
    assert inner_calls == ["|", "|"] and len(outer_calls) == 3  # all cached


def test_results_are_bounded_in_bytes(db_env, monkeypatch):
    """A stream of distinct arguments (120 searches, say) cannot grow the cache past its byte budget: the least
    recently used results go first, and a result larger than the whole budget is returned but not kept."""
    monkeypatch.setattr(data._queries, "max_bytes", 1_000_000)
    data.clear_queries()

    def rows(con, seed, n=40_000):
        return pd.DataFrame({"x": range(seed, seed + n)})  # 320 kB of int64 and an index

    for seed in range(120):
        data.query(rows, seed)
        assert data._queries.bytes <= 1_000_000
    assert len(data._queries) == 3
    big = data.query(rows, -1, 200_000)  # 1.6 MB
    assert len(big) == 200_000 and len(data._queries) == 3 and data._queries.bytes <= 1_000_000


def test_weights_follow_what_the_values_hold():
    from observatoire.ui.cache import weight
    from observatoire.ui.maps import Payload

    frame = pd.DataFrame({"s": ["é" * 1000] * 100, "n": range(100)})
    assert weight(frame) >= 100 * 1000
    assert weight(Payload("x" * 500_000)) >= 500_000
    assert weight({"a": frame, "b": [Payload("y" * 10_000)]}) >= weight(frame) + 10_000
