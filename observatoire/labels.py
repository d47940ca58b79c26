"""French labels for every column and code a user sees."""
from __future__ import annotations

COLUMNS = {
    "source_id": "Source", "title": "Titre", "publisher": "Producteur", "licence": "Licence", "licence_url": "Lien licence",
    "url": "URL", "files": "Fichier(s)", "n_files": "Nombre de fichiers", "sha256": "Empreinte SHA-256", "rows_loaded": "Lignes chargées",
    "data_date": "Date des données", "loaded_at": "Chargée le", "status": "État", "origin": "Origine", "note": "Note",
    "table_name": "Table", "column_name": "Colonne", "data_type": "Type", "n_rows": "Lignes", "description": "Description",
    "region_code": "Code région", "departement_code": "Code département", "commune_code": "Code commune", "epci_siren": "SIREN EPCI",
    "territory_code": "Code territoire", "territory_name": "Territoire", "name": "Nom", "population": "Population",
    "scheme": "Dispositif", "level": "Niveau", "naf_section_code": "Section NAF", "naf_section": "Section NAF",
    "snapshot_date": "Date de l'instantané", "aid_count": "Nombre d'aides", "firm_count": "Nombre d'entreprises",
    "amount_eur": "Montant (€)", "version": "Version", "territory_id": "Identifiant territoire", "value": "Valeur",
    "dispositif": "Dispositif", "niveau": "Niveau", "code_territoire": "Code territoire", "territoire": "Territoire",
    "code_region": "Code région", "section_naf": "Section NAF", "libelle_section": "Libellé de la section",
    "date_instantane": "Date de l'instantané", "nombre": "Nombre", "nombre_entreprises": "Nombre d'entreprises",
    "montant_eur": "Montant (€)", "fichier_source": "Fichier source", "region": "Région", "section_a17": "Section A17",
    "mois": "Mois", "demandes_deposees": "Demandes déposées", "salaries_concernes": "Salariés concernés",
    "heures_demandees": "Heures demandées", "donnees_au": "Données au",
    "indicator_id": "Identifiant indicateur", "indicator": "Indicateur", "measure": "Mesure", "date": "Date", "unit": "Unité",
}

LEVELS = {"france": "France", "region": "Région", "departement": "Département", "epci": "EPCI", "commune": "Commune",
          "ze2020": "Zone d'emploi 2020"}

TABLE_DESCRIPTIONS = {
    "sources": "Une ligne par source du manifeste : producteur, licence, URL, empreinte, lignes, date des données.",
    "source_files": "Un fichier lu par la construction : origine (miroir, cache, téléchargement) et empreinte SHA-256.",
    "geo_regions": "Régions (COG 2026), population et contour simplifié.",
    "geo_departements": "Départements (COG 2026), population et contour simplifié.",
    "geo_epci": "EPCI à fiscalité propre (2026), population, centroïde et contour simplifié.",
    "geo_communes": "Communes (COG 2026) : département, région, EPCI, population, centroïde.",
    "geo_commune_codes": "Anciens codes communaux rattachés à la commune actuelle.",
    "geo_ept_communes": "Communes des établissements publics territoriaux du Grand Paris.",
    "geo_ze2020": "Zones d'emploi 2020.",
    "geo_commune_ze2020": "Commune → zone d'emploi 2020 (géographie au 01/01/2023).",
    "geo_commune_ze2010": "Commune → zone d'emploi 2010 (géographie au 01/01/2020).",
    "map_shapes": "Contours tels que les cartes nationales les dessinent (dérivés à la construction : outre-mer en médaillons, sommets simplifiés).",
    "ti_territories": "Territoires d'industrie par version de périmètre (2020, 2022, 2024).",
    "ti_members": "Membres (EPCI, EPT, communes) des territoires d'industrie, par version.",
    "ti_communes": "Communes 2026 de chaque territoire d'industrie, par version.",
    "covid_aid_snapshots": "Aides Covid : stocks cumulés par dispositif, territoire, section NAF et date d'instantané.",
    "covid_fds_breakdowns": "Fonds de solidarité par tranche d'effectif et catégorie juridique (24/06/2022).",
    "covid_activite_partielle": "Activité partielle : demandes, salariés, heures, par région ou département et section A17.",
    "covid_dashboard_kpis": "Indicateurs du tableau de bord DINUM (FDS tous volets compris), France, régions, départements.",
    "ref_naf_sections": "Sections NAF et libellés.", "ref_nace17_sections": "Sections NACE A17 et libellés.",
    "ref_naf": "Nomenclature NAF rév. 2 (sous-classe → section).",
    "relance_indicators": "Baromètre France Relance : indicateurs mensuels par département, région et France.",
    "relance_projects": "Projets industriels lauréats France Relance (DGE), si la liste est chargée.",
    "friches_sites": "Sites du Fonds friches (candidats et lauréats), avec coordonnées.",
    "emploi_fonctions_communes": "Emplois au lieu de travail par commune (RP 1999-2016), dont fonction Fabrication.",
    "chomage_rates": "Taux de chômage localisés trimestriels (départements, régions, zones d'emploi).",
    "estel_emploi_ze2010": "Emploi salarié Estel par zone d'emploi 2010 et secteur, 1998-2017.",
    "urssaf_emploi_series": "Emploi salarié privé URSSAF 2014-2024 par commune, EPCI, zone, département, région.",
    "urssaf_emploi_ze_secteurs": "Emploi salarié privé URSSAF par zone d'emploi 2020 et secteur (A38, A5).",
    "etablissements_communes_2014": "Établissements par tranche d'effectif salarié, par commune (2014).",
    "rp_secteurs_parts": "Parts de l'emploi au lieu de travail par secteur (RP 2022), EPCI, zones, départements, régions.",
    "urssaf_rouen_commune_ape": "Établissements et effectifs URSSAF par commune × APE, zone d'emploi de Rouen.",
}


def column(name: str) -> str:
    return COLUMNS.get(name, name)
