"""Benchmark of the Aides Covid page: a rerun after a filter change, over 50 random valid filter states.

Ours: AppTest runs pages/aides_covid.py against the DuckDB file (query cache cleared for "froid", kept for "chaud").
Baseline: the naive way, read the raw CSV snapshots into pandas at start-up and filter DataFrames in memory for the
same states (KPIs, series, map values, section bars). Prints median, 95th percentile and max, and the peak RSS.

Usage: python bench/bench_aides_covid.py [--states 50]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatoire import config, db  # noqa: E402
from observatoire.queries import aides_covid as q  # noqa: E402


def states(n: int, seed: int = 7) -> list[dict]:
    con = db.connect()
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        scheme = rnd.choice([s for s in q.SCHEMES if s != q.AP])
        level = rnd.choice(q.levels_for(scheme))
        terr = q.territories(con, level, scheme)["code"].tolist()
        code = rnd.choice(terr) if level != "france" and terr else None
        secs = q.sections(con, scheme)["code"].tolist()
        chosen = rnd.sample(secs, rnd.choice([0, 0, 1, 2]))
        date = rnd.choice(q.dates(con, scheme))
        out.append({"dispositif": scheme, "niveau": level, "territoire": code, "sections": chosen, "date": date})
    con.close()
    return out


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def summary(values):
    return {"median": statistics.median(values), "p95": pct(values, 95), "max": max(values)}


def bench_ours(sts: list[dict], warm: bool) -> list[float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    times = []
    at = AppTest.from_file(str(ROOT / "pages" / "aides_covid.py"), default_timeout=120)
    at.run()  # one app, as one browser session: later runs are reruns after a filter change
    for s in sts:
        if not warm:
            st.cache_data.clear()
        at.query_params.clear()
        for k, v in s.items():
            if v:
                at.query_params[k] = ",".join(v) if isinstance(v, list) else v
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    return times


def bench_queries(sts: list[dict]) -> list[float]:
    """Our query layer alone (no Streamlit, no cache): the same outputs the baseline computes."""
    con = db.connect()
    times = []
    for s in sts:
        args = (s["dispositif"], s["niveau"], s["territoire"], s["sections"])
        t0 = time.perf_counter()
        q.kpis(con, *args, s["date"])
        q.series(con, *args)
        q.map_values(con, s["dispositif"], "region" if s["niveau"] == "region" else "departement", s["sections"], s["date"])
        q.by_section(con, *args, s["date"])
        times.append(time.perf_counter() - t0)
    con.close()
    return times


def bench_baseline(sts: list[dict], mirror: Path) -> tuple[float, list[float]]:
    """Naive dashboard: every CSV snapshot read into pandas at start-up, filtered in memory per state."""
    import pandas as pd

    started = time.perf_counter()
    frames = []
    pub = mirror / "aides_covid_etalab" / "published-data"
    folders = {"fds": ("fonds-solidarite", "fonds-solidarite-volet-1"), "fds_volet2": ("fonds-solidarite", "fonds-solidarite-volet-2"),
               "pge": ("pge", "pge"), "reports": ("reports-echeances", "reports-echeances"), "cpsti": ("cpsti", "cpsti")}
    for scheme, (folder, stem) in folders.items():
        for path in sorted((pub / folder).glob(f"*/{stem}-*-naf-latest.csv")):
            df = pd.read_csv(path, dtype={"dep": str, "reg": str})
            df["scheme"] = scheme
            df["level"] = "departement" if "departemental" in path.name else "region"
            df["snapshot_date"] = path.parent.name[-10:]
            frames.append(df)
    data = pd.concat(frames, ignore_index=True)
    load = time.perf_counter() - started
    times = []
    for s in sts:
        t0 = time.perf_counter()
        d = data[data["scheme"] == s["dispositif"]]
        if s["sections"]:
            d = d[d["code_section"].isin(s["sections"])]
        if s["niveau"] == "france":
            sel = d[d["level"] == "region"]
        else:
            col = "dep" if s["niveau"] == "departement" else "reg"
            sel = d[(d["level"] == s["niveau"]) & (d[col] == s["territoire"])]
        at_date = sel[sel["snapshot_date"] == s["date"]]
        _ = at_date["montant_total"].sum()
        _ = sel.groupby("snapshot_date")["montant_total"].sum().diff()
        m = d[(d["snapshot_date"] == s["date"]) & (d["level"] == ("region" if s["niveau"] == "region" else "departement"))]
        _ = m.groupby("dep" if s["niveau"] != "region" else "reg")["montant_total"].sum().rank()
        _ = at_date.groupby("code_section")["montant_total"].sum().sort_values()
        times.append(time.perf_counter() - t0)
    return load, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--states", type=int, default=50)
    args = parser.parse_args()
    if not config.db_path().is_file():
        sys.exit("Base absente : lancez d'abord python -m observatoire build")
    proc = psutil.Process()
    sts = states(args.states)
    cold = bench_ours(sts, warm=False)
    bench_ours(sts, warm=True)  # fill the cache with these states
    warm = bench_ours(sts, warm=True)
    queries = bench_queries(sts)
    rss_ours = proc.memory_info().rss / 2**20
    rss_before = proc.memory_info().rss
    load, base = bench_baseline(sts, config.mirror_path())
    rss_base = (proc.memory_info().rss - rss_before) / 2**20
    result = {"states": len(sts), "ours_cold_s": summary(cold), "ours_warm_s": summary(warm), "ours_queries_s": summary(queries),
              "baseline_startup_s": load, "baseline_filter_s": summary(base),
              "rss_process_mb_after_ours": rss_ours, "baseline_extra_rss_mb": rss_base}
    print(f"Page Aides Covid, {len(sts)} états de filtres aléatoires (AppTest, temps serveur d'un rerun complet)")
    print(f"{'mesure':<46} {'médiane':>9} {'p95':>9} {'max':>9}")
    for name, key in (("nous, rerun de page, cache vidé (froid), s", "ours_cold_s"),
                      ("nous, rerun de page, cache gardé (chaud), s", "ours_warm_s"),
                      ("nous, requêtes DuckDB seules (sans cache), s", "ours_queries_s"),
                      ("référence pandas naïve, filtrage seul, s", "baseline_filter_s")):
        v = result[key]
        print(f"{name:<46} {v['median']:>9.3f} {v['p95']:>9.3f} {v['max']:>9.3f}")
    print(f"référence pandas naïve : chargement des CSV au démarrage {load:.2f} s, +{rss_base:.0f} Mo de mémoire")
    print(f"mémoire du processus (RSS) après nos reruns : {rss_ours:.0f} Mo")
    out = ROOT / "bench" / "results" / "aides_covid.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"Résultats : {out}")


if __name__ == "__main__":
    main()
