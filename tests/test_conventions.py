"""Conventions the project holds to, checked by tests."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from observatoire.manifest import load_manifest

ROOT = Path(__file__).resolve().parent.parent


def test_every_manifest_entry_validates_against_the_mirror(mirror):
    sources = load_manifest()
    assert "plan-de-relance" in sources and sources["plan-de-relance"].optional
    for sid, src in sources.items():
        assert src.title and src.publisher and src.licence and src.portal_url.startswith("http"), sid
        for f in src.files:
            assert f.url is None or f.url.startswith("https://"), (sid, f.path)
            if src.optional:
                continue
            assert re.fullmatch(r"[0-9a-f]{64}", f.sha256), (sid, f.path)
            assert (mirror / sid / f.path).is_file(), (sid, f.path)


def test_every_fact_table_has_source_id(con):
    tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    for t in tables:
        if t.startswith(
            (
                "covid_",
                "relance_",
                "friches_",
                "emploi_",
                "chomage_",
                "estel_",
                "urssaf_",
                "etablissements_",
                "rp_",
                "ti_",
                "geo_ze",
                "geo_commune_ze",
                "geo_communes",
                "geo_epci",
                "geo_dep",
                "geo_reg",
            )
        ):
            cols = {
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [t]
                ).fetchall()
            }
            assert "source_id" in cols, t


def test_only_ui_and_pages_import_streamlit():
    offenders = []
    for path in (ROOT / "observatoire").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "observatoire").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in ("streamlit", "st_aggrid", "pydeck") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_database_or_mirror_copy_is_tracked():
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    # the data bundle is the one exception (data/bundle/: Parquet written by the bundle command, see README)
    assert not [
        f
        for f in tracked
        if f.endswith((".duckdb", ".wal", ".parquet", ".xlsx", ".xls", ".geojson")) and not f.startswith("data/bundle/")
    ]
    bundle = [ROOT / f for f in tracked if f.startswith("data/bundle/")]
    assert {p.suffix for p in bundle} <= {".parquet", ".json", ".sql"}
    assert all(p.stat().st_size < 5 * 2**20 for p in bundle) and sum(p.stat().st_size for p in bundle) < 20 * 2**20


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    assert "bash scripts/install.sh" in blocks[0] and ".venv/bin/python -m streamlit run streamlit_app.py" in blocks[0]
    assert "bash scripts/install.sh --tests" in blocks[1] and ".venv/bin/python -m pytest -q" in blocks[1]
    assert "python -m observatoire build" in blocks[1]  # the tests compare the bundle with a build from the mirror
    assert "test_command=$(awk" in (ROOT / ".ci" / "run").read_text()  # CI runs that very command


def test_every_setting_the_code_reads_is_documented_in_the_readme():
    sources = [ROOT / "streamlit_app.py", *(ROOT / "observatoire").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    settings = {
        m for p in sources for m in re.findall(r"\b(?:OBSERVATOIRE_[A-Z0-9_]+|OPENDATA_MIRROR)\b", p.read_text())
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(settings) >= 6  # the scan sees the settings (OBSERVATOIRE_DB, OPENDATA_MIRROR, …)
    assert sorted(s for s in settings if f"`{s}" not in readme) == []


def figure_paths() -> list[list[str]]:
    """The rows of the README's « D'un chiffre à son fichier source » table, as lists of cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### D'un chiffre à son fichier source", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ") and "`" in line]
    return [[cell.strip() for cell in row] for row in rows]


def test_every_step_from_a_figure_to_its_source_exists():
    from observatoire.queries.pages import PAGES

    rows = figure_paths()
    schema = (ROOT / "observatoire" / "pipeline" / "schema.sql").read_text()
    assert {r[2].strip("`") for r in rows} == {p[0] for p in PAGES}  # one figure for each page
    for _, _, page, query, table, step, _ in rows:
        assert (ROOT / page.strip("`")).is_file(), page
        for ref in (query, step):
            path, name = ref.strip("`").split(":")
            tree = ast.parse((ROOT / path).read_text())
            assert name in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}, ref
            assert table.strip("`") in (ROOT / path).read_text(), (ref, table)  # the step reads or writes it
        assert f"CREATE TABLE {table.strip('`')} (" in schema, table


def test_every_source_file_named_from_a_figure_is_in_the_mirror(mirror):
    for row in figure_paths():
        first = re.search(r"`([^`]+)`", row[-1]).group(1)
        assert (mirror / first).is_file(), first


def test_modules_stay_small_and_keep_sql_apart_from_streamlit_and_html():
    code = [ROOT / "streamlit_app.py", *(ROOT / "observatoire").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    assert [str(p.relative_to(ROOT)) for p in code if len(p.read_text().splitlines()) >= 400] == []
    for p in code:
        text = p.read_text()
        sql = re.search(r"\bSELECT\b[^\"'\n]*\bFROM\b", text)
        ui = "import streamlit" in text or re.search(r"</(div|table|span|svg)>", text)  # a closing tag: HTML
        assert not (sql and ui), p.relative_to(ROOT)
