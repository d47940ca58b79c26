"""Geography: regions, departments, EPCI, communes (COG 2026), boundaries and zones d'emploi."""

from __future__ import annotations

import json

import pandas as pd

from observatoire import maps
from observatoire.pipeline import read as r
from observatoire.pipeline.errors import BuildError

DECOUPAGE = "geo_decoupage_administratif_npm"
DERIVED = "geo_communes_epci_derived"
CONTOURS = "geo_contours_etalab_dashboard"
APPARTENANCE = "geo_insee_appartenance_2023"


def _features(ctx, source_id: str, path: str, key: str, min_features: int) -> dict[str, str]:
    data = r.read_json(source_id, path, ctx.path(source_id, path))
    feats = data.get("features") if isinstance(data, dict) else None
    if not feats or len(feats) < min_features:
        raise BuildError(source_id, path, f"{len(feats or [])} entités GeoJSON, au moins {min_features} attendues.")
    out = {}
    for feat in feats:
        code = str(feat.get("properties", {}).get(key, ""))
        if not code:
            raise BuildError(source_id, path, f"une entité n'a pas de propriété « {key} ».")
        out[code] = json.dumps(feat["geometry"], separators=(",", ":"))
    return out


def load_decoupage(ctx) -> dict[str, pd.DataFrame]:
    sid = DECOUPAGE
    regions = pd.DataFrame(r.read_json(sid, "data/regions.json", ctx.path(sid, "data/regions.json")))
    regions = r.check_frame(
        sid, "data/regions.json", regions, {"code": "region_code", "nom": "name", "zone": "zone"}, min_rows=18
    )
    deps = pd.DataFrame(r.read_json(sid, "data/departements.json", ctx.path(sid, "data/departements.json")))
    deps = r.check_frame(
        sid,
        "data/departements.json",
        deps,
        {"code": "departement_code", "nom": "name", "region": "region_code", "zone": "zone"},
        min_rows=101,
    )
    communes_raw = pd.DataFrame(r.read_json(sid, "data/communes.json", ctx.path(sid, "data/communes.json")))
    communes_raw = r.check_frame(
        sid,
        "data/communes.json",
        communes_raw,
        {
            "code": "commune_code",
            "nom": "name",
            "type": "type",
            "departement": "departement_code",
            "region": "region_code",
            "zone": "zone",
            "siren": "commune_siren",
            "population": "population",
            "chefLieu": "chef_lieu",
            "commune": "parent",
            "anciensCodes": "old_codes",
        },
        min_rows=34000,
    )
    epci_raw = r.read_json(sid, "data/epci.json", ctx.path(sid, "data/epci.json"))
    ept_raw = r.read_json(sid, "data/ept.json", ctx.path(sid, "data/ept.json"))
    r.check_rows(sid, "data/epci.json", len(epci_raw), 1200)

    current = communes_raw[communes_raw["type"] == "commune-actuelle"].copy()
    current["commune_code"] = r.norm_commune(current["commune_code"], sid, "data/communes.json")
    membership = pd.DataFrame(
        [(e["code"], m["code"]) for e in epci_raw for m in e["membres"]], columns=["epci_siren", "commune_code"]
    )
    r.require_unique(membership, ["commune_code"], sid, "data/epci.json")
    current = current.merge(membership, on="commune_code", how="left")
    current["population"] = pd.to_numeric(current["population"], errors="coerce").astype("Int64")
    r.require_unique(current, ["commune_code"], sid, "data/communes.json")

    # Older codes (merged, delegated, associated communes; municipal arrondissements) -> current commune
    links = []
    for row in communes_raw.itertuples():
        if row.type in ("commune-deleguee", "commune-associee") and isinstance(row.chef_lieu, str):
            links.append((row.commune_code, row.chef_lieu, row.type))
        elif row.type == "arrondissement-municipal" and isinstance(row.parent, str):
            links.append((row.commune_code, row.parent, row.type))
        if row.type == "commune-actuelle" and isinstance(row.old_codes, list):
            links.extend((old, row.commune_code, "ancien-code") for old in row.old_codes)
    codes = pd.DataFrame(links, columns=["old_code", "commune_code", "kind"]).drop_duplicates(
        ["old_code", "commune_code"]
    )
    codes = codes[codes["old_code"] != codes["commune_code"]]

    epci = pd.DataFrame(
        [
            {
                "epci_siren": e["code"],
                "name": e["nom"],
                "nature": e["type"],
                "n_communes": len(e["membres"]),
                "population": e.get("populationMunicipale"),
                "population_totale": e.get("populationTotale"),
            }
            for e in epci_raw
        ]
    )
    epci["epci_siren"] = r.norm_siren(epci["epci_siren"], sid, "data/epci.json")
    ept = pd.DataFrame(
        [(e["code"], e["nom"], m["code"]) for e in ept_raw for m in e["membres"]],
        columns=["ept_siren", "ept_name", "commune_code"],
    )

    deps["departement_code"] = r.norm_departement(
        deps["departement_code"],
        sid,
        "data/departements.json",
        allow={"975", "977", "978", "984", "986", "987", "988", "989"},
    )
    pop_dep = current.groupby("departement_code")["population"].sum()
    deps["population"] = deps["departement_code"].map(pop_dep).astype("Int64")
    pop_reg = current.groupby("region_code")["population"].sum()
    regions["population"] = regions["region_code"].map(pop_reg).astype("Int64")
    return {"regions": regions, "departements": deps, "communes": current, "codes": codes, "epci": epci, "ept": ept}


