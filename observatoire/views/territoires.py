"""Territoires d'industrie's views: every table of a territory's profile, the comparison, all territories and
the ranking; most are taken from the parts the page caches (observatoire.recipes)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from observatoire import exports, fmt, profile_html
from observatoire.queries import territoires as ti
from observatoire.recipes import evaluate
from observatoire.views.base import PageViews, View


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
    return lambda v: exports.file_name("territoires", v["version"], v["territoire"], part)


def _version_file(part: str, more: Callable[[dict], list] = lambda v: []) -> Callable[[dict], str]:
    return lambda v: exports.file_name("territoires", v["version"], part, *more(v))


URSSAF, CENSUS, CHOMAGE, TI, COG = (
    "urssaf_flores_ze2020_a38_ptod",
    "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
    "insee_chomage_localise",
    "territoires-industrie",
    "geo_decoupage_administratif_npm",
)
# view: title, file name, sources
VIEW_TEXTS = {
    "profil": ("Indicateurs du territoire et de ses références", _territory_file("indicateurs"), (TI,)),
    "emploi": ("Emploi salarié privé 2014-2024", _territory_file("urssaf"), (URSSAF,)),
    "recensements": ("Emplois et fonction « Fabrication » 1999-2016", _territory_file("recensements"), (CENSUS,)),
    "chomage": ("Taux de chômage trimestriel", _territory_file("chomage"), (CHOMAGE,)),
    "etablissements": (
        "Établissements 2014 par taille, du territoire et de ses références",
        _territory_file("etablissements"),
        ("insee_etablissements_salaires_commune_2014", TI),
    ),
    "zones_urssaf_a5": ("Zones d'emploi du territoire : emploi industriel URSSAF", None, (URSSAF,)),
    "zones_estel": (
        "Zones d'emploi 2010 du territoire : part de l'industrie (Estel)",
        None,
        ("insee_estel_emploi_salarie_ze2010_a5_1998_2017",),
    ),
    "zones_urssaf_a38": ("Zones d'emploi du territoire : industrie manufacturière par secteur A38", None, (URSSAF,)),
    "ape": ("Détail par APE (zone de Rouen)", None, ("urssaf_etab_effectifs_commune_ape_ze_rouen",)),
    "friches": ("Sites lauréats du Fonds friches du territoire", None, ("cerema_fonds_friches",)),
    "dge": ("Projets industriels France Relance (DGE) du territoire", None, ("plan-de-relance",)),
    "soutien_departements": (
        "Contexte départemental : France Relance et aides Covid",
        None,
        ("france-relance-barometre", "aides_covid_etalab"),
    ),
    "membres": ("Membres du territoire", None, (TI, COG)),
    "communes": ("Communes du territoire", None, (TI, COG)),
    "comparaison": (
        "Comparaison de 2 à 5 territoires",
        _version_file("comparaison", lambda v: v.get("comparer", [])),
        (TI,),
    ),
    "comparaison_series": (
        "Séries des territoires comparés (emploi, chômage, recensements)",
        _version_file("comparaison-series", lambda v: v.get("comparer", [])),
        (URSSAF, CHOMAGE, CENSUS),
    ),
    "indicateurs": (
        "Tous les territoires de la version, tous les indicateurs",
        _version_file("tous-les-territoires"),
        (TI,),
    ),
    "classement": (
        "Classement des territoires (indicateur de la carte)",
        _version_file("classement", lambda v: [v["indicateur"]]),
        (TI,),
    ),
}

PAGE = PageViews(
    "territoires",
    "Territoires d'industrie",
    lambda con: ti.state_spec(con),
    territoires_resolve,
    territoires_describe,
    {
        # a profile table's file is named after its view
        view: View(view, title, file_name=name or _territory_file(view), sources=sources, **TERRITORY_VIEWS[view])
        for view, (title, name, sources) in VIEW_TEXTS.items()
    },
)
