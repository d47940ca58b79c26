"""A data view (rows of a page's download bar, as a function of its state) and a page's views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class View:
    name: str  # URL segment: /api/v1/<page>/<name>.<format>
    title: str  # French, for the API index and the documentation
    rows: Callable  # (con, resolved state) -> DataFrame: what the page's download bar offers
    file_name: Callable[[dict], str]  # (resolved state) -> download name, as the page's button
    sources: tuple[str, ...]
    labelled: bool = True  # French column labels (a whole table keeps the schema's names)
    # a view assembled from parts the pages cache: (resolved state) -> recipe (observatoire.recipes), and (its result,
    # resolved state) -> rows; `rows` computes the recipe afresh, the data API takes it from the pages' cache
    recipe: Callable[[dict], object] | None = None
    finish: Callable[[object, dict], pd.DataFrame] | None = None


@dataclass(frozen=True)
class PageViews:
    page: str  # URL path of the page
    title: str
    spec: Callable  # (con) -> list[Param]
    resolve: Callable  # (con, parsed values) -> resolved values
    describe: Callable[[dict], str]  # (resolved values) -> the filters in one French sentence
    views: dict[str, View] = field(default_factory=dict)
