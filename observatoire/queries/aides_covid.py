"""Aides Covid: parametrised SQL for filters, KPIs, series, map, breakdowns and rows.

France figures are the sum of the regional rows of a snapshot when the scheme publishes regional files
(fewer cells are suppressed there), else the sum of the department rows. Each figure says which scheme it
covers: the CSV "fds" scheme is FDS volet 1 only, never added to the dashboard's whole-FDS totals.
"""

from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df, fetch_one
from observatoire.state import Param

SCHEMES = {
    "fds": "Fonds de solidarité – volet 1",
    "fds_volet2": "Fonds de solidarité – volet 2 (régional)",
    "pge": "Prêts garantis par l'État (PGE)",
    "reports": "Reports d'échéances fiscales",
    "cpsti": "Aide CPSTI (travailleurs indépendants)",
    "activite_partielle": "Activité partielle (demandes d'autorisation)",
}
COUNT_LABELS = {
    "fds": "Nombre d'aides",
    "fds_volet2": "Nombre d'aides",
    "pge": "Nombre de prêts",
    "reports": "Nombre de reports",
    "cpsti": "Nombre de bénéficiaires",
}
AP = "activite_partielle"
AP_MEASURES = {
    "heures": ("hours", "Heures demandées"),
    "salaries": ("employees", "Salariés concernés"),
    "demandes": ("requests", "Demandes déposées"),
}
LEVELS = {"france": "France", "region": "Région", "departement": "Département"}
MAP_MODES = {"montant": "Valeur absolue", "par_habitant": "Par habitant"}
# the fonds de solidarité's breakdowns, as tabs (their labels are the URL values): the FDS also publishes its own
# files by size band and legal category; only the open tab is computed and drawn
BREAKDOWNS = ["Sections", "Tranches d'effectif", "Catégories juridiques"]
FDS_FILES = {"Tranches d'effectif": "classe_effectif", "Catégories juridiques": "categorie_juridique"}
FDS_BREAKDOWN_SCHEMES = ("fds", "fds_volet2")

# Which rows make "France" for a scheme and date: regional rows when published, else department rows.
NATIONAL_LEVEL = """(SELECT CASE WHEN count(*) FILTER (WHERE level = 'region') > 0 THEN 'region' ELSE 'departement' END
                     FROM covid_aid_snapshots n WHERE n.scheme = s.scheme AND n.snapshot_date = s.snapshot_date)"""
SECTIONS = "(len($sections) = 0 OR list_contains($sections, naf_section_code))"
FRANCE_POP = "(SELECT sum(population) FROM geo_departements WHERE zone IN ('metro', 'drom'))"


def levels_for(scheme: str) -> list[str]:
    return ["france", "region"] if scheme in ("fds_volet2", AP) else ["france", "region", "departement"]


def dates(con, scheme: str) -> list[str]:
    """Snapshot dates (ISO) of a scheme; months (YYYY-MM) for activité partielle. Latest first."""
    if scheme == AP:
        rows = fetch_df(
            con,
            "SELECT DISTINCT period AS d FROM covid_activite_partielle WHERE dataset = 'ap_mensuel' ORDER BY 1 DESC",
        )
    else:
        rows = fetch_df(
            con,
            "SELECT DISTINCT strftime(snapshot_date, '%Y-%m-%d') AS d FROM covid_aid_snapshots WHERE scheme = ? ORDER BY 1 DESC",
            [scheme],
        )
    return rows["d"].tolist()


def territories(con, level: str, scheme: str) -> pd.DataFrame:
    """Territories with data for the scheme at this level, with names."""
    if level == "region":
        table, code = "geo_regions", "region_code"
    elif level == "departement":
        table, code = "geo_departements", "departement_code"
    else:
        return pd.DataFrame({"code": [], "name": []})
    if scheme == AP:
        sql = f"SELECT DISTINCT g.{code} AS code, g.name FROM covid_activite_partielle a JOIN {table} g ON g.{code} = a.territory_code WHERE a.dataset = 'ap_mensuel' AND a.level = ? ORDER BY 1"
        return fetch_df(con, sql, [level])
    sql = f"SELECT DISTINCT g.{code} AS code, g.name FROM covid_aid_snapshots s JOIN {table} g ON g.{code} = s.territory_code WHERE s.scheme = ? AND s.level = ? ORDER BY 1"
    return fetch_df(con, sql, [scheme, level])


def sections(con, scheme: str) -> pd.DataFrame:
    if scheme == AP:
        return fetch_df(con, "SELECT code, label FROM ref_nace17_sections ORDER BY code")
    return fetch_df(
        con,
        "SELECT DISTINCT r.code, r.label FROM covid_aid_snapshots s JOIN ref_naf_sections r ON r.code = s.naf_section_code "
        "WHERE s.scheme = ? ORDER BY 1",
        [scheme],
    )


