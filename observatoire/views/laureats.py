"""Lauréats France Relance's views: the explorer's sites and projects, the departments' ranking and series."""

from __future__ import annotations

import pandas as pd

from observatoire import exports
from observatoire.queries import laureats as lq
from observatoire.views.base import PageViews, View


def laureats_resolve(con, v: dict) -> dict:
    v = dict(v)
    dates = lq.indicator_dates(con, v["indicateur"])
    if v["date"] not in dates:
        v["date"] = dates[0]
    return v


def laureats_describe(v: dict) -> str:
    chosen = [f"{label.lower()} : {', '.join(v[k])}" for k, (_, label) in lq.FACETS.items() if v.get(k)]
    search = [f"recherche « {v['q']} »"] if v.get("q") else []
    candidates = ["sites candidats compris"] if v.get("candidats") else ["lauréats seulement"]
    return "; ".join(chosen + search + candidates) + "."


def laureats_filters(v: dict) -> dict:
    return {k: list(v.get(k) or []) for k in lq.FACETS}


def laureats_rows(con, v: dict) -> pd.DataFrame:
    """The explorer's rows: every site or project the filters and the search select, never truncated."""
    rows = lq.explorer_rows(con, laureats_filters(v), v.get("q") or "", bool(v.get("candidats")))
    return rows[list(EXPLORER_COLUMNS)].rename(columns=EXPLORER_COLUMNS)


def laureats_ranking(con, v: dict) -> pd.DataFrame:
    """The departments ranked by the barometer indicator at the date (the map's table)."""
    shown = lq.departement_map(con, v["indicateur"], v["date"], v["carte"])
    values = shown["values"].sort_values(shown["rank_col"])
    ranking = values[["code", "name", "value", "population", "per_100k", "rank_value", "rank_per_100k"]].rename(
        columns={
            "code": "code_departement",
            "name": "departement",
            "value": "valeur",
            "per_100k": "pour_100000_habitants",
            "rank_value": "rang_valeur",
            "rank_per_100k": "rang_pour_100000",
        }
    )
    return ranking.assign(indicateur=v["indicateur"], date=v["date"]).reset_index(drop=True)


def laureats_series(con, v: dict) -> pd.DataFrame:
    """The indicator's series for the department, its region and France: one row per date, newest first."""
    ser = lq.series(con, v["indicateur"], v["departement"])
    wide = ser.pivot_table(index="date", columns="serie", values="value", sort=False)
    wide = wide[list(dict.fromkeys(ser["serie"]))].sort_index(ascending=False).reset_index()
    return wide.rename_axis(columns=None)


EXPLORER_COLUMNS = {
    "project_id": "identifiant",
    "measure": "mesure",
    "edition": "edition",
    "name": "nom",
    "beneficiary": "beneficiaire",
    "siren": "siren",
    "company_type": "type_porteur",
    "sector": "secteur",
    "commune_name": "commune",
    "commune_code": "commune_code",
    "departement_name": "departement",
    "region_name": "region",
    "ti_name": "territoire_industrie_2024",
    "laureate": "laureat",
    "investment_eur": "investissement_eur",
    "state_aid_eur": "aide_etat_eur",
    "declared_deficit_eur": "deficit_declare_eur",
    "site_type": "type_site",
    "intervention": "intervention",
    "lat": "lat",
    "lon": "lon",
    "source_id": "source",
}


PAGE = PageViews(
    "laureats",
    "Lauréats France Relance",
    lambda con: lq.state_spec(con),
    laureats_resolve,
    laureats_describe,
    {
        "lignes": View(
            "lignes",
            "Sites et projets de l'explorateur",
            laureats_rows,
            lambda v: exports.file_name(
                "laureats", "explorateur", *[x for k in lq.FACETS for x in v.get(k, [])][:4], v.get("q")
            ),
            ("cerema_fonds_friches", "plan-de-relance", "territoires-industrie"),
        ),
        "classement": View(
            "classement",
            "Classement des départements (indicateur du baromètre)",
            laureats_ranking,
            lambda v: exports.file_name("laureats", "indicateurs", v["indicateur"], v["carte"], v["date"]),
            ("france-relance-barometre", "geo_decoupage_administratif_npm"),
        ),
        "series": View(
            "series",
            "Séries du département, de sa région et de la France",
            laureats_series,
            lambda v: exports.file_name("laureats", "series", v["indicateur"], v["departement"]),
            ("france-relance-barometre",),
        ),
    },
)
