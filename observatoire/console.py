"""The read-only SQL console: what it accepts (one read-only statement, checked on DuckDB's parse tree), how it runs
a query on a connection (row and byte caps), and its French messages. Queries run in a worker process, never in the
server (observatoire.console_worker): this module is what the worker executes, and the server's text checks."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import duckdb

from observatoire.console_messages import _french_tree_error, french_error

TIME_LIMIT_S = 5.0  # wall clock, from the request to the answer: past it the worker is killed and replaced
ROW_CAP = 5_000
BYTE_CAP = 8_000_000  # what a result may weigh (its values as text), on the page and in its downloads
MAX_SQL_LENGTH = 10_000
MAX_NESTING = 200  # parentheses open at once: past DuckDB's own limit (1000 levels) its parser exhausts its memory

EXAMPLES = {
    "Montant total du FDS volet 1 par région (dernier instantané)": (
        "SELECT r.name AS region, round(sum(s.amount_eur) / 1e6, 1) AS montant_m_eur\n"
        "FROM covid_aid_snapshots s JOIN geo_regions r ON r.region_code = s.territory_code\n"
        "WHERE s.scheme = 'fds' AND s.level = 'region'\n"
        "  AND s.snapshot_date = (SELECT max(snapshot_date) FROM covid_aid_snapshots WHERE scheme = 'fds')\n"
        "GROUP BY 1 ORDER BY 2 DESC"
    ),
    "Entreprises aidées par France Relance, par département (31/12/2022)": (
        "SELECT d.departement_code, d.name, i.value AS entreprises\n"
        "FROM relance_indicators i JOIN geo_departements d ON d.departement_code = i.territory_code\n"
        "WHERE i.level = 'departement' AND i.indicator_id = 'nb-entreprises-industrielles-agricoles'\n"
        "  AND i.date = DATE '2022-12-31'\nORDER BY entreprises DESC"
    ),
    "Territoires d'industrie 2024 et leur population": (
        "SELECT t.territory_id, t.name, count(*) AS communes, sum(c.population) AS population\n"
        "FROM ti_territories t JOIN ti_communes m USING (version, territory_id)\n"
        "JOIN geo_communes c USING (commune_code)\nWHERE t.version = 2024\nGROUP BY ALL ORDER BY population DESC"
    ),
    "Sites lauréats du Fonds friches par édition": (
        "SELECT edition, count(*) AS sites FROM friches_sites WHERE laureate GROUP BY 1 ORDER BY 1"
    ),
    "Sources et date des données": "SELECT source_id, title, data_date, rows_loaded FROM sources ORDER BY source_id",
    "Aides Covid par dispositif et niveau, en colonnes (PIVOT)": (
        "PIVOT (SELECT scheme, level, amount_eur FROM covid_aid_snapshots WHERE snapshot_date = DATE '2021-12-31')\n"
        "ON level USING round(sum(amount_eur) / 1e6) GROUP BY scheme ORDER BY scheme"
    ),
    "Les trois départements de chaque région ayant reçu le plus de PGE (fenêtre, QUALIFY)": (
        "WITH d AS (\n"
        "  SELECT region_code, territory_code, sum(amount_eur) AS montant  -- somme des secteurs publiés\n"
        "  FROM covid_aid_snapshots\n"
        "  WHERE scheme = 'pge' AND level = 'departement'\n"
        "    AND snapshot_date = (SELECT max(snapshot_date) FROM covid_aid_snapshots WHERE scheme = 'pge')\n"
        "  GROUP BY 1, 2)\n"
        "SELECT d.region_code, g.name AS departement, round(d.montant / 1e6, 1) AS montant_m_eur,\n"
        "       rank() OVER (PARTITION BY d.region_code ORDER BY d.montant DESC) AS rang\n"
        "FROM d JOIN geo_departements g ON g.departement_code = d.territory_code\n"
        "QUALIFY rang <= 3 ORDER BY d.region_code, rang"
    ),
}


class ConsoleError(Exception):
    """A refusal or a failure, in French, safe to show. `transient`: the same query may pass later (the console was
    busy, the worker was lost), so the answer is not kept."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass
class ConsoleResult:
    frame: object  # a pandas DataFrame (pandas is imported by the server only, not by the workers)
    truncated: bool  # rows past ROW_CAP, or bytes past BYTE_CAP, were left out
    seconds: float
    truncated_bytes: bool = False


# --- What the console accepts -------------------------------------------------------------------------------------

