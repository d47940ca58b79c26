"""France Relance: barometer indicators over time, the DGE industrial project list (optional), Fonds friches sites."""

from __future__ import annotations

import re

import pandas as pd

from observatoire.pipeline import read as r
from observatoire.pipeline.errors import BuildError
from observatoire.queries.laureats import FRANCE

BAROMETRE = "france-relance-barometre"
DGE = "plan-de-relance"
FRICHES = "cerema_fonds_friches"
INDUSTRY_INDICATOR = "nb-entreprises-industrielles-agricoles"
DETAIL = {
    "mesure": "measure",
    "indicateur": "indicator",
    "id_indicateur": "indicator_id",
    "date": "date",
    "valeur": "value",
    "unite": "unit",
}


def load_barometre(ctx) -> dict[str, pd.DataFrame]:
    frames = []
    rel = "barometre-resultats-relance-emploi-economie-detail-national.csv"
    nat = r.read_csv(
        BAROMETRE, rel, ctx.path(BAROMETRE, rel), {**DETAIL, "maille_geographique": "territory_code"}, min_rows=200
    )
    nat["level"], nat["territory_code"], nat["_file"] = "france", FRANCE, rel
    frames.append(nat)
    rel = "barometre-resultats-relance-emploi-economie-detail-regional.csv"
    reg = r.read_csv(
        BAROMETRE, rel, ctx.path(BAROMETRE, rel), {**DETAIL, "code_region": "territory_code"}, min_rows=4000
    )
    reg["territory_code"] = r.norm_region(reg["territory_code"], BAROMETRE, rel)
    reg["level"], reg["_file"] = "region", rel
    frames.append(reg)
    deps = ctx.paths(BAROMETRE, lambda p: p.startswith("departements/detail/"))
    if len(deps) < 101:
        raise BuildError(BAROMETRE, "departements/detail/", f"{len(deps)} fichiers départementaux, 101 attendus.")
    for rel, path in deps:
        d = r.read_csv(BAROMETRE, rel, path, {**DETAIL, "code_departement": "territory_code"}, min_rows=150)
        d["territory_code"] = r.norm_departement(d["territory_code"], BAROMETRE, rel)
        expected = rel.rsplit("-", 1)[-1].removesuffix(".csv")
        if set(d["territory_code"]) != {expected}:
            raise BuildError(
                BAROMETRE, rel, f"le fichier du département {expected} contient {sorted(set(d['territory_code']))[:3]}."
            )
        d["level"], d["_file"] = "departement", rel
        frames.append(d)
    for f in frames:
        f["value"] = r.to_number(f["value"], BAROMETRE, f["_file"].iloc[0], "valeur")
    out = pd.concat(frames, ignore_index=True)
    out["date"] = pd.to_datetime(out["date"], format="%Y-%m-%d").dt.date
    out["source_id"] = BAROMETRE
    r.require_unique(out, ["level", "territory_code", "indicator_id", "date"], BAROMETRE, "", file_column="_file")
    if INDUSTRY_INDICATOR not in set(out["indicator_id"]):
        raise BuildError(BAROMETRE, "detail", f"indicateur {INDUSTRY_INDICATOR} absent.")
    check_barometre(out, ctx.frames["geo_departements"])
    return {"relance_indicators": out.drop(columns="_file")}


# Indicators whose department value can exceed its region's in the published files: a rate, and one count published
# that way (36 department values above their region's on 31/12/2022). Every other indicator is a count of firms or
# people, never above its region's, nor a region's above France's; a company with sites in several departments is
# counted in each, so it is the sum of departments, not each one, that may exceed the region.
NOT_NESTED = {
    "tx-entreprise-egalite-pro": "un taux (pourcentage), pas un effectif",
    "nombre-recrutements-jeunes": "36 valeurs départementales au-dessus de celle de leur région dans le fichier publié",
}


