"""Settings read from the environment: one place for the database and mirror locations."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "observatoire.duckdb"
DEFAULT_CACHE = ROOT / "data" / "cache"
DEFAULT_BUNDLE = ROOT / "data" / "bundle"
MANIFEST = Path(__file__).resolve().parent / "manifest.yaml"


def db_path() -> Path:
    """The database location: $OBSERVATOIRE_DB, else data/observatoire.duckdb."""
    value = os.environ.get("OBSERVATOIRE_DB", "").strip()
    return Path(value) if value else DEFAULT_DB


def mirror_path() -> Path | None:
    """$OPENDATA_MIRROR, else ../shared/opendata beside the repository when it exists."""
    value = os.environ.get("OPENDATA_MIRROR", "").strip()
    if value:
        return Path(value)
    for candidate in (ROOT.parent / "shared" / "opendata", Path.cwd().parent / "shared" / "opendata"):
        if candidate.is_dir():
            return candidate
    return None


def bundle_path() -> Path:
    """The data bundle (observatoire.bundle): $OBSERVATOIRE_BUNDLE, else data/bundle in the repository."""
    value = os.environ.get("OBSERVATOIRE_BUNDLE", "").strip()
    return Path(value) if value else DEFAULT_BUNDLE


def cache_path() -> Path:
    value = os.environ.get("OBSERVATOIRE_CACHE", "").strip()
    return Path(value) if value else DEFAULT_CACHE


def parquet_dir() -> Path | None:
    """A folder of Parquet files that the database's views may read (larger data kept out of the database file)."""
    value = os.environ.get("OBSERVATOIRE_PARQUET_DIR")
    return Path(value) if value else None


def warmup_enabled() -> bool:
    """$OBSERVATOIRE_WARMUP=0 turns off the warm-up of a starting server (observatoire.ui.warmup)."""
    return os.environ.get("OBSERVATOIRE_WARMUP", "1").strip() != "0"
