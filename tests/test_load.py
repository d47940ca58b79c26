"""The load test in its short CI form: 5 concurrent sessions changing filters on every page for 15 s against one
local server (127.0.0.1 only), through the same protocol-level client as bench/load.py. Asserts no error; latency is
reported, not asserted (timings are measured by the benchmarks)."""

from __future__ import annotations

from bench.load import load_test, print_result


def test_five_sessions_fifteen_seconds_without_error(built_db, tmp_path):
    result = load_test(built_db, sessions=5, seconds=15, log=tmp_path / "server.log")
    print_result(result)
    assert result["interactions"] >= 5, result  # every session ran pages
    assert result["errors"] == 0, result["error_samples"]
    assert set(result["latency_by_page_s"]) == {"accueil", "territoires", "laureats", "aides_covid", "donnees"}
