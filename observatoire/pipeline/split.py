"""Move the fact tables out of the database file into Parquet files: the database keeps the dimensions and one view per
fact table reading its Parquet file. Pages and queries do not change; the app then needs only
OBSERVATOIRE_DB=<out>/observatoire.duckdb and OBSERVATOIRE_PARQUET_DIR=<out> (the folder DuckDB may read).

Usage: python -m observatoire.pipeline.split OUT_DIR [TABLE ...]"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb

from observatoire import config

FACT_TABLES = [
    "covid_aid_snapshots",
    "covid_activite_partielle",
    "relance_indicators",
    "friches_sites",
    "emploi_fonctions_communes",
    "chomage_rates",
    "estel_emploi_ze2010",
    "urssaf_emploi_series",
    "urssaf_emploi_ze_secteurs",
    "etablissements_communes_2014",
    "urssaf_rouen_commune_ape",
]


def split(src: Path, out: Path, tables: list[str] | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    tables = tables or FACT_TABLES
    tmp = out / "observatoire.duckdb.tmp"
    shutil.copyfile(src, tmp)
    with duckdb.connect(str(tmp)) as con:
        for t in tables:
            target = (out / f"{t}.parquet").resolve()
            con.execute(f"COPY {t} TO '{target}' (FORMAT parquet)")
            con.execute(f"DROP TABLE {t}")
            con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{target}')")
        con.execute("CHECKPOINT")
    final = out / "observatoire.duckdb"
    tmp.replace(final)
    return final


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(split(config.db_path(), Path(sys.argv[1]), sys.argv[2:] or None))
