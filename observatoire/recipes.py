"""Results assembled from query results, described rather than computed: the same description is computed afresh
(`evaluate`: tests, scripts, the uncached paths) or from the pages' shared cache (observatoire.ui.data.result), so a
page and the data API answer from one recipe and share the cached parts (a territory's profile: 0.9 s afresh, a few
milliseconds from the parts the pages cache)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Derived(NamedTuple):
    """fn(*results of `queries`, *args). Each query is (query function, *its arguments) or another Derived."""

    fn: Callable
    queries: tuple
    args: tuple = ()


def evaluate(item, con):
    """The result of a recipe (or of one query given as (fn, *args)), computed on `con` without any cache."""
    if isinstance(item, Derived):
        return item.fn(*(evaluate(q, con) for q in item.queries), *item.args)
    fn, *args = item
    return fn(con, *args)
