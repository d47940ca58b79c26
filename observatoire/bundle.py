"""The data bundle: the built database as Parquet files in data/bundle/, committed, so that a clone (Community Cloud)
makes its database in seconds without the mirror or the network.

`export` writes it from a database that a build from the sources made (`python -m observatoire bundle`, nothing else
calls it); `restore` makes a database from it; `table_digests` is the order-independent content hash that the
manifest records and the bundle test compares with a fresh build (tests/test_bundle.py)."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from observatoire import config, files

SCHEMA_PATH = Path(__file__).parent / "pipeline" / "schema.sql"
MANIFEST_NAME = "manifest.json"
FORMAT = 1
MAX_FILE_BYTES = 4_500_000  # the repository's rule is 5 MB a file: a table past this is written in parts
ZSTD_LEVEL = 19  # 6.6 MB in all against 8.3 MB at zstd's default level; written rarely, read at zstd's speed
# Columns that change at every build without the data changing: left out of the content hash.
VOLATILE = {"sources": ("loaded_at",)}
# Tables about the database file itself, not data: never bundled.
NOT_BUNDLED = {"build_info", "build_changes"}
REFRESH_HINT = "python -m observatoire build && python -m observatoire bundle"


class BundleError(Exception):
    """A French message naming the bundle file and what is wrong."""


@dataclass(frozen=True)
class Digest:
    rows: int
    hash: str


def bundle_dir() -> Path:
    return config.bundle_path()


def data_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The database's tables in the schema's order (its DDL order), bundle-free tables left out."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_oid"
    ).fetchall()
    return [t for (t,) in rows if t not in NOT_BUNDLED]


def primary_key(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The primary key's columns of a table of the connection's current database (none: [])."""
    row = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchone()
    return list(row[0]) if row else []


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def digest(con: duckdb.DuckDBPyConnection, table: str) -> Digest:
    """Rows, and a hash of the rows' text that does not depend on their order: the sum of each row's MD5 (both
    halves, as 64-bit numbers), so two tables with the same rows in any order have the same hash."""
    exclude = VOLATILE.get(table, ())
    cols = "*" + (f" EXCLUDE ({', '.join(_quoted(c) for c in exclude)})" if exclude else "")
    n, upper, lower = con.execute(
        f"SELECT count(*), coalesce(sum(md5_number_upper(CAST(r AS VARCHAR))::HUGEINT), 0), "
        f"coalesce(sum(md5_number_lower(CAST(r AS VARCHAR))::HUGEINT), 0) FROM (SELECT {cols} FROM {_quoted(table)}) r"
    ).fetchone()
    return Digest(int(n), f"{int(upper):x}-{int(lower):x}")


def table_digests(con: duckdb.DuckDBPyConnection) -> dict[str, Digest]:
    return {t: digest(con, t) for t in data_tables(con)}


def read_manifest(directory: Path | None = None) -> dict:
    directory = Path(directory or bundle_dir())
    path = directory / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"Paquet de données absent : {path} n'existe pas.") from None
    except (OSError, ValueError) as exc:
        raise BundleError(f"Paquet de données illisible : {path} ({type(exc).__name__}).") from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), list):
        raise BundleError(f"Paquet de données d'un format inconnu : {path}.")
    return manifest


def manifest_digests(manifest: dict) -> dict[str, Digest]:
    return {t["table"]: Digest(int(t["rows"]), str(t["hash"])) for t in manifest["tables"]}


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def export(db_path: Path, out_dir: Path | None = None) -> dict:
    """Write the bundle from a database built from the sources: one Parquet file (zstd) per table, rows in key
    order, in parts past MAX_FILE_BYTES; the schema; and manifest.json (tables, rows, content hashes, and the
    sources table, so provenance travels with the data). Written beside, then swapped in whole."""
    out_dir = Path(out_dir or bundle_dir())
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        kind = _build_kind(con)
        if kind != "sources":
            raise BundleError(
                f"La base {db_path} n'a pas été construite depuis les sources ({kind or 'origine inconnue'}) : "
                f"lancez d'abord « python -m observatoire build »."
            )
        con.execute("SET threads = 1")  # one writer: the same rows give the same bytes
        tmp = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        tables = []
        for table in data_tables(con):
            key = primary_key(con, table)
            order = ", ".join(_quoted(c) for c in key) if key else "ALL"
            files = _write_table(con, table, order, tmp)
            d = digest(con, table)
            tables.append({"table": table, "rows": d.rows, "hash": d.hash, "key": key, "files": files})
        sources = con.execute("SELECT * FROM sources ORDER BY source_id").fetchall()
        names = [c[0] for c in con.description]
        manifest = {
            "format": FORMAT,
            "description": "Base de l'Observatoire exportée en Parquet par « python -m observatoire bundle » "
            "après une construction depuis les sources ; l'application en fait sa base au premier démarrage.",
            "duckdb": duckdb.__version__,
            "tables": tables,
            "sources": [{k: _json_value(v) for k, v in zip(names, row, strict=True)} for row in sources],
        }
        shutil.copyfile(SCHEMA_PATH, tmp / "schema.sql")
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    finally:
        con.close()
    old = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.old")
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return manifest


