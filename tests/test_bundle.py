"""The committed data bundle (data/bundle/) is honest: equal, table by table, to a build from the mirror; restored,
it gives every page the same headline figures; tampered, it is refused; and only its own command writes it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from observatoire import bundle, db
from observatoire.queries.pages import PAGES
from tests.conftest import ROOT, build_kind

BUNDLE = ROOT / "data" / "bundle"


@pytest.fixture(scope="module")
def restored(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bundle") / "observatoire.duckdb"
    bundle.restore(path, BUNDLE)
    return path


def test_bundle_equals_a_build_from_the_mirror(con, built_db):
    assert build_kind(built_db) == "sources"
    manifest = bundle.read_manifest(BUNDLE)
    diffs = bundle.differences(bundle.table_digests(con), bundle.manifest_digests(manifest))
    if diffs:
        pytest.fail(
            "Le paquet de données data/bundle/ ne correspond plus à une construction depuis le miroir :\n- "
            + "\n- ".join(diffs)
            + f"\nRafraîchissez-le ({bundle.REFRESH_HINT}), vérifiez ce qui a changé, puis committez data/bundle/."
        )


def test_bundle_sizes_and_manifest():
    files = [p for p in BUNDLE.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 20 * 2**20, "paquet de données de plus de 20 Mo"
    assert all(p.stat().st_size < 5 * 2**20 for p in files), "fichier de plus de 5 Mo dans le paquet"
    manifest = bundle.read_manifest(BUNDLE)
    listed = {f for t in manifest["tables"] for f in t["files"]}
    assert listed == {p.name for p in files if p.suffix == ".parquet"}
    assert (BUNDLE / "schema.sql").read_text() == bundle.SCHEMA_PATH.read_text()
    # provenance travels with the data: the manifest holds the sources table itself
    sources = duckdb.sql(f"SELECT * FROM read_parquet('{BUNDLE / 'sources.parquet'}') ORDER BY source_id").fetchall()
    assert [s["source_id"] for s in manifest["sources"]] == [r[0] for r in sources]
    assert all(s["licence"] and s["publisher"] for s in manifest["sources"])


def test_restored_database_matches_its_manifest(restored):
    assert build_kind(restored) == "bundle"
    c = db.connect(restored)
    try:
        digests = bundle.table_digests(c)
    finally:
        c.close()
    assert bundle.differences(digests, bundle.manifest_digests(bundle.read_manifest(BUNDLE))) == []


def kpis(at: AppTest) -> list[tuple[str, str]]:
    """The KPI cards of a page (kit.kpi_row): label and value as shown."""
    cards = []
    for m in at.markdown:
        cards += re.findall(r"<div class='l'>(.*?)</div><div class='v'>(.*?)</div>", m.value)
    return cards


STATES = {
    "pages/territoires.py": [{}, {"version": "2022", "territoire": "ti-8416"}],
    "pages/laureats.py": [{}, {"vue": "Indicateurs", "departement": "2A"}],
    "pages/aides_covid.py": [{}, {"dispositif": "pge", "niveau": "departement", "territoire": "971"}],
}


@pytest.mark.parametrize("page", [p[0] for p in PAGES])
def test_pages_show_the_same_headline_figures_from_the_bundle(page, built_db, restored, monkeypatch):
    for params in STATES.get(page, [{}]):
        shown = {}
        for name, path in (("miroir", built_db), ("paquet", restored)):
            monkeypatch.setenv("OBSERVATOIRE_DB", str(path))
            at = AppTest.from_file(str(ROOT / page), default_timeout=120)
            for k, v in params.items():
                at.query_params[k] = v
            at.run()
            assert not at.exception, (name, params, at.exception)
            shown[name] = (kpis(at), [m.value for m in at.metric])
        assert shown["miroir"] == shown["paquet"], params
        if page != "pages/donnees.py":
            assert shown["miroir"][0], f"{page} {params} : aucun chiffre clé lu"


def _rewrite_one_value(path: Path, sql_set: str) -> None:
    """Change one value in a copied Parquet file of the bundle, as a hand edit would."""
    c = duckdb.connect()
    c.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{path}')")
    c.execute(f"UPDATE t SET {sql_set} WHERE rowid = (SELECT min(rowid) FROM t)")
    c.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    c.close()


def test_one_changed_value_is_caught(tmp_path, con):
    copy = tmp_path / "bundle"
    shutil.copytree(BUNDLE, copy)
    changed = copy / "covid_aid_snapshots.parquet"
    _rewrite_one_value(changed, "amount_eur = amount_eur + 1")
    with pytest.raises(bundle.BundleError, match="covid_aid_snapshots"):
        bundle.restore(tmp_path / "x.duckdb", copy)
    assert not (tmp_path / "x.duckdb").exists()
    # compared with a build, the bundle's changed table is named, even with a manifest rewritten to match the change
    manifest = bundle.read_manifest(copy)
    c = duckdb.connect()
    c.execute(f"CREATE TABLE covid_aid_snapshots AS SELECT * FROM read_parquet('{changed}')")
    entry = next(t for t in manifest["tables"] if t["table"] == "covid_aid_snapshots")
    entry["hash"] = bundle.digest(c, "covid_aid_snapshots").hash
    c.close()
    diffs = bundle.differences(bundle.table_digests(con), bundle.manifest_digests(manifest))
    assert len(diffs) == 1 and diffs[0].startswith("table covid_aid_snapshots : mêmes lignes")


def test_manifest_of_another_format_or_missing_file_is_refused(tmp_path):
    copy = tmp_path / "bundle"
    shutil.copytree(BUNDLE, copy)
    (copy / "ti_territories.parquet").unlink()
    with pytest.raises(bundle.BundleError, match="ti_territories.parquet manque"):
        bundle.restore(tmp_path / "x.duckdb", copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["format"] = 99
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(bundle.BundleError, match="format inconnu"):
        bundle.restore(tmp_path / "x.duckdb", copy)


def test_export_gives_the_committed_bytes(tmp_path, built_db):
    """Rows in key order: a table that did not change is written with the same bytes (only `sources` carries the
    load time)."""
    out = tmp_path / "bundle"
    copy = shutil.copyfile(built_db, tmp_path / "copy.duckdb")  # the session holds the database with other settings
    manifest = bundle.export(copy, out)
    committed = {t["table"]: t for t in bundle.read_manifest(BUNDLE)["tables"]}
    for t in manifest["tables"]:
        if t["table"] == "sources" or committed[t["table"]]["hash"] != t["hash"]:
            continue
        for f in t["files"]:
            assert (out / f).read_bytes() == (BUNDLE / f).read_bytes(), f


def test_only_a_build_from_the_sources_is_bundled(tmp_path, restored):
    copy = shutil.copyfile(restored, tmp_path / "copy.duckdb")
    with pytest.raises(bundle.BundleError, match="pas été construite depuis les sources"):
        bundle.export(copy, tmp_path / "bundle")
    assert not (tmp_path / "bundle").exists()


def test_nothing_but_the_bundle_command_writes_the_bundle():
    callers = [
        str(p.relative_to(ROOT))
        for p in ROOT.glob("**/*.py")
        if "tests" not in p.parts and ".venv" not in p.parts and "bundle.export(" in p.read_text(encoding="utf-8")
    ]
    assert callers == ["observatoire/__main__.py"]


def test_the_build_left_the_committed_bundle_untouched():
    """CI builds from the mirror before the tests: the build must not have rewritten the bundle it is checked
    against (git sees no change under data/bundle/)."""
    if not (ROOT / ".git").exists():
        pytest.fail("pas de dépôt git : ce test lit l'état de data/bundle/ dans git")
    out = subprocess.run(
        ["git", "status", "--porcelain", "--", "data/bundle"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout == "", (
        "data/bundle/ diffère de ce qui est committé : " + out.stdout + "(seule « python -m observatoire bundle » "
        "l'écrit ; committez-le après l'avoir rafraîchi)"
    )


def test_a_database_from_an_older_bundle_is_made_again(tmp_path, built_db):
    """A deployment that pulls a new bundle gets its data at the next start; a build from the sources is kept."""
    copy = tmp_path / "bundle"
    shutil.copytree(BUNDLE, copy)
    path = tmp_path / "obs.duckdb"
    assert bundle.ensure_database(path, copy) is True
    assert bundle.ensure_database(path, copy) is False  # current: left as it is
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["description"] += " (nouvelle édition)"
    (copy / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    assert bundle.made_from(path)[1] != bundle.manifest_id(copy)
    assert bundle.ensure_database(path, copy) is True
    assert bundle.made_from(path) == ("bundle", bundle.manifest_id(copy))
    built = shutil.copyfile(built_db, tmp_path / "built.duckdb")
    before = built.read_bytes()
    assert bundle.ensure_database(built, copy) is False
    assert built.read_bytes() == before
