"""A database file written beside its place and renamed into it only once whole: a failure leaves the old file
byte-identical (the build, and the restore from the data bundle)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replaced_when_done(target: Path, tag: str = "") -> Iterator[Path]:
    """Yields a temporary path beside `target` (dot-named, so no reader takes it for the database); renames it over
    `target` when the block ends without error, removes it and its WAL otherwise."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}{'.' + tag if tag else ''}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