def _write_table(con, table: str, order: str, directory: Path) -> list[str]:
    select = f"SELECT * FROM {_quoted(table)} ORDER BY {order}"
    options = f"FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {ZSTD_LEVEL}"
    path = directory / f"{table}.parquet"
    con.execute(f"COPY ({select}) TO '{path}' ({options})")
    size = path.stat().st_size
    if size <= MAX_FILE_BYTES:
        return [path.name]
    path.unlink()
    rows = con.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]
    parts = -(-size // MAX_FILE_BYTES) + 1
    per_part = -(-rows // parts)
    names = []
    for i in range(parts):
        name = f"{table}.{i + 1:02d}.parquet"
        con.execute(f"COPY ({select} LIMIT {per_part} OFFSET {i * per_part}) TO '{directory / name}' ({options})")
        names.append(name)
    return names


def _build_kind(con) -> str | None:
    try:
        row = con.execute("SELECT kind FROM build_info").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def restore(
    db_path: Path | None = None, directory: Path | None = None, progress: Callable[[int, int, str], None] | None = None
) -> Path:
    """Make the database from the bundle: the schema, then every table from its Parquet files, each checked against
    the manifest's rows and hash; written to a temporary file and renamed into place only if every table matched."""
    directory = Path(directory or bundle_dir())
    db_path = Path(db_path or config.db_path())
    manifest = read_manifest(directory)
    schema = directory / "schema.sql"
    if not schema.is_file():
        raise BundleError(f"Paquet de données incomplet : {schema} manque.")
    with files.replaced_when_done(db_path, "bundle") as tmp:
        con = duckdb.connect(str(tmp), config={"autoinstall_known_extensions": False})
        try:
            con.execute(schema.read_text(encoding="utf-8"))
            total = len(manifest["tables"])
            for i, entry in enumerate(manifest["tables"], start=1):
                table = entry["table"]
                if progress:
                    progress(i, total, table)
                parts = [directory / f for f in entry["files"]]
                for f in parts:
                    if f.parent != directory or not f.is_file():
                        raise BundleError(f"Paquet de données incomplet : {f} manque.")
                try:
                    con.execute(
                        f"INSERT INTO {_quoted(table)} BY NAME SELECT * FROM read_parquet(?)",
                        [[str(f) for f in parts]],
                    )
                except duckdb.Error as exc:
                    raise BundleError(
                        f"Paquet de données illisible : table {table} ({', '.join(entry['files'])}) : "
                        f"{str(exc).splitlines()[0][:200]}"
                    ) from None
                got, want = digest(con, table), Digest(int(entry["rows"]), str(entry["hash"]))
                if got != want:
                    raise BundleError(
                        f"Paquet de données altéré : la table {table} ne correspond pas à son manifeste "
                        f"({got.rows} lignes contre {want.rows} ; empreinte {got.hash} contre {want.hash})."
                    )
            con.execute(
                "INSERT INTO build_info VALUES ('bundle', ?, ?)",
                [dt.datetime.now().replace(microsecond=0), manifest_id(directory)],
            )
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return db_path


def manifest_id(directory: Path | None = None) -> str:
    """The bundle's identity: the SHA-256 of its manifest (which holds every table's content hash)."""
    path = Path(directory or bundle_dir()) / MANIFEST_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest()


def made_from(db_path: Path) -> tuple[str | None, str | None]:
    """(kind, detail) of build_info: ('sources', None) for a build, ('bundle', manifest id) for a restore."""
    from observatoire import db

    con = db.connect(db_path)  # the app's settings: DuckDB refuses two configurations for one file in a process
    try:
        row = con.execute("SELECT kind, detail FROM build_info").fetchone()
    except duckdb.Error:
        return None, None
    finally:
        con.close()
    return (row[0], row[1]) if row else (None, None)


def is_current(db_path: Path, directory: Path | None = None) -> bool:
    """False for a database missing, or made from another bundle than this one (a deployment that pulled a new
    bundle); a database built from the sources is always current (never replaced by the bundle)."""
    if not db_path.is_file():
        return False
    kind, detail = made_from(db_path)
    return kind != "bundle" or detail == manifest_id(directory)


def ensure_database(
    db_path: Path | None = None, directory: Path | None = None, progress: Callable[[int, int, str], None] | None = None
) -> bool:
    """Make the database from the bundle if it is missing or was made from an older bundle, one process at a time
    (a file lock: a server and its first visitor may ask at once). True if this call made it."""
    db_path = Path(db_path or config.db_path())
    if is_current(db_path, directory):
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(".build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_current(db_path, directory):
            return False
        restore(db_path, directory, progress)
    return True


def differences(built: dict[str, Digest], bundled: dict[str, Digest]) -> list[str]:
    """French lines, one per table that differs between a database and the bundle's manifest."""
    out = []
    for table in sorted(set(built) | set(bundled)):
        a, b = built.get(table), bundled.get(table)
        if a is None:
            out.append(f"table {table} : dans le paquet de données, absente de la base construite")
        elif b is None:
            out.append(f"table {table} : dans la base construite, absente du paquet de données")
        elif a.rows != b.rows:
            out.append(f"table {table} : {a.rows} lignes construites contre {b.rows} dans le paquet de données")
        elif a.hash != b.hash:
            out.append(
                f"table {table} : mêmes lignes ({a.rows}) mais contenu différent (empreinte {a.hash} contre {b.hash})"
            )
    return out
