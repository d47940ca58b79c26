"""The benchmark suite, one command: python -m bench [--states 50] [--scales 1,10,100] [--quick]

Prints one table and writes bench/results/suite.json (median, 95th percentile, max), compared with
bench/baseline_suite.json when present. Each measurement runs in its own process, so memory figures are not mixed.
  1. build: time, peak memory, database size;
  2. per page (AppTest, server time): first render, rerun after a filter change over random valid URL states,
     cache cleared (cold) and kept (warm), on the real database and on copies scaled 10x and 100x (bench/scale.py);
  3. the naive baseline (bench/naive.py) for the same states, ratio to ours: its pandas work alone (time per filter
     change, memory of its data), and the naive page (bench/naive_app.py, same work plus plain Streamlit rendering,
     timed by AppTest as ours);
  4. real browser (chromium): page ready (map canvas and table rows), filter change until the KPI text changes;
     and the machine's speed before and after (a fixed piece of work in chromium and in Python: the VM drifts);
  5. server memory with 1, 5 and 10 browser sessions; 6. load test (bench/load.py); 7. the same load while one more
     session runs the console's worst queries (bench/attack.py): rerun times beside those without the attack, and
     the memory of the server with its console workers; 8. the same load while 10 clients pull the data API
     (bench/api_load.py): rerun times beside those without, the API's answers, the server's memory."""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASELINE = ROOT / "bench" / "baseline_suite.json"
AIMS = {
    "warm_1x_s": 0.150,
    "warm_100x_s": 0.300,
    "naive_ratio_100x": 5.0,
    "ready_s": 2.5,
    "rss_10_sessions_mb": 600,
    "load_errors": 0,
}


