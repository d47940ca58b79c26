"""Fault injection: the build refuses what it cannot vouch for, in French, naming the real file, and the previous
database stays byte-identical. A file whose checksum differs from the manifest is refused unless the build is told to
accept changes; then parsing limits and invariants still refuse a wrong file, and a plausible change is reported as a
data diff, kept in the database."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from observatoire.pipeline.build import build
from observatoire.pipeline.errors import BuildError

ROOT = Path(__file__).resolve().parents[2]
PGE = ("aides_covid_etalab", "published-data/pge-departemental-naf-latest.csv")
DEP974 = (
    "france-relance-barometre",
    "departements/detail/barometre-resultats-relance-emploi-economie-detail-departement-974.csv",
)
DEP01 = (
    "france-relance-barometre",
    "departements/detail/barometre-resultats-relance-emploi-economie-detail-departement-01.csv",
)
REGIONAL = ("france-relance-barometre", "barometre-resultats-relance-emploi-economie-detail-regional.csv")
NATIONAL = ("france-relance-barometre", "barometre-resultats-relance-emploi-economie-detail-national.csv")
PARQUET = ("urssaf_flores_ze2020_a38_ptod", "urssaf_serie_indice100.parquet")
XLS = ("insee_chomage_localise", "chomage.xls")
XLSX = ("insee_chomage_localise", "chomage-zone-t1-2003-t3-2023.xlsx")
JSON = ("aides_covid_etalab", "backend/json/pge/pge-maille-national.json")


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
    with duckdb.connect(str(path)) as c:
        c.execute("CREATE TABLE marker AS SELECT 42 AS answer")
    return path


def break_file(mirror: Path, tmp_path: Path, target: tuple[str, str], change) -> Path:
    fake = link_mirror(mirror, tmp_path / "mirror")
    path = fake / target[0] / target[1]
    content = (mirror / target[0] / target[1]).read_bytes()
    path.unlink()
    path.write_bytes(change(content))
    return fake


def lines(change_line):
    """A change of one CSV's text, line by line (header first)."""

    def change(content: bytes) -> bytes:
        text = content.decode("utf-8").split("\n")
        return "\n".join(change_line(text)).encode("utf-8")

    return change


def scale_value(factor: float, where: str):
    """Multiply the `valeur` of every row of `where` (an indicator id) by `factor`."""

    def change_lines(text):
        head = text[0].split(",")
        i = head.index("valeur")
        out = [text[0]]
        for line in text[1:]:
            cells = line.split(",")
            if where in line and len(cells) == len(head) and cells[i]:
                cells[i] = repr(float(cells[i]) * factor)
            out.append(",".join(cells))
        return out

    return lines(change_lines)


def duplicate_row(text):
    return [*text[:2], text[1], *text[2:]]


def truncate_last_row(text):
    """The last row cut mid-way, right after its third field (the region code is lost)."""
    import csv
    import io

    rows = [t for t in text if t]
    cells = next(csv.reader([rows[-1]]))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells[:3])
    return [*rows[:-1], out.getvalue() + ","]


def unclosed_quote(text):
    return [*text, '"une ligne, coupée dans un champ entre guillemets']


