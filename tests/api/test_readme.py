"""The README's three API examples (Excel, pandas, curl), run as written against a real server: each gives the rows of
the view it names, equal to that view's rows computed directly."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

from observatoire import state, views
from tests.api.test_api import get, page_download

README = Path(__file__).resolve().parents[2] / "README.md"
WRITTEN_HOST = "http://localhost:8501"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## API de données")
    return text[start : text.index("\n## ", start + 1)]


def blocks(lang: str) -> list[str]:
    """The section's fenced code blocks of this language ('' for a bare fence)."""
    found, current, opened = [], [], None
    for line in section().splitlines():
        if line.startswith("```"):
            if opened is None:
                opened, current = line[3:].strip(), []
            else:
                if opened == lang:
                    found.append("\n".join(current) + "\n")
                opened = None
        elif opened is not None:
            current.append(line)
    return found


def expected(con, url: str, fmt: str) -> pd.DataFrame:
    """The view's rows for the address's parameters, computed directly and written in `fmt`, read back."""
    parts = urllib.parse.urlsplit(url)
    page, name = parts.path.removeprefix("/api/v1/").split("/")
    view = name.split(".")[0]
    params = urllib.parse.parse_qs(parts.query)
    pv = views.PAGES[page]
    resolved = pv.resolve(con, state.parse_strict(params, pv.spec(con)))
    return page_download(pv.views[view].rows(con, resolved), fmt)


def test_excel_example(api, con):
    (block,) = blocks("")
    url = block.strip().replace(WRITTEN_HOST, api)
    status, headers, body = get(url)
    assert status == 200 and body.startswith(b"\xef\xbb\xbf")
    got = pd.read_csv(io.BytesIO(body), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(got, expected(con, block.strip(), "excel.csv"))


def test_pandas_example(api, con):
    (block,) = blocks("python")
    scope: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(block.replace(WRITTEN_HOST, api), scope)
    written = re.search(r'url = "([^"]+)"', block).group(1)
    want = expected(con, written, "csv")
    assert len(scope["df"]) == len(want) > 0
    assert list(scope["df"].columns) == list(want.columns)


def test_curl_example(api, con, tmp_path):
    (block,) = blocks("bash")
    subprocess.run(block.replace(WRITTEN_HOST, api), shell=True, check=True, cwd=tmp_path, timeout=120)
    (saved,) = list(tmp_path.iterdir())
    written = re.search(r'"([^"]+)"', block).group(1)
    pv = views.PAGES["laureats"]
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(written).query)
    assert (
        saved.name
        == pv.views["lignes"].file_name(pv.resolve(con, state.parse_strict(params, pv.spec(con)))) + ".parquet"
    )
    got = pd.read_parquet(saved).astype(str)
    pd.testing.assert_frame_equal(got, expected(con, written, "parquet"))


@pytest.mark.parametrize("lang", ["", "python", "bash"])
def test_the_readme_has_one_example_of_each(lang):
    assert len(blocks(lang)) == 1