# Table functions that make numbers or unfold values; every other (files, settings, the catalog, logs, SQL text run
# as a query) is refused.
TABLE_FUNCTIONS = {"range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree"}
# Scalar functions that tell about the server, its settings or its other sessions.
SCALAR_REFUSED = {
    "current_setting": "elle lit les réglages du serveur",
    "getenv": "elle lit l'environnement du serveur",
    "getvariable": "elle lit les variables du serveur",
    "write_log": "elle écrit dans le journal du serveur",
    "current_connection_id": "elle décrit les connexions du serveur",
    "current_transaction_id": "elle décrit les transactions du serveur",
    "current_query_id": "elle décrit les requêtes du serveur",
    "txid_current": "elle décrit les transactions du serveur",
}
REFUSED_PREFIXES = ("duckdb_", "pragma_", "read_", "parquet_", "sniff_", "glob", "json_execute", "query")
# Query nodes of a read: anything else in the tree (INSERT_QUERY_NODE, UPDATE_… in a CTE) writes.
READ_NODES = {"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"}
# Catalog tables a user may read beside the data: names and types of tables and columns.
CATALOG_TABLES = {("information_schema", "tables"), ("information_schema", "columns")}


def check_text(sql: object) -> str:
    """What the server checks before sending a query to a worker: a non-empty string of a bounded length that
    encodes in UTF-8 (a lone surrogate does not)."""
    if not isinstance(sql, str) or not sql.strip():
        raise ConsoleError("La requête est vide.")
    if len(sql) > MAX_SQL_LENGTH:
        raise ConsoleError(f"La requête dépasse {MAX_SQL_LENGTH:,} caractères.".replace(",", "\u202f"))
    depth = _nesting(sql)
    if depth > MAX_NESTING:
        raise ConsoleError(f"Requête trop imbriquée ({depth} parenthèses ouvertes à la fois, {MAX_NESTING} au plus).")
    if "\x00" in sql:
        raise ConsoleError(f"La requête contient un caractère nul (position {sql.index(chr(0)) + 1}).")
    for i, ch in enumerate(sql):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            raise ConsoleError(f"La requête contient un caractère invalide (position {i + 1}).")
    return sql


def _nesting(sql: str) -> int:
    """The deepest parenthesis nesting outside strings and comments."""
    text = re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", " ", sql, flags=re.S)
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(depth - 1, 0)
    return deepest


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """Admit exactly one read-only statement: SELECT (with WITH, set operations, windows, QUALIFY, PIVOT…), or a
    PIVOT / UNPIVOT statement. The parse tree is walked: a write anywhere in it, a table outside the database, a
    table function outside TABLE_FUNCTIONS or a function that describes the server is refused. Returns the query."""
    check_text(sql)
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ConsoleError(french_error(exc, sql)) from None
    if len(statements) != 1:
        raise ConsoleError("Une seule instruction à la fois, s'il vous plaît (pas de « ; » entre deux requêtes).")
    kind = statements[0].type
    if kind == duckdb.StatementType.SELECT:
        _check_tree(con, sql)
    elif kind == duckdb.StatementType.MULTI and _first_word(sql) in ("PIVOT", "UNPIVOT"):
        # a PIVOT without IN list: DuckDB makes it two statements (an enum of the values, then the select), which it
        # cannot serialise; its text is checked instead, and the worker's connection cannot reach a file anyway
        _check_words(con, sql)
    else:
        raise ConsoleError(
            "Seules les requêtes de lecture (SELECT, WITH … SELECT, PIVOT) sont acceptées ; "
            f"instruction refusée : {kind.name}."
        )
    return sql


def _first_word(sql: str) -> str:
    text = re.sub(r"--[^\n]*|/\*.*?\*/", " ", sql, flags=re.S).strip()
    m = re.match(r"[A-Za-z_]+", text)
    return m.group(0).upper() if m else ""


def _tree(con, sql: str) -> dict:
    raw = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0]
    try:
        tree = json.loads(raw)
    except RecursionError:
        raise ConsoleError("Requête trop imbriquée : simplifiez-la.") from None
    if tree.get("error"):
        raise ConsoleError(_french_tree_error(tree, sql))
    return tree


def _nodes(tree):
    """Every dict of the tree, without recursion (a deep tree would exhaust Python's stack)."""
    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            yield x
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def _data_tables(con) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()
    rows += con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database()"
    ).fetchall()
    return {t.lower() for (t,) in rows}


def _check_tree(con, sql: str) -> None:
    tree = _tree(con, sql)
    tables = _data_tables(con)
    ctes = set()
    for node in _nodes(tree):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            ctes |= {str(e.get("key", "")).lower() for e in cte_map.get("map", [])}
    for node in _nodes(tree):
        kind = node.get("type")
        if isinstance(kind, str) and kind.endswith("_NODE") and kind not in READ_NODES:
            raise ConsoleError(
                "Requête refusée : elle modifie des données (INSERT, UPDATE ou DELETE dans une clause WITH) ; "
                "la console ne fait que lire."
            )
        if kind == "TABLE_FUNCTION":
            name = str((node.get("function") or {}).get("function_name", "")).lower()
            if name not in TABLE_FUNCTIONS:
                raise ConsoleError(_refused_table_function(name))
        elif kind == "BASE_TABLE":
            _check_table(node, tables, ctes)
        elif node.get("class") == "FUNCTION" and "function_name" in node:
            _check_function(str(node["function_name"]).lower())


