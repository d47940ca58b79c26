"""The SQL console refuses or stops every hostile statement, and the database file is unchanged afterwards."""

from __future__ import annotations

import hashlib

import pytest

from observatoire import console, db

HOSTILE = [
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
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM 'https://example.com/data.csv'",
    "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
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
    "",
    "   ",
    "SELEC 1",
]


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture(scope="module")
def console_con(built_db):
    c = db.connect(built_db)
    yield c
    c.close()


def test_hostile_corpus_refused_and_file_unchanged(built_db, console_con):
    before = sha(built_db)
    for sql in HOSTILE:
        with pytest.raises(console.ConsoleError) as err:
            console.run(console_con, sql)
        assert str(err.value), sql
    assert sha(built_db) == before


def test_runaway_cross_join_is_interrupted(console_con):
    import time

    started = time.perf_counter()
    with pytest.raises(console.ConsoleError, match="interrompue"):
        console.run(
            console_con, "SELECT count(*) FROM geo_communes a, geo_communes b, geo_communes c", time_limit_s=1.0
        )
    assert time.perf_counter() - started < 10


def test_row_cap_and_truncation_flag(console_con):
    r = console.run(console_con, "SELECT * FROM geo_communes", row_cap=100)
    assert len(r.frame) == 100 and r.truncated
    r = console.run(console_con, "WITH x AS (SELECT 1 AS a) SELECT * FROM x")
    assert r.frame.to_dict("records") == [{"a": 1}] and not r.truncated


def test_examples_run(console_con, con):
    for title, sql in console.EXAMPLES.items():
        r = console.run(console_con, sql)
        assert len(r.frame) > 0, title
    # the example's figure equals an independent query
    r = console.run(console_con, console.EXAMPLES["Sites lauréats du Fonds friches par édition"])
    assert int(r.frame["sites"].sum()) == con.execute("SELECT count(*) FROM friches_sites WHERE laureate").fetchone()[0]


def test_errors_are_french(console_con):
    with pytest.raises(console.ConsoleError, match="Erreur SQL"):
        console.run(console_con, "SELECT colonne_inexistante FROM sources")
    with pytest.raises(console.ConsoleError, match="Accès refusé"):
        console.run(console_con, "SELECT * FROM read_csv('/etc/passwd')")
