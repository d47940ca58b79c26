"""Aides Covid's views: the published rows, the series and the breakdown by section of the page's selection."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from observatoire import exports, fmt
from observatoire.queries import aides_covid as covid
from observatoire.views.base import PageViews, View

COVID_SOURCES = ("aides_covid_etalab", "geo_decoupage_administratif_npm")


def covid_resolve(con, v: dict) -> dict:
    v = dict(v)
    scheme = v["dispositif"]
    if v["niveau"] not in covid.levels_for(scheme):
        v["niveau"] = "france"
    if v["niveau"] == "france":
        v["territoire"] = None
    elif v["territoire"] is None:
        codes = covid.territories(con, v["niveau"], scheme)["code"].tolist()
        v["territoire"] = codes[0] if codes else None
    valid = set(covid.sections(con, scheme)["code"])
    v["sections"] = [s for s in v["sections"] if s in valid]
    available = covid.dates(con, scheme)
    if v["date"] not in available:
        v["date"] = available[0]
    return v


def covid_describe(v: dict) -> str:
    where = "France" if v["niveau"] == "france" else f"{covid.LEVELS[v['niveau']].lower()} {v['territoire']}"
    sections = "toutes sections" if not v["sections"] else "sections " + ", ".join(v["sections"])
    when = f"demandes de {fmt.month(v['date'])}" if v["dispositif"] == covid.AP else f"stock au {fmt.date(v['date'])}"
    return f"{covid.SCHEMES[v['dispositif']]}, {where}, {sections}, {when}."


def _covid_where(v: dict) -> str:
    return v["niveau"] if v["niveau"] == "france" else f"{v['niveau']}-{v['territoire']}"


def covid_rows(con, v: dict) -> pd.DataFrame:
    if v["dispositif"] == covid.AP:
        return covid.ap_rows(con, v["niveau"], v["territoire"], v["sections"], v["date"])
    return covid.rows(con, v["dispositif"], v["niveau"], v["territoire"], v["sections"], v["date"])


def covid_series(con, v: dict) -> pd.DataFrame:
    """The series' table: cumulative stocks and flows of the selection and of France (a measure of activité partielle
    by month)."""
    if v["dispositif"] == covid.AP:
        column, label = covid.AP_MEASURES[v["mesure"]]
        ser = covid.ap_series(con, v["niveau"], v["territoire"], v["sections"], column)
        ser["part"] = 100 * ser["value"] / ser["france_value"]
        return ser.assign(period=ser["period"].map(fmt.month)).rename(
            columns={
                "period": "Mois",
                "value": f"{label} – sélection",
                "france_value": f"{label} – France",
                "cumulative": "Cumul",
                "france_cumulative": "Cumul France",
                "part": "Part (%)",
            }
        )
    ser = covid.series(con, v["dispositif"], v["niveau"], v["territoire"], v["sections"])
    return ser[["snapshot_date", "amount", "flow", "france_amount", "france_flow"]].rename(
        columns={
            "snapshot_date": "Date de l'instantané",
            "amount": "Montant cumulé – sélection (€)",
            "flow": "Flux – sélection (€)",
            "france_amount": "Montant cumulé – France (€)",
            "france_flow": "Flux France (€)",
        }
    )


def covid_sections(con, v: dict) -> pd.DataFrame:
    """The breakdown by NAF section (A17 for activité partielle) at the chosen date."""
    if v["dispositif"] == covid.AP:
        column, label = covid.AP_MEASURES[v["mesure"]]
        bs = covid.ap_by_section(con, v["niveau"], v["territoire"], v["sections"], v["date"], column)
        unit = label
    else:
        bs = covid.by_section(con, v["dispositif"], v["niveau"], v["territoire"], v["sections"], v["date"])
        unit = "€"
    return bs[["code", "label", "amount"]].rename(
        columns={"code": "Section", "label": "Libellé", "amount": f"Valeur ({unit})"}
    )


def _covid_file(part: str) -> Callable[[dict], str]:
    def name(v: dict) -> str:
        return exports.file_name(
            "aides-covid", v["dispositif"], _covid_where(v), part, "-".join(v["sections"]), v["date"]
        )

    return name


PAGE = PageViews(
    "aides_covid",
    "Aides Covid",
    lambda con: covid.state_spec(con),
    covid_resolve,
    covid_describe,
    {
        "lignes": View("lignes", "Lignes publiées", covid_rows, _covid_file("lignes"), COVID_SOURCES),
        "serie": View(
            "serie", "Série de la sélection et de la France", covid_series, _covid_file("serie"), COVID_SOURCES
        ),
        "secteurs": View("secteurs", "Répartition par section", covid_sections, _covid_file("secteurs"), COVID_SOURCES),
    },
)
