"""Territoires d'industrie: perimeter versions, indicators (labels, units, decimals), the profile's tabs and each indicator's source."""

from __future__ import annotations

VERSIONS = {2024: "2024 (183 territoires)", 2022: "2022 (149 territoires)", 2020: "2020 (148 territoires)"}


DEFAULT_VERSION = 2024


CENSUS_YEARS = (1999, 2006, 2011, 2016)


URSSAF_FIRST, URSSAF_LAST = 2014, 2024


MAX_COMPARED = 5


# id -> (French label, unit, decimals). Ranks: 1 = the highest value among the territories of the version.
INDICATORS = {
    "population": ("Population", "habitants", 0),
    "jobs_2024": ("Emploi salarié privé 2024", "emplois", 0),
    "jobs_2014": ("Emploi salarié privé 2014", "emplois", 0),
    "jobs_index": ("Emploi salarié privé, indice 2024 (2014 = 100)", "indice", 1),
    "census_jobs_2016": ("Emplois au lieu de travail 2016", "emplois", 0),
    "fabrication_2016": ("Emplois de la fonction « Fabrication » 2016", "emplois", 0),
    "fabrication_1999": ("Emplois de la fonction « Fabrication » 1999", "emplois", 0),
    "fabrication_pct_2016": ("Part de la fabrication dans l'emploi 2016", "%", 1),
    "fabrication_pct_1999": ("Part de la fabrication dans l'emploi 1999", "%", 1),
    "fabrication_pct_change": ("Évolution de la part de la fabrication 1999-2016", "points", 1),
    "establishments": ("Établissements 2014", "établissements", 0),
    "establishments_50": ("Établissements de 50 salariés ou plus 2014", "établissements", 0),
    "establishments_200": ("Établissements de 200 salariés ou plus 2014", "établissements", 0),
    "unemployment_pct": ("Taux de chômage (trimestre choisi)", "%", 1),
    "friches_laureates": ("Sites lauréats du Fonds friches", "sites", 0),
}


DEFAULT_INDICATOR = "jobs_index"


# The profile's tabs, in order (the page draws only the open one)
TABS = [
    "Emploi salarié privé",
    "Recensements",
    "Établissements",
    "Chômage",
    "Zone d'emploi",
    "Secteurs (APE)",
    "Soutien public",
    "Composition",
]


# The source of each indicator, named under the map that shows it
INDICATOR_SOURCES = {
    "population": "geo_decoupage_administratif_npm",
    "jobs": "urssaf_flores_ze2020_a38_ptod",
    "census": "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
    "fabrication": "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
    "establishments": "insee_etablissements_salaires_commune_2014",
    "unemployment": "insee_chomage_localise",
    "friches": "cerema_fonds_friches",
}


def indicator_sources(indicator: str) -> list[str]:
    """The perimeter file and the source of the indicator's figures."""
    return ["territoires-industrie", INDICATOR_SOURCES[indicator.split("_")[0]]]


# France's unemployment rate two ways: ours, the population-weighted mean of the zones d'emploi as for every unit
# (metropolitan zones only before 2014, overseas ones after), and the rate Insee publishes for the country
# (metropolitan France up to 2013, France without Mayotte from 2014; Insee's file ends in 2021)
FRANCE_RECONSTRUCTED = "France, reconstitution (zones d'emploi pondérées)"


FRANCE_INSEE = "France, taux publié par l'Insee"