def worker(args: list[str]) -> dict:
    """Run one measurement in a fresh Python process; it prints its JSON on the last line."""
    out = subprocess.run([sys.executable, "-m", "bench", "--worker", *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"mesure {' '.join(args)} en échec :\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_worker(kind: str, page: str, db_path: str, scale: int, n: int) -> None:
    import os

    from bench.common import rss_mb, summary

    os.environ["OBSERVATOIRE_DB"] = db_path
    if kind == "switch":
        from bench.pages import territory_switches

        r = territory_switches(Path(db_path), n)
    elif kind == "page":
        from bench.pages import time_page

        before = rss_mb()
        r = time_page(page, Path(db_path), n)
        r["rss_mb"] = rss_mb()
        r["rss_growth_mb"] = r["rss_mb"] - before
    elif kind == "naive_page":
        from streamlit.testing.v1 import AppTest

        from bench import states as page_states
        from bench.pages import _run
        from observatoire import db

        os.environ["NAIVE_PAGE"], os.environ["NAIVE_SCALE"] = page, str(scale)
        con = db.connect(db_path)
        sts = page_states.PAGES[page](con, n, random.Random(7))
        con.close()
        at = AppTest.from_file(str(ROOT / "bench" / "naive_app.py"), default_timeout=1800)
        t0 = time.perf_counter()
        at.run()  # reads the raw files
        first = time.perf_counter() - t0
        r = {
            "first_render_s": first,
            "page_s": summary([_run(at, s) for s in sts]),
            "rss_mb": rss_mb(),
            "states": len(sts),
        }
    else:  # naive
        from bench import naive
        from bench import states as page_states
        from observatoire import config, db

        con = db.connect(db_path)
        sts = page_states.PAGES[page](con, n, random.Random(7))
        con.close()
        before = rss_mb()
        t0 = time.perf_counter()
        model = naive.PAGES[page](config.mirror_path(), scale)
        load = time.perf_counter() - t0
        times = []
        for s in sts:
            t0 = time.perf_counter()
            model.run(s)
            times.append(time.perf_counter() - t0)
        r = {
            "load_s": load,
            "filter_s": summary(times),
            "rss_mb": rss_mb(),
            "data_mb": rss_mb() - before,
            "states": len(sts),
        }
    print(json.dumps(r))


def fmt(v, unit="s"):
    if v is None:
        return "—"
    return f"{v:.3f}" if unit == "s" else f"{v:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--states", type=int, default=50)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument(
        "--naive-states-100x", type=int, default=10, help="états mesurés pour la référence naïve à 100x (lente)"
    )
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument(
        "--skip", default="", help="parties à sauter, parmi build,pages,naive,switch,browser,memory,load,attack,api"
    )
    parser.add_argument("--quick", action="store_true", help="10 états, échelles 1 et 10, charge 15 s")
    parser.add_argument("--worker", nargs=5, metavar=("KIND", "PAGE", "DB", "SCALE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, page, db_path, scale, n = args.worker
        return run_worker(kind, page, db_path, int(scale), int(n))
    if args.quick:
        args.states, args.scales, args.load_seconds = 10, "1,10", 15
    skip = set(args.skip.split(",")) - {""}
    out = RESULTS / (
        "suite_partial.json" if skip or args.quick else "suite.json"
    )  # a partial run keeps the last full suite
    from bench import load as load_mod
    from bench.browser import machine_speed, memory_with_sessions, restart_visits, timings
    from bench.scale import fact_rows, scaled_copy
    from bench.server import streamlit_server
    from bench.states import PAGES
    from observatoire import config

    RESULTS.mkdir(parents=True, exist_ok=True)
    real = config.db_path()
    if not real.is_file():
        sys.exit("Base absente : lancez d'abord python -m observatoire build")
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {platform.system()}, "
        f"{__import__('os').cpu_count()} cœurs, Python {platform.python_version()}",
        "states": args.states,
    }

    if "build" not in skip:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_build import one_run

        with tempfile.TemporaryDirectory() as tmp:
            result["build"] = one_run(Path(tmp) / "bench.duckdb")
        print(
            f"Construction : {result['build']['seconds']:.1f} s, pic mémoire {result['build']['peak_rss_mb']:.0f} Mo, "
            f"base {result['build']['db_mb']:.1f} Mo",
            flush=True,
        )

    scales = [int(s) for s in args.scales.split(",")]
    dbs = {1: real}
    for k in scales:
        if k > 1:
            dbs[k] = scaled_copy(real, RESULTS / f"scaled_{k}x.duckdb", k)
    result["fact_rows"] = {f"{k}x": fact_rows(p) for k, p in dbs.items()}
    result["pages"], result["naive"] = {}, {}
    for k in scales:
        for page in PAGES:
            if "pages" not in skip:
                r = worker(["page", page, str(dbs[k]), str(k), str(args.states)])
                result["pages"].setdefault(page, {})[f"{k}x"] = r
                out.write_text(json.dumps(result, indent=2, default=str))  # progress, in case the run stops
                print(
                    f"{page:<12} {k:>3}x  premier rendu {r['first_render_s']:.2f} s  froid méd. {r['cold_s']['median']:.3f}  "
                    f"chaud méd. {r['warm_s']['median']:.3f} p95 {r['warm_s']['p95']:.3f}",
                    flush=True,
                )
            if "naive" not in skip and page in ("aides_covid", "laureats", "territoires"):
                n = args.naive_states_100x if k >= 100 else args.states
                r = worker(["naive", page, str(dbs[k]), str(k), str(n)])
                result["naive"].setdefault(page, {})[f"{k}x"] = r
                print(
                    f"{'':<12} {k:>3}x  référence naïve : chargement {r['load_s']:.1f} s, +{r['data_mb']:.0f} Mo, "
                    f"changement de filtre méd. {r['filter_s']['median']:.3f} s",
                    flush=True,
                )
                r = worker(["naive_page", page, str(dbs[k]), str(k), str(n)])
                result.setdefault("naive_page", {}).setdefault(page, {})[f"{k}x"] = r
                print(
                    f"{'':<12} {k:>3}x  page naïve : premier rendu {r['first_render_s']:.1f} s, rerun méd. {r['page_s']['median']:.3f} s, "
                    f"p95 {r['page_s']['p95']:.3f}, processus {r['rss_mb']:.0f} Mo",
                    flush=True,
                )

    if "switch" not in skip:
        result["territoires_switch"] = {}
        for k in scales:
            r = worker(["switch", "territoires", str(dbs[k]), str(k), "20"])
            result["territoires_switch"][f"{k}x"] = r
            print(
                f"territoires {k:>3}x  changer de territoire : 1re visite méd. {r['switch_territory_first_visit_s']['median']:.3f} s, "
                f"revisite {r['switch_territory_revisit_s']['median']:.3f} s ; changer de version : 1re fois méd. "
                f"{r['switch_version_first_visit_s']['median']:.3f} s, ensuite {r['switch_version_revisit_s']['median']:.3f} s",
                flush=True,
            )

    if not skip >= {"browser", "memory", "load"}:
        with streamlit_server(real, RESULTS / "suite_server.log") as (url, proc):
            if "browser" not in skip:
                result["machine_speed"] = {"before": machine_speed()}
                print(
                    f"vitesse de la machine avant les mesures du navigateur : {speed_text(result['machine_speed']['before'])}",
                    flush=True,
                )
                with streamlit_server(real, RESULTS / "floor_server.log", script="bench/floor_app.py") as (
                    floor_url,
                    _,
                ):
                    result["browser"] = timings(url, floor_url=floor_url)
                for page, r in result["browser"].items():
                    fc = r["filter_change_s"]
                    print(
                        f"navigateur {page:<12} page prête méd. {r['ready_s']['median']:.2f} s (p95 {r['ready_s']['p95']:.2f}), "
                        f"première visite {r['ready_first_visit_s']['median']:.2f} s (1re demande de la page depuis le démarrage : "
                        f"{r['ready_cold_server_s']['median']:.2f} s)"
                        + floor_text(r)
                        + (f", changement de filtre méd. {fc['median']:.2f} s" if fc else ""),
                        flush=True,
                    )
            if "memory" not in skip:
                result["server_rss_mb"] = memory_with_sessions(url, proc.pid)
                print(
                    "mémoire du serveur (Mo) par sessions de navigateur :",
                    {k: round(v) for k, v in result["server_rss_mb"].items()},
                    flush=True,
                )
    if "browser" not in skip:
        ready, since_launch, result["server_start_s"] = restart_visits(real)
        for page, r in ready.items():
            result["browser"][page]["ready_after_restart_s"] = r
            result["browser"][page]["ready_since_launch_s"] = since_launch[page]
            print(
                f"navigateur {page:<12} première page demandée à un serveur tout juste démarré : méd. {r['median']:.2f} s "
                f"(max {r['max']:.2f}, n={r['n']}) ; depuis le lancement de streamlit run : méd. "
                f"{since_launch[page]['median']:.2f} s",
                flush=True,
            )
        result["machine_speed"]["after"] = machine_speed()
        print(f"vitesse de la machine après : {speed_text(result['machine_speed']['after'])}", flush=True)
        st = result["server_start_s"]
        print(
            f"démarrage du serveur (lancement → réponse au bilan de santé, préchauffage compris) : méd. {st['median']:.2f} s, "
            f"max {st['max']:.2f} s (n={st['n']})",
            flush=True,
        )
    if "load" not in skip:
        result["load"] = load_mod.load_test(real, 10, args.load_seconds, RESULTS / "load_server.log")
        load_mod.print_result(result["load"])
    if "attack" not in skip:
        from bench import attack

        result["attack"] = attack.run(real, 10, args.load_seconds / 2)
        attack.print_result(result["attack"])
    if "api" not in skip:
        from bench import api_load

        result["api_load"] = api_load.run(real, 10, 10, args.load_seconds)
        api_load.print_result(result["api_load"])

    summary_table(result)
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nRésultats : {out}")


def floor_text(r: dict) -> str:
    """The page's floor (bench/floor_app.py: the same kinds of map and table, nothing of ours), first visits
    interleaved with the page's, and what our code adds to it."""
    f = r.get("floor_first_visit_s")
    if not f or f["median"] is None:
        return ""
    return (
        f" ; plancher de la pile ({r['floor_elements']}) {f['median']:.2f} s, "
        f"notre code y ajoute {r['ready_first_visit_s']['median'] - f['median']:+.2f} s"
    )


def speed_text(speed: dict) -> str:
    return f"JavaScript {speed['js_s']:.3f} s, Python {speed['python_s']:.3f} s"


def same_states_median(ours: dict, naive: dict | None) -> float:
    """Our warm median over the states the naive baseline ran (the first ones: 10 of 50 at 100x), for its ratios."""
    each = ours.get("warm_each_s")
    if not naive or not each:
        return ours["warm_s"]["median"]
    return statistics.median(each[: naive["states"]])


def summary_table(result: dict) -> None:
    base = json.loads(BASELINE.read_text()) if BASELINE.is_file() else None
    print("\n" + "=" * 110)
    print(f"Observatoire — bancs d'essai du {result['date']} ({result['machine']})")
    print(
        f"{'page':<12} {'échelle':>7} {'1er rendu':>9} {'froid méd':>9} {'froid p95':>9} {'chaud méd':>9} {'chaud p95':>9} {'chaud max':>9}"
        f" {'naïf méd':>9} {'ratio':>6} {'Mo naïf':>8} {'Mo nous':>8} {'page naïve':>10} {'ratio':>6} {'Mo':>6}"
    )
    for page, by_scale in result.get("pages", {}).items():
        for scale, r in by_scale.items():
            nv = result.get("naive", {}).get(page, {}).get(scale)
            ours = same_states_median(r, nv)
            ratio = nv["filter_s"]["median"] / ours if nv else None
            npg = result.get("naive_page", {}).get(page, {}).get(scale)
            page_ratio = npg["page_s"]["median"] / ours if npg else None
            print(
                f"{page:<12} {scale:>7} {r['first_render_s']:>9.3f} {r['cold_s']['median']:>9.3f} {r['cold_s']['p95']:>9.3f} "
                f"{r['warm_s']['median']:>9.3f} {r['warm_s']['p95']:>9.3f} {r['warm_s']['max']:>9.3f} "
                f"{fmt(nv['filter_s']['median']) if nv else '—':>9} {f'{ratio:.1f}' if ratio else '—':>6} "
                f"{fmt(nv['data_mb'], 'mb') if nv else '—':>8} {fmt(r['rss_mb'], 'mb'):>8} "
                f"{fmt(npg['page_s']['median']) if npg else '—':>10} {f'{page_ratio:.1f}' if page_ratio else '—':>6} "
                f"{fmt(npg['rss_mb'], 'mb') if npg else '—':>6}"
            )
            if base and page in base.get("pages", {}) and scale in base["pages"][page]:
                b = base["pages"][page][scale]["warm_s"]["median"]
                print(
                    f"{'':<12} {'':>7} référence enregistrée : chaud méd. {b:.3f} s ({(r['warm_s']['median'] - b) / b:+.0%})"
                )
    for page, r in result.get("browser", {}).items():
        b = (base or {}).get("browser", {}).get(page)
        restart = r.get("ready_after_restart_s")
        print(
            f"navigateur {page:<12} prête méd. {r['ready_s']['median']:.2f} s, 1re visite {r['ready_first_visit_s']['median']:.2f} s"
            + (f", juste après un démarrage {restart['median']:.2f} s" if restart else "")
            + floor_text(r)
            + (
                f" (référence : {b['ready_s']['median']:.2f} s, {b['ready_first_visit_s']['median']:.2f} s)"
                if b
                else ""
            )
        )
    if result.get("machine_speed"):
        speed, b = result["machine_speed"], (base or {}).get("machine_speed")
        print(
            "vitesse de la machine (un même travail fixe, en s ; plus court = plus rapide) : "
            + " ; ".join(
                f"{when} {speed_text(v)}"
                for when, v in (("avant", speed.get("before")), ("après", speed.get("after")))
                if v
            )
            + (f" (référence : {speed_text(b.get('before') or b)})" if b else "")
        )
    if result.get("server_start_s"):
        print(
            f"démarrage du serveur jusqu'au bilan de santé (préchauffage compris) : méd. {result['server_start_s']['median']:.2f} s"
        )
    print(
        "Temps en secondes, serveur (AppTest) ; ratio = temps naïf d'un changement de filtre (pandas seul) / notre rerun chaud "
        "sur les mêmes états (les 10 premiers à 100x) ; "
        "Mo naïf = mémoire des données pandas, Mo nous = processus entier ; page naïve = le même travail pandas rendu en "
        "éléments Streamlit simples, rerun chaud mesuré comme le nôtre (ratio = page naïve / nous ; Mo = processus entier)."
    )


if __name__ == "__main__":
    main()
