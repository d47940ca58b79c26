"""Benchmark of the laureate explorer: a filter change with all Fonds friches sites and candidates shown, on the real
database and on a copy whose friches_sites table is replicated 100× with perturbed keys and coordinates
(made here, in bench/results/, never the real database).

Usage: python bench/bench_laureats.py [--scale 100] [--runs 20]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatoire import config, db  # noqa: E402
from observatoire.queries import laureats as q  # noqa: E402

FILTER_STATES = [({}, "", True), ({"regions": ["Bretagne"]}, "", True), ({"editions": ["Fonds friches edition 2"]}, "", True),
                 ({}, "lyon", True), ({"types": ["Bailleur social"]}, "", True), ({"regions": ["Occitanie", "Grand Est"]}, "", False)]


def scaled_copy(src: Path, dest: Path, scale: int) -> Path:
    shutil.copyfile(src, dest)
    with duckdb.connect(str(dest)) as con:
        con.execute("CREATE TABLE f AS SELECT * FROM friches_sites")
        con.execute("DELETE FROM friches_sites")
        con.execute(f"""INSERT INTO friches_sites SELECT * EXCLUDE (i) REPLACE (site_id || '#' || i AS site_id,
                            lat + (i % 10 - 5) * 0.002 AS lat, lon + (i // 10 % 10 - 5) * 0.002 AS lon)
                        FROM f, range({scale}) t(i)""")
        con.execute("DROP TABLE f")
        con.execute("CHECKPOINT")
    return dest


def time_queries(path: Path, runs: int) -> dict:
    con = db.connect(path)
    times = []
    for _ in range(runs):
        for filters, search, cand in FILTER_STATES:
            t0 = time.perf_counter()
            q.explorer_rows(con, filters, search, cand)
            q.facet_counts(con, filters, search, cand)
            times.append(time.perf_counter() - t0)
    n = len(q.explorer_rows(con, {}, "", True))
    con.close()
    return {"rows_all_sites_and_candidates": n, "median_s": statistics.median(times),
            "p95_s": sorted(times)[int(0.95 * (len(times) - 1))], "max_s": max(times)}


def time_page(path: Path, runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["OBSERVATOIRE_DB"] = str(path)
    at = AppTest.from_file(str(ROOT / "pages" / "laureats.py"), default_timeout=300)
    at.query_params["candidats"] = "oui"
    if "100" in path.name:
        at.query_params["agregation"] = "oui"
    at.run()
    times = []
    for i in range(runs):
        at.multiselect(key="laureats:regions").set_value(["Bretagne"] if i % 2 else [])
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return {"median_s": statistics.median(times), "max_s": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    real = config.db_path()
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    scaled = scaled_copy(real, out_dir / f"scaled_{args.scale}x.duckdb", args.scale)
    result = {}
    for label, path in (("1x", real), (f"{args.scale}x", scaled)):
        result[label] = {"queries": time_queries(path, args.runs), "page_rerun": time_page(path, args.runs)}
    print("Explorateur des lauréats : changement de filtre, tous les sites et candidats Fonds friches affichés")
    print(f"{'base':<8} {'lignes':>9} {'requêtes méd.':>14} {'p95':>8} {'rerun page méd.':>16} {'max':>8}")
    for label, r in result.items():
        print(f"{label:<8} {r['queries']['rows_all_sites_and_candidates']:>9} {r['queries']['median_s']:>14.3f} {r['queries']['p95_s']:>8.3f} "
              f"{r['page_rerun']['median_s']:>16.3f} {r['page_rerun']['max_s']:>8.3f}")
    (out_dir / "laureats.json").write_text(json.dumps(result, indent=2))
    scaled.unlink()


if __name__ == "__main__":
    main()
