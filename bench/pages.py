"""Server time of each page (AppTest): the first render, then a rerun after each filter change (URL state) over random
valid states. Cold: the query cache (st.cache_data) is cleared before each rerun. Warm: the cache is kept, after one pass
over the same states (a team browsing the same links). One AppTest = one browser session."""
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


def time_page(page: str, db_path: Path, n_states: int = 50, seed: int = 7) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from observatoire import db

    os.environ["OBSERVATOIRE_DB"] = str(db_path)
    con = db.connect(db_path)
    sts = page_states.PAGES[page](con, n_states, random.Random(seed))
    con.close()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600)
    first = _run(at, {})
    cold = []
    for s in sts:
        st.cache_data.clear()
        cold.append(_run(at, s))
    for s in sts:  # fill the cache
        _run(at, s)
    warm = [_run(at, s) for s in sts]
    return {"first_render_s": first, "cold_s": summary(cold), "warm_s": summary(warm), "states": len(sts)}
