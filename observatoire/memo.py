"""Remember what a page draws from a small frame (a chart's SVG, a table's HTML, a map's markers as JSON), by the
frame's values: a rerun with filters already seen, in any session, rebuilds nothing. Keys are the columns' values, so
a result can never be returned for other data; only small frames (at most a few hundred rows) come here."""

from __future__ import annotations

import numpy as np
import pandas as pd

DRAWN: dict = {}
DRAWN_MAX = 256  # then start afresh: bounded memory whatever the filters visited


def values(column: pd.Series):
    """A column's values as a dictionary key: the bytes of a NumPy column (NaN equals NaN there), else its values."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biufmM":
        return column.to_numpy().tobytes()
    return tuple(column.tolist())


def remember(make, df: pd.DataFrame, *args, **options):
    """make(df, *args, **options), built once per content of `df` and arguments (drawing a chart or a table of a few
    hundred rows cost 2 to 7 ms of a rerun; this key, a few hundredths of a millisecond per column)."""
    try:
        key = (
            make.__module__,
            make.__qualname__,
            tuple((c, str(df[c].dtype), values(df[c])) for c in df.columns),
            args,
            tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(options.items())),
        )
        made = DRAWN.get(key)
    except TypeError:  # a value that cannot be a key: build without remembering
        return make(df, *args, **options)
    if made is None:
        if len(DRAWN) >= DRAWN_MAX:
            DRAWN.clear()
        made = DRAWN[key] = make(df, *args, **options)
    return made
