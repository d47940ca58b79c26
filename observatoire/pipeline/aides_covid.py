"""Covid-19 business aid (DINUM dashboard): dated cumulative snapshots, FDS breakdowns, activité partielle."""

from __future__ import annotations

import re

import pandas as pd

from observatoire.pipeline import read as r
from observatoire.pipeline.errors import BuildError

SID = "aides_covid_etalab"
UNKNOWN = "ND"  # establishment's department or region not determined in the source
# Codes that are not in the COG but stand in a published file; kept as published, never remapped.
ODD_DEPARTEMENTS = {"958"}  # PGE 2020-04-24, one row with no region
DATE_RE = re.compile(r"(20[0-9]{2}-[01][0-9]-[0-3][0-9])")

# scheme -> (snapshot folder prefix, file stem, count column)
SCHEMES = {
    "fds": ("published-data/fonds-solidarite/", "fonds-solidarite-volet-1-{level}-naf-latest.csv", "nombre_aides"),
    "fds_volet2": (
        "published-data/fonds-solidarite/",
        "fonds-solidarite-volet-2-{level}-naf-latest.csv",
        "nombre_aides",
    ),
    "pge": ("published-data/pge/", "pge-{level}-naf-latest.csv", "nombre_pge"),
    "reports": ("published-data/reports-echeances/", "reports-echeances-{level}-naf-latest.csv", "nombre_reports"),
    "cpsti": ("published-data/cpsti/", "cpsti-{level}-naf-latest.csv", "nombre_beneficiaires"),
}
LEVELS = {"departemental": "departement", "regional": "region"}
# Published rows per snapshot are a few hundred to ~1,800; fewer than this means a truncated file.
MIN_ROWS = {"departement": 900, "region": 90}


def _snapshot_date(path: str) -> str:
    m = DATE_RE.search(path)
    if not m:
        raise BuildError(SID, path, "date d'instantané introuvable dans le chemin.")
    return m.group(1)


def _territory(df: pd.DataFrame, level: str, label: str) -> pd.DataFrame:
    df["region_code"] = df["region_code"].replace("", UNKNOWN)
    df["region_code"] = r.norm_region(df["region_code"], SID, label, allow={UNKNOWN, "99"})
    if level == "departement":
        df["territory_code"] = r.norm_departement(
            df["departement_code"].replace("", UNKNOWN), SID, label, allow={UNKNOWN} | ODD_DEPARTEMENTS
        )
    else:
        df["territory_code"] = df["region_code"]
    return df


def read_naf_file(path, label: str, scheme: str, level: str) -> pd.DataFrame:
    count_col = SCHEMES[scheme][2]
    cols = {
        count_col: "aid_count",
        "montant_total": "amount_eur",
        "reg": "region_code",
        "code_section": "naf_section_code",
    }
    if level == "departement":
        cols["dep"] = "departement_code"
    # nombre_entreprises only exists in FDS files from 2021-01: read it when the header has it
    header = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    if "nombre_entreprises" in header.split(","):
        cols["nombre_entreprises"] = "firm_count"
    df = r.read_csv(SID, label, path, cols, min_rows=MIN_ROWS[level])
    df = _territory(df, level, label)
    for c in ("aid_count", "amount_eur", "firm_count"):
        if c in df:
            df[c] = r.to_number(df[c], SID, label, c)
    if "firm_count" not in df:
        df["firm_count"] = pd.Series(pd.NA, index=df.index, dtype="Float64")
    df["naf_section_code"] = df["naf_section_code"].replace("", UNKNOWN)
    df["scheme"], df["level"] = scheme, level
    return df[
        [
            "scheme",
            "level",
            "territory_code",
            "region_code",
            "naf_section_code",
            "aid_count",
            "firm_count",
            "amount_eur",
        ]
    ]


def load(ctx) -> dict[str, pd.DataFrame]:
    frames = []
    for scheme, (folder, stem, _) in SCHEMES.items():
        for raw_level, level in LEVELS.items():
            name = stem.format(level=raw_level)
            snaps = ctx.paths(SID, lambda p, f=folder, n=name: p.startswith(f) and p.endswith("/" + n))
            for rel, path in snaps:
                df = read_naf_file(path, rel, scheme, level)
                df["snapshot_date"] = _snapshot_date(rel)
                df["source_file"] = rel
                frames.append(df)
            latest_rel = "published-data/" + name
            if latest_rel not in ctx.sources[SID].by_path:
                continue
            latest = read_naf_file(ctx.path(SID, latest_rel), latest_rel, scheme, level)
            if snaps:
                last = frames[-1]
                if not (len(last) == len(latest) and abs(last["amount_eur"].sum() - latest["amount_eur"].sum()) < 0.5):
                    raise BuildError(SID, latest_rel, f"ne correspond pas au dernier instantané {snaps[-1][0]}.")
            else:  # CPSTI regional is only published as "latest"
                dates = r.read_csv(SID, latest_rel, ctx.path(SID, latest_rel), {"date_maj": "date_maj"})[
                    "date_maj"
                ].unique()
                if len(dates) != 1:
                    raise BuildError(SID, latest_rel, f"plusieurs dates de mise à jour : {list(dates)[:3]}.")
                latest["snapshot_date"] = dates[0]
                latest["source_file"] = latest_rel
                frames.append(latest)
    snapshots = pd.concat(frames, ignore_index=True)
    snapshots["snapshot_date"] = pd.to_datetime(snapshots["snapshot_date"]).dt.date
    snapshots["source_id"] = SID
    r.require_unique(
        snapshots,
        ["scheme", "level", "territory_code", "naf_section_code", "snapshot_date"],
        SID,
        "",
        file_column="source_file",
    )
    check_snapshots(snapshots)
    return {
        "covid_aid_snapshots": snapshots,
        "covid_fds_breakdowns": _breakdowns(ctx),
        "covid_activite_partielle": _activite_partielle(ctx),
        "covid_dashboard_kpis": _dashboard(ctx),
        **_labels(ctx),
    }


