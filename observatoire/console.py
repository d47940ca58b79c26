"""The read-only SQL console: one SELECT statement, a time limit, a row cap, French errors."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from observatoire.db import run_with_timeout

TIME_LIMIT_S = 5.0
ROW_CAP = 5_000
MAX_SQL_LENGTH = 10_000

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
}


class ConsoleError(Exception):
    """A refusal or a failure, in French, safe to show."""


@dataclass
class ConsoleResult:
    frame: pd.DataFrame
    truncated: bool
    seconds: float


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """Admit exactly one SELECT (WITH … SELECT included); return it."""
    if not sql or not sql.strip():
        raise ConsoleError("La requête est vide.")
    if len(sql) > MAX_SQL_LENGTH:
        raise ConsoleError(f"La requête dépasse {MAX_SQL_LENGTH} caractères.")
    if "\x00" in sql:
        raise ConsoleError("La requête contient un caractère nul.")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ConsoleError(f"Requête illisible : {_short(exc)}") from None
    if len(statements) != 1:
        raise ConsoleError("Une seule instruction à la fois, s'il vous plaît (pas de « ; » entre deux requêtes).")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise ConsoleError(
            f"Seules les requêtes de lecture (SELECT, WITH … SELECT) sont acceptées ; "
            f"instruction refusée : {statement.type.name}."
        )
    return statement.query


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text[:300]


def run(
    con: duckdb.DuckDBPyConnection, sql: str, *, time_limit_s: float = TIME_LIMIT_S, row_cap: int = ROW_CAP
) -> ConsoleResult:
    """Run one read-only query on a fresh cursor of the console connection."""
    import time

    query = check_statement(con, sql)
    cur = con.cursor()
    started = time.perf_counter()

    def execute(c):
        c.execute(query)
        names = [d[0] for d in c.description or []]
        rows = c.fetchmany(row_cap + 1)
        return names, rows

    try:
        result, timed_out = run_with_timeout(cur, time_limit_s, execute)
    except duckdb.PermissionException:
        raise ConsoleError(
            "Accès refusé : la console ne lit que la base de l'Observatoire (pas de fichiers, d'URL ni d'extensions)."
        ) from None
    except duckdb.InvalidInputException as exc:
        raise ConsoleError(f"Requête refusée : {_short(exc)}") from None
    except duckdb.OutOfMemoryException:
        raise ConsoleError("La requête demande trop de mémoire : ajoutez des filtres ou une agrégation.") from None
    except duckdb.Error as exc:
        raise ConsoleError(f"Erreur SQL : {_short(exc)}") from None
    finally:
        cur.close()
    if timed_out:
        raise ConsoleError(f"La requête a dépassé {time_limit_s:g} s et a été interrompue.")
    names, rows = result
    truncated = len(rows) > row_cap
    frame = pd.DataFrame(rows[:row_cap], columns=_unique(names))
    return ConsoleResult(frame, truncated, time.perf_counter() - started)


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
