"""The methods box: counts of every join across geographies, and its French text."""

from __future__ import annotations

from observatoire import fmt
from observatoire.db import fetch_one
from observatoire.queries.territoires.sql import CODE_MAP


def method_counts(con, version: int) -> dict:
    """Counts for the methods box: every join across geographies, and what does not match."""

    def one(sql, p=None):
        return fetch_one(con, sql, p)[0]

    mapped = f"WITH {CODE_MAP} "
    return {
        "members": one("SELECT count(*) FROM ti_members WHERE version = ?", [version]),
        "members_unmatched": one(
            """SELECT count(*) FROM ti_members m WHERE version = $v AND NOT EXISTS (
                                        SELECT 1 FROM ti_communes c WHERE c.version = $v AND c.territory_id = m.territory_id) """,
            {"v": version},
        ),
        "communes": one("SELECT count(*) FROM ti_communes WHERE version = ?", [version]),
        "communes_moved": one("SELECT count(*) FROM ti_communes WHERE version = ? AND via LIKE '%→%'", [version]),
        "list_codes_not_current": one(
            """SELECT count(*) FROM ti_members WHERE version = 2020 AND $v = 2020
                                         AND member_code NOT IN (SELECT commune_code FROM geo_communes)""",
            {"v": version},
        ),
        "census_codes_unmatched": one(
            mapped
            + """SELECT count(DISTINCT commune_code) FROM emploi_fonctions_communes
                                                  WHERE commune_code NOT IN (SELECT code FROM code_map)"""
        ),
        "census_codes_converted": one(
            mapped
            + """SELECT count(DISTINCT commune_code) FROM emploi_fonctions_communes
                                                  WHERE commune_code NOT IN (SELECT commune_code FROM geo_communes)"""
        ),
        "establishment_codes_unmatched": one(
            mapped
            + "SELECT count(*) FROM etablissements_communes_2014 WHERE commune_code NOT IN (SELECT code FROM code_map)"
        ),
        "establishment_codes_converted": one(
            "SELECT count(*) FROM etablissements_communes_2014 WHERE commune_code NOT IN (SELECT commune_code FROM geo_communes)"
        ),
        "urssaf_codes_unmatched": one(
            mapped
            + """SELECT count(DISTINCT territory_code) FROM urssaf_emploi_series
                                                  WHERE level = 'commune' AND territory_code NOT IN (SELECT code FROM code_map)"""
        ),
        "urssaf_codes_converted": one("""SELECT count(DISTINCT territory_code) FROM urssaf_emploi_series WHERE level = 'commune'
                                         AND territory_code NOT IN (SELECT commune_code FROM geo_communes)"""),
        "epci_members_not_in_urssaf": one(
            """SELECT count(*) FROM ti_members WHERE version = ? AND member_type = 'EPCI'
                                             AND member_code NOT IN (SELECT territory_code FROM urssaf_emploi_series WHERE level = 'epci')""",
            [version],
        ),
        "communes_without_ze": one(
            """SELECT count(*) FROM ti_communes t WHERE version = ?
                                      AND commune_code NOT IN (SELECT commune_code FROM geo_commune_ze2020)""",
            [version],
        ),
        "population_without_ze": one(
            """SELECT coalesce(sum(g.population), 0) FROM ti_communes t JOIN geo_communes g USING (commune_code)
                                        WHERE version = ? AND commune_code NOT IN (SELECT commune_code FROM geo_commune_ze2020)""",
            [version],
        ),
        "split_codes": one("""SELECT count(*) FROM (SELECT old_code FROM geo_commune_codes WHERE old_code NOT IN (SELECT commune_code FROM geo_communes)
                              GROUP BY 1 HAVING count(DISTINCT commune_code) > 1)"""),
    }


