"""Employment and unemployment: Insee census functions, localised unemployment, Estel, URSSAF series,
establishments by size band, census sector shares, the URSSAF Rouen extract, and the NAF nomenclature."""

from __future__ import annotations

import pandas as pd

from observatoire.pipeline import read as r
from observatoire.pipeline.errors import BuildError

FONCTIONS = "insee_analyse_fonctionnelle_emplois_communes_1999_2016"
CHOMAGE = "insee_chomage_localise"
ESTEL = "insee_estel_emploi_salarie_ze2010_a5_1998_2017"
ETAB = "insee_etablissements_salaires_commune_2014"
RP = "insee_rp_emploi_secteurs_parts_epci_ze_dep_ptod"
URSSAF = "urssaf_flores_ze2020_a38_ptod"
ROUEN = "urssaf_etab_effectifs_commune_ape_ze_rouen"
NAF = "nomenclature_naf_rev2"

FUNCTION_COLUMNS = {
    "ELT": "jobs_total",
    "FABRIC": "jobs_fabrication",
    "CONREC": "jobs_conception_recherche",
    "GESTIO": "jobs_gestion",
    "ENTREP": "jobs_entretien_reparation",
    "LOGIST": "jobs_logistique",
}


def load_fonctions(ctx) -> dict[str, pd.DataFrame]:
    frames = []
    for year in (1999, 2006, 2011, 2016):
        rel = f"Analyse fonctionnelle - Données communales - {year}.csv"
        yy = str(year)[2:]
        cols = {"CODGEO": "commune_code", **{f"{k}{yy}": v for k, v in FUNCTION_COLUMNS.items()}}
        df = r.read_csv(FONCTIONS, rel, ctx.path(FONCTIONS, rel), cols, skiprows=10, min_rows=34000)
        df["commune_code"] = r.norm_commune(df["commune_code"], FONCTIONS, rel)
        for c in FUNCTION_COLUMNS.values():
            df[c] = r.to_number(df[c], FONCTIONS, rel, c, thousands=",")
        df["year"] = year
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["source_id"] = FONCTIONS
    r.require_unique(out, ["commune_code", "year"], FONCTIONS, "communes")
    return {"emploi_fonctions_communes": out}


def _quarter(label: str) -> str:
    # "T1_1982" or "2003-T1" -> first day of the quarter
    if label.startswith("T"):
        q, y = label[1], label.split("_")[1]
    else:
        y, q = label.split("-T")
    return f"{y}-{3 * (int(q) - 1) + 1:02d}-01"


