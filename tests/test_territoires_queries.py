"""Territoires d'industrie: every indicator of three territories per version (one overseas) against independent reads
of the raw files (member lists, découpage administratif, URSSAF parquet, census CSV, establishments CSV, unemployment
and zone d'emploi workbooks). Nothing here goes through the build's loaders or the database's tables."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from observatoire.queries import territoires as q

TI = "territoires-industrie"
QUARTER = "2023-07-01"
CASES = {
    2024: ["ti-8401", "ti-7506", "ti-0101"],
    2022: ["ti-2806", "ti-8416", "ti-0201"],
    2020: ["8401", "2806", "0201"],
}
PARAMS = [(v, t) for v, ts in CASES.items() for t in ts]


class Raw:
    """The raw files, read once, with an independent commune-code conversion (découpage administratif)."""

    def __init__(self, mirror):
        self.mirror = mirror
        dec = mirror / "geo_decoupage_administratif_npm/data"
        communes = json.loads((dec / "communes.json").read_text())
        self.current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
        self.by_siren = {c["siren"]: c["code"] for c in self.current.values() if c.get("siren")}
        self.to_current = {code: code for code in self.current}
        for c in communes:  # old codes: listed on the current commune, or delegated/associated communes' chef-lieu
            if c["type"] == "commune-actuelle":
                for old in c.get("anciensCodes") or []:
                    self.to_current.setdefault(old, c["code"])
        for c in communes:
            if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu") in self.current:
                self.to_current.setdefault(c["code"], c["chefLieu"])
        self.epci = {e["code"]: [m["code"] for m in e["membres"]] for e in json.loads((dec / "epci.json").read_text())}
        self.ept = {e["code"]: [m["code"] for m in e["membres"]] for e in json.loads((dec / "ept.json").read_text())}
        self.urssaf = pd.read_parquet(mirror / "urssaf_flores_ze2020_a38_ptod/urssaf_serie_indice100.parquet")
        self._census: dict[int, dict[str, tuple[float, float]]] = {}
        self._members: dict[tuple, list[str]] = {}
        self.etab = pd.read_csv(
            mirror / "insee_etablissements_salaires_commune_2014/base_etablissement_par_tranche_effectif.csv", dtype=str
        )
        self.ze_rates = pd.read_excel(
            mirror / "insee_chomage_localise/chomage-zone-t1-2003-t3-2023.xlsx",
            sheet_name="txcho_ze",
            skiprows=5,
            dtype=str,
            engine="openpyxl",
        ).set_index("ZE2020")
        self.ze_of = pd.read_excel(
            mirror / "geo_insee_appartenance_2023/ZE2020_au_01-01-2023.xlsx",
            sheet_name="Composition_communale",
            skiprows=5,
            dtype=str,
            engine="openpyxl",
        ).set_index("CODGEO")["ZE2020"]

    # --- members and communes, per version --------------------------------------------------------------------
    def members(self, version: int, territory: str) -> list[str]:
        key = (version, territory)
        if key not in self._members:
            self._members[key] = self._read_members(version, territory)
        return self._members[key]

    def _read_members(self, version: int, territory: str) -> list[str]:
        if version == 2024:
            for f in json.loads((self.mirror / TI / "phase2_183_anct_2024/ti_geom.geojson").read_text())["features"]:
                if f["properties"]["id_territoire"] == territory:
                    return [i.rsplit("(", 1)[1].rstrip(")") for i in f["properties"]["liste_geo"].split("; ")]
        if version == 2022:
            for f in json.loads((self.mirror / TI / "phase1_149_anct_datagouv/polygone-4326_ti.geojson").read_text())[
                "features"
            ]:
                if f["properties"]["id_ti"] == territory:
                    return [s.strip() for s in f["properties"]["siren_groupement"].split(",")]
        if version == 2020:
            with open(
                self.mirror / TI / "phase1_148_communes_2020/terrind_communes_201013.derived.csv", encoding="utf-8"
            ) as fh:
                return [r["code_commune"] for r in csv.DictReader(fh) if r["code_terrind"] == territory]
        raise KeyError(territory)

    def epci_members(self, version: int, territory: str) -> list[str]:
        return [] if version == 2020 else [s for s in self.members(version, territory) if s in self.epci]

    def communes(self, version: int, territory: str) -> set[str]:
        """Current commune codes of the territory."""
        out = set()
        for m in self.members(version, territory):
            if version == 2020:
                out.add(self.to_current[m])
            elif m in self.epci:
                out.update(self.epci[m])
            elif m in self.ept:
                out.update(self.ept[m])
            else:
                out.add(self.by_siren[m])
        return out

    # --- indicators --------------------------------------------------------------------------------------------
    def population(self, version, territory) -> int:
        return sum(self.current[c].get("population") or 0 for c in self.communes(version, territory))

    def urssaf_jobs(self, version, territory, year) -> float:
        u = self.urssaf[self.urssaf["year"] == year]
        epci = u[u["echelon"] == "epci"].set_index("code")["eff_total"]
        members = [m for m in self.epci_members(version, territory) if m in epci.index]
        covered = {c for m in members for c in self.epci[m]}
        rest = self.communes(version, territory) - covered
        com = u[u["echelon"] == "communes"]
        return float(epci[members].sum()) + float(
            com.loc[com["code"].map(self.to_current).isin(rest), "eff_total"].sum()
        )

    def census(self, year: int) -> dict[str, tuple[float, float]]:
        if year not in self._census:
            path = (
                self.mirror
                / f"insee_analyse_fonctionnelle_emplois_communes_1999_2016/Analyse fonctionnelle - Données communales - {year}.csv"
            )
            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
            h = rows[10]
            yy = str(year)[2:]
            i_code, i_tot, i_fab = h.index("CODGEO"), h.index(f"ELT{yy}"), h.index(f"FABRIC{yy}")

            def num(s):
                return float(s.replace(",", "")) if s not in ("", "nd") else 0.0

            self._census[year] = {r[i_code]: (num(r[i_tot]), num(r[i_fab])) for r in rows[11:] if r}
        return self._census[year]

    def fabrication(self, version, territory, year) -> tuple[float, float]:
        data = self.census(year)
        if version == 2020:  # the 2020 list is in the census files' own codes
            codes = set(self.members(version, territory))
            picked = [v for k, v in data.items() if k in codes]
        else:
            communes = self.communes(version, territory)
            picked = [v for k, v in data.items() if self.to_current.get(k) in communes]
        return sum(v[0] for v in picked), sum(v[1] for v in picked)

    def establishments(self, version, territory) -> tuple[float, float, float]:
        df = self.etab.copy()
        df["code"] = df["CODGEO"].str.zfill(5)
        df = df[df["code"].map(self.to_current).isin(self.communes(version, territory))]

        def n(cols):
            return float(sum(df[c].astype(float).sum() for c in cols))

        return n(["E14TST"]), n(["E14TS50", "E14TS100", "E14TS200", "E14TS500"]), n(["E14TS200", "E14TS500"])

    def unemployment(self, version, territory, column="2023-T3") -> float:
        ze, comp = self.ze_rates[column].astype(float), self.ze_of
        num = den = 0.0
        for c in self.communes(version, territory):
            if c in comp.index:
                pop = self.current[c].get("population") or 0
                num += pop * ze[comp[c]]
                den += pop
        return num / den


@pytest.fixture(scope="module")
def raw(mirror):
    return Raw(mirror)


@pytest.fixture(scope="module")
def ind(con):
    return {v: q.indicators(con, v, QUARTER).set_index("code") for v in CASES}


@pytest.mark.parametrize("version,territory", PARAMS)
def test_population(ind, raw, version, territory):
    assert ind[version].loc[territory, "population"] == raw.population(version, territory)


@pytest.mark.parametrize("version,territory", PARAMS)
@pytest.mark.parametrize("year", [2014, 2024])
def test_urssaf_jobs(ind, raw, version, territory, year):
    assert ind[version].loc[territory, f"jobs_{year}"] == raw.urssaf_jobs(version, territory, year)


@pytest.mark.parametrize("version,territory", PARAMS)
@pytest.mark.parametrize("year", [1999, 2016])
def test_census_jobs_and_fabrication(ind, raw, version, territory, year):
    total, fab = raw.fabrication(version, territory, year)
    row = ind[version].loc[territory]
    assert (row[f"census_jobs_{year}"], row[f"fabrication_{year}"]) == (total, fab)
    assert row[f"fabrication_pct_{year}"] == pytest.approx(100 * fab / total)


@pytest.mark.parametrize("version,territory", PARAMS)
def test_establishments(ind, raw, version, territory):
    row = ind[version].loc[territory]
    assert (row["establishments"], row["establishments_50"], row["establishments_200"]) == raw.establishments(
        version, territory
    )


@pytest.mark.parametrize("version,territory", PARAMS)
def test_unemployment_one_quarter(ind, raw, version, territory):
    assert ind[version].loc[territory, "unemployment_pct"] == pytest.approx(
        raw.unemployment(version, territory), rel=1e-12
    )


@pytest.mark.parametrize("version", [2024, 2022])
@pytest.mark.parametrize("year", [2014, 2024])
def test_sum_over_territories_equals_sum_over_member_epci(con, raw, version, year):
    """URSSAF: the EPCI part summed over all territories = the raw URSSAF EPCI totals summed over all member EPCI."""
    t = q.urssaf_series(con, version)
    t = t[t["year"] == year]
    ids = q.territory_ids(con, version)
    u = raw.urssaf[(raw.urssaf["year"] == year) & (raw.urssaf["echelon"] == "epci")].set_index("code")["eff_total"]
    members = [m for tid in ids for m in raw.epci_members(version, tid) if m in u.index]
    assert t["jobs_from_epci"].sum() == u[members].sum()
    # and the population of all territories = the population of all their member communes, each counted once per territory
    pops = q.territories(con, version)["population"].sum()
    assert pops == sum(raw.population(version, tid) for tid in ids)


def test_reference_units_match_published_totals(con, raw):
    """France: URSSAF total as published, census and establishments summed over all communes equal the raw files' sums."""
    ref = q.indicators(con, None, QUARTER).set_index(["kind", "code"])
    fr = ref.loc[("france", "FR")]
    u = raw.urssaf[(raw.urssaf["echelon"] == "france")].set_index("year")["eff_total"]
    assert (fr["jobs_2014"], fr["jobs_2024"]) == (u[2014], u[2024])
    assert fr["fabrication_2016"] == sum(v[1] for v in raw.census(2016).values())
    assert fr["population"] == sum(c.get("population") or 0 for c in raw.current.values())


