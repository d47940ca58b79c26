"""Keep a page's filter state in st.query_params, both ways."""

from __future__ import annotations

import streamlit as st

from observatoire import markup
from observatoire.state import Param, parse, to_query


def key(page: str, name: str) -> str:
    return f"{page}:{name}"


def _current_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def bind(page: str, spec: list[Param]) -> dict:
    """Before the widgets: when the URL is new (first load, pasted link, back button), it wins;
    invalid values are dropped with a visible warning. Returns the values."""
    st.session_state[f"_spec:{page}"] = spec
    params = _current_params()
    flat = {k: v[-1] if v else "" for k, v in params.items()}
    last = st.session_state.get(f"_qs:{page}")
    if last is None or flat != last:
        parsed = parse(params, spec)
        for w in parsed.warnings:
            st.warning(markup.plain(w), icon=":material/warning:")  # it quotes the URL's own text
        for p in spec:
            st.session_state[key(page, p.key)] = parsed.values[p.key]
        st.session_state[f"_qs:{page}"] = flat
    else:
        # Streamlit forgets the value of a widget not drawn in a run (a closed tab): set through the Session State
        # API, the values of every URL parameter survive until their widget is drawn again
        for p in spec:
            k = key(page, p.key)
            if k in st.session_state:
                st.session_state[k] = st.session_state[k]
    return {p.key: st.session_state.get(key(page, p.key), p.default) for p in spec}


def values(page: str, spec: list[Param]) -> dict:
    return {p.key: st.session_state.get(key(page, p.key), p.default) for p in spec}


def data_query(page: str) -> dict[str, str] | None:
    """The page's state as a data link's query: its filters as now set, pinned parameters written even at their
    default. None for a page that binds no state."""
    spec = st.session_state.get(f"_spec:{page}")
    return to_query(values(page, spec), spec, pinned=True) if spec is not None else None


def publish(page: str, spec: list[Param], current: dict | None = None) -> None:
    """After the widgets: write the state to the URL (defaults left out)."""
    current = current if current is not None else values(page, spec)
    query = to_query(current, spec)
    if {k: v[-1] for k, v in _current_params().items()} != query:
        st.query_params.from_dict(query)
    st.session_state[f"_qs:{page}"] = query


def ensure_choice(page: str, name: str, options: list, default) -> None:
    """Before a widget whose options depend on another filter: drop a value the options no longer hold."""
    k = key(page, name)
    current = st.session_state.get(k, default)
    if isinstance(current, list):
        kept = [v for v in current if v in options]
        if kept != current:
            st.session_state[k] = kept
    elif current not in options:
        st.session_state[k] = default if default in options else (options[0] if options else None)
