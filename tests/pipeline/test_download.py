"""Build from URLs: serve the mirror on 127.0.0.1, point a manifest copy at it, get the same tables."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
import yaml

from observatoire.config import MANIFEST
from observatoire.pipeline import fetch
from observatoire.pipeline.build import build
from observatoire.pipeline.errors import BuildError


@pytest.fixture
def server(mirror):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(mirror))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def local_manifest(tmp_path: Path, base: str) -> Path:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    for src in data["sources"]:
        for f in src["files"]:
            f["url"] = f"{base}/{quote(src['id'])}/{quote(f['path'])}"
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_build_from_urls_gives_same_tables(server, tmp_path, con):
    db = tmp_path / "from_urls.duckdb"
    build(db, tmp_path / "no-mirror", local_manifest(tmp_path, server), cache=tmp_path / "cache", quiet=True)
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name NOT IN ('sources', 'source_files')"
        ).fetchall()
    ]
    with duckdb.connect(str(db), read_only=True) as other:
        for t in tables:
            assert (
                other.execute(f"SELECT count(*) FROM {t}").fetchone()
                == con.execute(f"SELECT count(*) FROM {t}").fetchone()
            ), t
        origins = {o for (o,) in other.execute("SELECT DISTINCT origin FROM source_files").fetchall()}
        assert origins == {"téléchargement"}
        assert other.execute("SELECT count(*) FROM source_files WHERE NOT sha256_ok").fetchone()[0] == 0
        # the optional DGE list is not served: recorded as absent, not an error
        assert (
            other.execute("SELECT status FROM sources WHERE source_id = 'plan-de-relance'")
            .fetchone()[0]
            .startswith("absente")
        )
    assert (tmp_path / "cache" / "aides_covid_etalab").is_dir()


def test_download_size_cap(server, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    with pytest.raises(BuildError, match="dépasse"):
        build(
            tmp_path / "x.duckdb",
            tmp_path / "no-mirror",
            local_manifest(tmp_path, server),
            cache=tmp_path / "cache",
            quiet=True,
        )
    assert not (tmp_path / "x.duckdb").exists()
