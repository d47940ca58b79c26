"""French labels for every column and code a user sees."""

from __future__ import annotations

COLUMNS = {
    # provenance and schema (Données)
    "source_id": "Source",
    "title": "Titre",
    "publisher": "Producteur",
    "licence": "Licence",
    "licence_url": "Lien licence",
    "url": "URL",
    "files": "Fichier(s)",
    "n_files": "Nombre de fichiers",
    "sha256": "Empreinte SHA-256",
    "rows_loaded": "Lignes chargées",
    "data_date": "Date des données",
    "loaded_at": "Chargée le",
    "status": "État",
    "origin": "Origine",
    "note": "Note",
    "table_name": "Table",
    "column_name": "Colonne",
    "data_type": "Type",
    "is_nullable": "Valeurs vides possibles",
    "n_rows": "Lignes",
    "n_rows_estimate": "Lignes (estimation)",
    "column_count": "Colonnes",
    "description": "Description",
    # places and codes
    "region_code": "Code région",
    "departement_code": "Code département",
    "commune_code": "Code commune",
    "code_commune": "Code commune",
    "code_departement": "Code département",
    "code_region": "Code région",
    "code_territoire": "Code territoire",
    "epci_siren": "SIREN EPCI",
    "siren_epci_2026": "SIREN de l'EPCI (2026)",
    "epci_2026": "EPCI (2026)",
    "siren_ou_code": "SIREN ou code du membre",
    "type_membre": "Type de membre",
    "rattachement": "Rattachement de la commune",
    "territory_code": "Code territoire",
    "territory_name": "Territoire",
    "territoire": "Territoire",
    "territory_id": "Identifiant territoire",
    "name": "Nom",
    "nom": "Nom",
    "commune": "Commune",
    "commune_name": "Commune",
    "departement": "Département",
    "departement_name": "Département",
    "region": "Région",
    "region_name": "Région",
    "population": "Population (habitants)",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "lat": "Latitude",
    "lon": "Longitude",
    "version": "Version du périmètre",
    "code_zone_emploi_2020": "Code zone d'emploi 2020",
    "zone_emploi_2020": "Zone d'emploi 2020",
    "code_zone_emploi_2010": "Code zone d'emploi 2010",
    "zone_emploi_2010": "Zone d'emploi 2010",
    "zones_emploi": "Zones d'emploi (nombre)",
    "part_population_territoire_pct": "Part de la population du territoire (%)",
    # Covid aid
    "scheme": "Dispositif",
    "dispositif": "Dispositif",
    "level": "Niveau",
    "niveau": "Niveau",
    "naf_section_code": "Section NAF",
    "naf_section": "Section NAF",
    "section_naf": "Section NAF",
    "section_a17": "Section A17",
    "libelle_section": "Libellé de la section",
    "snapshot_date": "Date de l'instantané",
    "date_instantane": "Date de l'instantané",
    "aid_count": "Nombre d'aides",
    "firm_count": "Nombre d'entreprises",
    "nombre": "Nombre d'aides",
    "nombre_entreprises": "Nombre d'entreprises",
    "amount_eur": "Montant (€)",
    "montant_eur": "Montant (€)",
    "fichier_source": "Fichier source",
    "mois": "Mois",
    "demandes_deposees": "Demandes déposées",
    "salaries_concernes": "Salariés concernés",
    "heures_demandees": "Heures demandées",
    "donnees_au": "Données au",
    # France Relance
    "indicator_id": "Identifiant indicateur",
    "indicator": "Indicateur",
    "indicateur": "Indicateur",
    "unite": "Unité",
    "unit": "Unité",
    "valeur": "Valeur",
    "value": "Valeur",
    "pour_100000_habitants": "Pour 100 000 habitants",
    "rang_valeur": "Rang (valeur)",
    "rang_pour_100000": "Rang (pour 100 000 habitants)",
    "measure": "Mesure",
    "mesure": "Mesure",
    "date": "Date",
    "project_id": "Identifiant",
    "identifiant": "Identifiant",
    "beneficiary": "Bénéficiaire",
    "beneficiaire": "Bénéficiaire",
    "siren": "SIREN",
    "company_type": "Type de porteur",
    "type_porteur": "Type de porteur",
    "sector": "Secteur / nature",
    "secteur": "Secteur / nature",
    "ti_name": "Territoire d'industrie 2024",
    "territoire_industrie_2024": "Territoire d'industrie 2024",
    "laureate": "Lauréat",
    "laureat": "Lauréat",
    "investment_eur": "Investissement (€)",
    "investissement_eur": "Investissement (€)",
    "state_aid_eur": "Aide de l'État (€)",
    "aide_etat_eur": "Aide de l'État (€)",
    "declared_deficit_eur": "Déficit déclaré (€)",
    "deficit_declare_eur": "Déficit déclaré (€)",
    "edition": "Édition",
    "site_type": "Type de site",
    "type_site": "Type de site",
    "intervention": "Intervention",
    "source": "Source",
    "identifiant_site": "Identifiant du site",
    "site": "Site",
    "surface_m2": "Surface (m²)",
    "type_proprietaire": "Type de propriétaire",
    # the DGE list's `mise_a_jour`: the batch in which the row was published, not the date of the award
    "dge_batch_date": "Lot de publication de la liste DGE (pas une date d'attribution)",
    # Territoires d'industrie: series and indicators
    "annee": "Année",
    "annee_recensement": "Année du recensement",
    "emploi_salarie_prive": "Emploi salarié privé (emplois)",
    "indice_2014_100": "Emploi salarié privé, indice (2014 = 100)",
    "emplois_lieu_travail": "Emplois au lieu de travail",
    "emplois_fabrication": "Emplois de la fonction « Fabrication »",
    "part_fabrication_pct": "Part de la fabrication dans l'emploi (%)",
    "trimestre": "Trimestre",
    "taux_chomage_pct": "Taux de chômage (%)",
    "population_ponderee": "Population des zones d'emploi pondérant le taux (habitants)",
    "emploi_industrie_a5_be": "Emploi industriel, A5 « BE » (emplois)",
    "emploi_salarie_prive_total": "Emploi salarié privé total (emplois)",
    "part_industrie_pct": "Part de l'industrie (%)",
    "code_a38": "Code A38",
    "secteur_a38": "Secteur A38",
    "emploi_2024": "Emploi salarié privé 2024 (emplois)",
    "emploi_industrie_be": "Emploi industriel, « BE » (emplois)",
    "emploi_total": "Emploi salarié total (emplois)",
    "code_ape": "Code APE",
    "libelle_ape": "Libellé APE",
    "etablissements": "Établissements",
    "effectifs": "Effectifs salariés",
    "etablissements_2014": "Établissements (2014)",
    "50_salaries_ou_plus": "Établissements de 50 salariés ou plus (2014)",
    "200_salaries_ou_plus": "Établissements de 200 salariés ou plus (2014)",
    "part_50_ou_plus_pour_mille": "Part des établissements de 50 salariés ou plus (‰)",
    "entreprises_aidees_investissement_industriel": "Entreprises aidées (investissement industriel, France Relance)",
    "date_barometre": "Date du baromètre",
    "fonds_solidarite_volet1_eur": "Fonds de solidarité, volet 1 (€)",
    "date_fds": "Date du fonds de solidarité",
    "pge_eur": "Prêts garantis par l'État (€)",
    "date_pge": "Date des PGE",
    "rang": "Rang",
    "jobs_2014": "Emploi salarié privé 2014 (emplois)",
    "jobs_2024": "Emploi salarié privé 2024 (emplois)",
    "jobs_index": "Emploi salarié privé, indice 2024 (2014 = 100)",
    "census_jobs_1999": "Emplois au lieu de travail 1999",
    "census_jobs_2016": "Emplois au lieu de travail 2016",
    "fabrication_1999": "Emplois de la fonction « Fabrication » 1999",
    "fabrication_2016": "Emplois de la fonction « Fabrication » 2016",
    "fabrication_pct_1999": "Part de la fabrication 1999 (%)",
    "fabrication_pct_2016": "Part de la fabrication 2016 (%)",
    "fabrication_pct_change": "Évolution de la part de la fabrication 1999-2016 (points)",
    "establishments": "Établissements (2014)",
    "establishments_50": "Établissements de 50 salariés ou plus (2014)",
    "establishments_200": "Établissements de 200 salariés ou plus (2014)",
    "friches_laureates": "Sites lauréats du Fonds friches",
    "unemployment_pct": "Taux de chômage (%)",
}
# Columns whose values are computed ratios, written with the decimals the pages show (everything else keeps the
# source's precision; whole numbers are written as integers).
DECIMALS = {
    "indice_2014_100": 1,
    "jobs_index": 1,
    "part_fabrication_pct": 1,
    "fabrication_pct_1999": 1,
    "fabrication_pct_2016": 1,
    "fabrication_pct_change": 1,
    "part_industrie_pct": 1,
    "part_population_territoire_pct": 1,
    "part_50_ou_plus_pour_mille": 1,
    "taux_chomage_pct": 1,
    "unemployment_pct": 1,
    "pour_100000_habitants": 1,
}
for _name in [
    c
    for c in COLUMNS
    if c.startswith(("jobs_", "census_", "fabrication", "establishments", "friches_", "unemployment"))
]:
    COLUMNS[f"rank_{_name}"] = f"Rang : {COLUMNS[_name][0].lower()}{COLUMNS[_name][1:]}"