def load_chomage(ctx) -> dict[str, pd.DataFrame]:
    frames = []
    rel = "chomage.xls"
    for sheet, level in (("Département", "departement"), ("Région", "region")):
        raw = r.excel(CHOMAGE, rel, ctx.path(CHOMAGE, rel), sheet, header=3)
        r.check_frame(CHOMAGE, f"{rel} ({sheet})", raw.copy(), {"Code": "Code", "Libellé": "Libellé"})
        raw = raw[raw["Code"].notna() & raw["Libellé"].notna()]
        quarters = [c for c in raw.columns if str(c).startswith("T") and "_" in str(c)]
        if len(quarters) < 150:
            raise BuildError(CHOMAGE, f"{rel} ({sheet})", f"{len(quarters)} trimestres lus, au moins 150 attendus.")
        long = raw.melt(id_vars=["Code", "Libellé"], value_vars=quarters, var_name="q", value_name="rate_pct")
        long = long.rename(columns={"Code": "territory_code", "Libellé": "territory_name"})
        if level == "departement":
            long["territory_code"] = r.norm_departement(long["territory_code"], CHOMAGE, rel)
        else:
            # two national rows share code 00: tell them apart
            long.loc[long["territory_name"].str.contains("METROPOLITAINE", na=False), "territory_code"] = "FM"
            long.loc[long["territory_name"].str.contains("HORS MAYOTTE", na=False), "territory_code"] = "FR"
            long.loc[long["territory_code"].isin(["FM", "FR"]), "level"] = "france"
            long["territory_code"] = long["territory_code"].where(
                long["territory_code"].isin(["FM", "FR"]),
                r.norm_region(
                    long["territory_code"].where(~long["territory_code"].isin(["FM", "FR"]), "11"), CHOMAGE, rel
                ),
            )
        long["level"] = long.get("level", pd.Series(index=long.index, dtype=object)).fillna(level)
        long["quarter"] = long.pop("q").map(_quarter)
        frames.append(long)
    rel = "chomage-zone-t1-2003-t3-2023.xlsx"
    ze = r.excel(CHOMAGE, rel, ctx.path(CHOMAGE, rel), "txcho_ze", skiprows=5)
    ze = r.check_frame(
        CHOMAGE,
        rel,
        ze,
        {c: c for c in ("ZE2020", "LIBZE2020")} | {c: c for c in ze.columns if "-T" in str(c)},
        min_rows=300,
    )
    long = ze.melt(id_vars=["ZE2020", "LIBZE2020"], var_name="q", value_name="rate_pct").rename(
        columns={"ZE2020": "territory_code", "LIBZE2020": "territory_name"}
    )
    long["quarter"] = long.pop("q").map(_quarter)
    long["level"] = "ze2020"
    frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out["rate_pct"] = r.to_number(out["rate_pct"].fillna(""), CHOMAGE, "taux", "taux")
    out = out[out["rate_pct"].notna()].copy()
    out["quarter"] = pd.to_datetime(out["quarter"]).dt.date
    out["source_id"] = CHOMAGE
    r.require_unique(out, ["level", "territory_code", "quarter"], CHOMAGE, "taux")
    return {"chomage_rates": out}


def load_estel(ctx) -> dict[str, pd.DataFrame]:
    rel = next(f.path for f in ctx.sources[ESTEL].files if "sectoriel" in f.path)
    path = ctx.path(ESTEL, rel)
    years = [str(y) for y in range(1998, 2018)]
    df = r.read_csv(
        ESTEL,
        rel,
        path,
        {"Zone_emploi": "zone", "Activite": "activity", **{y: y for y in years}},
        skiprows=5,
        min_rows=1900,
    )
    long = df.melt(id_vars=["zone", "activity"], var_name="year", value_name="jobs")
    long["jobs"] = r.to_number(long["jobs"], ESTEL, rel, "emplois", thousands=",")
    long["ze2010_code"] = long["zone"].str[:4]
    long["ze2010_name"] = long.pop("zone").str[5:]
    long["sector_code"] = long.pop("activity").str.split("-").str[0]
    long["year"] = long["year"].astype(int)
    long["source_id"] = ESTEL
    r.require_unique(long, ["ze2010_code", "sector_code", "year"], ESTEL, rel)
    rel = "ZE2010_comp.csv"
    comp = r.read_csv(
        ESTEL,
        rel,
        ctx.path(ESTEL, rel),
        {"CODGEO": "commune_code", "ZE2010": "ze2010_code", "LIBZE2010": "ze2010_name"},
        skiprows=5,
        min_rows=34000,
    )
    comp["commune_code"] = r.norm_commune(comp["commune_code"], ESTEL, rel)
    comp["source_id"] = ESTEL
    return {"estel_emploi_ze2010": long, "geo_commune_ze2010": comp}


