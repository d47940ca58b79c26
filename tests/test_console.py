"""The SQL console: every hostile statement is refused or stopped in its worker process, within its time limit,
without growing the server, with a French message that reveals nothing of the machine; legitimate analytical
queries work; the database file is unchanged afterwards."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import threading
import time

import psutil
import pytest

from observatoire import console
from observatoire.console_worker import Pool

WRITES = [
    "INSERT INTO sources SELECT * FROM sources",
    "UPDATE sources SET title = 'x'",
    "DELETE FROM sources",
    "DROP TABLE sources",
    "CREATE TABLE t AS SELECT 1",
    "CREATE TEMP TABLE t AS SELECT 1",
    "ALTER TABLE sources ADD COLUMN x INT",
    "ATTACH '/tmp/evil.duckdb' AS evil",
    "DETACH observatoire",
    "COPY (SELECT * FROM sources) TO '/tmp/out.csv'",
    "COPY sources FROM '/etc/passwd'",
    "EXPORT DATABASE '/tmp/export'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 1",
    "SET memory_limit = '100GB'",
    "RESET threads",
    "PRAGMA threads = 1",
    "PRAGMA database_list",
    "CALL pragma_version()",
    "CHECKPOINT",
    "VACUUM",
    "SELECT 1; DROP TABLE sources",
    "SELECT 1; SELECT 2",
    "USE memory",
    "BEGIN TRANSACTION",
    "PREPARE p AS SELECT 1",
    "CREATE MACRO m() AS 1",
    "WITH x AS (DELETE FROM sources RETURNING *) SELECT * FROM x",
    "WITH x AS (INSERT INTO sources SELECT * FROM sources RETURNING *) SELECT count(*) FROM x",
    "WITH x AS (UPDATE sources SET title = 'x' RETURNING *) SELECT * FROM x",
    "",
    "   ",
]
# Queries that would read the machine: files, settings, paths, the catalog of databases, logs, the temp folder.
SERVER_INFORMATION = [
    "SELECT current_setting('home_directory')",
    "SELECT current_setting('temp_directory')",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_settings",
    "SELECT path FROM duckdb_databases()",
    "SELECT * FROM duckdb_temporary_files()",
    "SELECT * FROM duckdb_memory()",
    "SELECT * FROM duckdb_logs",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM pragma_database_list",
    "SELECT * FROM pragma_platform()",
    "SELECT * FROM glob('*')",
    "SELECT * FROM glob('.tmp/*')",
    "SELECT * FROM read_blob('observatoire.duckdb')",
    "SELECT * FROM read_text('observatoire.duckdb')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM 'observatoire.duckdb'",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'https://example.com/data.csv'",
    "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
    "SELECT * FROM query('SELECT current_setting(''home_directory'')')",
    "SELECT * FROM query_table('sources')",
    "SELECT getenv('HOME')",
    "SELECT * FROM system.main.duckdb_settings()",
    "SELECT * FROM information_schema.schemata",
    "PIVOT (SELECT current_setting('home_directory') AS h) ON h USING count(*)",
    "PIVOT duckdb_settings ON name USING count(*)",
]
# Queries built to exhaust memory or time: each must end within the limit, in its worker.
RESOURCES = [
    "SELECT len(list_value(range(100000000)))",
    "SELECT list_sort(range(100000000))[1]",
    "SELECT length(repeat('x', 1000000000))",
    "SELECT repeat('x', 100000) AS s FROM range(5000)",
    "SELECT list(range) FROM range(200000000)",
    "SELECT string_agg(repeat('x', 1000), '') FROM range(5000000)",
    "SELECT list_sort(list(random())) FROM range(100000000)",
    "SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
]
LEGITIMATE = {
    "PIVOT (SELECT scheme, level FROM covid_aid_snapshots) ON level USING count(*) ORDER BY scheme": 5,
    "UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b": 2,
    "SELECT * FROM range(3)": 3,
    "SELECT * FROM generate_series(1, 10, 3)": 4,
    "SELECT unnest([1, 2, 3])": 3,
    "SELECT scheme, count(*) FROM covid_aid_snapshots GROUP BY scheme QUALIFY row_number() OVER (ORDER BY scheme) <= 2": 2,
    "SELECT region_code, sum(population) OVER (PARTITION BY region_code) FROM geo_departements LIMIT 7": 7,
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r": 5,
    "SELECT table_name FROM information_schema.tables WHERE table_name = 'sources'": 1,
    "SELECT * FROM sources s SEMI JOIN source_files f USING (source_id) LIMIT 3": 3,
    "FROM geo_regions SELECT region_code ORDER BY 1 LIMIT 2": 2,
    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(i, s)": 2,
    "SELECT * FROM ti_territories PIVOT (count(*) FOR version IN (2020, 2022, 2024) GROUP BY region_code) LIMIT 3": 3,
}


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture(scope="module")
def pool(built_db):
    p = Pool(built_db)
    yield p
    p.close()


def refusal(pool, sql, **kw) -> str:
    with pytest.raises(console.ConsoleError) as err:
        pool.run(sql, **kw)
    return str(err.value)


def reveals_nothing(message: str, built_db) -> None:
    """French, and nothing of the machine: no path, no user, no process id, no DuckDB English prefix."""
    assert message and not re.search(r"\b(Error|Exception):", message), message
    assert str(built_db.parent) not in message and "/root" not in message and "/tmp" not in message, message
    assert str(os.getpid()) not in message, message


def test_writes_refused_and_file_unchanged(pool, built_db):
    before = sha(built_db)
    for sql in WRITES:
        reveals_nothing(refusal(pool, sql), built_db)
    assert sha(built_db) == before


def test_server_information_refused(pool, built_db):
    for sql in SERVER_INFORMATION:
        message = refusal(pool, sql)
        reveals_nothing(message, built_db)
        assert re.search(r"refusée?|Accès refusé|Table inconnue", message), (sql, message)


def test_hostile_resources_end_in_time_in_their_worker(pool, built_db):
    server = psutil.Process()
    before = server.memory_info().rss
    for sql in RESOURCES:
        started = time.monotonic()
        message = refusal(pool, sql)
        assert time.monotonic() - started < 6, (sql, message)
        assert re.search(r"trop de mémoire|a dépassé 5 s", message), (sql, message)
        reveals_nothing(message, built_db)
    assert server.memory_info().rss - before < 300 * 2**20
    assert pool.run("SELECT count(*) AS n FROM sources").frame["n"].iloc[0] > 10  # and the console still works


def test_workers_are_bounded_by_the_operating_system(pool):
    """The ceiling is the kernel's (RLIMIT_AS) on the worker, not DuckDB's setting: read it off a live worker."""
    pool.run("SELECT 1")
    worker = pool._idle[0]
    soft, hard = psutil.Process(worker.pid).rlimit(psutil.RLIMIT_AS)
    assert 0 < soft == hard < 2**31
    assert psutil.Process(worker.pid).nice() >= 10


def test_legitimate_analysis_works(pool):
    for sql, rows in LEGITIMATE.items():
        result = pool.run(sql)
        assert len(result.frame) == rows, sql


def test_examples_run_and_match_an_independent_query(pool, con):
    for title, sql in console.EXAMPLES.items():
        assert len(pool.run(sql).frame) > 0, title
    r = pool.run(console.EXAMPLES["Sites lauréats du Fonds friches par édition"])
    assert int(r.frame["sites"].sum()) == con.execute("SELECT count(*) FROM friches_sites WHERE laureate").fetchone()[0]


def test_errors_are_french_with_their_position(pool, built_db):
    cases = {
        "SELECT 1 FORM sources": ("Erreur de syntaxe près de « sources »", "ligne 1, colonne 15"),
        "SELECT\n  source_id,\n  nope\nFROM sources": ("Colonne inconnue : « nope »", "ligne 3, colonne 3"),
        "SELECT * FROM sourcez": ("Table inconnue", "sourcez"),
        "SELECT 'a'::INTEGER": ("Conversion impossible de « a »", "ligne 1"),
        "SELECT foo(1)": ("Fonction inconnue : « foo »", "ligne 1, colonne 8"),
        "SELECT region_code, name FROM geo_regions GROUP BY region_code": ("doit figurer dans GROUP BY", ""),
        "SELECT " + "(" * 2000 + "1" + ")" * 2000: ("Requête trop imbriquée", ""),
        "SELECT '\ud800'": ("caractère invalide (position 9)", ""),
        "SELECT 'x\x00'": ("caractère nul", ""),
        "SELECT 1" + " " * console.MAX_SQL_LENGTH: ("dépasse", ""),
    }
    for sql, fragments in cases.items():
        message = refusal(pool, sql)
        reveals_nothing(message, built_db)
        for fragment in fragments:
            assert fragment in message, (sql, message)


def test_row_and_byte_caps(pool):
    r = pool.run("SELECT * FROM geo_communes", row_cap=100)
    assert len(r.frame) == 100 and r.truncated and not r.truncated_bytes
    r = pool.run("SELECT repeat('x', 1000) AS s FROM range(20000)", byte_cap=1_000_000)
    assert r.truncated and r.truncated_bytes and 900 <= len(r.frame) < 1000
    r = pool.run("WITH x AS (SELECT 1 AS a) SELECT * FROM x")
    assert r.frame.to_dict("records") == [{"a": 1}] and not r.truncated


def test_queries_wait_their_turn_or_are_told_to(built_db):
    """Two at once per server; a third waits for a free worker, then is told to retry; one at a time per owner."""
    pool = Pool(built_db, size=2)
    slow = "SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c"
    try:
        outcomes = []
        threads = [
            threading.Thread(target=lambda: outcomes.append(refusal(pool, slow, time_limit_s=2.0))) for _ in range(2)
        ]
        for t in threads:
            t.start()
        time.sleep(0.5)
        busy = refusal(pool, "SELECT 1", queue_wait_s=0.5)
        assert "occupée" in busy
        for t in threads:
            t.join()
        assert all("a dépassé 2 s" in o for o in outcomes)
        pool._owners.add("session-1")
        assert "déjà en cours" in refusal(pool, "SELECT 1", owner="session-1")
        pool._owners.discard("session-1")
        assert len(pool.run("SELECT 1", owner="session-1").frame) == 1
    finally:
        pool.close()


def test_a_cancelled_query_stops_its_worker(built_db):
    """The page's tick raises when the visitor cancels (Streamlit stops the run there): the worker is killed."""
    pool = Pool(built_db, size=1)

    class Cancelled(Exception):
        pass

    started = time.monotonic()

    def tick():
        if time.monotonic() - started > 0.5:
            raise Cancelled

    try:
        pool.run("SELECT 1")
        pid = pool._idle[0].pid
        with pytest.raises(Cancelled):
            pool.run("SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c", tick=tick)
        assert time.monotonic() - started < 3
        time.sleep(0.2)
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        assert len(pool.run("SELECT 1").frame) == 1  # a new worker takes over
    finally:
        pool.close()


def test_a_worker_that_dies_is_replaced(built_db):
    pool = Pool(built_db, size=1)
    try:
        pool.run("SELECT 1")
        os.kill(pool._idle[0].pid, signal.SIGKILL)
        time.sleep(0.2)
        assert len(pool.run("SELECT 2").frame) == 1
    finally:
        pool.close()
