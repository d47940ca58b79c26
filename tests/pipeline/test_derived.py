"""The build derives member lists and census shares from the originals; they must equal the mirror's .derived.csv."""

from __future__ import annotations

import json

import pandas as pd

from observatoire.pipeline import territoires_industrie as ti


def _frame(df):
    return df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)


def test_members_2024_equal_mirror_derived(mirror):
    feats = json.loads((mirror / "territoires-industrie/phase2_183_anct_2024/ti_geom.geojson").read_text())["features"]
    ept = {e["code"] for e in json.loads((mirror / "geo_decoupage_administratif_npm/data/ept.json").read_text())}
    ours = ti.derive_members_2024(feats, ept)
    theirs = pd.read_csv(
        mirror / "territoires-industrie/phase2_183_anct_2024/ti_geom_groupements.derived.csv",
        dtype=str,
        keep_default_na=False,
    )
    assert len(ours) == 641
    pd.testing.assert_frame_equal(_frame(ours), _frame(theirs))


def test_members_2022_equal_mirror_derived(mirror):
    feats = json.loads(
        (mirror / "territoires-industrie/phase1_149_anct_datagouv/polygone-4326_ti.geojson").read_text()
    )["features"]
    ours = ti.derive_members_2022(feats)
    theirs = pd.read_csv(
        mirror / "territoires-industrie/phase1_149_anct_datagouv/polygone-4326_ti_groupements.derived.csv",
        dtype=str,
        keep_default_na=False,
    )
    assert len(ours) == 588
    pd.testing.assert_frame_equal(_frame(ours), _frame(theirs))


def test_rp_parts_equal_mirror_derived(mirror):
    from observatoire.manifest import load_manifest
    from observatoire.pipeline.build import _canon
    from observatoire.pipeline.context import Context
    from observatoire.pipeline.fetch import Fetcher
    from observatoire.pipeline.insee import derive_rp_parts

    ctx = Context(load_manifest(), Fetcher(mirror=mirror, cache=mirror / "none", offline=True))
    ours = derive_rp_parts(ctx)
    theirs = pd.read_csv(
        mirror / "insee_rp_emploi_secteurs_parts_epci_ze_dep_ptod/rp_emploi_secteurs_parts.derived.csv",
        dtype=str,
        keep_default_na=False,
    )
    assert list(ours.columns) == list(theirs.columns) and len(ours) == len(theirs) == 1640
    ours = ours.astype(object).where(ours.notna(), "").astype(str).map(_canon)
    theirs = theirs.map(_canon)
    pd.testing.assert_frame_equal(_frame(ours), _frame(theirs))
