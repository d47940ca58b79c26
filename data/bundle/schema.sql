-- Observatoire database schema. Codes are text; every fact table carries source_id.
CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, publisher VARCHAR NOT NULL, licence VARCHAR NOT NULL,
    licence_url VARCHAR, url VARCHAR, files VARCHAR, n_files INTEGER, sha256 VARCHAR, rows_loaded BIGINT,
    data_date DATE, loaded_at TIMESTAMP, status VARCHAR NOT NULL, origin VARCHAR, note VARCHAR
);
CREATE TABLE source_files (
    source_id VARCHAR, path VARCHAR, url VARCHAR, origin VARCHAR, sha256 VARCHAR, expected_sha256 VARCHAR,
    sha256_ok BOOLEAN, bytes BIGINT, PRIMARY KEY (source_id, path)
);
-- Geography (COG 2026 unless said otherwise)
CREATE TABLE geo_regions (
    region_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, zone VARCHAR, population BIGINT,
    boundary_geojson VARCHAR, source_id VARCHAR NOT NULL
);
CREATE TABLE geo_departements (
    departement_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, region_code VARCHAR NOT NULL, zone VARCHAR,
    population BIGINT, label_lon DOUBLE, label_lat DOUBLE, boundary_geojson VARCHAR, source_id VARCHAR NOT NULL
);
CREATE TABLE geo_epci (
    epci_siren VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, long_name VARCHAR, nature VARCHAR, n_communes INTEGER,
    population BIGINT, population_totale BIGINT, centroid_lon DOUBLE, centroid_lat DOUBLE, boundary_geojson VARCHAR,
    source_id VARCHAR NOT NULL
);
CREATE TABLE geo_communes (
    commune_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, departement_code VARCHAR, region_code VARCHAR,
    epci_siren VARCHAR, commune_siren VARCHAR, zone VARCHAR, population BIGINT, centroid_lon DOUBLE, centroid_lat DOUBLE,
    townhall_lon DOUBLE, townhall_lat DOUBLE, source_id VARCHAR NOT NULL
);
CREATE TABLE geo_commune_codes (
    old_code VARCHAR, commune_code VARCHAR, kind VARCHAR, PRIMARY KEY (old_code, commune_code)
);
CREATE TABLE geo_ept_communes (
    ept_siren VARCHAR, ept_name VARCHAR, commune_code VARCHAR, PRIMARY KEY (ept_siren, commune_code)
);
CREATE TABLE geo_ze2020 (ze_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, n_communes INTEGER, source_id VARCHAR NOT NULL);
CREATE TABLE geo_commune_ze2020 (
    commune_code VARCHAR PRIMARY KEY, ze_code VARCHAR NOT NULL, departement_code VARCHAR, region_code VARCHAR,
    source_id VARCHAR NOT NULL
);
CREATE TABLE geo_commune_ze2010 (
    commune_code VARCHAR PRIMARY KEY, ze2010_code VARCHAR NOT NULL, ze2010_name VARCHAR, source_id VARCHAR NOT NULL
);
-- Territoires d'industrie: ids are only comparable within one version
CREATE TABLE ti_territories (
    version INTEGER, territory_id VARCHAR, name VARCHAR NOT NULL, region_code VARCHAR, n_members INTEGER,
    boundary_geojson VARCHAR, source_id VARCHAR NOT NULL, PRIMARY KEY (version, territory_id)
);
CREATE TABLE ti_members (
    version INTEGER, territory_id VARCHAR, member_type VARCHAR NOT NULL, member_code VARCHAR, member_name VARCHAR,
    source_id VARCHAR NOT NULL, PRIMARY KEY (version, territory_id, member_code)
);
CREATE TABLE ti_communes (
    version INTEGER, territory_id VARCHAR, commune_code VARCHAR, via VARCHAR, source_id VARCHAR NOT NULL,
    PRIMARY KEY (version, territory_id, commune_code)
);
-- Boundaries as national maps draw them (derived at build: overseas in insets, vertices on the national grid)
CREATE TABLE map_shapes (
    layer VARCHAR, code VARCHAR, geojson VARCHAR NOT NULL, source_id VARCHAR NOT NULL, PRIMARY KEY (layer, code)
);
-- Covid-19 aid: cumulative stocks at each snapshot date
CREATE TABLE covid_aid_snapshots (
    scheme VARCHAR, level VARCHAR, territory_code VARCHAR, region_code VARCHAR, naf_section_code VARCHAR,
    snapshot_date DATE, aid_count DOUBLE, firm_count DOUBLE, amount_eur DOUBLE, source_id VARCHAR NOT NULL,
    source_file VARCHAR, PRIMARY KEY (scheme, level, territory_code, naf_section_code, snapshot_date)
);
CREATE TABLE covid_fds_breakdowns (
    volet VARCHAR, level VARCHAR, territory_code VARCHAR, region_code VARCHAR, dimension VARCHAR, category_code VARCHAR,
    category_label VARCHAR, snapshot_date DATE, aid_count DOUBLE, firm_count DOUBLE, amount_eur DOUBLE,
    source_id VARCHAR NOT NULL, PRIMARY KEY (volet, level, territory_code, dimension, category_code)
);
CREATE TABLE covid_activite_partielle (
    dataset VARCHAR, level VARCHAR, territory_code VARCHAR, region_code VARCHAR, nace17_code VARCHAR, period VARCHAR,
    snapshot_date DATE, requests DOUBLE, employees DOUBLE, hours DOUBLE, establishments DOUBLE, source_id VARCHAR NOT NULL,
    PRIMARY KEY (dataset, level, territory_code, nace17_code, period, snapshot_date)
);
CREATE TABLE covid_dashboard_kpis (
    scheme VARCHAR, level VARCHAR, territory_code VARCHAR, snapshot_date DATE, amount_eur DOUBLE, aid_count DOUBLE,
    firm_count DOUBLE, source_id VARCHAR NOT NULL, PRIMARY KEY (scheme, level, territory_code, snapshot_date)
);
CREATE TABLE ref_naf_sections (code VARCHAR PRIMARY KEY, label VARCHAR NOT NULL);
CREATE TABLE ref_nace17_sections (code VARCHAR PRIMARY KEY, label VARCHAR NOT NULL);
CREATE TABLE ref_naf (
    subclass_code VARCHAR PRIMARY KEY, subclass_label VARCHAR, class_code VARCHAR, group_code VARCHAR,
    division_code VARCHAR, division_label VARCHAR, section_code VARCHAR, section_label VARCHAR, source_id VARCHAR NOT NULL
);
-- France Relance
CREATE TABLE relance_indicators (
    level VARCHAR, territory_code VARCHAR, indicator_id VARCHAR, measure VARCHAR, indicator VARCHAR, date DATE,
    value DOUBLE, unit VARCHAR, source_id VARCHAR NOT NULL, PRIMARY KEY (level, territory_code, indicator_id, date)
);
CREATE TABLE relance_projects (
    project_id INTEGER PRIMARY KEY, measure VARCHAR, measure_short VARCHAR, volet VARCHAR, name VARCHAR,
    beneficiary VARCHAR, siren VARCHAR, siret VARCHAR, company_type VARCHAR, sector VARCHAR, commune_name VARCHAR,
    postal_code VARCHAR, commune_code VARCHAR, departement_code VARCHAR, region_name VARCHAR, lat DOUBLE, lon DOUBLE,
    investment_eur DOUBLE, state_aid_eur DOUBLE, co2_t DOUBLE, description VARCHAR, date DATE, source_id VARCHAR NOT NULL
);
CREATE TABLE friches_sites (
    site_id VARCHAR PRIMARY KEY, edition VARCHAR, dossier VARCHAR, name VARCHAR, commune_code VARCHAR,
    commune_name VARCHAR, departement_code VARCHAR, region_code VARCHAR, lat DOUBLE, lon DOUBLE, surface_m2 DOUBLE,
    site_type VARCHAR, site_status VARCHAR, laureate BOOLEAN, intervention VARCHAR, intervention_logic VARCHAR,
    owner_type VARCHAR, friche_nature VARCHAR, deficit_eur DOUBLE, source_id VARCHAR NOT NULL
);
-- Employment and unemployment
CREATE TABLE emploi_fonctions_communes (
    commune_code VARCHAR, year INTEGER, jobs_total DOUBLE, jobs_fabrication DOUBLE, jobs_conception_recherche DOUBLE,
    jobs_gestion DOUBLE, jobs_entretien_reparation DOUBLE, jobs_logistique DOUBLE, source_id VARCHAR NOT NULL,
    PRIMARY KEY (commune_code, year)
);
CREATE TABLE chomage_rates (
    level VARCHAR, territory_code VARCHAR, territory_name VARCHAR, quarter DATE, rate_pct DOUBLE,
    source_id VARCHAR NOT NULL, PRIMARY KEY (level, territory_code, quarter)
);
CREATE TABLE estel_emploi_ze2010 (
    ze2010_code VARCHAR, ze2010_name VARCHAR, sector_code VARCHAR, year INTEGER, jobs DOUBLE,
    source_id VARCHAR NOT NULL, PRIMARY KEY (ze2010_code, sector_code, year)
);
CREATE TABLE urssaf_emploi_series (
    level VARCHAR, territory_code VARCHAR, year INTEGER, jobs DOUBLE, source_id VARCHAR NOT NULL,
    PRIMARY KEY (level, territory_code, year)
);
CREATE TABLE urssaf_emploi_ze_secteurs (
    ze_code VARCHAR, nomenclature VARCHAR, sector_code VARCHAR, sector_label VARCHAR, year INTEGER, jobs DOUBLE,
    source_id VARCHAR NOT NULL, PRIMARY KEY (ze_code, nomenclature, sector_code, year)
);
CREATE TABLE etablissements_communes_2014 (
    commune_code VARCHAR PRIMARY KEY, name VARCHAR, departement_code VARCHAR, total DOUBLE, size_unknown_or_0 DOUBLE,
    size_1_5 DOUBLE, size_6_9 DOUBLE, size_10_19 DOUBLE, size_20_49 DOUBLE, size_50_99 DOUBLE, size_100_199 DOUBLE,
    size_200_499 DOUBLE, size_500_plus DOUBLE, source_id VARCHAR NOT NULL
);
CREATE TABLE rp_secteurs_parts (
    level VARCHAR, code VARCHAR, name VARCHAR, epci_type VARCHAR, population_2022 DOUBLE, industry_pct_2022 DOUBLE,
    agriculture_pct_2022 DOUBLE, construction_pct_2022 DOUBLE, services_pct_2022 DOUBLE, public_pct_2022 DOUBLE,
    jobs_growth_pct_1122 DOUBLE, source_id VARCHAR NOT NULL, PRIMARY KEY (level, code)
);
CREATE TABLE urssaf_rouen_commune_ape (
    commune_code VARCHAR, epci_siren VARCHAR, ape_code VARCHAR, sector_gs VARCHAR, year INTEGER,
    establishments DOUBLE, jobs DOUBLE, source_id VARCHAR NOT NULL, PRIMARY KEY (commune_code, ape_code, year)
);
-- How this database file was made: 'sources' (python -m observatoire build) or 'bundle' (restored from data/bundle/)
CREATE TABLE build_info (kind VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL, detail VARCHAR);
-- What the last build changed in the data, when it accepted files whose checksum differs from the manifest
CREATE TABLE build_changes (
    table_name VARCHAR PRIMARY KEY, rows_before BIGINT, rows_after BIGINT, rows_added BIGINT, rows_removed BIGINT,
    rows_changed BIGINT, totals VARCHAR
);
