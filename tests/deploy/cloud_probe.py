"""What Community Cloud does with a fresh clone, timed: `streamlit run streamlit_app.py` in the clone's folder (no
database, no mirror beside it), then the home page in chromium until its national figures show.

Run by tests/deploy/test_deploy.py inside a network namespace of its own (`unshare -rn`: only the loopback
interface, so nothing but 127.0.0.1 is reachable and no name resolves). Prints one JSON line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the clone's own test and bench helpers
from bench.server import free_port, wait_healthy  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main(clone: Path, shot: Path, log: Path, timeout: float) -> dict:
    subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True)  # a new namespace's loopback starts down
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
        wait_healthy(url, proc, timeout)
        result["health_s"] = round(time.perf_counter() - started, 2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
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