COLUMNS["rank_population"] = "Rang : population"
# Code values shown by their French names
VALUES = {
    "dispositif": {
        "fds": "Fonds de solidarité (volet 1)",
        "fds_volet2": "Fonds de solidarité (volet 2)",
        "pge": "Prêts garantis par l'État",
        "reports": "Reports d'échéances fiscales et sociales",
        "cpsti": "Aide CPSTI (indépendants)",
        "activite_partielle": "Activité partielle",
    },
    "niveau": {"france": "France", "region": "Région", "departement": "Département"},
}
VALUES["scheme"], VALUES["level"] = VALUES["dispositif"], VALUES["niveau"]
# Headers the pages write in French directly (tables built for one view): part of the same vocabulary.
HEADERS = {
    "Identifiant",
    "Source",
    "Producteur",
    "État",
    "Données au",
    "Chargée le",
    "Code département",
    "Département",
    "sites lauréats",
    "Indicateur",
    "Unité",
    "Code",
    "Libellé",
    "Section",
    "Valeur (€)",
    "Cumul",
    "Cumul France",
    "Date de l'instantané",
    "Flux France (€)",
    "Flux – sélection (€)",
    "Heures demandées – France",
    "Heures demandées – sélection",
    "Mois",
    "Montant cumulé – France (€)",
    "Montant cumulé – sélection (€)",
    "Par habitant",
    "Part (%)",
    "Population",
    "Rang (par habitant)",
    "Rang (valeur)",
    "Territoire",
    "Valeur (Heures demandées)",
    "Nombre",
    "Région",
    "Type",
    "Table",
    "Lignes avant",
    "Lignes après",
    "Ajoutées",
    "Retirées",
    "Modifiées",
    "Totaux (avant → après)",
    "Colonne",
    "Type",
    "Valeurs vides possibles",
    "Nom du projet ou du site",
    # the data API's documentation (Données)
    "Page",
    "Chemin",
    "Contenu",
    "Exemple (filtres posés)",
    "Suffixe",
    "Paramètre",
    "Signification",
    "Valeurs possibles",
    "Plusieurs valeurs",
    "Par défaut",
    # the two France unemployment series of Territoires (queries.territoires)
    "France, reconstitution (zones d'emploi pondérées)",
    "France, taux publié par l'Insee",
}
# The vintage of every population used per inhabitant or as a weight: the communes of the COG 2026 package carry the
# populations légales in force on 1 January 2026 (Paris 2 103 778); Mayotte's are those of its 2017 census
# (256 518). Said beside each figure per inhabitant.
POPULATION_VINTAGE = (
    "Population : populations municipales légales 2023, en vigueur au 1er janvier 2026 (Insee) ; "
    "Mayotte : recensement de 2017."
)