def check_barometre(out: pd.DataFrame, departements: pd.DataFrame) -> None:
    """Invariants a plausible-looking wrong file would break: no negative count, no part above its total."""
    r.require_non_negative(out, ["value"], BAROMETRE, "", file_column="_file")
    nested = out[~out["indicator_id"].isin(NOT_NESTED)]
    region_of = nested["territory_code"].map(dict(zip(departements["departement_code"], departements["region_code"])))
    r.require_within(
        nested, "value", ["indicator_id", "date"], "departement", "region", region_of, BAROMETRE, "_file", "région"
    )
    france = pd.Series(FRANCE, index=nested.index)
    r.require_within(nested, "value", ["indicator_id", "date"], "region", "france", france, BAROMETRE, "_file", "pays")


# --- DGE "plan-de-relance" list --------------------------------------------------------------------
DGE_COLUMNS = {
    "entreprise": "beneficiary",
    "type_entreprise": "company_type",
    "siren": "siren_raw",
    "volet_relance": "volet",
    "mesure": "measure",
    "nom_departement": "departement_name",
    "nom_commune": "commune_name",
    "code_postal": "postal_code",
    "coordonnees_gps": "gps",
    "description_projet": "description",
    "mesure_light": "measure_short",
    "mise_a_jour": "date",
    "filiere": "sector",
    "tonnes_equivalent_co2_pour_les_projets_decarbonation": "co2_t",
    "code_departement": "departement_code",
    "nom_region": "region_name",
}
OPTIONAL_AMOUNTS = {"montant_investissement": "investment_eur", "montant_participation_etat": "state_aid_eur"}
GPS_RE = re.compile(r"^\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*,\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*$")


def parse_dge_projects(path, label: str = "plan-de-relance.csv") -> pd.DataFrame:
    """Adapter for the official DGE export (data.economie.gouv.fr, 16 fields, frozen at 31/03/2022, no amounts):
    ';'-separated by default, ','-separated with a UTF-8 BOM when asked with delimiter=%2C; the separator is read off
    the header. Amount columns are read when present. `siren` holds a SIREN or a SIRET; `mise_a_jour` is the date of
    the publication batch, not an award date (kept as `date`, labelled as such)."""
    header = path.read_bytes()[:8192].decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    sep = ";" if header.count(";") >= header.count(",") else ","
    present = [c.strip().strip('"') for c in header.split(sep)]
    cols = {**DGE_COLUMNS, **{k: v for k, v in OPTIONAL_AMOUNTS.items() if k in present}}
    df = r.read_csv(DGE, label, path, cols, sep=sep, min_rows=1)
    df["sector"] = one_spelling(df["sector"])
    gps = df.pop("gps").fillna("").astype(str)
    parsed = gps.str.extract(GPS_RE)
    bad = gps[(gps.str.strip() != "") & parsed[0].isna()]
    if len(bad):
        raise BuildError(DGE, label, f"coordonnées GPS illisibles : {', '.join(repr(v) for v in bad.head(3))}.")
    df["lat"] = pd.to_numeric(parsed[0].str.replace(",", "."), errors="coerce")
    df["lon"] = pd.to_numeric(parsed[1].str.replace(",", "."), errors="coerce")
    out_of_range = df[(df["lat"].abs() > 90) | (df["lon"].abs() > 180)]
    if len(out_of_range):
        raise BuildError(DGE, label, f"{len(out_of_range)} coordonnées hors limites (latitude, longitude attendues).")
    ident = df.pop("siren_raw").fillna("").astype(str).str.replace(r"\s", "", regex=True)
    df["siren"] = ident.str[:9].where(ident.str.fullmatch(r"[0-9]{9}|[0-9]{14}"))
    df["siret"] = ident.where(ident.str.fullmatch(r"[0-9]{14}"))
    for c in ("investment_eur", "state_aid_eur"):
        df[c] = (
            r.to_number(df[c], DGE, label, c, thousands=" ", decimal=",")
            if c in df
            else pd.Series(pd.NA, index=df.index, dtype="Float64")
        )
    df["co2_t"] = r.to_number(df["co2_t"], DGE, label, "co2_t", thousands=" ", decimal=",")
    codes = df["departement_code"].fillna("").astype(str)
    df["departement_code"] = r.norm_departement(codes.where(codes != "", "ND"), DGE, label, allow={"ND"}).replace(
        "ND", None
    )
    df["date"] = pd.to_datetime(df["date"], errors="coerce").dt.date
    df["name"] = df["beneficiary"]
    df["commune_code"] = None  # the export has no INSEE code; matched by name and department below when possible
    df["project_id"] = range(1, len(df) + 1)
    df["source_id"] = DGE
    return df.drop(columns=["departement_name"])