def test_ranks_are_within_the_version(con, ind):
    for version, df in ind.items():
        assert len(df) == {2024: 183, 2022: 149, 2020: 148}[version]
        top = df["jobs_2024"].idxmax()
        assert df.loc[top, "rank_jobs_2024"] == 1 and df["rank_jobs_2024"].max() <= len(df)


def test_method_counts_are_shown_and_consistent(con):
    for version in CASES:
        c = q.method_counts(con, version)
        assert (
            c["communes"] == con.execute("SELECT count(*) FROM ti_communes WHERE version = ?", [version]).fetchone()[0]
        )
        text = " ".join(q.methods(c, version, QUARTER))
        assert f"{c['communes']:,}".replace(",", "\u00a0") in text and "non rattach" in text


def test_profile_and_comparison_frames(con):
    p = q.profile(con, 2024, "ti-8401", QUARTER)
    assert set(p["references"]["kind"]) == {"departement", "region", "france"}
    assert p["table"].shape[0] == len(q.INDICATORS)
    assert p["urssaf"].query("kind == 'territoire' and year == 2014")["index_2014"].iloc[0] == 100
    # the series are cut from those of every unit: exactly the profile's units, with all their rows
    units = set(zip(p["units"]["kind"], p["units"]["code"]))
    assert {("departement", "07"), ("region", "84")} <= units
    for key in q.SERIES:  # region 84 is in, department 84 (Vaucluse) is not; beside France, Insee's own rate
        extra = {("insee", "FR")} if key == "unemployment" else set()
        assert set(zip(p[key]["kind"], p[key]["code"])) == units | extra
    every = q.unemployment_series(con, None)
    ardeche = every[(every["kind"] == "departement") & (every["code"] == "07")]
    assert (
        p["unemployment"].query("kind == 'departement' and code == '07'")["rate_pct"].tolist()
        == ardeche["rate_pct"].tolist()
    )
    c = q.comparison(con, 2022, ["ti-2806", "ti-8416", "ti-0201"], QUARTER)
    assert list(c["territories"]["code"]) == ["ti-2806", "ti-8416", "ti-0201"]
    assert set(c["urssaf"]["serie"]) == set(c["territories"]["name"]) | {"France"}
    assert set(c["unemployment"]["code"]) == {"ti-2806", "ti-8416", "ti-0201", "FR"}


