"""Fault injection: a broken source fails the build in French, naming the file, and the old database is untouched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from observatoire.pipeline.build import build
from observatoire.pipeline.errors import BuildError

ROOT = Path(__file__).resolve().parents[2]
TARGET = ("aides_covid_etalab", "published-data/pge-departemental-naf-latest.csv")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def link_mirror(mirror: Path, dest: Path) -> Path:
    """A mirror of symlinks, so that one file can be replaced without copying 100 MB."""
    for src in mirror.rglob("*"):
        if src.is_file():
            target = dest / src.relative_to(mirror)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(src, target)
    return dest


@pytest.fixture
def old_db(tmp_path) -> Path:
    path = tmp_path / "observatoire.duckdb"
    import duckdb

    with duckdb.connect(str(path)) as c:
        c.execute("CREATE TABLE marker AS SELECT 42 AS answer")
    return path


def break_file(mirror: Path, tmp_path: Path, change) -> Path:
    fake = link_mirror(mirror, tmp_path / "mirror")
    target = fake / TARGET[0] / TARGET[1]
    content = (mirror / TARGET[0] / TARGET[1]).read_bytes()
    target.unlink()
    target.write_bytes(change(content))
    return fake


FAULTS = {
    "tronqué": (lambda b: b[: len(b) // 3], "fichier tronqué"),
    "séparateur": (lambda b: b.replace(b",", b";"), "séparateur"),
    "colonne manquante": (lambda b: b.replace(b"montant_total", b"montant", 1), "colonnes manquantes : montant_total"),
    "encodage": (lambda b: b.decode("utf-8").encode("latin-1"), "encodage invalide"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_fails_in_french_and_keeps_old_database(mirror, tmp_path, old_db, fault):
    change, message = FAULTS[fault]
    fake = break_file(mirror, tmp_path, change)
    before = sha(old_db)
    with pytest.raises(BuildError) as err:
        build(old_db, fake, offline=True, cache=tmp_path / "cache", quiet=True)
    assert err.value.file == TARGET[1]
    assert message in str(err.value)
    assert sha(old_db) == before
    assert sorted(p.name for p in old_db.parent.iterdir() if p.suffix in (".tmp", ".wal")) == []


def test_missing_mirror_folder(tmp_path, old_db):
    before = sha(old_db)
    with pytest.raises(BuildError) as err:
        build(old_db, tmp_path / "absent", offline=True, cache=tmp_path / "cache", quiet=True)
    assert "absent" in str(err.value) or "aucun dossier miroir" in str(err.value)
    assert err.value.file.endswith(".json")  # the first file the build needs, named
    assert sha(old_db) == before


def test_cli_reports_failure_in_french(mirror, tmp_path, old_db):
    fake = break_file(mirror, tmp_path, FAULTS["colonne manquante"][0])
    before = sha(old_db)
    env = {
        **os.environ,
        "OPENDATA_MIRROR": str(fake),
        "OBSERVATOIRE_DB": str(old_db),
        "OBSERVATOIRE_CACHE": str(tmp_path / "cache"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "observatoire", "build", "--hors-ligne"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert (
        "Échec de la construction" in proc.stderr and TARGET[1] in proc.stderr and "n'a pas été modifiée" in proc.stderr
    )
    assert sha(old_db) == before


def test_strict_checksum_mismatch_fails(mirror, tmp_path, old_db):
    fake = break_file(mirror, tmp_path, lambda b: b + b"\n")
    with pytest.raises(BuildError, match="somme de contrôle"):
        build(old_db, fake, offline=True, strict_checksums=True, cache=tmp_path / "cache", quiet=True)