def one_spelling(values: pd.Series) -> pd.Series:
    """Values that differ only by case or surrounding spaces (« Mode et luxe », « Mode et Luxe ») written one way: the
    most frequent spelling (the first in alphabetical order on a tie)."""
    text = values.fillna("").astype(str).str.strip()
    counts = text[text != ""].value_counts()
    best: dict[str, str] = {}
    for spelling, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        best.setdefault(spelling.casefold(), spelling)
    return text.map(lambda v: best.get(v.casefold(), v) if v else None)


def load_dge(ctx) -> dict[str, pd.DataFrame]:
    path = ctx.path(DGE, "plan-de-relance.csv")
    df = parse_dge_projects(path)
    communes = ctx.frames["geo_communes"][["commune_code", "name", "departement_code"]]
    key = communes.assign(k=communes["name"].str.lower() + "|" + communes["departement_code"]).drop_duplicates(
        "k", keep=False
    )
    df["commune_code"] = (df["commune_name"].fillna("").str.lower() + "|" + df["departement_code"].fillna("")).map(
        key.set_index("k")["commune_code"]
    )
    return {"relance_projects": df}


# --- Fonds friches -----------------------------------------------------------------------------------
FRICHES_FILE = "fonds_friches_sites.derived.csv"
FRICHES_COLUMNS = {
    "site_id": "site_id",
    "programme": "edition",
    "num_dossier": "dossier",
    "site_nom": "name",
    "comm_insee": "commune_code",
    "comm_nom": "commune_name",
    "dep": "departement_code",
    "lat": "lat",
    "lon": "lon",
    "site_surface": "surface_m2",
    "site_type": "site_type",
    "site_statut": "site_status",
    "ds_laureat_fv": "laureate_raw",
    "ds_intervention": "intervention",
    "ds_logique_intervention": "intervention_logic",
    "ds_mo_requal": "owner_type",
    "ds_nat_friche": "friche_nature",
    "ds_deficit": "deficit_eur",
}


def load_friches(ctx) -> dict[str, pd.DataFrame]:
    df = r.read_csv(FRICHES, FRICHES_FILE, ctx.path(FRICHES, FRICHES_FILE), FRICHES_COLUMNS, min_rows=3500)
    for c in ("lat", "lon", "surface_m2", "deficit_eur"):
        df[c] = r.to_number(df[c], FRICHES, FRICHES_FILE, c)
    df["commune_code"] = r.norm_commune(df["commune_code"], FRICHES, FRICHES_FILE)
    df["departement_code"] = r.norm_departement(df["departement_code"], FRICHES, FRICHES_FILE)
    df["laureate"] = df.pop("laureate_raw").map({"Oui": True, "Non": False})
    for c in ("site_type", "site_status", "intervention", "intervention_logic", "owner_type"):
        df[c] = r.clean_label(df[c])
    df["friche_nature"] = r.clean_label(df["friche_nature"], list_sep=",")  # a list: "A, B"
    communes = ctx.frames["geo_communes"].set_index("commune_code")["region_code"]
    deps = ctx.frames["geo_departements"].set_index("departement_code")["region_code"]
    df["region_code"] = df["departement_code"].map(deps).fillna(df["commune_code"].map(communes))
    df = df.replace({"": None})
    df["source_id"] = FRICHES
    r.require_unique(df, ["site_id"], FRICHES, FRICHES_FILE)
    return {"friches_sites": df}
