"""Page frame helpers: make sure the database exists (building it with visible progress if not)."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import streamlit as st

from observatoire import config

ROOT = Path(__file__).resolve().parents[2]


def require_database() -> None:
    """On a fresh deployment there is no database: build it (mirror, else download), showing progress."""
    path = Path(config.db_path())
    if path.is_file():
        return
    st.info(
        "Première ouverture : la base de données n'existe pas encore. Construction en cours depuis les sources officielles…"
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
    st.rerun()
