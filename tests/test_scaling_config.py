"""Scaling out is a configuration change: the same queries run when the fact tables live in Parquet files read
through views (OBSERVATOIRE_PARQUET_DIR), and DuckDB still reads nothing else."""

from __future__ import annotations

import subprocess
import sys

import pytest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]

CHECK = """
import json, sys
from observatoire import db
from observatoire.queries import territoires as t, aides_covid as c
con = db.connect()
out = {"jobs": t.indicators(con, 2024, "2023-07-01")[["code", "jobs_2024", "unemployment_pct"]].to_dict("records"),
       "pge": c.kpis(con, "pge", "departement", "69", [], "2021-12-31")["selection"]["amount"],
       "views": con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0]}
try:
    con.execute("SELECT * FROM read_csv('/etc/passwd')")
    out["blocked"] = False
except Exception:
    out["blocked"] = True
print(json.dumps(out))
"""


def run_check(env) -> dict:
    import json
    import os

    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_fact_tables_in_parquet_give_the_same_figures(built_db, tmp_path):
    from observatoire.pipeline.split import FACT_TABLES, split

    split_db = split(built_db, tmp_path / "parquet")
    assert all((tmp_path / "parquet" / f"{t}.parquet").is_file() for t in FACT_TABLES)
    original = run_check({"OBSERVATOIRE_DB": str(built_db)})
    moved = run_check({"OBSERVATOIRE_DB": str(split_db), "OBSERVATOIRE_PARQUET_DIR": str(tmp_path / "parquet")})
    assert moved["jobs"] == original["jobs"] and moved["pge"] == original["pge"]
    assert moved["views"] == original["views"] + len(FACT_TABLES)
    assert moved["blocked"] and original["blocked"]


def test_without_the_setting_the_parquet_files_are_not_readable(built_db, tmp_path):
    from observatoire.pipeline.split import split

    split_db = split(built_db, tmp_path / "parquet", ["chomage_rates"])
    with pytest.raises(AssertionError, match="Permission|disabled|access"):
        run_check({"OBSERVATOIRE_DB": str(split_db), "OBSERVATOIRE_PARQUET_DIR": ""})