def load(ctx) -> dict[str, pd.DataFrame]:
    base = load_decoupage(ctx)
    sid = DERIVED
    cent = r.read_csv(
        sid,
        "communes_centroides.csv",
        ctx.path(sid, "communes_centroides.csv"),
        {
            "code_insee": "commune_code",
            "longitude_centroide": "centroid_lon",
            "latitude_centroide": "centroid_lat",
            "longitude_mairie": "townhall_lon",
            "latitude_mairie": "townhall_lat",
        },
        min_rows=34000,
    )
    for c in ("centroid_lon", "centroid_lat", "townhall_lon", "townhall_lat"):
        cent[c] = r.to_number(cent[c], sid, "communes_centroides.csv", c)
    communes = base["communes"].merge(cent, on="commune_code", how="left")
    communes["source_id"] = DECOUPAGE

    ecent = r.read_csv(
        sid,
        "epci_centroides.csv",
        ctx.path(sid, "epci_centroides.csv"),
        {
            "siren_epci": "epci_siren",
            "nom": "long_name",
            "longitude_centroide": "centroid_lon",
            "latitude_centroide": "centroid_lat",
        },
        min_rows=1200,
    )
    for c in ("centroid_lon", "centroid_lat"):
        ecent[c] = r.to_number(ecent[c], sid, "epci_centroides.csv", c)
    shapes = _features(ctx, sid, "epci_contours_simplifies.geojson", "siren_epci", 1200)
    epci = base["epci"].merge(ecent, on="epci_siren", how="left")
    epci["boundary_geojson"] = epci["epci_siren"].map(shapes)
    epci["source_id"] = DECOUPAGE

    dep_shapes = _features(ctx, CONTOURS, "static-data/geodata/departements-1000m.geojson", "code", 101)
    reg_shapes = _features(ctx, CONTOURS, "static-data/geodata/regions-1000m.geojson", "code", 18)
    centers = r.read_json(
        CONTOURS, "static-data/geodata/centers.json", ctx.path(CONTOURS, "static-data/geodata/centers.json")
    )
    deps = base["departements"]
    deps["boundary_geojson"] = deps["departement_code"].map(dep_shapes)
    deps["label_lon"] = deps["departement_code"].map(lambda c: centers.get(f"DEP-{c}", [None, None])[0])
    deps["label_lat"] = deps["departement_code"].map(lambda c: centers.get(f"DEP-{c}", [None, None])[1])
    # a label point is where the department's marker is clicked: it must lie inside it. centers.json puts 54's in
    # Moselle and 971's in the sea; those take the centroid of the department's most populated commune instead.
    biggest = (
        communes.sort_values("population", ascending=False)
        .drop_duplicates("departement_code")
        .set_index("departement_code")
    )
    for i, row in deps.iterrows():
        geom = json.loads(row["boundary_geojson"]) if isinstance(row["boundary_geojson"], str) else None
        if geom and not (pd.notna(row["label_lon"]) and maps.contains(geom, row["label_lon"], row["label_lat"])):
            deps.loc[i, ["label_lon", "label_lat"]] = biggest.loc[
                row["departement_code"], ["centroid_lon", "centroid_lat"]
            ].to_numpy()
    deps["source_id"] = DECOUPAGE
    missing = sorted(set(dep_shapes) - set(deps["departement_code"]))
    if missing:
        raise BuildError(CONTOURS, "departements-1000m.geojson", f"départements inconnus du COG : {missing}.")
    regions = base["regions"]
    regions["boundary_geojson"] = regions["region_code"].map(reg_shapes)
    regions["source_id"] = DECOUPAGE

    sid = APPARTENANCE
    ze = r.read_excel(
        sid,
        "ZE2020_au_01-01-2023.xlsx",
        ctx.path(sid, "ZE2020_au_01-01-2023.xlsx"),
        "ZE2020",
        {"ZE2020": "ze_code", "LIBZE2020": "name", "NB_COM": "n_communes"},
        skiprows=5,
        min_rows=300,
    )
    ze["n_communes"] = r.to_number(ze["n_communes"], sid, "ZE2020", "NB_COM").astype("Int64")
    ze["source_id"] = sid
    ze_com = r.read_excel(
        sid,
        "ZE2020_au_01-01-2023.xlsx",
        ctx.path(sid, "ZE2020_au_01-01-2023.xlsx"),
        "Composition_communale",
        {"CODGEO": "commune_code", "ZE2020": "ze_code", "DEP": "departement_code", "REG": "region_code"},
        skiprows=5,
        min_rows=34000,
    )
    ze_com["commune_code"] = r.norm_commune(ze_com["commune_code"], sid, "ZE2020_au_01-01-2023.xlsx")
    ze_com["source_id"] = sid
    r.require_unique(ze_com, ["commune_code"], sid, "ZE2020_au_01-01-2023.xlsx")
    return {
        "geo_regions": regions,
        "geo_departements": deps,
        "geo_epci": epci,
        "geo_communes": communes,
        "geo_commune_codes": base["codes"],
        "geo_ept_communes": base["ept"],
        "geo_ze2020": ze,
        "geo_commune_ze2020": ze_com,
    }
