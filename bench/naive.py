"""The naive baseline: how most Streamlit dashboards are written. Read the raw files into pandas at start-up, then
filter and aggregate DataFrames in memory on every filter change (no database, no query cache). It computes the same
outputs as our pages for the same URL states (KPIs, series, map values, facets or profile), so times compare.

Scaled like our database: each big frame replicated k times, copies > 0 with perturbed territory codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd


def replicate(df: pd.DataFrame, scale: int, key_cols: list[str]) -> pd.DataFrame:
    if scale <= 1:
        return df
    parts = [df]
    for i in range(1, scale):
        part = df.copy()
        for c in key_cols:
            part[c] = part[c].astype(str) + f"~{i}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


class AidesCovid:
    FOLDERS = {
        "fds": ("fonds-solidarite", "fonds-solidarite-volet-1"),
        "fds_volet2": ("fonds-solidarite", "fonds-solidarite-volet-2"),
        "pge": ("pge", "pge"),
        "reports": ("reports-echeances", "reports-echeances"),
        "cpsti": ("cpsti", "cpsti"),
    }

    def __init__(self, mirror: Path, scale: int = 1):
        pub = mirror / "aides_covid_etalab" / "published-data"
        frames = []
        for scheme, (folder, stem) in self.FOLDERS.items():
            for path in sorted((pub / folder).glob(f"*/{stem}-*-naf-latest.csv")):
                df = pd.read_csv(path, dtype={"dep": str, "reg": str})
                df["scheme"] = scheme
                df["level"] = "departement" if "departemental" in path.name else "region"
                df["snapshot_date"] = path.parent.name[-10:]
                frames.append(df)
        data = pd.concat(frames, ignore_index=True)
        self.data = replicate(data, scale, ["dep", "reg"])
        ap = mirror / "aides_covid_etalab"
        self.ap = (
            pd.concat(
                [pd.read_csv(p, dtype=str) for p in sorted(ap.rglob("*activite-partielle*.csv"))], ignore_index=True
            )
            if list(ap.rglob("*activite-partielle*.csv"))
            else pd.DataFrame()
        )

    def run(self, s: dict) -> dict:
        scheme = s.get("dispositif", "fds")
        d = self.data[self.data["scheme"] == scheme]
        if not len(d):  # activité partielle: regional monthly file, filtered the same way
            a = self.ap
            return {"series": a.groupby(a.columns[0]).size()} if len(a) else {}
        sections = [x for x in s.get("sections", "").split(",") if x]
        if sections:
            d = d[d["code_section"].isin(sections)]
        level = s.get("niveau", "france")
        if level == "france":
            sel = d[d["level"] == "region"]
        else:
            col = "dep" if level == "departement" else "reg"
            sel = d[(d["level"] == level) & (d[col] == s.get("territoire"))]
        date = s.get("date") or d["snapshot_date"].max()
        at_date = sel[sel["snapshot_date"] == date]
        m = d[(d["snapshot_date"] == date) & (d["level"] == ("region" if level == "region" else "departement"))]
        by_code = m.groupby("dep" if level != "region" else "reg")["montant_total"].sum()
        return {
            "montant": at_date["montant_total"].sum(),
            "series": sel.groupby("snapshot_date")["montant_total"].sum().diff(),
            "map": by_code.rank(),
            "bars": at_date.groupby("code_section")["montant_total"].sum().sort_values(),
            "rows": at_date,
        }


class Laureats:
    def __init__(self, mirror: Path, scale: int = 1):
        friches = pd.read_csv(mirror / "cerema_fonds_friches/fonds_friches_sites.derived.csv", dtype=str)
        friches = friches[friches["programme"].fillna("").str.startswith("Fonds friches edition")]
        self.friches = replicate(friches, scale, ["site_id"])
        baro = pd.concat(
            [
                pd.read_csv(p, dtype={"code_departement": str})
                for p in sorted((mirror / "france-relance-barometre/departements/detail").glob("*.csv"))
            ],
            ignore_index=True,
        )
        self.baro = replicate(baro, scale, ["code_departement"])

    def run(self, s: dict) -> dict:
        f = self.friches
        if s.get("candidats") != "oui":
            f = f[f["ds_laureat_fv"] == "Oui"]
        if s.get("regions"):
            f = f[f["ds_libreg"] == s["regions"]]
        if s.get("editions"):
            f = f[f["programme"] == s["editions"]]
        if s.get("q"):
            f = f[
                f["site_nom"].str.contains(s["q"], case=False, na=False)
                | f["comm_nom"].str.contains(s["q"], case=False, na=False)
            ]
        out = {f"bars_{col}": f[col].value_counts() for col in ("programme", "ds_libreg", "dep", "site_type")}
        out["points"] = f[["lat", "lon"]].astype(float).dropna()
        out["rows"] = f
        # both tabs, as st.tabs does: every tab's content is computed on each run
        b = self.baro[self.baro["id_indicateur"] == s.get("indicateur", "nb-entreprises-industrielles-agricoles")]
        last = b[b["date"] == b["date"].max()]
        out["map"] = last.set_index("code_departement")["valeur"].rank(ascending=False)
        out["series"] = (
            b[b["code_departement"] == s.get("departement", "69")].sort_values("date").set_index("date")["valeur"]
        )
        return out


class Territoires:
    """Raw member lists, découpage administratif, URSSAF parquet, census CSVs, establishments CSV, unemployment and zone
    workbooks, in pandas. A filter change recomputes the chosen indicator for every territory of the version (the map)
    and the chosen territory's profile."""

    def __init__(self, mirror: Path, scale: int = 1):
        ti = mirror / "territoires-industrie"
        dec = mirror / "geo_decoupage_administratif_npm/data"
        communes = json.loads((dec / "communes.json").read_text())
        cur = [c for c in communes if c["type"] == "commune-actuelle"]
        self.pop = pd.DataFrame(
            {
                "commune": [c["code"] for c in cur],
                "population": [c.get("population") or 0 for c in cur],
                "siren": [c.get("siren") for c in cur],
                "dep": [c.get("departement") for c in cur],
            }
        )
        old = {o: c["code"] for c in cur for o in c.get("anciensCodes") or []}
        old.update(
            {
                c["code"]: c["chefLieu"]
                for c in communes
                if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu")
            }
        )
        self.to_current = {**old, **{c["code"]: c["code"] for c in cur}}
        epci = {e["code"]: [m["code"] for m in e["membres"]] for e in json.loads((dec / "epci.json").read_text())}
        ept = {e["code"]: [m["code"] for m in e["membres"]] for e in json.loads((dec / "ept.json").read_text())}
        by_siren = dict(zip(self.pop["siren"], self.pop["commune"]))
        rows = []
        for f in json.loads((ti / "phase2_183_anct_2024/ti_geom.geojson").read_text())["features"]:
            for m in (i.rsplit("(", 1)[1].rstrip(")") for i in f["properties"]["liste_geo"].split("; ")):
                rows += [
                    (2024, f["properties"]["id_territoire"], m, c)
                    for c in epci.get(m) or ept.get(m) or [by_siren.get(m)]
                ]
        for f in json.loads((ti / "phase1_149_anct_datagouv/polygone-4326_ti.geojson").read_text())["features"]:
            for m in (x.strip() for x in f["properties"]["siren_groupement"].split(",")):
                rows += [(2022, f["properties"]["id_ti"], m, c) for c in epci.get(m) or ept.get(m) or [by_siren.get(m)]]
        with open(ti / "phase1_148_communes_2020/terrind_communes_201013.derived.csv", encoding="utf-8") as fh:
            rows += [
                (2020, r["code_terrind"], r["code_commune"], self.to_current.get(r["code_commune"]))
                for r in csv.DictReader(fh)
            ]
        self.members = pd.DataFrame(rows, columns=["version", "territory", "member", "commune"]).dropna()
        u = pd.read_parquet(mirror / "urssaf_flores_ze2020_a38_ptod/urssaf_serie_indice100.parquet")
        self.urssaf = replicate(u, scale, ["code"])
        census = []
        for year in (1999, 2006, 2011, 2016):
            path = (
                mirror
                / f"insee_analyse_fonctionnelle_emplois_communes_1999_2016/Analyse fonctionnelle - Données communales - {year}.csv"
            )
            df = pd.read_csv(path, skiprows=10, dtype=str)
            yy = str(year)[2:]
            census.append(
                pd.DataFrame(
                    {
                        "commune": df["CODGEO"],
                        "year": year,
                        "jobs": pd.to_numeric(df[f"ELT{yy}"].str.replace(",", ""), errors="coerce"),
                        "fab": pd.to_numeric(df[f"FABRIC{yy}"].str.replace(",", ""), errors="coerce"),
                    }
                )
            )
        self.census = replicate(pd.concat(census, ignore_index=True), scale, ["commune"])
        etab = pd.read_csv(
            mirror / "insee_etablissements_salaires_commune_2014/base_etablissement_par_tranche_effectif.csv",
            dtype={"CODGEO": str},
        )
        etab["CODGEO"] = etab["CODGEO"].str.zfill(5)
        self.etab = replicate(etab, scale, ["CODGEO"])
        ze = pd.read_excel(
            mirror / "insee_chomage_localise/chomage-zone-t1-2003-t3-2023.xlsx",
            sheet_name="txcho_ze",
            skiprows=5,
            dtype={"ZE2020": str},
            engine="openpyxl",
        )  # what a dashboard gets by default today
        self.ze = replicate(ze, scale, ["ZE2020"])
        self.ze_of = pd.read_excel(
            mirror / "geo_insee_appartenance_2023/ZE2020_au_01-01-2023.xlsx",
            sheet_name="Composition_communale",
            skiprows=5,
            dtype=str,
            engine="openpyxl",
        )[["CODGEO", "ZE2020"]]

    def run(self, s: dict) -> dict:
        version = int(s.get("version", 2024))
        m = self.members[self.members["version"] == version]
        t = s.get("territoire")
        # the map: the indicator for every territory
        pop = m.merge(self.pop, on="commune").groupby("territory")["population"].sum()
        u = self.urssaf[(self.urssaf["echelon"] == "epci") & self.urssaf["year"].isin([2014, 2024])]
        jobs = m.merge(u, left_on="member", right_on="code").groupby(["territory", "year"])["eff_total"].sum().unstack()
        c = self.census.assign(commune=self.census["commune"].map(self.to_current))
        fab = m.merge(c, on="commune").groupby(["territory", "year"])[["jobs", "fab"]].sum()
        et = self.etab.assign(commune=self.etab["CODGEO"].map(self.to_current))
        est = m.merge(et, on="commune").groupby("territory")[["E14TST", "E14TS50", "E14TS200"]].sum()
        col = s.get("trimestre") or "2023-T3"
        col = col if col in self.ze.columns else "2023-T3"
        rates = (
            m.merge(self.pop, on="commune")
            .merge(self.ze_of, left_on="commune", right_on="CODGEO")
            .merge(self.ze[["ZE2020", col]], on="ZE2020")
        )
        rates["w"] = rates["population"] * pd.to_numeric(rates[col], errors="coerce")
        unemp = rates.groupby("territory")["w"].sum() / rates.groupby("territory")["population"].sum()
        table = pd.concat([pop.rank(), jobs.rank(), fab.rank(), est.rank(), unemp.rank()], axis=1)
        table.columns = [str(c) for c in table.columns]
        # the profile: the territory's series
        mine = m[m["territory"] == t]
        return {
            "map": table,
            "population": pop.get(t),
            "series": mine.merge(self.urssaf[self.urssaf["echelon"] == "epci"], left_on="member", right_on="code")
            .groupby("year")["eff_total"]
            .sum(),
            "census": mine.merge(c, on="commune").groupby("year")[["jobs", "fab"]].sum(),
        }


PAGES = {"aides_covid": AidesCovid, "laureats": Laureats, "territoires": Territoires}


def render(outputs: dict) -> None:
    """The naive page's rendering, as such dashboards do it: each output straight into a Streamlit element (every
    filtered row into the table and onto the map)."""
    import numpy as np
    import pydeck as pdk
    import streamlit as st

    for name, v in outputs.items():
        if v is None or isinstance(v, (int, float, np.number)):
            st.metric(name, v)
        elif name == "points":
            st.pydeck_chart(
                pdk.Deck(
                    layers=[pdk.Layer("ScatterplotLayer", v, get_position=["lon", "lat"], get_radius=2000)],
                    initial_view_state=pdk.ViewState(longitude=2.5, latitude=46.5, zoom=4.5),
                )
            )
        elif isinstance(v, pd.Series) and len(v) <= 500:
            st.bar_chart(v)
        else:
            st.dataframe(v)
