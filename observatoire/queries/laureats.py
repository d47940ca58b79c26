"""Lauréats France Relance: barometer indicators by department over time, and a row-level laureate explorer over a
common project schema (Fonds friches sites, and the DGE industrial project list when it is loaded)."""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd

from observatoire import fmt
from observatoire.db import fetch_df, fetch_one
from observatoire.state import Param

DEFAULT_INDICATOR = "nb-entreprises-industrielles-agricoles"
MAP_MODES = {"absolu": "Valeur absolue", "pour_100k": "Pour 100 000 habitants"}
TI_VERSION = 2024
FRANCE = "FR"  # the territory code of relance_indicators' national rows (set by the build)
# Fonds friches editions that belong to France Relance (the Fonds vert 2023 follow-up is not France Relance)
FRICHES_EDITIONS = ("Fonds friches edition 1", "Fonds friches edition 2", "Fonds friches edition 3")

# The common project schema. Every row has a measure, a place and a source; amounts only where published.
PROJECTS_SQL = f"""
    SELECT 'friches:' || f.site_id AS project_id, 'Fonds friches (recyclage foncier)' AS measure, NULL AS volet,
           f.name AS name, NULL AS beneficiary, NULL AS siren, NULL AS siret, trim(f.owner_type) AS company_type,
           f.friche_nature AS sector, f.commune_code, f.commune_name, f.departement_code, f.region_code, f.lat, f.lon,
           NULL::DOUBLE AS investment_eur, NULL::DOUBLE AS state_aid_eur, f.deficit_eur AS declared_deficit_eur,
           f.intervention AS description, NULL::DATE AS dge_batch_date, f.edition, f.site_type, f.intervention, f.laureate,
           f.source_id
    FROM friches_sites f WHERE f.edition IN {FRICHES_EDITIONS}
    UNION ALL
    SELECT 'dge:' || p.project_id, p.measure, p.volet, p.name, p.beneficiary, p.siren, p.siret, p.company_type, p.sector,
           p.commune_code, p.commune_name, p.departement_code, d.region_code, p.lat, p.lon, p.investment_eur, p.state_aid_eur,
           NULL::DOUBLE, p.description, p.date, NULL, NULL, NULL, TRUE, p.source_id
    FROM relance_projects p LEFT JOIN geo_departements d ON d.departement_code = p.departement_code
"""
ENRICHED_SQL = f"""
    SELECT x.*, r.name AS region_name, dep.name AS departement_name, t.territory_id AS ti_id, ti.name AS ti_name
    FROM ({PROJECTS_SQL}) x
    LEFT JOIN geo_regions r ON r.region_code = x.region_code
    LEFT JOIN geo_departements dep ON dep.departement_code = x.departement_code
    LEFT JOIN ti_communes t ON t.version = {TI_VERSION} AND t.commune_code = x.commune_code
    LEFT JOIN ti_territories ti ON ti.version = {TI_VERSION} AND ti.territory_id = t.territory_id
"""
# URL key -> (column, French label): the facets, each filtered with a bound list parameter
FACETS = {
    "mesures": ("measure", "Mesure"),
    "volets": ("volet", "Volet"),
    "types": ("company_type", "Type de porteur / d'entreprise"),
    "secteurs": ("sector", "Secteur / nature"),
    "regions": ("region_name", "Région"),
    "departements": ("departement_name", "Département"),
    "editions": ("edition", "Édition"),
    "ti": ("ti_name", f"Territoire d'industrie ({TI_VERSION})"),
}
NONE_LABEL = "(non renseigné)"


# --- indicators ----------------------------------------------------------------------------------------
def indicators(con) -> pd.DataFrame:
    """Every indicator of the barometer file, the industrial investment aid first."""
    return fetch_df(
        con,
        """SELECT indicator_id, any_value(indicator) AS indicator, any_value(measure) AS measure, any_value(unit) AS unit
                           FROM relance_indicators GROUP BY 1
                           ORDER BY indicator_id <> ?, any_value(measure), 1""",
        [DEFAULT_INDICATOR],
    )


def indicator_dates(con, indicator_id: str) -> list[str]:
    return fetch_df(
        con,
        "SELECT DISTINCT strftime(date, '%Y-%m-%d') AS d FROM relance_indicators WHERE indicator_id = ? "
        "AND level = 'departement' ORDER BY 1 DESC",
        [indicator_id],
    )["d"].tolist()


