"""Territoires d'industrie: three perimeter versions, never mixed (ids are only unique within a version)."""

from __future__ import annotations

import json
import re

import pandas as pd

from observatoire.pipeline import read as r
from observatoire.pipeline.errors import BuildError

SID = "territoires-industrie"
V2024 = "phase2_183_anct_2024/ti_geom.geojson"
V2022 = "phase1_149_anct_datagouv/polygone-4326_ti.geojson"
V2020 = "phase1_148_communes_2020/terrind_communes_201013.derived.csv"
EXPECTED = {2024: 183, 2022: 149, 2020: 148}
MEMBER_RE = re.compile(r"^(.*) \(([0-9]{9})\)$")


def _member_type(siren: str, ept_sirens: set[str], default: str = "EPCI") -> str:
    if siren in ept_sirens:
        return "EPT"
    if siren.startswith("21"):
        return "commune"
    return default


def derive_members_2024(features: list[dict], ept_sirens: set[str]) -> pd.DataFrame:
    """One row per member of each 2024 territory, parsed from `liste_geo` ("Name (SIREN); …")."""
    rows = []
    for feat in features:
        p = feat["properties"]
        for item in p["liste_geo"].split("; "):
            m = MEMBER_RE.match(item.strip())
            if not m:
                raise BuildError(SID, V2024, f"membre illisible dans {p['id_territoire']} : « {item} ».")
            rows.append(
                (p["id_territoire"], p["lib_territoire"], m.group(2), m.group(1), _member_type(m.group(2), ept_sirens))
            )
    return pd.DataFrame(rows, columns=["id_ti", "lib_ti", "siren_groupement", "lib_groupement", "type_groupement"])


def derive_members_2022(features: list[dict]) -> pd.DataFrame:
    """One row per SIREN of each 2022 territory; the name only when the name list splits one-to-one."""
    rows = []
    for feat in features:
        p = feat["properties"]
        sirens = [s.strip() for s in str(p["siren_groupement"]).split(",")]
        names = [n.strip() for n in str(p.get("lib_groupement") or "").split(",")]
        for i, siren in enumerate(sirens):
            rows.append((p["id_ti"], p["lib_ti"], siren, names[i] if len(names) == len(sirens) else ""))
    return pd.DataFrame(rows, columns=["id_ti", "lib_ti", "siren_groupement", "lib_groupement_if_unambiguous"])


def _features(ctx, path: str, expected: int) -> list[dict]:
    data = r.read_json(SID, path, ctx.path(SID, path))
    feats = data.get("features", []) if isinstance(data, dict) else []
    if len(feats) != expected:
        raise BuildError(SID, path, f"{len(feats)} territoires, {expected} attendus.")
    return feats


