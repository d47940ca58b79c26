"""Benchmark of the build: wall time, peak memory (RSS of the build process) and database size.

Usage: python bench/bench_build.py [--runs 3]
Prints a table, compares it with bench/baseline_build.json, and writes bench/results/build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).with_name("baseline_build.json")
AIMS = {"seconds": 60.0, "db_mb": 100.0}


def one_run(db: Path) -> dict:
    env = {**os.environ, "OBSERVATOIRE_DB": str(db)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "observatoire", "build"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_rss_mb": max(peak_kb, before) / 1024, "db_mb": db.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            runs.append(one_run(Path(tmp) / f"bench_{i}.duckdb"))
    result = {k: {"median": statistics.median(r[k] for r in runs), "max": max(r[k] for r in runs)} for k in runs[0]}
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    print(f"{'mesure':<14} {'médiane':>10} {'max':>10} {'référence':>10} {'objectif':>10}")
    for k, v in result.items():
        base = baseline.get(k, {}).get("median")
        print(
            f"{k:<14} {v['median']:>10.1f} {v['max']:>10.1f} {base if base is not None else '-':>10} {AIMS.get(k, '-'):>10}"
        )
    out = ROOT / "bench" / "results" / "build.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runs": runs, "summary": result, "baseline": baseline, "aims": AIMS}, indent=2))
    print(f"Résultats : {out}")


if __name__ == "__main__":
    main()