def state_spec(con, fetch=None) -> list[Param]:
    """URL parameters; each allowlist depends on the values before it. `fetch(fn, *args)` runs a query function for
    the allowlists: the page passes its cached runner (observatoire.ui.data.query), since a new URL state is parsed on
    every link or back button (uncached, this was two thirds of a rerun at 100x); by default, on `con`."""
    fetch = fetch or (lambda fn, *args: fn(con, *args))
    return [
        Param("dispositif", "Dispositif", default="fds", choices=list(SCHEMES), pinned=True),
        Param("niveau", "Niveau", default="france", choices=lambda v: levels_for(v["dispositif"])),
        Param(
            "territoire",
            "Territoire",
            default=None,
            choices=lambda v: fetch(territories, v["niveau"], v["dispositif"])["code"].tolist(),
        ),
        Param(
            "sections",
            "Sections",
            default=[],
            multi=True,
            choices=lambda v: fetch(sections, v["dispositif"])["code"].tolist(),
        ),
        Param("date", "Date", default=None, choices=lambda v: fetch(dates, v["dispositif"])),
        Param("carte", "Carte", default="montant", choices=list(MAP_MODES)),
        Param("mesure", "Mesure", default="heures", choices=list(AP_MEASURES)),
        Param("repartition", "Répartition", default=BREAKDOWNS[0], choices=BREAKDOWNS),
    ]


def _selection(level: str, code: str | None) -> tuple[str, dict]:
    if level == "france":
        return f"s.level = {NATIONAL_LEVEL}", {}
    return "s.level = $level AND s.territory_code = $code", {"level": level, "code": code}


def _population(con, level: str, code: str | None) -> float | None:
    if level == "france":
        return fetch_one(con, f"SELECT {FRANCE_POP}")[0]
    table, col = ("geo_regions", "region_code") if level == "region" else ("geo_departements", "departement_code")
    row = fetch_one(con, f"SELECT population FROM {table} WHERE {col} = ?", [code])
    return row[0] if row else None


def kpis(con, scheme: str, level: str, code: str | None, section_codes: list[str], date: str) -> dict:
    """Amount, count, firms and population for the selection and for France (same sections, same date)."""
    out = {}
    for key, (lv, cd) in {"selection": (level, code), "france": ("france", None)}.items():
        where, params = _selection(lv, cd)
        row = fetch_one(
            con,
            f"""SELECT sum(amount_eur), sum(aid_count), sum(firm_count), count(firm_count), count(*),
                                         any_value(s.level)
                                  FROM covid_aid_snapshots s
                                  WHERE s.scheme = $scheme AND s.snapshot_date = CAST($date AS DATE) AND {SECTIONS} AND {where}""",
            {"scheme": scheme, "date": date, "sections": section_codes, **params},
        )
        out[key] = {
            "amount": row[0],
            "count": row[1],
            "firms": row[2] if row[3] else None,
            "rows": row[4],
            "rows_level": row[5],
            "population": _population(con, lv, cd),
        }
    return out


def series(con, scheme: str, level: str, code: str | None, section_codes: list[str]) -> pd.DataFrame:
    """Cumulative amount at every snapshot for the selection and France, and the flow between snapshots."""
    where, params = _selection(level, code)
    sel = fetch_df(
        con,
        f"""SELECT s.snapshot_date, sum(s.amount_eur) AS amount, sum(s.aid_count) AS count, count(s.firm_count) > 0 AS has_firms
                           FROM covid_aid_snapshots s WHERE s.scheme = $scheme AND {SECTIONS} AND {where} GROUP BY 1""",
        {"scheme": scheme, "sections": section_codes, **params},
    )
    fr = fetch_df(
        con,
        f"""SELECT s.snapshot_date, sum(s.amount_eur) AS france_amount
                          FROM covid_aid_snapshots s WHERE s.scheme = $scheme AND {SECTIONS} AND s.level = {NATIONAL_LEVEL} GROUP BY 1""",
        {"scheme": scheme, "sections": section_codes},
    )
    df = fr.merge(sel, on="snapshot_date", how="left").sort_values("snapshot_date").reset_index(drop=True)
    df["flow"] = df["amount"].diff()
    df["france_flow"] = df["france_amount"].diff()
    df["days"] = pd.to_datetime(df["snapshot_date"]).diff().dt.days
    return df


# A point inside each territory, for the clickable markers: the department's label point; for a region, the label
# point of its most populated department.
LABEL_POINT = {
    "departement": "g.label_lon, g.label_lat,",
    "region": """(SELECT arg_max(d.label_lon, d.population) FROM geo_departements d WHERE d.region_code = g.region_code) AS label_lon,
                 (SELECT arg_max(d.label_lat, d.population) FROM geo_departements d WHERE d.region_code = g.region_code) AS label_lat,""",
}


