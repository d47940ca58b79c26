"""Shared helpers: percentiles, summaries, process memory."""

from __future__ import annotations

import statistics

import psutil


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def summary(values) -> dict:
    values = list(values)
    if not values:
        return {"median": None, "p95": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "p95": pct(values, 95), "max": max(values), "n": len(values)}


def rss_mb(pid: int | None = None, children: bool = True) -> float:
    proc = psutil.Process(pid)
    procs = [proc] + (proc.children(recursive=True) if children else [])
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20
