"""The data views: each table a page offers to download, as a function of the page's state, used by the page's download
bar and by the data API (observatoire.api) alike, so both give the same rows.

A page's state is its URL parameters (observatoire.state); `resolve` fills in the values the page itself chooses when
the URL leaves them out (the first territory of a level, the latest date), as the page's widgets do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from observatoire import exports, fmt, profile_html
from observatoire.queries import aides_covid as covid
from observatoire.queries import donnees
from observatoire.queries import laureats as lq
from observatoire.queries import territoires as ti
from observatoire.recipes import evaluate


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


# --- Aides Covid -------------------------------------------------------------------------------------------------


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


# --- Lauréats France Relance --------------------------------------------------------------------------------------


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


# --- Territoires d'industrie --------------------------------------------------------------------------------------


def territoires_resolve(con, v: dict) -> dict:
    v = dict(v)
    if v["territoire"] is None:
        v["territoire"] = ti.territory_ids(con, v["version"])[0]
    if v["trimestre"] is None:
        v["trimestre"] = ti.quarters(con)[0]
    return v


def territoires_describe(v: dict) -> str:
    compared = f", comparé à {', '.join(v['comparer'])}" if v.get("comparer") else ""
    return (
        f"Périmètre {ti.VERSIONS[v['version']]}, territoire {v['territoire']}{compared}, "
        f"chômage au {fmt.quarter(v['trimestre'])}, carte : {ti.INDICATORS[v['indicateur']][0].lower()}."
    )


def _profile_recipe(v: dict):
    return ti.profile_recipe(v["version"], v["territoire"], v["trimestre"])


def _indicators_recipe(v: dict):
    return ti.indicators_recipe(v["version"], v["trimestre"])


def _comparison_recipe(v: dict):
    ids = list(v.get("comparer") or [])
    if len(ids) < 2:
        raise ValueError("comparer : choisissez au moins deux territoires")
    return ti.comparison_recipe(v["version"], ids, v["trimestre"])


def _territory_series(key: str) -> Callable:
    def finish(profile: dict, v: dict) -> pd.DataFrame:
        return profile_html.french(profile, key)

    finish.__doc__ = f"The territory's {key} series beside its departments, region and France."
    return finish


def _territories(values: pd.DataFrame) -> pd.DataFrame:
    return values[values["kind"] == "territoire"]


def indicators_frame(values: pd.DataFrame, version: int) -> pd.DataFrame:
    """Every territory of the version with all its indicators and ranks: the national table (`values`: the page's
    indicator rows, or ti.indicators')."""
    return (
        _territories(values)
        .drop(columns=["kind"], errors="ignore")
        .rename(columns={"code": "identifiant", "name": "territoire"})
        .assign(version=version)
        .reset_index(drop=True)
    )


def ranking_frame(values: pd.DataFrame, indicator: str, version: int) -> pd.DataFrame:
    """The territories ranked by one indicator (the map's table)."""
    label, unit, _ = ti.INDICATORS[indicator]
    ranking = _territories(values)[["code", "name", indicator, f"rank_{indicator}"]].sort_values(f"rank_{indicator}")
    ranking = ranking.rename(
        columns={"code": "identifiant", "name": "territoire", indicator: "valeur", f"rank_{indicator}": "rang"}
    )
    return ranking.assign(indicateur=label, unite=unit, version=version).reset_index(drop=True)


def establishments_frame(profile: dict) -> pd.DataFrame:
    """Establishments of 2014 by size, of the territory and of its references, with the share of 50 or more."""
    t = profile["territory"].iloc[0]
    rows = [t, *[row for _, row in profile["references"].iterrows()]]
    return pd.DataFrame(
        [
            {
                "territoire": r["name"],
                "etablissements_2014": r["establishments"],
                "50_salaries_ou_plus": r["establishments_50"],
                "200_salaries_ou_plus": r["establishments_200"],
                "part_50_ou_plus_pour_mille": 1000 * r["establishments_50"] / r["establishments"]
                if r["establishments"]
                else None,
            }
            for r in rows
        ]
    )


def comparison_series_frame(comparison: dict) -> pd.DataFrame:
    """The compared territories' three series, one after the other."""
    return pd.concat([profile_html.french(comparison, key) for key in ("urssaf", "unemployment", "census")])


def _from_recipe(recipe: Callable[[dict], object], finish: Callable[[object, dict], pd.DataFrame]) -> dict:
    """View fields for a view assembled from a recipe: `rows` computes it afresh."""

    def rows(con, v: dict) -> pd.DataFrame:
        return finish(evaluate(recipe(v), con), v)

    return {"rows": rows, "recipe": recipe, "finish": finish}


PROFILE_TABLES = {  # key in the profile: view name (and download name)
    "zone_urssaf": "zones_urssaf_a5",
    "zone_estel": "zones_estel",
    "zone_a38": "zones_urssaf_a38",
    "rouen": "ape",
    "friches": "friches",
    "dge": "dge",
    "support": "soutien_departements",
    "members": "membres",
    "communes": "communes",
}
PROFILE_TABLE_TITLES = {
    "zones_urssaf_a5": ("Zones d'emploi du territoire : emploi industriel URSSAF", ("urssaf_flores_ze2020_a38_ptod",)),
    "zones_estel": (
        "Zones d'emploi 2010 du territoire : part de l'industrie (Estel)",
        ("insee_estel_emploi_salarie_ze2010_a5_1998_2017",),
    ),
    "zones_urssaf_a38": (
        "Zones d'emploi du territoire : industrie manufacturière par secteur A38",
        ("urssaf_flores_ze2020_a38_ptod",),
    ),
    "ape": ("Détail par APE (zone de Rouen)", ("urssaf_etab_effectifs_commune_ape_ze_rouen",)),
    "friches": ("Sites lauréats du Fonds friches du territoire", ("cerema_fonds_friches",)),
    "dge": ("Projets industriels France Relance (DGE) du territoire", ("plan-de-relance",)),
    "soutien_departements": (
        "Contexte départemental : France Relance et aides Covid",
        ("france-relance-barometre", "aides_covid_etalab"),
    ),
    "membres": ("Membres du territoire", ("territoires-industrie", "geo_decoupage_administratif_npm")),
    "communes": ("Communes du territoire", ("territoires-industrie", "geo_decoupage_administratif_npm")),
}
TERRITORY_VIEWS = {
    "profil": _from_recipe(_profile_recipe, lambda p, v: p["table"]),
    "emploi": _from_recipe(_profile_recipe, _territory_series("urssaf")),
    "etablissements": _from_recipe(_profile_recipe, lambda p, v: establishments_frame(p)),
    "comparaison_series": _from_recipe(_comparison_recipe, lambda c, v: comparison_series_frame(c)),
    "recensements": _from_recipe(_profile_recipe, _territory_series("census")),
    "chomage": _from_recipe(_profile_recipe, _territory_series("unemployment")),
    "comparaison": _from_recipe(_comparison_recipe, lambda c, v: c["table"]),
    # the profile's other tables, each under the name of its download (key in the profile, view, file part)
    **{view: _from_recipe(_profile_recipe, _territory_series(key)) for key, view in PROFILE_TABLES.items()},
    "indicateurs": _from_recipe(_indicators_recipe, lambda values, v: indicators_frame(values, v["version"])),
    "classement": _from_recipe(
        _indicators_recipe, lambda values, v: ranking_frame(values, v["indicateur"], v["version"])
    ),
}


def _territory_file(part: str) -> Callable[[dict], str]:
    def name(v: dict) -> str:
        return exports.file_name("territoires", v["version"], v["territoire"], part)

    return name


# --- Données -----------------------------------------------------------------------------------------------------


def donnees_resolve(con, v: dict) -> dict:
    return dict(v)


def donnees_table(con, v: dict) -> pd.DataFrame:
    return donnees.whole_table(con, v["table"])


# --- the registry ------------------------------------------------------------------------------------------------

COVID_SOURCES = ("aides_covid_etalab", "geo_decoupage_administratif_npm")
PAGES: dict[str, PageViews] = {
    "aides_covid": PageViews(
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
            "secteurs": View(
                "secteurs", "Répartition par section", covid_sections, _covid_file("secteurs"), COVID_SOURCES
            ),
        },
    ),
    "laureats": PageViews(
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
    ),
    "territoires": PageViews(
        "territoires",
        "Territoires d'industrie",
        lambda con: ti.state_spec(con),
        territoires_resolve,
        territoires_describe,
        {
            "profil": View(
                "profil",
                "Indicateurs du territoire et de ses références",
                file_name=_territory_file("indicateurs"),
                sources=("territoires-industrie",),
                **TERRITORY_VIEWS["profil"],
            ),
            "emploi": View(
                "emploi",
                "Emploi salarié privé 2014-2024",
                file_name=_territory_file("urssaf"),
                sources=("urssaf_flores_ze2020_a38_ptod",),
                **TERRITORY_VIEWS["emploi"],
            ),
            "recensements": View(
                "recensements",
                "Emplois et fonction « Fabrication » 1999-2016",
                file_name=_territory_file("recensements"),
                sources=("insee_analyse_fonctionnelle_emplois_communes_1999_2016",),
                **TERRITORY_VIEWS["recensements"],
            ),
            "chomage": View(
                "chomage",
                "Taux de chômage trimestriel",
                file_name=_territory_file("chomage"),
                sources=("insee_chomage_localise",),
                **TERRITORY_VIEWS["chomage"],
            ),
            "etablissements": View(
                "etablissements",
                "Établissements 2014 par taille, du territoire et de ses références",
                file_name=_territory_file("etablissements"),
                sources=("insee_etablissements_salaires_commune_2014", "territoires-industrie"),
                **TERRITORY_VIEWS["etablissements"],
            ),
            **{
                view: View(
                    view,
                    title,
                    file_name=_territory_file(view),
                    sources=sources,
                    **TERRITORY_VIEWS[view],
                )
                for view, (title, sources) in PROFILE_TABLE_TITLES.items()
            },
            "comparaison": View(
                "comparaison",
                "Comparaison de 2 à 5 territoires",
                file_name=lambda v: exports.file_name(
                    "territoires", v["version"], "comparaison", *v.get("comparer", [])
                ),
                sources=("territoires-industrie",),
                **TERRITORY_VIEWS["comparaison"],
            ),
            "comparaison_series": View(
                "comparaison_series",
                "Séries des territoires comparés (emploi, chômage, recensements)",
                file_name=lambda v: exports.file_name(
                    "territoires", v["version"], "comparaison-series", *v.get("comparer", [])
                ),
                sources=(
                    "urssaf_flores_ze2020_a38_ptod",
                    "insee_chomage_localise",
                    "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
                ),
                **TERRITORY_VIEWS["comparaison_series"],
            ),
            "indicateurs": View(
                "indicateurs",
                "Tous les territoires de la version, tous les indicateurs",
                file_name=lambda v: exports.file_name("territoires", v["version"], "tous-les-territoires"),
                sources=("territoires-industrie",),
                **TERRITORY_VIEWS["indicateurs"],
            ),
            "classement": View(
                "classement",
                "Classement des territoires (indicateur de la carte)",
                file_name=lambda v: exports.file_name("territoires", v["version"], "classement", v["indicateur"]),
                sources=("territoires-industrie",),
                **TERRITORY_VIEWS["classement"],
            ),
        },
    ),
}
