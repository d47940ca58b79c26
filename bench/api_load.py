"""The data API under load: N sessions browse (bench.load) for a while; then again while M API clients pull data from
the same server without pause (random views of random valid page states in every format, whole tables, console
queries), as notebooks and refreshed workbooks would. Prints the sessions' rerun times in both phases and their ratio,
the API's answers (count, statuses, times), and the peak memory of the server with its console workers.

Usage: python -m bench.api_load [--sessions 10] [--clients 10] [--seconds 60]"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import states as page_states
from bench.attack import peak_memory
from bench.common import summary
from bench.load import run_load, state_pool
from bench.server import ROOT, streamlit_server

FORMATS = ["csv", "excel.csv", "xlsx", "parquet", "json"]
SQL = [
    "SELECT source_id, title, licence FROM sources",
    "SELECT scheme, level, count(*) AS n FROM covid_aid_snapshots GROUP BY ALL ORDER BY ALL",
    "SELECT region_code, count(*) AS n FROM geo_departements GROUP BY 1 ORDER BY 1",
]


def addresses(db_path: Path, per_page: int = 30, seed: int = 7) -> list[str]:
    """API paths (without the server's address): each view of each page for random valid states, in every format;
    some whole tables; some console queries."""
    from observatoire import db, views
    from observatoire.queries import donnees

    con = db.connect(db_path)
    rnd = random.Random(seed)
    out = []
    for page, pv in views.PAGES.items():
        for state in page_states.PAGES[page](con, per_page, rnd):
            view = rnd.choice(list(pv.views))
            if view.startswith("comparaison"):  # its own parameter: two to five territories
                ids = con.execute(
                    "SELECT territory_id FROM ti_territories WHERE version = 2024 ORDER BY territory_id"
                ).fetchall()
                state = {"version": 2024, "comparer": ",".join(rnd.sample([i for (i,) in ids], rnd.randint(2, 5)))}
            query = urllib.parse.urlencode(state)
            out.append(f"/api/v1/{page}/{view}.{rnd.choice(FORMATS)}" + (f"?{query}" if query else ""))
    small = [t for t in donnees.table_names(con) if con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] < 20_000]
    out += [f"/api/v1/tables/{rnd.choice(small)}.{rnd.choice(['csv', 'parquet', 'json'])}" for _ in range(10)]
    out += [f"/api/v1/sql.{rnd.choice(['csv', 'json'])}?q={urllib.parse.quote(q)}" for q in SQL]
    con.close()
    return out


def client(url: str, paths: list[str], seed: int, until: float, out: list) -> None:
    rnd = random.Random(seed)
    while time.monotonic() < until:
        path = rnd.choice(paths)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url + path, timeout=120) as r:
                size, status = len(r.read()), r.status
        except urllib.error.HTTPError as e:
            size, status = len(e.read()), e.code
        except OSError as e:
            size, status = 0, f"{type(e).__name__}"
        out.append({"path": path, "status": status, "seconds": time.perf_counter() - started, "bytes": size})


def run(db_path: Path, sessions: int, clients: int, seconds: float) -> dict:
    pool = state_pool(db_path)
    paths = addresses(db_path)
    with streamlit_server(db_path, ROOT / "bench" / "results" / "api_load_server.log") as (url, proc):
        run_load(url, proc.pid, pool, sessions, seconds / 2)  # warms the caches: both phases see the same server
        quiet = run_load(url, proc.pid, pool, sessions, seconds)
        answers = []
        with peak_memory(proc.pid) as peak:
            until = time.monotonic() + seconds
            pullers = [
                threading.Thread(target=client, args=(url, paths, i, until, answers), daemon=True)
                for i in range(clients)
            ]
            for t in pullers:
                t.start()
            loaded = run_load(url, proc.pid, pool, sessions, seconds)
            for t in pullers:
                t.join()
    statuses: dict[str, int] = {}
    for a in answers:
        statuses[str(a["status"])] = statuses.get(str(a["status"]), 0) + 1
    q, a = quiet["latency_s"], loaded["latency_s"]
    return {
        "sessions": sessions,
        "clients": clients,
        "seconds": seconds,
        "quiet": quiet,
        "loaded": loaded,
        "median_ratio": a["median"] / q["median"] if q["median"] else None,
        "p95_ratio": a["p95"] / q["p95"] if q["p95"] else None,
        "api_requests": len(answers),
        "api_statuses": statuses,
        "api_errors": sum(n for s, n in statuses.items() if s not in ("200", "304")),
        "api_seconds": summary([x["seconds"] for x in answers]),
        "api_megabytes": sum(x["bytes"] for x in answers) / 1e6,
        "peak_server_and_workers_rss_mb": peak["rss"],
        "peak_server_and_workers_pss_mb": peak["pss"],
        "slowest": sorted(answers, key=lambda x: -x["seconds"])[:5],
    }


def print_result(r: dict) -> None:
    q, a = r["quiet"]["latency_s"], r["loaded"]["latency_s"]
    print(
        f"API sous charge : {r['sessions']} sessions, {r['clients']} clients de l'API, {r['seconds']:.0f} s par phase"
    )
    print(
        f"  sessions seules : {r['quiet']['interactions']} interactions, {r['quiet']['errors']} erreur(s), "
        f"médiane {q['median']:.3f} s, p95 {q['p95']:.3f} s"
    )
    print(
        f"  avec l'API : {r['loaded']['interactions']} interactions, {r['loaded']['errors']} erreur(s), "
        f"médiane {a['median']:.3f} s, p95 {a['p95']:.3f} s (×{r['median_ratio']:.2f} / ×{r['p95_ratio']:.2f})"
    )
    s = r["api_seconds"]
    print(
        f"  API : {r['api_requests']} réponses ({r['api_megabytes']:.0f} Mo), statuts {r['api_statuses']}, "
        f"{r['api_errors']} erreur(s) ; durée médiane {s['median']:.2f} s, p95 {s['p95']:.2f} s, max {s['max']:.2f} s"
    )
    print(
        f"  pic mémoire serveur + processus de requêtes : {r['peak_server_and_workers_pss_mb']:.0f} Mo (PSS ; "
        f"{r['peak_server_and_workers_rss_mb']:.0f} Mo en additionnant les RSS) ; sessions seules (RSS du serveur) : "
        f"{r['quiet']['server_peak_rss_mb']:.0f} Mo"
    )


def main() -> None:
    from observatoire import config

    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.db or config.db_path(), args.sessions, args.clients, args.seconds)
    print_result(result)
    out = ROOT / "bench" / "results" / "api_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
