"""Load with and without an attacker: N sessions browse (bench.load) for a while; then again while one more session
runs the console's worst queries through the Données page, one after another (the text area filled and « Exécuter »
clicked, as a browser does over the websocket). Prints the sessions' rerun times in both phases, their ratio, and the
peak memory of the server with its console workers.

Usage: python -m bench.attack [--sessions 10] [--seconds 30]"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import threading
import time
from pathlib import Path

import psutil

from bench.common import summary
from bench.load import connect, run_load, state_pool
from bench.server import ROOT, streamlit_server

WORST = [
    "SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c",  # CPU until the deadline
    "SELECT repeat('x', 100000) AS s FROM range(5000)",  # wide rows
    "SELECT list_sort(range(100000000))[1]",  # a huge list, sorted
    "SELECT length(repeat('x', 1000000000))",  # a huge string
    "SELECT list(range) FROM range(200000000)",  # a list grown row by row
]


async def attacker(url: str, until: float, out: dict) -> None:
    """One session that runs WORST on the Données page, as a browser would: it reads the ids of the text area and
    of the « Exécuter » button from a first run, then sends their values with each rerun."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from observatoire.ui.warmup import outcome, rerun_request

    async with connect(url) as ws:
        ids = {}
        await ws.send(rerun_request("donnees").SerializeToString())
        while True:
            msg = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), 60))
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                kind = el.WhichOneof("type")
                if kind == "text_area" and el.text_area.label == "Requête SQL":
                    ids["sql"] = el.text_area.id
                elif kind == "button" and el.button.label == "Exécuter":
                    ids["run"] = el.button.id
            if outcome(msg)[0]:
                break
        i = 0
        while time.monotonic() < until:
            sql = WORST[i % len(WORST)]
            i += 1
            msg = BackMsg()
            msg.rerun_script.page_name = "donnees"
            sql_state = msg.rerun_script.widget_states.widgets.add()
            sql_state.id, sql_state.string_value = ids["sql"], sql
            button = msg.rerun_script.widget_states.widgets.add()
            button.id, button.trigger_value = ids["run"], True
            started = time.perf_counter()
            await ws.send(msg.SerializeToString())
            text = ""
            while True:
                m = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), 60))
                if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                    el = m.delta.new_element
                    if el.WhichOneof("type") == "alert":
                        text = el.alert.body
                if outcome(m)[0]:
                    break
            # the alert's Markdown source (markup.plain): shown here as the page renders it
            readable = re.sub(r"\\([^\w\s])", r"\1", text).replace("\u2060", "")
            out.append({"sql": sql, "seconds": time.perf_counter() - started, "message": readable[:120]})


@contextlib.contextmanager
def peak_memory(pid: int, every_s: float = 0.2):
    """{"rss": MB, "pss": MB}: the peaks of tree_memory_mb(pid), sampled while the block runs."""
    peak, stop = {"rss": 0.0, "pss": 0.0}, threading.Event()

    def sample():
        while not stop.is_set():
            rss, pss = tree_memory_mb(pid)
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            stop.wait(every_s)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of the server and its console workers, in MB. RSS counts the pages of shared libraries (DuckDB's
    50 MB among them) once in every process; PSS shares them out, so their sum is the memory the processes use
    together, as the container's memory accounting sees it."""
    rss = pss = 0
    proc = psutil.Process(pid)
    for p in [proc, *proc.children(recursive=True)]:
        try:
            info = p.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += info.pss
    return rss / 2**20, pss / 2**20


def run(db_path: Path, sessions: int, seconds: float) -> dict:
    pool = state_pool(db_path)
    with streamlit_server(db_path, ROOT / "bench" / "results" / "attack_server.log") as (url, proc):
        run_load(url, proc.pid, pool, sessions, seconds)  # warms the caches: the two phases below see the same server
        quiet = run_load(url, proc.pid, pool, sessions, seconds)
        attacks = []
        with peak_memory(proc.pid) as peak:
            until = time.monotonic() + seconds
            hostile = threading.Thread(target=lambda: asyncio.run(attacker(url, until, attacks)))
            hostile.start()
            attacked = run_load(url, proc.pid, pool, sessions, seconds)
            hostile.join()
    ratio = attacked["latency_s"]["median"] / quiet["latency_s"]["median"] if quiet["latency_s"]["median"] else None
    return {
        "sessions": sessions,
        "seconds": seconds,
        "quiet": quiet,
        "attacked": attacked,
        "median_ratio": ratio,
        "p95_ratio": attacked["latency_s"]["p95"] / quiet["latency_s"]["p95"] if quiet["latency_s"]["p95"] else None,
        "peak_server_and_workers_rss_mb": peak["rss"],
        "peak_server_and_workers_pss_mb": peak["pss"],
        "attacks": attacks,
        "attack_seconds": {
            **summary([a["seconds"] for a in attacks]),
            "min": min((a["seconds"] for a in attacks), default=None),
        },
    }


def print_result(r: dict) -> None:
    q, a = r["quiet"]["latency_s"], r["attacked"]["latency_s"]
    print(f"Attaque de la console : {r['sessions']} sessions, {r['seconds']:.0f} s par phase")
    print(
        f"  sans attaque : {r['quiet']['interactions']} interactions, médiane {q['median']:.3f} s, p95 {q['p95']:.3f} s"
    )
    print(
        f"  avec attaque : {r['attacked']['interactions']} interactions, {r['attacked']['errors']} erreur(s), "
        f"médiane {a['median']:.3f} s, p95 {a['p95']:.3f} s (×{r['median_ratio']:.2f} / ×{r['p95_ratio']:.2f})"
    )
    s = r["attack_seconds"]
    print(
        f"  requêtes hostiles : {len(r['attacks'])}, chacune de {s['min']:.2f} à {s['max']:.2f} s ; "
        f"pic mémoire serveur + processus de requêtes : {r['peak_server_and_workers_pss_mb']:.0f} Mo (PSS ; "
        f"{r['peak_server_and_workers_rss_mb']:.0f} Mo en additionnant les RSS) ; sans attaque (RSS) : "
        f"{r['quiet']['server_peak_rss_mb']:.0f} Mo"
    )
    for sql in WORST:
        msgs = {x["message"] for x in r["attacks"] if x["sql"] == sql}
        print(f"    {sql[:60]:<60} → {' | '.join(sorted(msgs))[:100]}")


def main() -> None:
    from observatoire import config

    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.db or config.db_path(), args.sessions, args.seconds)
    print_result(result)
    out = ROOT / "bench" / "results" / "attack.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