def map_values(con, scheme: str, map_level: str, section_codes: list[str], date: str) -> pd.DataFrame:
    """One row per territory of the map level: amount, population, amount per inhabitant, rank."""
    table, col = ("geo_regions", "region_code") if map_level == "region" else ("geo_departements", "departement_code")
    label = LABEL_POINT[map_level]
    return fetch_df(
        con,
        f"""
        WITH v AS (SELECT territory_code, sum(amount_eur) AS amount, sum(aid_count) AS count FROM covid_aid_snapshots s
                   WHERE scheme = $scheme AND level = $level AND snapshot_date = CAST($date AS DATE) AND {SECTIONS} GROUP BY 1)
        SELECT g.{col} AS code, g.name, g.population, v.amount, v.count, v.amount / g.population AS per_inhabitant, {label}
               rank() OVER (ORDER BY v.amount DESC NULLS LAST) AS rank_amount,
               rank() OVER (ORDER BY v.amount / g.population DESC NULLS LAST) AS rank_per_inhabitant,
               g.boundary_geojson
        FROM {table} g LEFT JOIN v ON v.territory_code = g.{col}
        WHERE g.boundary_geojson IS NOT NULL ORDER BY g.{col}""",
        {"scheme": scheme, "level": map_level, "date": date, "sections": section_codes},
    )


def by_section(con, scheme: str, level: str, code: str | None, section_codes: list[str], date: str) -> pd.DataFrame:
    where, params = _selection(level, code)
    return fetch_df(
        con,
        f"""SELECT s.naf_section_code AS code, coalesce(r.label, s.naf_section_code) AS label,
                                    sum(s.amount_eur) AS amount, sum(s.aid_count) AS count, sum(s.firm_count) AS firms
                             FROM covid_aid_snapshots s LEFT JOIN ref_naf_sections r ON r.code = s.naf_section_code
                             WHERE s.scheme = $scheme AND s.snapshot_date = CAST($date AS DATE) AND {SECTIONS} AND {where}
                             GROUP BY ALL ORDER BY amount DESC NULLS LAST""",
        {"scheme": scheme, "date": date, "sections": section_codes, **params},
    )


def fds_breakdown(con, scheme: str, level: str, code: str | None, dimension: str) -> pd.DataFrame:
    """FDS by size band or legal category, from their own files (24/06/2022 only, all sections)."""
    volet = "VOLET2" if scheme == "fds_volet2" else "VOLET1"
    if level == "france":
        where, params = "level = 'region'", {}
    else:
        where, params = "level = $level AND territory_code = $code", {"level": level, "code": code}
    return fetch_df(
        con,
        f"""SELECT category_code AS code, any_value(category_label) AS label, sum(amount_eur) AS amount,
                                    sum(aid_count) AS count, sum(firm_count) AS firms, max(snapshot_date) AS snapshot_date
                             FROM covid_fds_breakdowns WHERE volet = $volet AND dimension = $dimension AND {where}
                             GROUP BY 1 ORDER BY amount DESC""",
        {"volet": volet, "dimension": dimension, **params},
    )


def rows(con, scheme: str, level: str, code: str | None, section_codes: list[str], date: str) -> pd.DataFrame:
    """The published rows behind the selection, with French labels, for the grid and the downloads."""
    where, params = _selection(level, code)
    return fetch_df(
        con,
        f"""SELECT s.scheme AS dispositif, s.level AS niveau, s.territory_code AS code_territoire,
                                    coalesce(d.name, r.name) AS territoire, s.region_code AS code_region,
                                    s.naf_section_code AS section_naf, n.label AS libelle_section, s.snapshot_date AS date_instantane,
                                    s.aid_count AS nombre, s.firm_count AS nombre_entreprises, s.amount_eur AS montant_eur,
                                    s.source_file AS fichier_source
                             FROM covid_aid_snapshots s
                             LEFT JOIN geo_departements d ON s.level = 'departement' AND d.departement_code = s.territory_code
                             LEFT JOIN geo_regions r ON s.level = 'region' AND r.region_code = s.territory_code
                             LEFT JOIN ref_naf_sections n ON n.code = s.naf_section_code
                             WHERE s.scheme = $scheme AND s.snapshot_date = CAST($date AS DATE) AND {SECTIONS} AND {where}
                             ORDER BY s.territory_code, s.naf_section_code""",
        {"scheme": scheme, "date": date, "sections": section_codes, **params},
    )


def dashboard_whole_fds(con, level: str, code: str | None, date: str) -> float | None:
    """Whole FDS (all volets) from the dashboard JSON, when published for this territory and date."""
    row = fetch_one(
        con,
        "SELECT amount_eur FROM covid_dashboard_kpis WHERE scheme = 'aides' AND level = ? AND territory_code = ? "
        "AND snapshot_date = CAST(? AS DATE)",
        [level, "FR" if level == "france" else code, date],
    )
    return row[0] if row else None


