"""The page's URL parameters."""

from __future__ import annotations

from observatoire.queries.territoires.definitions import DEFAULT_INDICATOR, DEFAULT_VERSION, INDICATORS, TABS, VERSIONS
from observatoire.queries.territoires.perimeter import territory_ids
from observatoire.queries.territoires.series import quarters
from observatoire.state import Param


def state_spec(
    con, ids_by_version: dict[int, list[str]] | None = None, quarter_list: list[str] | None = None
) -> list[Param]:
    """URL parameters; territory ids are checked against the chosen version's list. Allowlists may be passed in cached."""
    ids = ids_by_version or {v: territory_ids(con, v) for v in VERSIONS}
    qs = quarter_list if quarter_list is not None else quarters(con)
    return [
        Param(
            "version", "Version du périmètre", default=DEFAULT_VERSION, choices=list(VERSIONS), kind="int", pinned=True
        ),
        Param("indicateur", "Indicateur de la carte", default=DEFAULT_INDICATOR, choices=list(INDICATORS)),
        Param("territoire", "Territoire", default=None, choices=lambda v: ids[v["version"]]),
        Param("comparer", "Territoires comparés", default=[], multi=True, choices=lambda v: ids[v["version"]]),
        Param("trimestre", "Trimestre du chômage", default=qs[0] if qs else None, choices=qs),
        Param("onglet", "Onglet du profil", default=TABS[0], choices=TABS),  # a link opens the tab it was copied on
    ]
