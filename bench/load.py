"""Load test: N concurrent sessions against one local server, each changing filters on every page for a while.

A session is a protocol-level client: it speaks Streamlit's websocket protocol (BackMsg / ForwardMsg protobufs) as the
browser does — one websocket per session, a rerun request with the page and the URL state, the browser's
cached-message hashes — so the server runs the page scripts exactly as for a browser tab, without a browser's CPU cost.
An interaction is: send the rerun, wait for `script_finished`. Errors: an exception element, a compile error, a
session event reporting an exception, a timeout or a closed connection.

Usage: python -m bench.load [--sessions 10] [--seconds 60] [--db data/observatoire.duckdb]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

from bench import states as page_states
from bench.common import rss_mb, summary
from bench.server import ROOT, streamlit_server

INTERACTION_TIMEOUT = 120


def state_pool(db_path: Path, per_page: int = 30, seed: int = 11) -> dict[str, list[str]]:
    from observatoire import db

    con = db.connect(db_path)
    rnd = random.Random(seed)
    pool = {page: [urllib.parse.urlencode(s) for s in fn(con, per_page, rnd)] for page, fn in page_states.PAGES.items()}
    con.close()
    return pool


def connect(url: str):
    """A websocket session with a Streamlit server, as a browser tab opens it (async context manager). `url` is the
    server's http://host:port address."""
    import websockets

    url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    return websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=30)


async def rerun(
    ws, page: str, query_string: str = "", cached: set[str] | None = None, timeout: float = INTERACTION_TIMEOUT
) -> str | None:
    """One run of a page through an open websocket, as a browser asks for it; waits until the script ends. Returns
    None, or what went wrong, in French. Raises TimeoutError when a message does not come in time."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from observatoire.ui.warmup import outcome, rerun_request

    cached = set() if cached is None else cached
    await ws.send(rerun_request(page, query_string, cached).SerializeToString())
    error = None
    while True:
        msg = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), timeout=timeout))
        if msg.metadata.cacheable and msg.hash:
            cached.add(msg.hash)
        ended, problem = outcome(msg)
        error = error or problem
        if ended:
            return error


async def session(url: str, pool: dict[str, list[str]], until: float, seed: int, out: dict) -> None:
    from observatoire.ui.warmup import page_name

    rnd = random.Random(seed)
    pages = list(pool)
    cached: set[str] = set()
    try:
        async with connect(url) as ws:
            i = rnd.randrange(len(pages))
            while time.monotonic() < until:
                page = pages[i % len(pages)]
                i += 1
                qs = rnd.choice(pool[page])
                started = time.perf_counter()
                try:
                    error = await rerun(ws, page_name(page), qs, cached, INTERACTION_TIMEOUT)
                except TimeoutError:
                    error = f"délai dépassé ({INTERACTION_TIMEOUT} s)"
                elapsed = time.perf_counter() - started
                out["latencies"].append(elapsed)
                out["by_page"].setdefault(page, []).append(elapsed)
                if error:
                    out["errors"].append(f"{page}?{qs} : {error}")
                    if error.startswith("délai"):
                        return
    except Exception as exc:  # noqa: BLE001 - a refused or dropped connection is an error of the run, not a crash of the test
        out["errors"].append(f"connexion : {type(exc).__name__} {exc}")


def run_load(url: str, server_pid: int, pool: dict[str, list[str]], sessions: int, seconds: float) -> dict:
    out = {"latencies": [], "errors": [], "by_page": {}}
    peak = {"rss": rss_mb(server_pid)}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak["rss"] = max(peak["rss"], rss_mb(server_pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    me = psutil.Process()
    cpu0, wall0 = me.cpu_times(), time.perf_counter()
    until = time.monotonic() + seconds

    async def all_sessions():
        await asyncio.gather(*(session(url, pool, until, seed, out) for seed in range(sessions)))

    # in its own thread: the caller may already run an event loop (Playwright's sync API does, in the tests)
    runner = threading.Thread(target=lambda: asyncio.run(all_sessions()))
    runner.start()
    runner.join()
    wall = time.perf_counter() - wall0
    cpu1 = me.cpu_times()
    stop.set()
    sampler.join()
    gen_cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / wall
    return {
        "sessions": sessions,
        "seconds": seconds,
        "wall_s": wall,
        "interactions": len(out["latencies"]),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:10],
        "latency_s": summary(out["latencies"]),
        "latency_by_page_s": {p: summary(v) for p, v in out["by_page"].items()},
        "server_peak_rss_mb": peak["rss"],
        "generator_cpu_cores": gen_cpu,
        "cores": psutil.cpu_count(),
    }


def load_test(db_path: Path, sessions: int, seconds: float, log: Path | None = None) -> dict:
    pool = state_pool(db_path)
    with streamlit_server(db_path, log) as (url, proc):
        return run_load(url, proc.pid, pool, sessions, seconds)


def print_result(r: dict) -> None:
    lat = r["latency_s"]
    print(
        f"Test de charge : {r['sessions']} sessions, {r['seconds']:.0f} s, {r['interactions']} interactions, {r['errors']} erreur(s)"
    )
    print(f"  latence d'une interaction (s) : médiane {lat['median']:.3f}, p95 {lat['p95']:.3f}, max {lat['max']:.3f}")
    for page, s in r["latency_by_page_s"].items():
        print(f"    {page:<12} n={s['n']:>4}  médiane {s['median']:.3f}  p95 {s['p95']:.3f}  max {s['max']:.3f}")
    print(
        f"  mémoire du serveur (pic, RSS) : {r['server_peak_rss_mb']:.0f} Mo ; CPU du générateur de charge : "
        f"{r['generator_cpu_cores']:.2f} cœur sur {r['cores']}"
    )
    for e in r["error_samples"]:
        print("  erreur :", e)


def main() -> None:
    from observatoire import config

    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    db_path = args.db or config.db_path()
    result = load_test(db_path, args.sessions, args.seconds, ROOT / "bench" / "results" / "load_server.log")
    print_result(result)
    out = ROOT / "bench" / "results" / "load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