def _check_table(node: dict, tables: set[str], ctes: set[str]) -> None:
    name = str(node.get("table_name", "")).lower()
    schema = str(node.get("schema_name", "")).lower()
    catalog = str(node.get("catalog_name", "")).lower()
    if (schema, name) in CATALOG_TABLES and catalog in ("", "observatoire"):
        return
    if not schema and not catalog and name in ctes:
        return
    if name in tables and schema in ("", "main") and catalog in ("", "observatoire"):
        return
    shown = ".".join(p for p in (catalog, schema, name) if p)
    if name.startswith("duckdb_") or schema in ("pg_catalog", "information_schema") or catalog in ("system", "temp"):
        raise ConsoleError(f"Table « {shown} » refusée : elle décrit le serveur, pas les données.")
    if "/" in name or "." in name or ":" in name:
        raise ConsoleError("Accès refusé : la console ne lit que la base de l'Observatoire (pas de fichiers ni d'URL).")
    raise ConsoleError(f"Table inconnue : « {shown} ». Les tables de la base sont listées plus haut sur cette page.")


def _refused_table_function(name: str) -> str:
    if name.startswith(("read_", "parquet_", "glob", "sniff_")):
        return f"Fonction {name} refusée : la console ne lit que la base de l'Observatoire (pas de fichiers ni d'URL)."
    if name.startswith(("query", "json_execute")):
        return f"Fonction {name} refusée : elle exécute un texte SQL hors des contrôles de la console."
    return (
        f"Fonction {name} refusée : elle décrit le serveur, pas les données. Fonctions de table permises : "
        + ", ".join(sorted(TABLE_FUNCTIONS))
        + "."
    )


def _check_function(name: str) -> None:
    if name in SCALAR_REFUSED:
        raise ConsoleError(f"Fonction {name} refusée : {SCALAR_REFUSED[name]}.")
    if name.startswith(REFUSED_PREFIXES):
        raise ConsoleError(_refused_table_function(name))


def _check_words(con, sql: str) -> None:
    """The text check of a statement DuckDB cannot serialise: every word outside strings and comments that names a
    refused function, a catalog table or a file is refused."""
    text = re.sub(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", " ", sql, flags=re.S)
    words = {w.lower() for w in re.findall(r'[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+"', text)}
    words = {w.strip('"') for w in words}
    for w in words:
        if w in SCALAR_REFUSED:
            raise ConsoleError(f"Fonction {w} refusée : {SCALAR_REFUSED[w]}.")
        if w.startswith(REFUSED_PREFIXES):
            raise ConsoleError(_refused_table_function(w))
        if w in ("information_schema", "pg_catalog", "system", "temp"):
            raise ConsoleError(f"« {w} » refusé : la console ne lit que les tables de données.")
    if re.search(r'"[^"]*[/.:][^"]*"', text):
        raise ConsoleError("Accès refusé : la console ne lit que la base de l'Observatoire (pas de fichiers ni d'URL).")


# --- French messages -------------------------------------------------------------------------------------------


# --- Running a query (in the worker) ------------------------------------------------------------------------------


def _weight(value) -> int:
    """What a value weighs as text on the page and in a download: a bound, cheap for huge values."""
    if value is None:
        return 4
    if isinstance(value, str | bytes):
        return len(value) + 2
    if isinstance(value, list | tuple | dict):
        return 2 + sum(_weight(v) for v in (value.values() if isinstance(value, dict) else value))
    return 12


def execute(con: duckdb.DuckDBPyConnection, sql: str, row_cap: int = ROW_CAP, byte_cap: int = BYTE_CAP) -> dict:
    """Check and run one query; rows are fetched in small batches and counted in rows and bytes. Returns the
    result as plain values (what the worker sends back); raises ConsoleError."""
    query = check_statement(con, sql)
    started = time.perf_counter()
    cur = con  # the worker's own connection, one query at a time (a cursor would not see its USE)
    try:
        cur.execute(query)
        names = [d[0] for d in cur.description or []]
        types = [str(d[1]) for d in cur.description or []]
        rows, weight, truncated, truncated_bytes = [], 0, False, False
        while True:
            batch = cur.fetchmany(64)
            if not batch:
                break
            for row in batch:
                if len(rows) >= row_cap:
                    truncated = True
                    break
                w = sum(_weight(v) for v in row)
                if weight + w > byte_cap:
                    truncated = truncated_bytes = True
                    break
                rows.append(row)
                weight += w
            if truncated:
                break
    except duckdb.Error as exc:
        raise ConsoleError(french_error(exc, query)) from None
    except MemoryError:
        raise ConsoleError("La requête demande trop de mémoire : ajoutez des filtres ou une agrégation.") from None
    return {
        "columns": names,
        "types": types,
        "rows": rows,
        "truncated": truncated,
        "truncated_bytes": truncated_bytes,
        "seconds": time.perf_counter() - started,
    }


def to_result(payload: dict, seconds: float) -> ConsoleResult:
    import pandas as pd

    frame = pd.DataFrame(payload["rows"], columns=_unique(payload["columns"]))
    return ConsoleResult(frame, payload["truncated"], seconds, payload["truncated_bytes"])


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}_{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out
