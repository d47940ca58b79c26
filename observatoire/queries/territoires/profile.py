"""A territory's profile and a comparison of territories, assembled from blocks cached once per version
(observatoire.recipes)."""

from __future__ import annotations

import pandas as pd

from observatoire.db import fetch_df, fetch_one
from observatoire.queries.territoires import context
from observatoire.queries.territoires.definitions import FRANCE_INSEE, FRANCE_RECONSTRUCTED, URSSAF_FIRST
from observatoire.queries.territoires.indicators import comparison_table, indicators_recipe, ranked_counts
from observatoire.queries.territoires.perimeter import communes, context_units, members
from observatoire.queries.territoires.series import SERIES, unit_series
from observatoire.recipes import Derived, evaluate


def _label(kind: str, code: str, name: str) -> str:
    return f"{name} ({code})" if kind == "departement" else name


def _with_labels(df: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    out = df.merge(names[["kind", "code", "name"]], on=["kind", "code"])
    out["serie"] = [_label(k, c, n) for k, c, n in zip(out["kind"], out["code"], out["name"])]
    return out


def _of_units(series: dict[str, pd.DataFrame], units: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows of the given units, from series of many units (the merge in _with_labels keeps exactly these)."""
    kinds, codes = set(units["kind"]), set(units["code"])
    return [df[df["kind"].isin(kinds) & df["code"].isin(codes)] for df in series.values()]


def _combine(territory_series: dict, reference: dict, units: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Territory and reference series of the given units, labelled, indexed (URSSAF 2014 = 100), in the units' order.
    The series may hold other units (all territories of the version, all reference units): only these are kept."""
    rank = {(k, c): i for i, (k, c) in enumerate(zip(units["kind"], units["code"]))}
    out = {}
    for key, ours, refs in zip(SERIES, _of_units(territory_series, units), _of_units(reference, units)):
        df = _with_labels(pd.concat([ours, refs], ignore_index=True), units)
        df = df.drop(columns=[c for c in ("jobs_from_epci", "jobs_from_communes") if c in df.columns])
        df["_order"] = [rank[(k, c)] for k, c in zip(df["kind"], df["code"])]
        out[key] = (
            df.sort_values(["_order", df.columns[2]], kind="stable").drop(columns="_order").reset_index(drop=True)
        )
    u = out["urssaf"]
    base = u[u["year"] == URSSAF_FIRST].set_index(["kind", "code"])["jobs"]
    u["index_2014"] = 100 * u["jobs"] / [base.get((k, c)) for k, c in zip(u["kind"], u["code"])]
    un = out["unemployment"]
    if (un["kind"] == "france").any():  # France's rate is ours: say so, beside the one Insee publishes
        un.loc[un["kind"] == "france", "serie"] = FRANCE_RECONSTRUCTED
        insee = reference["unemployment"]
        insee = insee[insee["kind"] == "insee"].assign(name=FRANCE_INSEE, serie=FRANCE_INSEE)
        out["unemployment"] = pd.concat([un, insee], ignore_index=True)
    return out


def profile_parts(con, version: int, territory_id: str) -> dict[str, pd.DataFrame]:
    """Everything of a territory's profile but the indicator rows and the series (each cached per version, shared)."""
    ctx = context_units(con, version, territory_id)
    name = fetch_one(
        con, "SELECT name FROM ti_territories WHERE version = ? AND territory_id = ?", [version, territory_id]
    )[0]
    order = {"departement": 0, "region": 1, "france": 2}
    ctx = ctx.sort_values(
        ["kind", "population_share"], key=lambda s: s.map(order) if s.name == "kind" else -s
    ).reset_index(drop=True)
    units = pd.concat(
        [pd.DataFrame([{"kind": "territoire", "code": territory_id, "name": name}]), ctx[["kind", "code", "name"]]],
        ignore_index=True,
    )
    z = context.zones(con, version, territory_id)
    z10 = context.zones_2010(con, version, territory_id)
    return {
        "context": ctx,
        "units": units,
        "members": members(con, version, territory_id),
        "communes": communes(con, version, territory_id),
        "zones": z,
        "zones_2010": z10,
        "zone_urssaf": context.zone_industry_urssaf(con, z["ze_code"].tolist()),
        "zone_a38": context.zone_sectors_a38(con, z["ze_code"].tolist()),
        "zone_estel": context.zone_industry_estel(con, z10["ze2010_code"].tolist()),
        "rouen": context.rouen_ape(con, version, territory_id),
        "friches": context.friches(con, version, territory_id),
        "dge": context.dge_projects(con, version, territory_id),
        "support": context.departement_support(con, ctx.loc[ctx["kind"] == "departement", "code"].tolist()),
    }


def assemble_profile(
    territories_rows: pd.DataFrame,
    reference_rows: pd.DataFrame,
    parts: dict,
    version_series: dict,
    reference_series: dict,
    territory_id: str,
) -> dict:
    """The profile from the version's indicator rows, the reference rows (indicators_recipe of both), the territory's
    parts, and the series of the version's territories and of the reference units (unit_series)."""
    row = territories_rows[territories_rows["code"] == territory_id]
    refs = parts["context"][["kind", "code", "population_share"]].merge(reference_rows, on=["kind", "code"], how="left")
    return {
        **parts,
        **_combine(version_series, reference_series, parts["units"]),
        "territory": row,
        "references": refs,
        "table": comparison_table(row, refs, ranked_counts(territories_rows)),
    }


def _blocks(version: int, quarter: str, own: tuple) -> tuple:
    """The blocks shared by every territory of the version and by the references, around the one of its own."""
    return (
        indicators_recipe(version, quarter),
        indicators_recipe(None, quarter),
        own,
        (unit_series, version),
        (unit_series, None),
    )


def profile_recipe(version: int, territory_id: str, quarter: str) -> Derived:
    """A territory's profile, from blocks shared by every territory of the version (and by the references)."""
    return Derived(assemble_profile, _blocks(version, quarter, (profile_parts, version, territory_id)), (territory_id,))


def comparison_recipe(version: int, territory_ids, quarter: str) -> Derived:
    """2 to 5 territories of one version side by side, with France: one table, and the series."""
    ids = tuple(territory_ids)
    return Derived(assemble_comparison, _blocks(version, quarter, (comparison_parts, version, ids)), (ids,))


def profile(con, version: int, territory_id: str, quarter: str) -> dict[str, pd.DataFrame]:
    return evaluate(profile_recipe(version, territory_id, quarter), con)


def comparison_parts(con, version: int, territory_ids: list[str]) -> dict:
    names = fetch_df(
        con,
        "SELECT territory_id AS code, name FROM ti_territories WHERE version = ? AND list_contains(?, territory_id)",
        [version, list(territory_ids)],
    ).set_index("code")["name"]
    ids = [t for t in territory_ids if t in names.index]
    units = pd.DataFrame(
        [{"kind": "territoire", "code": t, "name": names[t]} for t in ids]
        + [{"kind": "france", "code": "FR", "name": "France"}]
    )
    return {"units": units}


def assemble_comparison(
    territories_rows: pd.DataFrame,
    reference_rows: pd.DataFrame,
    parts: dict,
    version_series: dict,
    reference_series: dict,
    territory_ids: tuple[str, ...],
) -> dict:
    """The comparison from the same blocks as a profile (assemble_profile), with the compared territories' parts."""
    rows = (
        territories_rows.set_index("code")
        .loc[[t for t in territory_ids if t in set(territories_rows["code"])]]
        .reset_index()
    )
    france = reference_rows[reference_rows["kind"] == "france"]
    return {
        **_combine(version_series, reference_series, parts["units"]),
        "table": comparison_table(rows, france, ranked_counts(territories_rows)),
        "territories": rows,
    }


def comparison(con, version: int, territory_ids: list[str], quarter: str) -> dict[str, pd.DataFrame]:
    return evaluate(comparison_recipe(version, territory_ids, quarter), con)
