"""Deployed as users deploy it: a clone on Community Cloud (no mirror, no network) and the README's first command
on Debian's own Python (PEP 668: it must make its own virtual environment)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.server import free_port, wait_healthy
from tests.conftest import ROOT
from tests.test_bundle import kpis

PROBE = Path(__file__).with_name("cloud_probe.py")
SHOTS = ROOT / "test-output" / "screenshots"
DEBIAN_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
CLOUD_BUDGET_S = 20  # from `streamlit run` to the home page's figures in chromium


@pytest.fixture(scope="module")
def home_figures(built_db) -> list[list[str]]:
    """The home page's KPI cards on the database built from the mirror, as a browser reads them."""
    old = os.environ.get("OBSERVATOIRE_DB")
    os.environ["OBSERVATOIRE_DB"] = str(built_db)
    try:
        at = AppTest.from_file(str(ROOT / "pages" / "accueil.py"), default_timeout=120)
        at.run()
    finally:
        os.environ.pop("OBSERVATOIRE_DB") if old is None else os.environ.__setitem__("OBSERVATOIRE_DB", old)
    figures = [[html.unescape(label), html.unescape(value)] for label, value in kpis(at)]
    assert len(figures) >= 5
    return figures


def fresh_clone(parent: Path) -> Path:
    """A clone of the committed repository in a folder with nothing beside it (no ../shared/opendata)."""
    parent.mkdir(parents=True)
    target = parent / "observatoire"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    assert not (parent / "shared").exists() and not (target / "data" / "observatoire.duckdb").exists()
    return target


def isolated() -> list[str]:
    """A network namespace of our own (only the loopback interface): nothing but 127.0.0.1 is reachable."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    assert probe.returncode == 0, "unshare -rn indisponible : impossible de couper le réseau pour ce test"
    return ["unshare", "-rn"]


def test_community_cloud_start_without_mirror_or_network(tmp_path, home_figures):
    clone = fresh_clone(tmp_path / "cloud")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot, log = SHOTS / "community_cloud_start.png", tmp_path / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OBSERVATOIRE_", "OPENDATA_"))}
    out = subprocess.run(
        [*isolated(), sys.executable, str(PROBE), str(clone), str(shot), str(log), "60"],
        capture_output=True,
        text=True,
        env=env,
        cwd=clone,
        timeout=180,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "error" not in result, (result, log.read_text()[-3000:])
    assert result["restored_from_bundle"], log.read_text()[-3000:]
    assert result["database_files"] == ["observatoire.duckdb"]
    assert result["external_requests"] == []
    assert result["kpis"] == home_figures
    assert result["figures_s"] < CLOUD_BUDGET_S, result


def readme_command(n: int) -> str:
    """The n-th command of the README's opening code blocks (1: install and run the app, 2: the tests)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [line for line in blocks[n - 1].splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, blocks[n - 1]
    return lines[0]


def test_readme_first_command_on_debian_python(tmp_path, home_figures, browser):
    """Debian's python3 only on the PATH (this machine's own Python left out): the first command makes .venv,
    installs into it and serves the app, whose home page shows the national figures in chromium."""
    if not Path("/usr/bin/python3").exists():
        pytest.fail("/usr/bin/python3 absent : ce test joue la commande sur le Python de Debian")
    clone = fresh_clone(tmp_path / "debian")
    port = free_port()
    keep = (
        "HOME",
        "LANG",
        "TMPDIR",
        "PIP_INDEX_URL",
        "PIP_FIND_LINKS",
        "PIP_CERT",
        "PIP_DEFAULT_TIMEOUT",
        "SSL_CERT_FILE",
    )
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(PATH=DEBIAN_PATH, STREAMLIT_SERVER_PORT=str(port), STREAMLIT_SERVER_HEADLESS="true")
    log = tmp_path / "command.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["/bin/bash", "-c", readme_command(1)],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc, 900)  # pip install from the package index comes first
        except RuntimeError:
            pytest.fail(log.read_text()[-3000:])
        cfg = (clone / ".venv" / "pyvenv.cfg").read_text()
        assert re.search(r"^home = /usr/bin$", cfg, flags=re.M), cfg  # made by Debian's python3
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector(".obs-kpi .v", timeout=120_000)
        shown = page.eval_on_selector_all(
            ".obs-kpi", "els => els.map(e => [e.querySelector('.l').innerText, e.querySelector('.v').innerText])"
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "debian_first_command.png"))
        page.close()
        assert shown == home_figures
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(clone / ".venv", ignore_errors=True)