# Reports d'échéances are net amounts: the file of 29/07/2021 publishes negative ones (section Z, 5 departments and
# 3 regions), and 15 department amounts above their region's. Every other scheme's counts and amounts are gross:
# never negative, and a department never above its region for the same section and date.
NET_SCHEMES = {"reports"}


def check_snapshots(snapshots: pd.DataFrame) -> None:
    r.require_non_negative(snapshots, ["aid_count", "firm_count"], SID, "", file_column="source_file")
    gross = snapshots[~snapshots["scheme"].isin(NET_SCHEMES)]
    r.require_non_negative(gross, ["amount_eur"], SID, "", file_column="source_file")
    keys = ["scheme", "naf_section_code", "snapshot_date"]
    for value in ("amount_eur", "aid_count"):
        r.require_within(
            gross, value, keys, "departement", "region", gross["region_code"], SID, "source_file", "région"
        )


def _breakdowns(ctx) -> pd.DataFrame:
    frames = []
    for volet, raw_level, dim, code_col, label_col in (
        (v, lv, d, c, lb)
        for v, levels in (("VOLET1", ("departemental", "regional")), ("VOLET2", ("regional",)))
        for lv in levels
        for d, c, lb in (
            ("classe_effectif", "classe_effectif", "libelle_classe_effectif"),
            ("categorie_juridique", "code_categorie_juridique", "libelle_categorie_juridique"),
        )
    ):
        level = LEVELS[raw_level]
        rel = f"published-data/fonds-solidarite-volet-{volet[-1]}-{raw_level}-{dim.replace('_', '-')}-latest.csv"
        cols = {
            "nombre_aides": "aid_count",
            "nombre_entreprises": "firm_count",
            "montant_total": "amount_eur",
            "reg": "region_code",
            code_col: "category_code",
            label_col: "category_label",
        }
        if level == "departement":
            cols["dep"] = "departement_code"
        df = r.read_csv(SID, rel, ctx.path(SID, rel), cols, min_rows=50)
        df = _territory(df, level, rel)
        for c in ("aid_count", "firm_count", "amount_eur"):
            df[c] = r.to_number(df[c], SID, rel, c)
        df["volet"], df["level"], df["dimension"] = volet, level, dim
        df["snapshot_date"] = pd.Timestamp("2022-06-24").date()
        frames.append(df.drop(columns=["departement_code"], errors="ignore"))
    out = pd.concat(frames, ignore_index=True)
    out["source_id"] = SID
    r.require_unique(out, ["volet", "level", "territory_code", "dimension", "category_code"], SID, "répartitions FDS")
    return out


def _activite_partielle(ctx) -> pd.DataFrame:
    base = {
        "nombre_demandes_deposees": "requests",
        "nombre_salaries_concernes": "employees",
        "nombre_heures_demandees": "hours",
        "reg": "region_code",
        "code_section_nace17": "nace17_code",
    }
    frames = []
    specs = [
        (
            "ap_cumul",
            "region",
            "published-data/activite-partielle-regional-nace17-latest.csv",
            {"date_maj": "date_maj"},
            250,
        ),
        (
            "ap_mensuel",
            "region",
            "published-data/activite-partielle-2-regional-nace17-latest.csv",
            {"date_maj": "date_maj", "mois": "period"},
            3000,
        ),
    ]
    specs += [
        (
            "ap_cumul",
            "departement",
            rel,
            {"dep": "departement_code", "nombre_etablissements_concernes": "establishments"},
            1300,
        )
        for rel, _ in (
            (f.path, None) for f in ctx.sources[SID].files if f.path.startswith("published-data/activite-partielle/")
        )
    ]
    for dataset, level, rel, extra, min_rows in specs:
        df = r.read_csv(SID, rel, ctx.path(SID, rel), {**base, **extra}, min_rows=min_rows)
        df = _territory(df, level, rel)
        for c in ("requests", "employees", "hours", "establishments"):
            df[c] = r.to_number(df[c], SID, rel, c) if c in df else pd.Series(pd.NA, index=df.index, dtype="Float64")
        df["snapshot_date"] = df.pop("date_maj") if "date_maj" in df else _snapshot_date(rel)
        if "period" not in df:
            df["period"] = "cumul"
        df["dataset"], df["level"] = dataset, level
        frames.append(df.drop(columns=["departement_code"], errors="ignore"))
    out = pd.concat(frames, ignore_index=True)
    out["snapshot_date"] = pd.to_datetime(out["snapshot_date"]).dt.date
    out["source_id"] = SID
    r.require_unique(
        out, ["dataset", "level", "territory_code", "nace17_code", "period", "snapshot_date"], SID, "activité partielle"
    )
    return out


