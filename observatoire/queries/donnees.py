"""The Données page: schema of every table, row counts, and whole tables for bulk download."""

from __future__ import annotations

import pandas as pd

from observatoire import console
from observatoire.db import fetch_df
from observatoire.state import Param


def state_spec(table_names: list[str]) -> list[Param]:
    """URL parameters of the Données page."""
    return [
        Param("table", "Table", default="sources", choices=table_names),
        Param("exemple", "Exemple de requête", default=next(iter(console.EXAMPLES)), choices=list(console.EXAMPLES)),
    ]


def tables(con) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT table_name, estimated_size AS n_rows, column_count FROM duckdb_tables() "
        "WHERE schema_name = 'main' ORDER BY table_name",
    )


def table_names(con) -> list[str]:
    return tables(con)["table_name"].tolist()


def row_count(con, table: str) -> int:
    if table not in table_names(con):  # identifiers only from the allowlist
        raise ValueError(f"table inconnue : {table}")
    return int(fetch_df(con, f'SELECT count(*) AS n FROM "{table}"')["n"].iloc[0])


def columns(con, table: str) -> pd.DataFrame:
    return fetch_df(
        con,
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    )


def whole_table(con, table: str) -> pd.DataFrame:
    if table not in table_names(con):
        raise ValueError(f"table inconnue : {table}")
    return fetch_df(con, f'SELECT * FROM "{table}"')


def build_info(con) -> dict:
    """How this database file was made (build_info): from the sources, or from the repository's data bundle."""
    row = fetch_df(con, "SELECT kind, built_at, detail FROM build_info").head(1)
    return row.iloc[0].to_dict() if len(row) else {"kind": None, "built_at": None, "detail": None}


def build_changes(con) -> pd.DataFrame:
    """What the last build changed in the data when it accepted changed files (empty otherwise)."""
    return fetch_df(
        con,
        "SELECT table_name, rows_before, rows_after, rows_added, rows_removed, rows_changed, totals "
        "FROM build_changes ORDER BY table_name",
    )