def methods(counts: dict, version: int, quarter: str) -> list[str]:
    """The methods box, in French: source, vintage and method of every indicator, and every join across years."""

    def n(v):
        return f"{v:,}".replace(",", "\u00a0")

    perimeter = (
        "Périmètre 2020 : liste de communes publiée en octobre 2020 (codes communaux de 2020, Signaux Faibles / ANCT). "
        f"Ces codes sont rattachés aux communes actuelles (COG 2026) : {n(counts['list_codes_not_current'])} codes de la liste ne sont plus "
        f"des communes actuelles (fusions), {n(counts['communes_moved'])} communes actuelles ont été ajoutées par ce rattachement ; "
        "une commune actuelle issue d'une fusion est comptée entière."
        if version == 2020
        else f"Périmètre {version} : liste des membres publiée par l'ANCT (EPCI par SIREN, établissements publics territoriaux du "
        "Grand Paris, communes par SIREN). Les communes des EPCI sont celles de 2026 (découpage administratif, COG 2026) : "
        "si un EPCI a changé de composition depuis la publication, c'est sa composition de 2026 qui compte."
    )
    return [
        perimeter
        + f" {n(counts['members'])} membres, {n(counts['communes'])} communes ; membres sans commune retrouvée : "
        f"{n(counts['members_unmatched'])}. Les identifiants ne sont jamais comparés d'une version à l'autre.",
        "Population : populations légales des communes (découpage administratif, millésime courant), sommées.",
        "Emploi salarié privé 2014-2024 : URSSAF (série publiée par le tableau de bord PTOD). Pour chaque EPCI membre, le total "
        f"publié de l'EPCI ; pour les autres communes (EPT, communes membres, périmètre 2020), la série communale, qui s'additionne "
        f"exactement au total France. EPCI membres absents de la série URSSAF : {n(counts['epci_members_not_in_urssaf'])} "
        f"(leurs communes passent par la série communale). {n(counts['urssaf_codes_converted'])} codes communaux URSSAF anciens "
        f"rattachés à la commune actuelle ; non rattachés : {n(counts['urssaf_codes_unmatched'])}. Département, région, France : "
        "totaux publiés.",
        "Emplois au lieu de travail et fonction « Fabrication » : Insee, analyse fonctionnelle des emplois, recensements 1999, "
        "2006, 2011, 2016, par commune (géographie de 2019/2020), sommés. "
        + (
            "Périmètre 2020 : jointure directe sur les codes de la liste (tous présents dans chaque fichier). "
            if version == 2020
            else f"Les {n(counts['census_codes_converted'])} codes qui ne sont plus des communes actuelles sont rattachés à leur commune actuelle ; "
        )
        + f"non rattachés : {n(counts['census_codes_unmatched'])} ; codes partagés entre plusieurs communes actuelles, attribués à la "
        f"première : {n(counts['split_codes'])}.",
        "Établissements par tranche d'effectif salarié (Insee, 2014, géographie 2014) : "
        f"{n(counts['establishment_codes_converted'])} communes de 2014 rattachées à leur commune actuelle ; non rattachées : "
        f"{n(counts['establishment_codes_unmatched'])}. 50 salariés ou plus = 50-99 + 100-199 + 200-499 + 500 et plus.",
        f"Taux de chômage (Insee, taux localisés trimestriels des zones d'emploi 2020, 2003-2023 ; trimestre affiché : {fmt.quarter(quarter)}) : "
        "moyenne des taux des zones d'emploi des communes du territoire, pondérée par la population actuelle des communes. "
        "Même calcul pour les départements, régions et la France, pour qu'ils se comparent (les taux officiels départementaux "
        f"s'arrêtent fin 2021). Communes du périmètre sans zone d'emploi (créées après 2023) : {n(counts['communes_without_ze'])}, "
        f"{n(counts['population_without_ze'])} habitants, laissées hors de la pondération.",
        "Contexte de zone d'emploi : Estel (zones d'emploi 2010, 1998-2017) et URSSAF A5/A38 (zones d'emploi 2020, 2019-2024). "
        "Ces chiffres décrivent les zones entières, pas le territoire.",
        "Détail par APE : extrait URSSAF commune × APE de la zone de Rouen seulement (2006-2022).",
        "Soutien public : sites lauréats du Fonds friches (Cerema, Cartofriches) situés dans les communes du territoire ; "
        "projets DGE France Relance quand la liste est chargée ; France Relance et aides Covid du ou des départements, "
        "donnés comme contexte départemental.",
        "Rang : 1 = valeur la plus élevée parmi tous les territoires de la version.",
    ]