def vocabulary() -> set[str]:
    """Every column name a user may read: the French labels, and the pages' own French headers."""
    return set(COLUMNS.values()) | HEADERS


def french(df):
    """A frame as users read it: French column labels (with units), code values by their French names, booleans as
    Oui/Non. Columns already in French pass unchanged."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        s = out[col]
        if col in VALUES:
            out[col] = s.map(lambda v, names=VALUES[col]: names.get(v, v))
        elif pd.api.types.is_bool_dtype(s) or (s.dtype == object and _holds_booleans(s)):
            out[col] = s.map(lambda v: None if v is None or v is pd.NA else ("Oui" if v else "Non"))
    return out.rename(columns=lambda c: COLUMNS.get(c, c))


def _holds_booleans(s) -> bool:
    """An object column of booleans (DuckDB's BOOLEAN with NULLs). Its first value rules out most columns at once:
    mapping `type` over 10,000 strings cost 4 ms of every Aides Covid rerun."""
    values = s.dropna()
    return len(values) > 0 and isinstance(values.iloc[0], bool) and values.map(type).eq(bool).all()


LEVELS = {
    "france": "France",
    "region": "Région",
    "departement": "Département",
    "epci": "EPCI",
    "commune": "Commune",
    "ze2020": "Zone d'emploi 2020",
}

TABLE_DESCRIPTIONS = {
    "sources": "Une ligne par source du manifeste : producteur, licence, URL, empreinte, lignes, date des données.",
    "build_info": "Comment cette base a été faite : construite depuis les sources, ou depuis le paquet de données du dépôt (empreinte de son manifeste).",
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
    "ref_naf_sections": "Sections NAF et libellés.",
    "ref_nace17_sections": "Sections NACE A17 et libellés.",
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
