"""Page frame helpers: make sure the database exists, making it with visible progress if not: from the data bundle
in a few seconds (observatoire.bundle), else, in a checkout without a bundle, by a build from the sources."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import streamlit as st

from observatoire import bundle, config

ROOT = Path(__file__).resolve().parents[2]


def require_database() -> None:
    """On a fresh deployment there is no database yet: make it, showing progress, then rerun the page."""
    path = Path(config.db_path())
    if path.is_file():
        return
    if (bundle.bundle_dir() / bundle.MANIFEST_NAME).is_file():
        _restore(path)
    else:
        _build(path)
    st.rerun()


def _restore(path: Path) -> None:
    bar = st.progress(0.0, text="Première ouverture : préparation de la base depuis le paquet de données du dépôt…")

    def progress(i: int, total: int, table: str) -> None:
        bar.progress(
            i / total, text=f"Préparation de la base depuis le paquet de données : table {i} sur {total} ({table})"
        )

    try:
        bundle.ensure_database(path, progress=progress)
    except bundle.BundleError as exc:
        st.error(f"La base n'a pas pu être préparée. {exc}")
        st.stop()
    bar.empty()


def _build(path: Path) -> None:
    st.info(
        "Première ouverture : la base de données n'existe pas encore et le dépôt n'a pas de paquet de données. "
        "Construction en cours depuis les sources officielles…"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(".build.lock")
    with open(lock_path, "w") as lock, st.status("Construction de la base…", expanded=True) as status:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time, even with several sessions opening at once
        if not path.is_file():
            proc = subprocess.Popen(
                [sys.executable, "-m", "observatoire", "build"],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
            for line in proc.stdout:
                line = line.strip().replace("\r", "")
                if line:
                    status.write(line)
            if proc.wait() != 0:
                status.update(label="La construction a échoué.", state="error")
                st.error("La base n'a pas pu être construite : voir le message ci-dessus.")
                st.stop()
        status.update(label="Base construite.", state="complete")
