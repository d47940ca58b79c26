"""Start `streamlit run` on a free 127.0.0.1 port against a given database, for benchmarks, the load test and browser
tests. Only 127.0.0.1 is used."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Until the server at `url` answers its health check; RuntimeError if its process ends or time runs out."""
    deadline = time.time() + timeout
    while True:
        try:
            # a long timeout: the server holds connections while it warms up (observatoire.ui.warmup), and the
            # answer must be timed when it comes, not at the next poll
            if urllib.request.urlopen(url + "/_stcore/health", timeout=30).status == 200:
                return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"streamlit n'a pas démarré (code {proc.poll()})") from None
            time.sleep(0.3)


@contextlib.contextmanager
def streamlit_server(
    db_path: Path, log_path: Path | None = None, timeout: float = 90, script: str = "streamlit_app.py"
):
    """Yields (url, process). The process is stopped on exit. `script`: the app to serve, from the repository's root
    (bench/floor_app.py for the stack's floor)."""
    port = free_port()
    env = {**os.environ, "OBSERVATOIRE_DB": str(db_path)}
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log is not subprocess.DEVNULL:
            log.close()