def departement_values(con, indicator_id: str, date: str) -> pd.DataFrame:
    return fetch_df(
        con,
        """SELECT g.departement_code AS code, g.name, g.population, i.value,
                                   i.value * 100000 / g.population AS per_100k,
                                   rank() OVER (ORDER BY i.value DESC NULLS LAST) AS rank_value,
                                   rank() OVER (ORDER BY i.value * 100000 / g.population DESC NULLS LAST) AS rank_per_100k,
                                   g.boundary_geojson
                            FROM geo_departements g
                            LEFT JOIN relance_indicators i ON i.level = 'departement' AND i.territory_code = g.departement_code
                                 AND i.indicator_id = ? AND i.date = CAST(? AS DATE)
                            WHERE g.boundary_geojson IS NOT NULL ORDER BY g.departement_code""",
        [indicator_id, date],
    )


def departement_map(con, indicator_id: str, date: str, mode: str) -> dict:
    """The indicator map at a date, built once per (indicator, date, mode) and cached: every department's value with
    its class colour and tooltip, the colours as ((code, rgba), ...) for the boundary image, the clickable markers
    (label points, overseas moved into insets), the class breaks and the ranking column of the mode."""
    from observatoire import fmt, maps
    from observatoire.queries import common

    unit = indicators(con).set_index("indicator_id").loc[indicator_id, "unit"]
    values = departement_values(con, indicator_id, date)
    value_col, rank_col = ("per_100k", "rank_per_100k") if mode == "pour_100k" else ("value", "rank_value")
    breaks = maps.classes(values[value_col])
    n = int(values[value_col].notna().sum())
    values["fill"] = [maps.colour_for(v, breaks) for v in values[value_col]]
    values["tip_title"] = values["name"] + " (" + values["code"] + ")"
    decimals = 1 if mode == "pour_100k" or unit == "%" else 0  # a count reads « 90 entreprises », not « 90,0 »
    values["tip_value"] = [
        fmt.quantity(v, decimals, "pour 100 000 hab." if mode == "pour_100k" else unit) if pd.notna(v) else "non publié"
        for v in values[value_col]
    ]
    values["tip_rank"] = [
        f"rang {int(r)} sur {n}" if pd.notna(v) else "" for v, r in zip(values[value_col], values[rank_col])
    ]
    deps = common.departements(con)
    markers = values[["code", "tip_title", "tip_value", "tip_rank"]].merge(
        deps[["departement_code", "label_lon", "label_lat"]], left_on="code", right_on="departement_code"
    )
    placed = [
        maps.move_point(lon, lat, c) for lon, lat, c in zip(markers["label_lon"], markers["label_lat"], markers["code"])
    ]
    markers["lon_map"], markers["lat_map"] = [p[0] for p in placed], [p[1] for p in placed]
    return {
        "values": values,
        "fills": tuple((c, tuple(f)) for c, f in zip(values["code"], values["fill"])),
        "markers": markers.drop(columns=["departement_code", "label_lon", "label_lat"]),
        "breaks": breaks,
        "rank_col": rank_col,
    }


def national_value(con, indicator_id: str, date: str):
    row = fetch_one(
        con,
        "SELECT value FROM relance_indicators WHERE level = 'france' AND territory_code = ? AND indicator_id = ? "
        "AND date = CAST(? AS DATE)",
        [FRANCE, indicator_id, date],
    )
    return row[0] if row else None


def departements_sum(con, indicator_id: str, date: str):
    return fetch_one(
        con,
        "SELECT sum(value) FROM relance_indicators WHERE level = 'departement' AND indicator_id = ? "
        "AND date = CAST(? AS DATE)",
        [indicator_id, date],
    )[0]


def series(con, indicator_id: str, departement_code: str) -> pd.DataFrame:
    """The department, its region and France over time (long form)."""
    # France is the national file's one row per date (code FR), whatever other rows a level might hold; a code missing
    # from the reference lists is named by itself, as in departement_choices
    return fetch_df(
        con,
        """SELECT i.date, CASE i.level WHEN 'departement' THEN coalesce(d.name, i.territory_code) || ' (département)'
                                                  WHEN 'region' THEN coalesce(r.name, i.territory_code) || ' (région)' ELSE 'France' END AS serie, i.value
                            FROM relance_indicators i
                            LEFT JOIN geo_departements d ON i.level = 'departement' AND d.departement_code = i.territory_code
                            LEFT JOIN geo_regions r ON i.level = 'region' AND r.region_code = i.territory_code
                            WHERE i.indicator_id = $ind AND (
                                 (i.level = 'departement' AND i.territory_code = $dep)
                              OR (i.level = 'region' AND i.territory_code = (SELECT region_code FROM geo_departements WHERE departement_code = $dep))
                              OR (i.level = 'france' AND i.territory_code = $france))
                            ORDER BY i.date""",
        {"ind": indicator_id, "dep": departement_code, "france": FRANCE},
    )


