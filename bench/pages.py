"""Server time of each page (AppTest): the first render, then a rerun after each filter change (URL state) over random
valid states. Cold: the query cache (observatoire.ui.data.clear_queries) is cleared before each rerun. Warm: the cache is kept, after one pass
over the same states (a team browsing the same links). One AppTest = one browser session, running the page inside the
app's frame (streamlit_app.py: navigation, footer, memory housekeeping), as `streamlit run` does."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from bench import states as page_states
from bench.common import summary

ROOT = Path(__file__).resolve().parent.parent


def _run(at, state: dict) -> float:
    at.query_params.clear()
    for k, v in state.items():
        at.query_params[k] = v
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{at.exception[0].value} pour {state}")
    return elapsed


def page_test(page: str):
    """An AppTest of the whole app (streamlit_app.py), switched to the page, as a browser session on /<page>.
    AppTest compiles the scripts again on every run (a new ScriptCache per run: 8-13 ms for a page); the server
    compiles each script once. One cache is shared here, as in the server."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.switch_page(f"pages/{page}.py")
    return at


def time_page(page: str, db_path: Path, n_states: int = 50, seed: int = 7) -> dict:
    import streamlit as st

    from observatoire import db
    from observatoire.ui.data import clear_all, clear_queries

    os.environ["OBSERVATOIRE_DB"] = str(db_path)
    con = db.connect(db_path)
    sts = page_states.PAGES[page](con, n_states, random.Random(seed))
    con.close()
    st.cache_resource.clear()  # the connection
    clear_all()  # queries, map payloads and images: a cold process
    at = page_test(page)
    first = _run(at, {})
    cold = []
    for s in sts:
        clear_queries()
        cold.append(_run(at, s))
    for s in sts:  # fill the cache
        _run(at, s)
    warm = [_run(at, s) for s in sts]
    # per state too: the naive baseline runs on the first states only at 100x, and ratios compare the same states
    return {
        "first_render_s": first,
        "cold_s": summary(cold),
        "warm_s": summary(warm),
        "warm_each_s": warm,
        "states": len(sts),
    }


def territory_switches(db_path: Path, n: int = 20, seed: int = 5) -> dict:
    """Territoires d'industrie: the server time to switch territory (same version) and to switch version, for a session
    that already shows the page. First visit: the territory (or version) was never shown in this process; revisit:
    it was (its queries are cached)."""
    from observatoire import db
    from observatoire.queries import territoires as ti
    from observatoire.ui.data import clear_queries

    os.environ["OBSERVATOIRE_DB"] = str(db_path)
    con = db.connect(db_path)
    ids = {v: ti.territory_ids(con, v) for v in ti.VERSIONS}
    con.close()
    rnd = random.Random(seed)
    clear_queries()
    at = page_test("territoires")
    _run(at, {})
    picks = rnd.sample(ids[2024], n)
    first = [_run(at, {"territoire": t}) for t in picks]
    again = [_run(at, {"territoire": t}) for t in picks]
    versions = [2022, 2020, 2024] * 3
    v_first = [_run(at, {"version": str(v), "territoire": ids[v][0]}) for v in versions[:3]]
    v_again = [_run(at, {"version": str(v), "territoire": ids[v][0]}) for v in versions[3:]]
    return {
        "switch_territory_first_visit_s": summary(first),
        "switch_territory_revisit_s": summary(again),
        "switch_version_first_visit_s": summary(v_first),
        "switch_version_revisit_s": summary(v_again),
    }
