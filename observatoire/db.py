"""The only way to open the database: read-only, configuration locked, no file, network or extension access."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import config

# The same settings for every connection: DuckDB refuses two connections to one file with different settings.
SAFE_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": "384MB",
    "threads": 2,
}


class DatabaseMissing(Exception):
    pass


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Read-only; no file, network or extension access except, when configured, the Parquet folder that the
    database's views read (OBSERVATOIRE_PARQUET_DIR); configuration then locked for every later connection."""
    path = Path(path or config.db_path())
    if not path.is_file():
        raise DatabaseMissing(f"La base {path} n'existe pas : lancez « python -m observatoire build ».")
    con = duckdb.connect(str(path), read_only=True, config=dict(SAFE_CONFIG))
    with _LOCK:
        if not con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
            parquet = config.parquet_dir()
            if parquet:
                con.execute("SET allowed_directories = ?", [[str(Path(parquet).resolve()) + "/"]])
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
    return con


_LOCK = threading.Lock()


def fetch_df(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """Run parametrised SQL on its own cursor (a connection is not safe across threads) and return a DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None):
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).fetchone()
    finally:
        cur.close()


def run_with_timeout(cur: duckdb.DuckDBPyConnection, seconds: float, fn):
    """Run fn(cur); interrupt the cursor if it takes longer than `seconds`. Returns (result, timed_out)."""
    fired = threading.Event()

    def stop():
        fired.set()
        cur.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.start()
    try:
        return fn(cur), False
    except duckdb.InterruptException:
        return None, True
    finally:
        timer.cancel()