def departement_codes(con) -> list[str]:
    return [c for c, _ in departement_choices(con)]


def departement_labels(con) -> MappingProxyType:
    """Code -> "Name (code)", read-only: shared as is by every session (the series selector's labels, 10,100 of them
    in the 100x bench copy)."""
    return MappingProxyType(dict(departement_choices(con)))


def departement_choices(con) -> tuple[tuple[str, str], ...]:
    """(code, "Name (code)") for each department with indicators, in code order (a code missing from the reference
    list shows itself as name). A tuple: shared as is by every session, never copied."""
    rows = fetch_df(
        con,
        "SELECT c, d.name FROM (SELECT DISTINCT territory_code AS c FROM relance_indicators WHERE level = 'departement') "
        "LEFT JOIN geo_departements d ON d.departement_code = c ORDER BY c",
    )
    return tuple((c, f"{n if isinstance(n, str) else c} ({c})") for c, n in zip(rows["c"], rows["name"]))


# --- explorer ------------------------------------------------------------------------------------------
def _where(filters: dict, search: str, candidates: bool, skip: str | None = None) -> tuple[str, dict]:
    """WHERE clause of the explorer: bound parameters only; facet columns come from the FACETS allowlist."""
    clauses = ["(laureate OR $candidates)"]
    params: dict = {"candidates": bool(candidates)}
    for key, (column, _) in FACETS.items():
        values = filters.get(key) or []
        if key == skip or not values:
            continue
        params[f"f_{key}"] = list(values)
        clauses.append(f"list_contains($f_{key}, coalesce({column}, '{NONE_LABEL}'))")
    if search:
        params["q"] = f"%{search.strip()}%"
        clauses.append(
            "(name ILIKE $q OR beneficiary ILIKE $q OR siren ILIKE $q OR siret ILIKE $q OR commune_name ILIKE $q "
            "OR commune_code ILIKE $q)"
        )
    return " AND ".join(clauses), params


def explorer_rows(con, filters: dict, search: str, candidates: bool) -> pd.DataFrame:
    where, params = _where(filters, search, candidates)
    return fetch_df(
        con, f"SELECT * FROM ({ENRICHED_SQL}) WHERE {where} ORDER BY measure, departement_code, name", params
    )


def explorer_summary(con, filters: dict, search: str, candidates: bool) -> dict:
    """The explorer's counts and breakdowns for a filter state, over the rows of `explorer_rows` (same WHERE), in SQL:
    computed once per state and cached, not on every rerun."""
    from observatoire.queries import common

    where, params = _where(filters, search, candidates)
    rows = f"(SELECT * FROM ({ENRICHED_SQL}) WHERE {where})"
    n, laureates, communes, departements, in_ti, deficit, located = fetch_one(
        con,
        f"""
        SELECT count(*), count(*) FILTER (WHERE laureate), count(DISTINCT commune_code), count(DISTINCT departement_code), count(ti_id),
               sum(declared_deficit_eur), count(*) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL) FROM {rows}""",
        params,
    )
    measures = fetch_df(con, f"SELECT DISTINCT measure FROM {rows} WHERE measure IS NOT NULL ORDER BY 1", params)[
        "measure"
    ].tolist()
    by_region = fetch_df(
        con, f"SELECT region_name, measure, count(*) AS n FROM {rows} GROUP BY ALL ORDER BY 1, 2 NULLS LAST", params
    )
    # every region, with 0 where nothing is selected
    by_region = (
        common.regions(con)[["name"]]
        .rename(columns={"name": "region_name"})
        .merge(by_region, on="region_name", how="left")
    )
    by_region = by_region.fillna({"n": 0, "measure": measures[0] if measures else ""})
    by_type = fetch_df(
        con,
        f"SELECT coalesce(company_type, '{NONE_LABEL}') AS company_type, count(*) AS n FROM {rows} "
        "GROUP BY 1 ORDER BY 1",
        params,
    )
    return {
        "rows": n,
        "laureates": laureates,
        "communes": communes,
        "departements": departements,
        "in_ti": in_ti,
        "declared_deficit_eur": deficit,
        "located": located,
        "measures": measures,
        "by_region": by_region,
        "by_type": by_type,
    }


def facet_counts(con, filters: dict, search: str, candidates: bool) -> dict[str, pd.DataFrame]:
    """For each facet: its values with the count of rows matching every other filter (datasette-style facets)."""
    out = {}
    for key, (column, _) in FACETS.items():
        where, params = _where(filters, search, candidates, skip=key)
        out[key] = fetch_df(
            con,
            f"SELECT coalesce({column}, '{NONE_LABEL}') AS value, count(*) AS n FROM ({ENRICHED_SQL}) "
            f"WHERE {where} GROUP BY 1 ORDER BY n DESC, 1",
            params,
        )
    return out