def _dashboard(ctx) -> pd.DataFrame:
    """Whole-scheme KPIs of the dashboard JSON (FDS all volets, unlike the volet 1 CSVs)."""
    rows = []
    dated = {"aides": "2022-06-24", "pge": "2021-12-31", "report": "2021-08-26", "cpsti": "2020-09-30"}
    for scheme, date in dated.items():
        for raw_level, level, key in (
            ("national", "france", None),
            ("regional", "region", "reg"),
            ("departemental", "departement", "dep"),
        ):
            rel = f"backend/json/{scheme}/{scheme}-maille-{raw_level}.json"
            rows += _dashboard_rows(ctx, rel, scheme, level, key, date)
    for f in ctx.sources[SID].files:
        if f.path.startswith("backend/json/aides/fds-"):
            rows += _dashboard_rows(ctx, f.path, "aides", "departement", "dep", _snapshot_date(f.path))
    out = pd.DataFrame(
        rows,
        columns=[
            "scheme",
            "level",
            "territory_code",
            "snapshot_date",
            "amount_eur",
            "aid_count",
            "firm_count",
            "_file",
        ],
    )
    out["snapshot_date"] = pd.to_datetime(out["snapshot_date"]).dt.date
    out["source_id"] = SID
    # The latest department file repeats the last dated FDS snapshot: keep one copy when they agree.
    out = out.drop_duplicates(["scheme", "level", "territory_code", "snapshot_date", "amount_eur"])
    r.require_unique(out, ["scheme", "level", "territory_code", "snapshot_date"], SID, "", file_column="_file")
    return out.drop(columns="_file")


def _dashboard_rows(ctx, rel, scheme, level, key, date) -> list[tuple]:
    data = r.read_json(SID, rel, ctx.path(SID, rel))
    if not isinstance(data, list) or not data:
        raise BuildError(SID, rel, "liste JSON vide ou inattendue.")
    rows = []
    for item in data:
        if "montant" not in item:
            raise BuildError(SID, rel, "champ « montant » absent.")
        code = "FR" if key is None else str(item.get(key))
        code = UNKNOWN if code in ("None", "") else code
        rows.append(
            (
                scheme,
                level,
                code,
                date,
                _number(item.get("montant")),
                _number(item.get("nombre")),
                _number(item.get("nombre_siren")),
                rel,
            )
        )
    return rows


def _number(value) -> float | None:
    """A JSON number; anything else is refused by the caller's check (a BuildError naming the file)."""
    if value in (None, "", "None"):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"valeur non numérique {str(value)[:40]!r}") from None


def undouble(label: str) -> str:
    """A label that restates its end, as the dashboard publishes section C1: « Fabr. de denrées alimentaires -
    boissons et prod. à base de tabac de boissons et de produits à base de tabac ». Cut at the « de » after which
    the text only repeats how the part before it ends (its last three words): « … prod. à base de tabac »."""
    words = str(label).split()
    for i, w in enumerate(words):
        left, right = " ".join(words[:i]), words[i + 1 :]
        if w == "de" and len(right) >= 3 and left.endswith(" ".join(right[-3:])):
            return left
    return label


def _labels(ctx) -> dict[str, pd.DataFrame]:
    naf = pd.DataFrame(
        r.read_json(SID, "sections-naf.json", ctx.path(SID, "backend/json/taxonomies/sections-naf.json"))
    )
    naf = r.check_frame(
        SID, "sections-naf.json", naf, {"code_section": "code", "libelle_section": "label"}, min_rows=21
    )
    nace = pd.DataFrame(
        r.read_json(SID, "sections-nace17.json", ctx.path(SID, "backend/json/taxonomies/sections-nace17.json"))
    )
    nace = r.check_frame(
        SID,
        "sections-nace17.json",
        nace,
        {"code_section_nace17": "code", "libelle_section_nace17": "label"},
        min_rows=17,
    )
    nace["label"] = nace["label"].map(undouble)
    extra = pd.DataFrame({"code": ["Z", "X", UNKNOWN], "label": ["Non connu", "Non classé", "Non déterminé"]})
    naf = pd.concat([naf, extra[~extra["code"].isin(naf["code"])]], ignore_index=True)
    return {"ref_naf_sections": naf, "ref_nace17_sections": nace}
