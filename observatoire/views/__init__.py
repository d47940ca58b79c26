"""The data views: each table a page offers to download, as a function of the page's state, used by the page's download
bar and by the data API (observatoire.api) alike, so both give the same rows.

A page's state is its URL parameters (observatoire.state); `resolve` fills in the values the page itself chooses when
the URL leaves them out (the first territory of a level, the latest date), as the page's widgets do.

One module per page; the registry is PAGES."""

from __future__ import annotations

from observatoire.views import aides_covid, laureats, territoires
from observatoire.views.aides_covid import covid_rows
from observatoire.views.base import PageViews, View
from observatoire.views.territoires import (
    comparison_series_frame,
    establishments_frame,
    indicators_frame,
    ranking_frame,
)

PAGES: dict[str, PageViews] = {m.PAGE.page: m.PAGE for m in (aides_covid, laureats, territoires)}

__all__ = [
    "PAGES",
    "PageViews",
    "View",
    "comparison_series_frame",
    "covid_rows",
    "establishments_frame",
    "indicators_frame",
    "ranking_frame",
]