def load(ctx) -> dict[str, pd.DataFrame]:
    geo = ctx.frames
    ept_sirens = set(geo["geo_ept_communes"]["ept_siren"])
    territories, members = [], []

    f24 = _features(ctx, V2024, EXPECTED[2024])
    m24 = derive_members_2024(f24, ept_sirens)
    territories.append(
        pd.DataFrame(
            {
                "version": 2024,
                "territory_id": [f["properties"]["id_territoire"] for f in f24],
                "name": [f["properties"]["lib_territoire"] for f in f24],
                "boundary_geojson": [json.dumps(f["geometry"], separators=(",", ":")) for f in f24],
            }
        )
    )
    members.append(
        pd.DataFrame(
            {
                "version": 2024,
                "territory_id": m24["id_ti"],
                "member_type": m24["type_groupement"],
                "member_code": m24["siren_groupement"],
                "member_name": m24["lib_groupement"],
            }
        )
    )

    f22 = _features(ctx, V2022, EXPECTED[2022])
    m22 = derive_members_2022(f22)
    m22["member_type"] = m22["siren_groupement"].map(lambda s: _member_type(s, ept_sirens))
    territories.append(
        pd.DataFrame(
            {
                "version": 2022,
                "territory_id": [f["properties"]["id_ti"] for f in f22],
                "name": [f["properties"]["lib_ti"] for f in f22],
                "boundary_geojson": [json.dumps(f["geometry"], separators=(",", ":")) for f in f22],
            }
        )
    )
    members.append(
        pd.DataFrame(
            {
                "version": 2022,
                "territory_id": m22["id_ti"],
                "member_type": m22["member_type"],
                "member_code": m22["siren_groupement"],
                "member_name": m22["lib_groupement_if_unambiguous"],
            }
        )
    )

    c20 = r.read_csv(
        SID,
        V2020,
        ctx.path(SID, V2020),
        {"code_commune": "commune_code", "code_terrind": "territory_id", "libelle_terrind": "name"},
        min_rows=15000,
    )
    c20["commune_code"] = r.norm_commune(c20["commune_code"], SID, V2020)
    t20 = c20.groupby("territory_id", as_index=False)["name"].first()
    if len(t20) != EXPECTED[2020]:
        raise BuildError(SID, V2020, f"{len(t20)} territoires, {EXPECTED[2020]} attendus.")
    t20["version"] = 2020
    t20["boundary_geojson"] = None  # the 2020 list has no polygons
    territories.append(t20)
    names20 = geo["geo_communes"].set_index("commune_code")["name"]
    members.append(
        pd.DataFrame(
            {
                "version": 2020,
                "territory_id": c20["territory_id"],
                "member_type": "commune",
                "member_code": c20["commune_code"],
                "member_name": c20["commune_code"].map(names20),
            }
        )
    )

    ti = pd.concat(territories, ignore_index=True)
    ti["region_code"] = ti["territory_id"].str.replace("ti-", "", regex=False).str[:2]
    mem = pd.concat(members, ignore_index=True)
    mem["source_id"] = SID
    r.require_unique(mem, ["version", "territory_id", "member_code"], SID, "membres")
    ti["n_members"] = (
        ti.set_index(["version", "territory_id"])
        .index.map(mem.groupby(["version", "territory_id"]).size())
        .astype("Int64")
    )
    ti["source_id"] = SID
    return {
        "ti_territories": ti,
        "ti_members": mem,
        "ti_communes": communes_of_members(mem, geo),
        "_derived_2024": m24,
        "_derived_2022": m22,
    }


def communes_of_members(mem: pd.DataFrame, geo: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Resolve every member to current (2026) communes: EPCI and EPT by composition, communes by SIREN or code."""
    communes = geo["geo_communes"]
    by_epci = communes[["epci_siren", "commune_code"]].dropna().rename(columns={"epci_siren": "member_code"})
    by_ept = geo["geo_ept_communes"][["ept_siren", "commune_code"]].rename(columns={"ept_siren": "member_code"})
    by_siren = communes[["commune_siren", "commune_code"]].dropna().rename(columns={"commune_siren": "member_code"})
    current = set(communes["commune_code"])
    old = geo["geo_commune_codes"][["old_code", "commune_code"]].rename(columns={"old_code": "member_code"})
    parts = []
    for kind, table, mask in (
        ("EPCI", by_epci, mem["member_type"] == "EPCI"),
        ("EPT", by_ept, mem["member_type"] == "EPT"),
        ("SIREN commune", by_siren, (mem["member_type"] == "commune") & (mem["version"] != 2020)),
    ):
        parts.append(mem[mask].merge(table, on="member_code").assign(via=kind))
    m20 = mem[mem["version"] == 2020]
    direct = m20[m20["member_code"].isin(current)].assign(commune_code=lambda d: d["member_code"], via="code commune")
    moved = m20[~m20["member_code"].isin(current)].merge(old, on="member_code").assign(via="code commune 2020 → 2026")
    parts += [direct, moved]
    out = pd.concat(parts, ignore_index=True)[["version", "territory_id", "commune_code", "via"]]
    out = out.drop_duplicates(["version", "territory_id", "commune_code"])
    out["source_id"] = SID
    return out
