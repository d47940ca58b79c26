"""What Community Cloud does with a fresh clone, timed: `streamlit run streamlit_app.py` in the clone's folder (no
database, no mirror beside it), then the home page in chromium until its national figures show.

Run by tests/deploy/test_deploy.py inside a network namespace of its own (`unshare -rn`: only the loopback
interface, so nothing but 127.0.0.1 is reachable and no name resolves). Prints one JSON line."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(clone: Path, shot: Path, log: Path, timeout: float) -> dict:
    if subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True).returncode != 0:
        pass  # outside a fresh namespace lo is already up
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OBSERVATOIRE_", "OPENDATA_"))}
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port)],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    result: dict = {"port": port}
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - started > timeout:
                raise RuntimeError("le serveur n'a pas répondu à son bilan de santé")
            time.sleep(0.1)
        result["health_s"] = round(time.perf_counter() - started, 2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
            external: list[str] = []
            page.on(
                "request",
                lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else external.append(r.url),
            )
            page.goto(url)
            page.wait_for_selector(".obs-kpi .v", timeout=max(1, timeout - (time.perf_counter() - started)) * 1000)
            result["figures_s"] = round(time.perf_counter() - started, 2)
            page.wait_for_timeout(1500)
            result["kpis"] = page.eval_on_selector_all(
                ".obs-kpi", "els => els.map(e => [e.querySelector('.l').innerText, e.querySelector('.v').innerText])"
            )
            page.screenshot(path=str(shot), full_page=True)
            result["external_requests"] = external
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    text = log.read_text(encoding="utf-8", errors="replace")
    result["restored_from_bundle"] = bool(re.search("Base faite depuis le paquet de données", text))
    result["database_files"] = sorted(p.name for p in (clone / "data").glob("*.duckdb"))
    return result


if __name__ == "__main__":
    clone, shot, log, timeout = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
    try:
        print(json.dumps(main(clone, shot, log, timeout), ensure_ascii=False))
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