def load_urssaf(ctx) -> dict[str, pd.DataFrame]:
    rel = "urssaf_serie_indice100.parquet"
    s = r.read_parquet(URSSAF, rel, ctx.path(URSSAF, rel))
    s = r.check_frame(
        URSSAF,
        rel,
        s,
        {"code": "territory_code", "echelon": "level", "year": "year", "eff_total": "jobs"},
        min_rows=400000,
    )
    levels = {
        "communes": "commune",
        "epci": "epci",
        "ze": "ze2020",
        "dep": "departement",
        "reg": "region",
        "france": "france",
    }
    s = s[s["level"].isin(levels)].copy()
    s["level"] = s["level"].map(levels)
    s["jobs"] = s["jobs"].astype("Float64")
    s["source_id"] = URSSAF
    r.require_unique(s, ["level", "territory_code", "year"], URSSAF, rel)
    r.require_non_negative(s, ["jobs"], URSSAF, rel)
    frames = []
    for rel, nomenclature, code_col in (
        ("exdeco_pivot_urssaf_a38.parquet", "a38", "a38"),
        ("exdeco_pivot_urssaf_a5.parquet", "a5", "a5"),
    ):
        p = r.read_parquet(URSSAF, rel, ctx.path(URSSAF, rel))
        p = r.check_frame(
            URSSAF,
            rel,
            p,
            {
                "code_ze": "ze_code",
                code_col: "sector_code",
                "lib": "sector_label",
                "eff_19": "2019",
                "eff_22": "2022",
                "eff_23": "2023",
                "eff_24": "2024",
            },
            min_rows=1000,
        )
        long = p.melt(id_vars=["ze_code", "sector_code", "sector_label"], var_name="year", value_name="jobs")
        long["year"] = long["year"].astype(int)
        long["jobs"] = long["jobs"].astype("Float64")
        long["nomenclature"] = nomenclature
        frames.append(long)
    z = pd.concat(frames, ignore_index=True)
    z["source_id"] = URSSAF
    r.require_unique(z, ["ze_code", "nomenclature", "sector_code", "year"], URSSAF, "secteurs")
    return {"urssaf_emploi_series": s, "urssaf_emploi_ze_secteurs": z}


ETAB_COLUMNS = {
    "CODGEO": "commune_code",
    "LIBGEO": "name",
    "DEP": "departement_code",
    "E14TST": "total",
    "E14TS0ND": "size_unknown_or_0",
    "E14TS1": "size_1_5",
    "E14TS6": "size_6_9",
    "E14TS10": "size_10_19",
    "E14TS20": "size_20_49",
    "E14TS50": "size_50_99",
    "E14TS100": "size_100_199",
    "E14TS200": "size_200_499",
    "E14TS500": "size_500_plus",
}


def load_etablissements(ctx) -> dict[str, pd.DataFrame]:
    rel = "base_etablissement_par_tranche_effectif.csv"
    df = r.read_csv(ETAB, rel, ctx.path(ETAB, rel), ETAB_COLUMNS, min_rows=36000)
    df["commune_code"] = r.norm_commune(df["commune_code"], ETAB, rel)  # leading zeros were stripped upstream
    df["departement_code"] = r.norm_departement(df["departement_code"], ETAB, rel)
    for c in list(ETAB_COLUMNS.values())[3:]:
        df[c] = r.to_number(df[c], ETAB, rel, c)
    df["source_id"] = ETAB
    r.require_unique(df, ["commune_code"], ETAB, rel)
    return {"etablissements_communes_2014": df}


RP_FILES = {"agg_epci_exdeco.json": "EPCI", "agg_ze.json": "ZE2020", "agg_dep.json": "DEP", "agg_reg.json": "REG"}
RP_DERIVED_COLUMNS = [
    "niveau",
    "code",
    "libelle",
    "type_epci",
    "regdep",
    "n_communes",
    "P22_POP",
    "P23_POP",
    "eco_sectagri_pct_22",
    "eco_sectindus_pct_22",
    "eco_sectconst_pct_11",
    "eco_sectconst_pct_16",
    "eco_sectconst_pct_22",
    "eco_sectservi_pct_11",
    "eco_sectservi_pct_16",
    "eco_sectservi_pct_22",
    "eco_sectadmin_pct_11",
    "eco_sectadmin_pct_16",
    "eco_sectadmin_pct_22",
    "eco_emp_vtcam_1116",
    "eco_emp_vtcam_1622",
    "eco_emp_vtcam_1122",
    "eco_sal_pct_22",
    "eco_nsal_pct_22",
    "eco_ratio_emplt_actoc_22",
    "eco_krugman_a5_11",
    "eco_krugman_a5_16",
    "eco_krugman_a5_22",
]