# --- activité partielle (region × NACE A17 × month) -----------------------------------------------------
AP_WHERE = (
    "dataset = 'ap_mensuel' AND level = 'region' AND (len($sections) = 0 OR list_contains($sections, nace17_code))"
)


def ap_kpis(con, level: str, code: str | None, section_codes: list[str], month: str) -> dict:
    out = {}
    for key, (lv, cd) in {"selection": (level, code), "france": ("france", None)}.items():
        terr = "" if lv == "france" else "AND territory_code = $code"
        row = fetch_one(
            con,
            f"SELECT sum(hours), sum(employees), sum(requests), count(*), max(snapshot_date) FROM covid_activite_partielle "
            f"WHERE {AP_WHERE} AND period = $month {terr}",
            {"sections": section_codes, "month": month, **({"code": cd} if cd and lv != "france" else {})},
        )
        out[key] = {
            "hours": row[0],
            "employees": row[1],
            "requests": row[2],
            "rows": row[3],
            "snapshot_date": row[4],
            "population": _population(con, lv, cd),
        }
    return out


def ap_series(con, level: str, code: str | None, section_codes: list[str], column: str) -> pd.DataFrame:
    assert column in {"hours", "employees", "requests"}
    terr = "" if level == "france" else "AND territory_code = $code"
    sel = fetch_df(
        con,
        f"SELECT period, sum({column}) AS value FROM covid_activite_partielle WHERE {AP_WHERE} {terr} GROUP BY 1",
        {"sections": section_codes, **({"code": code} if level != "france" else {})},
    )
    fr = fetch_df(
        con,
        f"SELECT period, sum({column}) AS france_value FROM covid_activite_partielle WHERE {AP_WHERE} GROUP BY 1",
        {"sections": section_codes},
    )
    df = fr.merge(sel, on="period", how="left").sort_values("period").reset_index(drop=True)
    df["cumulative"] = df["value"].cumsum()
    df["france_cumulative"] = df["france_value"].cumsum()
    return df


def ap_map_values(con, section_codes: list[str], month: str, column: str) -> pd.DataFrame:
    assert column in {"hours", "employees", "requests"}
    return fetch_df(
        con,
        f"""
        WITH v AS (SELECT territory_code, sum({column}) AS amount FROM covid_activite_partielle
                   WHERE {AP_WHERE} AND period = $month GROUP BY 1)
        SELECT g.region_code AS code, g.name, g.population, v.amount, v.amount / g.population AS per_inhabitant, {LABEL_POINT["region"]}
               rank() OVER (ORDER BY v.amount DESC NULLS LAST) AS rank_amount,
               rank() OVER (ORDER BY v.amount / g.population DESC NULLS LAST) AS rank_per_inhabitant, g.boundary_geojson
        FROM geo_regions g LEFT JOIN v ON v.territory_code = g.region_code
        WHERE g.boundary_geojson IS NOT NULL ORDER BY g.region_code""",
        {"sections": section_codes, "month": month},
    )


def ap_by_section(con, level: str, code: str | None, section_codes: list[str], month: str, column: str) -> pd.DataFrame:
    assert column in {"hours", "employees", "requests"}
    terr = "" if level == "france" else "AND territory_code = $code"
    return fetch_df(
        con,
        f"""SELECT a.nace17_code AS code, coalesce(r.label, a.nace17_code) AS label, sum(a.{column}) AS amount
                             FROM (SELECT * FROM covid_activite_partielle WHERE {AP_WHERE} AND period = $month {terr}) a
                             LEFT JOIN ref_nace17_sections r ON r.code = a.nace17_code
                             GROUP BY ALL ORDER BY amount DESC NULLS LAST""",
        {"sections": section_codes, "month": month, **({"code": code} if level != "france" else {})},
    )


def ap_rows(con, level: str, code: str | None, section_codes: list[str], month: str) -> pd.DataFrame:
    terr = "" if level == "france" else "AND territory_code = $code"
    return fetch_df(
        con,
        f"""SELECT a.territory_code AS code_region, g.name AS region, a.nace17_code AS section_a17, r.label AS libelle_section,
                                    a.period AS mois, a.requests AS demandes_deposees, a.employees AS salaries_concernes,
                                    a.hours AS heures_demandees, a.snapshot_date AS donnees_au
                             FROM (SELECT * FROM covid_activite_partielle WHERE {AP_WHERE} AND period = $month {terr}) a
                             LEFT JOIN geo_regions g ON g.region_code = a.territory_code
                             LEFT JOIN ref_nace17_sections r ON r.code = a.nace17_code
                             ORDER BY 1, 3""",
        {"sections": section_codes, "month": month, **({"code": code} if level != "france" else {})},
    )
