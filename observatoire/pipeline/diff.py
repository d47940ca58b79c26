"""What a build changes in the data, table by table, against the previous database: rows added, removed and changed
(by primary key), and the change in each table's totals. Computed when the build accepts files whose checksum
differs from the manifest (`--accepter-changements`), printed, and kept in the table build_changes (shown on
Données)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from observatoire import fmt
from observatoire.bundle import primary_key

NUMERIC = ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "DECIMAL", "UBIGINT")
# Numbers that are not quantities: summing them says nothing
NOT_TOTALS = ("lon", "lat", "year", "version", "edition", "n_files", "n_communes", "n_members", "rank", "quarter")
# Tables about the database file, not the data
SKIPPED = {"build_info", "build_changes"}
VOLATILE = {"sources": ("loaded_at",)}


@dataclass
class TableChange:
    table: str
    rows_before: int
    rows_after: int
    added: int
    removed: int
    changed: int | None
    totals: str

    def text(self) -> str:
        changed = "?" if self.changed is None else fmt.integer(self.changed)
        line = (
            f"{self.table} : {fmt.integer(self.rows_before)} → {fmt.integer(self.rows_after)} lignes "
            f"({fmt.integer(self.added)} ajoutées, {fmt.integer(self.removed)} retirées, {changed} modifiées)"
        )
        return line + (f" ; {self.totals}" if self.totals else "")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con, catalog: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND table_name = ? "
        "ORDER BY column_index",
        [catalog, table],
    ).fetchall()


def compare(con: duckdb.DuckDBPyConnection, previous: Path) -> list[TableChange]:
    """The new database is `con`'s own; the previous one is attached read-only for the comparison."""
    con.execute(f"ATTACH '{str(previous).replace(chr(39), chr(39) * 2)}' AS prev (READ_ONLY)")
    try:
        here = con.execute("SELECT current_database()").fetchone()[0]
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY table_name", [here]
            ).fetchall()
            if t not in SKIPPED
        ]
        before = {
            t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'prev'").fetchall()
        }
        return [c for t in tables if (c := _table(con, here, t, t in before)) is not None]
    finally:
        con.execute("DETACH prev")


def _table(con, here: str, table: str, existed: bool) -> TableChange | None:
    new_cols = _columns(con, here, table)
    rows_after = con.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]
    if not existed:
        return TableChange(table, 0, rows_after, rows_after, 0, 0, "table nouvelle")
    old_cols = _columns(con, "prev", table)
    rows_before = con.execute(f"SELECT count(*) FROM prev.{_q(table)}").fetchone()[0]
    common = [c for c, _ in new_cols if c in {o for o, _ in old_cols} and c not in VOLATILE.get(table, ())]
    cols = ", ".join(_q(c) for c in common)
    key = [k for k in primary_key(con, table) if k in common]
    if key:
        keys = ", ".join(_q(k) for k in key)
        added, removed, changed = con.execute(
            f"WITH n AS (SELECT {keys}, md5(CAST(r AS VARCHAR)) AS h FROM (SELECT {cols} FROM {_q(table)}) r), "
            f"o AS (SELECT {keys}, md5(CAST(r AS VARCHAR)) AS h FROM (SELECT {cols} FROM prev.{_q(table)}) r) "
            "SELECT count(*) FILTER (WHERE o.h IS NULL), count(*) FILTER (WHERE n.h IS NULL), "
            "count(*) FILTER (WHERE n.h <> o.h) "
            f"FROM n FULL JOIN o USING ({keys})"
        ).fetchone()
    else:  # no key: rows compared as a whole, a change counts as one removed and one added
        added = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM {_q(table)} EXCEPT ALL SELECT {cols} FROM prev.{_q(table)})"
        ).fetchone()[0]
        removed = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM prev.{_q(table)} EXCEPT ALL SELECT {cols} FROM {_q(table)})"
        ).fetchone()[0]
        changed = None
    if not (added or removed or changed) and [c for c, _ in new_cols] == [c for c, _ in old_cols]:
        return None
    totals = []
    for col, kind in new_cols:
        if not kind.startswith(NUMERIC) or col in key or any(w in col for w in NOT_TOTALS) or col not in common:
            continue
        a, b = con.execute(
            f"SELECT sum({_q(col)}), (SELECT sum({_q(col)}) FROM prev.{_q(table)}) FROM {_q(table)}"
        ).fetchone()
        if a != b:
            pct = ""
            if a is not None and b:
                change = (a - b) / b * 100
                pct = (
                    f" ({'+' if change >= 0 else ''}{fmt.number(change, 2)} %)"
                    if abs(change) >= 0.005
                    else f" ({'+' if change >= 0 else '-'} de 0,01 %)"
                )
            totals.append(f"{col} : {_total(b)} → {_total(a)}{pct}")
    return TableChange(table, rows_before, rows_after, added, removed, changed, " ; ".join(totals))


def _total(v) -> str:
    return "—" if v is None else fmt.number(v, 0 if float(v).is_integer() else 2)


def store(con, changes: list[TableChange]) -> None:
    con.executemany(
        "INSERT INTO build_changes VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(c.table, c.rows_before, c.rows_after, c.added, c.removed, c.changed, c.totals or None) for c in changes],
    )