def facet_choices(
    con, filters: dict, search: str, candidates: bool
) -> dict[str, tuple[tuple[str, ...], MappingProxyType]]:
    """For each facet: its values, most frequent first, and their labels "value (count)", built once per filter state
    and shared read-only (the sidebar's eight lists on every rerun)."""
    out = {}
    for key, c in facet_counts(con, filters, search, candidates).items():
        n = dict(zip(c["value"].tolist(), c["n"].tolist()))
        out[key] = (
            tuple(sorted(n, key=lambda v: (-n[v], v))),
            MappingProxyType({v: f"{v} ({fmt.integer(k)})" for v, k in n.items()}),
        )
    return out


def facet_values(con) -> dict[str, list[str]]:
    """Every value of every facet (the URL allowlists)."""
    out = {}
    for key, (column, _) in FACETS.items():
        out[key] = fetch_df(
            con, f"SELECT DISTINCT coalesce({column}, '{NONE_LABEL}') AS v FROM ({ENRICHED_SQL}) ORDER BY 1"
        )["v"].tolist()
    return out


def dge_loaded(con) -> bool:
    return fetch_one(con, "SELECT count(*) FROM relance_projects")[0] > 0


def state_spec(con, fetch=None) -> list[Param]:
    """URL parameters. `fetch(fn, *args)` runs a query function for the allowlists: the page passes its cached runner
    (observatoire.ui.data.query), since a new URL state is parsed on every link or back button; by default, on `con`."""
    fetch = fetch or (lambda fn, *args: fn(con, *args))
    values = fetch(facet_values)
    return [
        Param(
            "indicateur", "Indicateur", default=DEFAULT_INDICATOR, choices=fetch(indicators)["indicator_id"].tolist()
        ),
        Param("date", "Date", default=None, choices=lambda v: fetch(indicator_dates, v["indicateur"])),
        Param("carte", "Carte", default="absolu", choices=list(MAP_MODES)),
        Param("departement", "Département", default="69", choices=fetch(departement_codes)),
        *[Param(k, label, default=[], multi=True, choices=values[k]) for k, (_, label) in FACETS.items()],
        Param("q", "Recherche", default="", kind="text"),
        Param("candidats", "Sites candidats", default=False, kind="bool"),
        Param("agregation", "Agrégation", default=False, kind="bool"),
        Param("vue", "Vue", default=VIEWS[0], choices=VIEWS),
    ]


VIEWS = ["Explorateur", "Indicateurs"]  # the page's tabs (their labels are the URL values)
POINTS_MAX = 20_000  # above this many rows the map aggregates into hexagons (every row still counted)


def measure_colours(measures: list[str]) -> dict[str, list[int]]:
    from observatoire import maps

    return {m: list(maps.CATEGORICAL[i % len(maps.CATEGORICAL)]) + [220] for i, m in enumerate(sorted(measures))}


def map_points(con, filters: dict, search: str, candidates: bool, hexes: bool) -> list[dict]:
    """The explorer's map layer data, one record per row with coordinates (overseas moved into insets): with colour
    and tooltip fields for points, positions only for hexagons. Built once per filter state and cached serialised."""
    import numpy as np

    from observatoire import fmt, maps

    rows = explorer_rows(con, filters, search, candidates)
    pts = rows[rows["lat"].notna() & rows["lon"].notna()]
    moved = [maps.move_point(lon, lat, d) for lon, lat, d in zip(pts["lon"], pts["lat"], pts["departement_code"])]
    lon = np.round([m[0] for m in moved], 5).tolist()
    lat = np.round([m[1] for m in moved], 5).tolist()
    if hexes:
        return [{"lon_map": x, "lat_map": y} for x, y in zip(lon, lat)]
    colours = measure_colours(rows["measure"].dropna().unique().tolist())
    amount = pts["state_aid_eur"].combine_first(pts["declared_deficit_eur"])
    title = pts["name"].fillna("").str.slice(0, 90).tolist()
    place = (pts["commune_name"].fillna("") + " (" + pts["departement_code"].fillna("") + ")").tolist()
    amounts = [("montant : " + fmt.euros(v)) if v == v and v is not None else "montant non publié" for v in amount]
    return [
        {
            "lon_map": x,
            "lat_map": y,
            "color": colours.get(m),
            "measure": m,
            "tip_title": t,
            "tip_place": p,
            "tip_amount": a,
        }
        for x, y, m, t, p, a in zip(lon, lat, pts["measure"], title, place, amounts)
    ]