def derive_rp_parts(ctx) -> pd.DataFrame:
    """Flatten the four JSON files the way the mirror's rp_emploi_secteurs_parts.derived.csv does (00FR rows dropped)."""
    frames = []
    for rel, level in RP_FILES.items():
        data = r.read_json(RP, rel, ctx.path(RP, rel))
        if not isinstance(data, list) or len(data) < 10:
            raise BuildError(RP, rel, "liste JSON attendue.")
        df = pd.DataFrame(data)
        df = df[df["code"] != "00FR"].copy()
        df.insert(0, "niveau", level)
        frames.append(df.reindex(columns=RP_DERIVED_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def load_rp(ctx) -> dict[str, pd.DataFrame]:
    d = derive_rp_parts(ctx)
    out = pd.DataFrame(
        {
            "level": d["niveau"],
            "code": d["code"].astype(str),
            "name": d["libelle"],
            "epci_type": d["type_epci"],
            "population_2022": pd.to_numeric(d["P22_POP"]),
            "industry_pct_2022": pd.to_numeric(d["eco_sectindus_pct_22"]),
            "agriculture_pct_2022": pd.to_numeric(d["eco_sectagri_pct_22"]),
            "construction_pct_2022": pd.to_numeric(d["eco_sectconst_pct_22"]),
            "services_pct_2022": pd.to_numeric(d["eco_sectservi_pct_22"]),
            "public_pct_2022": pd.to_numeric(d["eco_sectadmin_pct_22"]),
            "jobs_growth_pct_1122": pd.to_numeric(d["eco_emp_vtcam_1122"]),
        }
    )
    out["source_id"] = RP
    r.require_unique(out, ["level", "code"], RP, "parts")
    return {"rp_secteurs_parts": out, "_derived_rp": d}


def load_rouen(ctx) -> dict[str, pd.DataFrame]:
    rel = "etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last.csv"
    years = range(2006, 2023)
    cols = {
        "Code commune": "commune_code",
        "Code EPCI": "epci_siren",
        "Code APE": "ape_code",
        "Grand secteur d'activité": "sector_gs",
    }
    for y in years:
        cols[f"Nombre d'établissements {y}"] = f"e_{y}"
        cols[f"Effectifs salariés {y}"] = f"j_{y}"
    df = r.read_csv(ROUEN, rel, ctx.path(ROUEN, rel), cols, sep=";", min_rows=9000)
    df["commune_code"] = r.norm_commune(df["commune_code"], ROUEN, rel)
    rows = []
    for y in years:
        part = df[["commune_code", "epci_siren", "ape_code", "sector_gs"]].copy()
        part["year"] = y
        part["establishments"] = r.to_number(df[f"e_{y}"], ROUEN, rel, f"e_{y}")
        part["jobs"] = r.to_number(df[f"j_{y}"], ROUEN, rel, f"j_{y}")
        rows.append(part[part["establishments"].notna() | part["jobs"].notna()])
    out = pd.concat(rows, ignore_index=True)
    out["source_id"] = ROUEN
    r.require_unique(out, ["commune_code", "ape_code", "year"], ROUEN, rel)
    return {"urssaf_rouen_commune_ape": out}


def load_naf(ctx) -> dict[str, pd.DataFrame]:
    data = r.read_json(NAF, "naf/db", ctx.path(NAF, "naf/db"))
    if not isinstance(data, dict) or len(data) < 700:
        raise BuildError(NAF, "naf/db", "nomenclature incomplète (au moins 700 sous-classes attendues).")
    rows = [
        {
            "subclass_code": v["code"].replace(".", ""),
            "subclass_label": v["description"],
            "class_code": v["classe"]["code"],
            "group_code": v["groupe"]["code"],
            "division_code": v["division"]["code"],
            "division_label": v["division"]["description"],
            "section_code": v["section"]["code"],
            "section_label": v["section"]["description"],
            "source_id": NAF,
        }
        for v in data.values()
    ]
    return {"ref_naf": pd.DataFrame(rows)}
