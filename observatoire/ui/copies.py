"""Each session's own view of a shared cached result: shallow copies, which pandas' copy-on-write keeps apart, and
the one workaround of pandas internals this needs (its notes of copies pruned at once; fallback: pandas' own pruning,
tests/test_fallbacks.py)."""

from __future__ import annotations

import pandas as pd

# pandas' copy-on-write notes every shallow copy with a weak reference in the shared blocks and axes, and drops dead
# ones only beyond 100 to 500 each: handing out copies on every rerun, the server held 222,000 of them after four
# minutes of the load test, and every garbage collection walked them. A threshold of 0 before each copy makes that
# copy drop them.
REFS_PRUNED_BEYOND = 0


def prune_notes(frame) -> None:
    axes = [frame.index] + ([frame.columns] if isinstance(frame, pd.DataFrame) else [])
    for refs in [block.refs for block in frame._mgr.blocks] + [axis._references for axis in axes]:
        if refs is not None:
            refs.clear_counter = REFS_PRUNED_BEYOND


def shallow(frame):
    try:
        prune_notes(frame)
    except AttributeError:  # a pandas without these internals: its own pruning applies (tests/test_fallbacks.py)
        pass
    return frame.copy(deep=False)


def fresh(value):
    """The caller's own view of a shared cached result. Frames and series are shallow copies: with pandas'
    copy-on-write, writing to one copies the touched data and never changes the shared result. Dicts are copied
    with their values made fresh; lists are copied, their items shared (query functions put only strings and numbers
    in lists); scalars, strings, dates and tuples are immutable and shared."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return shallow(value)
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value
