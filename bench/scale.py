"""A scaled copy of the database for benchmarks: every fact table replicated k times with perturbed keys (copy 0 keeps
the real keys, so pages still find real territories). Written under bench/results/, never over the real database."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

# table -> SQL expression of the perturbed key for copy i (i = 0 is the original row)
FACT_TABLES = {
    "covid_aid_snapshots": {"territory_code": "territory_code || '~' || i"},
    "covid_activite_partielle": {"territory_code": "territory_code || '~' || i"},
    "covid_fds_breakdowns": {"territory_code": "territory_code || '~' || i"},
    "relance_indicators": {"territory_code": "territory_code || '~' || i"},
    "friches_sites": {
        "site_id": "site_id || '~' || i",
        "lat": "lat + (i % 10 - 5) * 0.002",
        "lon": "lon + (i // 10 % 10 - 5) * 0.002",
    },
    "emploi_fonctions_communes": {"commune_code": "commune_code || '~' || i"},
    "chomage_rates": {"territory_code": "territory_code || '~' || i"},
    "estel_emploi_ze2010": {"ze2010_code": "ze2010_code || '~' || i"},
    "urssaf_emploi_series": {"territory_code": "territory_code || '~' || i"},
    "urssaf_emploi_ze_secteurs": {"ze_code": "ze_code || '~' || i"},
    "etablissements_communes_2014": {"commune_code": "commune_code || '~' || i"},
    "urssaf_rouen_commune_ape": {"commune_code": "commune_code || '~' || i"},
}


def scaled_copy(src: Path, dest: Path, scale: int) -> Path:
    if dest.exists() and dest.stat().st_mtime > src.stat().st_mtime:
        return dest  # already made from this database
    tmp = dest.with_suffix(".tmp")
    shutil.copyfile(src, tmp)
    with duckdb.connect(str(tmp), config={"preserve_insertion_order": False}) as con:
        for table, changes in FACT_TABLES.items():
            cols = [
                r[0]
                for r in con.execute(
                    f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}' ORDER BY column_index"
                ).fetchall()
            ]
            select = ", ".join(
                f"CASE WHEN i = 0 THEN {c} ELSE {changes[c]} END AS {c}" if c in changes else c for c in cols
            )
            con.execute(f"CREATE TABLE {table}_scaled AS SELECT {select} FROM {table}, range({scale}) t(i)")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE {table}_scaled RENAME TO {table}")
        con.execute("CHECKPOINT")
    tmp.replace(dest)
    return dest


def fact_rows(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FACT_TABLES)