FAULTS = {
    # (file, change, what the message says)
    "tronqué": (PGE, lambda b: b[: len(b) // 3], "fichier tronqué"),
    "séparateur": (PGE, lambda b: b.replace(b",", b";"), "séparateur"),
    "colonne manquante": (
        PGE,
        lambda b: b.replace(b"montant_total", b"montant", 1),
        "colonnes manquantes : montant_total",
    ),
    "encodage": (PGE, lambda b: b.decode("utf-8").encode("latin-1"), "encodage invalide"),
    "valeur doublée": (
        DEP974,
        scale_value(2, "nb-entreprises-industrielles-agricoles"),
        "au-dessus de celle de leur région",
    ),
    "valeur négative": (DEP01, scale_value(-1, "nb-entreprises-industrielles-agricoles"), "valeur(s) négative(s)"),
    "région au-dessus de la France": (REGIONAL, scale_value(20, "nb-entreprises-cheaque-numerique"), "leur pays"),
    "ligne de 150 Mo": (NATIONAL, lambda b: b + b"x" * (150 * 2**20), "refusé avant lecture"),
    "ligne de 2 Mo": (PGE, lambda b: b + b"y" * (2 * 2**20) + b"\n", "de plus de 1 Mo : refusée avant lecture"),
    "Parquet corrompu": (PARQUET, lambda b: b[:1000] + b"\x00" * 5000 + b[-2000:], "fichier Parquet illisible"),
    "XLS corrompu": (XLS, lambda b: b"\xd0\xcf\x11\xe0" + b"\x00" * 4000, "classeur illisible"),
    "XLSX corrompu": (XLSX, lambda b: b[:3000], "classeur illisible"),
    "JSON tronqué": (JSON, lambda b: b[: len(b) // 2], "JSON mal formé ou tronqué"),
    "clé en double": (DEP01, lines(duplicate_row), "clé en double"),
    "ligne coupée": (REGIONAL, lines(truncate_last_row), "codes région invalides : « (vide) »"),
    "guillemet non fermé": (REGIONAL, lines(unclosed_quote), "un champ entre guillemets n'est jamais fermé"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_fails_in_french_naming_the_file_and_keeps_old_database(mirror, tmp_path, old_db, fault):
    target, change, message = FAULTS[fault]
    fake = break_file(mirror, tmp_path, target, change)
    before = sha(old_db)
    with pytest.raises(BuildError) as err:
        build(old_db, fake, offline=True, accept_changes=True, cache=tmp_path / "cache", quiet=True)
    assert target[1] in err.value.file, (err.value.file, str(err.value))
    assert message in str(err.value), str(err.value)
    assert "Error" not in str(err.value) and "Traceback" not in str(err.value)
    assert sha(old_db) == before
    assert sorted(p.name for p in old_db.parent.iterdir() if p.suffix in (".tmp", ".wal")) == []


def test_a_changed_file_is_refused_by_default_with_both_checksums(mirror, tmp_path, old_db):
    fake = break_file(mirror, tmp_path, DEP974, scale_value(1.01, "nb-entreprises-industrielles-agricoles"))
    expected = sha(mirror / DEP974[0] / DEP974[1])
    got = sha(fake / DEP974[0] / DEP974[1])
    before = sha(old_db)
    with pytest.raises(BuildError) as err:
        build(old_db, fake, offline=True, cache=tmp_path / "cache", quiet=True)
    assert err.value.file == DEP974[1]
    assert f"attendue {expected}, obtenue {got}" in str(err.value) and "--accepter-changements" in str(err.value)
    assert sha(old_db) == before


def test_accepted_changes_are_reported_as_a_data_diff(mirror, tmp_path, built_db, capsys):
    """A plausible change, accepted: the build says which table and rows changed and by how much, and keeps it."""
    previous = tmp_path / "observatoire.duckdb"
    shutil.copyfile(built_db, previous)
    fake = break_file(mirror, tmp_path, DEP974, scale_value(0.5, "nb-entreprises-industrielles-agricoles"))
    with duckdb.connect(str(built_db), read_only=True) as c:
        rows, total = c.execute(
            "SELECT count(*), sum(value) FROM relance_indicators WHERE level = 'departement' AND territory_code = '974' "
            "AND indicator_id = 'nb-entreprises-industrielles-agricoles' AND value <> 0"
        ).fetchone()
        all_total = c.execute("SELECT sum(value) FROM relance_indicators").fetchone()[0]
        n_files, n_sources = (c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("source_files", "sources"))
    build(previous, fake, offline=True, accept_changes=True, cache=tmp_path / "cache")
    printed = capsys.readouterr().err
    assert "Changements dans les données par rapport à la base précédente" in printed
    assert f"relance_indicators : 26 647 → 26 647 lignes (0 ajoutées, 0 retirées, {rows} modifiées)" in printed.replace(
        "\u202f", " "
    ).replace("\u00a0", " ")
    with duckdb.connect(str(previous), read_only=True) as c:
        stored = c.execute("SELECT * FROM build_changes").fetchall()
        kind, _, detail = c.execute("SELECT * FROM build_info").fetchone()
    # the data table, and the provenance tables that record the file's new checksum and size
    assert [s[0] for s in stored] == ["relance_indicators", "source_files", "sources"]
    assert stored[0][1:6] == (26647, 26647, 0, 0, rows)
    assert stored[1][1:6] == (n_files, n_files, 0, 0, 1) and stored[2][1:6] == (n_sources, n_sources, 0, 0, 1)
    shown_total = stored[0][6].replace("\u202f", "").replace("\u00a0", "")
    assert f"value : {round(all_total)} → {round(all_total - total / 2)}" in shown_total
    assert kind == "sources" and DEP974[1] in detail


def test_cli_refuses_in_french_and_names_the_option(mirror, tmp_path, old_db):
    fake = break_file(mirror, tmp_path, PGE, FAULTS["colonne manquante"][1])
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
    assert "Échec de la construction" in proc.stderr and PGE[1] in proc.stderr and "n'a pas été modifiée" in proc.stderr
    assert "somme de contrôle différente du manifeste" in proc.stderr and "--accepter-changements" in proc.stderr
    assert sha(old_db) == before


def test_missing_mirror_folder(tmp_path, old_db):
    before = sha(old_db)
    with pytest.raises(BuildError) as err:
        build(old_db, tmp_path / "absent", offline=True, cache=tmp_path / "cache", quiet=True)
    assert "absent" in str(err.value) or "aucun dossier miroir" in str(err.value)
    assert err.value.file.endswith(".json")  # the first file the build needs, named
    assert sha(old_db) == before