@pytest.mark.parametrize("version", [*sorted({v for v, _ in PARAMS}), None])
def test_page_indicators_from_the_shared_series_equal_the_checked_ones(con, version):
    """The page builds the indicators from static_parts and the series of every unit it caches for the profile
    (unit_series); the tests above check static_indicators against the raw files: both must be the same frame."""
    pd.testing.assert_frame_equal(
        q.static_from(q.static_parts(con, version), q.unit_series(con, version), version),
        q.static_indicators(con, version),
    )


def test_france_unemployment_is_ours_beside_insee_own_rate(con, mirror):
    """France in the profile is our reconstruction, so labelled; Insee's national rate stands beside it, equal to the
    file's: metropolitan France to 2013, France without Mayotte from 2014."""
    import pandas as pd

    p = q.profile(con, 2024, "ti-8401", QUARTER)
    un = p["unemployment"]
    assert q.FRANCE_RECONSTRUCTED in set(un["serie"]) and "France" not in set(un["serie"])
    insee = un[un["serie"] == q.FRANCE_INSEE].set_index("quarter")["rate_pct"]
    raw = pd.read_excel(mirror / "insee_chomage_localise" / "chomage.xls", sheet_name="Région", header=3, dtype=str)
    row = {
        "FM": raw[raw["Libellé"].str.contains("METROPOLITAINE", na=False)].iloc[0],
        "FR": raw[raw["Libellé"].str.contains("HORS MAYOTTE", na=False)].iloc[0],
    }
    for quarter, rate in insee.items():
        q_ = pd.Timestamp(quarter)
        column = f"T{(q_.month - 1) // 3 + 1}_{q_.year}"
        which = "FM" if q_.year < 2014 else "FR"
        assert float(row[which][column]) == pytest.approx(rate), (quarter, which)
    assert len(insee) > 70
