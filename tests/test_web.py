"""The HTML shell every page URL returns says it is French (observatoire.web), and nothing else Streamlit serves is
touched. The middleware runs here around a stand-in app; tests/browser/test_shell.py checks the real server."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import pytest
import streamlit

from observatoire import web

SHELL = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()


def test_streamlit_shell_still_holds_each_text_we_replace():
    """After a Streamlit upgrade, a changed shell fails here rather than staying English without a word."""
    for old, _ in web.REPLACEMENTS:
        assert SHELL.count(old) == 1, old
    out = web.french_shell(SHELL)
    assert b'<html lang="fr">' in out and b'lang="en"' not in out
    assert f"<title>{web.APP_TITLE}</title>".encode() in out and b"<title>Streamlit</title>" not in out
    assert b"You need to enable JavaScript" not in out and b"Activez JavaScript" in out


def serve(
    path: str,
    *,
    headers: dict,
    content_type: bytes,
    parts: list[bytes],
    method: str = "GET",
    status: int = 200,
    base_path: str = "",
):
    """Run FrenchShell around an app that answers with `parts` as body messages; returns (headers the app received,
    messages sent back)."""
    seen, sent = {}, []

    async def app(scope, receive, send):
        seen.update(dict(scope["headers"]), extensions=scope.get("extensions"))
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(sum(map(len, parts))).encode()),
                    (b"etag", b'"abc"'),
                    (b"last-modified", b"Tue, 24 Nov 2026 21:00:51 GMT"),
                ],
            }
        )
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "extensions": {"http.response.pathsend": {}},
    }
    # in a thread of its own: Playwright's sync API keeps an event loop running in this one during browser tests
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, web.FrenchShell(app, base_path=lambda: base_path)(scope, None, send)).result()
    return seen, sent


BROWSER = {"accept-encoding": "gzip, deflate", "if-none-match": '"abc"', "accept": "text/html"}


@pytest.mark.parametrize(
    "path,page", [("/", False), ("/laureats", True), ("/territoires", True), ("/base/donnees", False)]
)
def test_page_urls_get_the_french_shell_whole_and_fresh(path, page):
    seen, sent = serve(
        path, headers=BROWSER, content_type=b"text/html; charset=utf-8", parts=[SHELL[:3000], SHELL[3000:]]
    )
    # asked uncompressed and without validators (the answer must be whole and rewritable), and not as a file send
    assert b"accept-encoding" not in seen and b"if-none-match" not in seen and b"accept" in seen
    assert "http.response.pathsend" not in seen["extensions"]
    start, *bodies = sent
    body = b"".join(m["body"] for m in bodies)
    assert body == web.french_shell(SHELL, page=page) and b'<html lang="fr">' in body
    assert (web.ROOT_SCRIPT in body) is page  # a page's URL also tells Streamlit's script where the app's root is
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in headers and b"last-modified" not in headers  # they described Streamlit's file
    assert not bodies[-1].get("more_body")


@pytest.mark.parametrize(
    "path,content_type",
    [
        ("/_stcore/health", b"text/plain"),
        ("/static/js/index.js", b"application/javascript"),
        ("/component/st_aggrid.AgGrid.agGrid/index.html", b"text/html"),  # the grid's own frame: not a page
        ("/media/abc.csv", b"text/csv"),
    ],
)
def test_everything_else_passes_through_untouched(path, content_type):
    parts = [b'<html lang="en">' * 40, b"suite"]
    seen, sent = serve(path, headers=BROWSER, content_type=content_type, parts=parts)
    assert seen[b"accept-encoding"] == b"gzip, deflate" and b"if-none-match" in seen
    assert [m.get("body") for m in sent[1:]] == parts
    assert dict(sent[0]["headers"])[b"etag"] == b'"abc"'


def test_a_page_url_answering_something_else_streams_it_unchanged():
    parts = [b"\x89PNG" * 100, b"fin"]
    _, sent = serve("/favicon.png", headers=BROWSER, content_type=b"image/png", parts=parts)
    assert [m.get("body") for m in sent[1:]] == parts and [m.get("more_body") for m in sent[1:]] == [True, False]


def test_other_methods_and_errors_are_left_alone():
    _, sent = serve("/laureats", headers=BROWSER, content_type=b"text/html", parts=[SHELL], method="HEAD")
    assert sent[1]["body"] == SHELL
    missing = b'<html lang="en">absent</html>'
    _, sent = serve("/laureats", headers=BROWSER, content_type=b"text/html", parts=[missing], status=404)
    assert sent[0]["status"] == 404 and sent[1]["body"] == missing


def test_only_a_page_url_says_where_the_root_is():
    """Its last segment is then a page name: the root is the URL without it. The root itself, a trailing slash or an
    unknown name keep Streamlit's own probing, which finds the root whatever the URL."""
    pages = ["/accueil", "/territoires", "/laureats", "/aides_covid", "/donnees"]
    assert all(web.is_page_url(p) for p in pages)
    assert not any(
        web.is_page_url(p) for p in ["/", "", "/territoires/", "/inconnue", "/base/donnees", "/_stcore/health"]
    )
    # under Streamlit's server.baseUrlPath, only /BASE/page is a page URL
    assert web.is_page_url("/obs/territoires", "obs") and web.is_page_url("/obs/territoires", "/obs/")
    assert not web.is_page_url("/territoires", "obs") and not web.is_page_url("/obs/", "obs")
    shell = web.french_shell(SHELL, page=True)
    assert shell.count(web.ROOT_SCRIPT) == 1 and shell.index(web.ROOT_SCRIPT) < shell.index(b'<script type="module"')
    assert web.ROOT_SCRIPT not in web.french_shell(SHELL)


def test_the_middleware_reads_the_server_base_path():
    """Behind server.baseUrlPath (given by observatoire.ui.frame), /BASE/page is a page URL and /page is not."""

    def root_script(path: str, base: str) -> bool:
        _, sent = serve(path, headers=BROWSER, content_type=b"text/html", parts=[SHELL], base_path=base)
        return web.ROOT_SCRIPT in b"".join(m.get("body", b"") for m in sent[1:])

    assert root_script("/obs/territoires", "obs") and not root_script("/obs/territoires", "")
    assert root_script("/territoires", "") and not root_script("/territoires", "obs")


def test_the_root_script_gives_the_page_url_without_its_name():
    """The script's two replacements, read the way a browser runs them (JavaScript's regular expressions, here in
    Python's: the same syntax for these two), on a page URL, with a link's parameters and behind a proxy's prefix."""
    import re

    source = web.ROOT_SCRIPT.decode()
    patterns = re.findall(r"replace\(/(.+?)/, ''\)", source)
    assert patterns == ["[?#].*$", "[^/]*$"]

    def root(href: str) -> str:
        for pattern in patterns:
            href = re.sub(pattern, "", href, count=1)
        return href

    assert root("http://127.0.0.1:8501/territoires") == "http://127.0.0.1:8501/"
    assert (
        root("http://127.0.0.1:8501/laureats?regions=Bretagne&departements=Finist%C3%A8re#carte")
        == "http://127.0.0.1:8501/"
    )
    assert (
        root("https://observatoire.streamlit.app/~/+/donnees?table=friches_sites")
        == "https://observatoire.streamlit.app/~/+/"
    )


@pytest.mark.parametrize("base", ["", "base"])
def test_an_address_that_names_no_page_goes_home_with_its_name(base):
    prefix = f"/{base}" if base else ""
    _, sent = serve(f"{prefix}/pagexyz", headers={}, content_type=b"text/html", parts=[SHELL], base_path=base)
    assert sent[0]["status"] == 303
    assert dict(sent[0]["headers"])[b"location"] == f"{prefix}/?{web.NOT_FOUND_PARAM}=pagexyz".encode()
    for path in ("/territoires", "/", "/favicon.png", "/api/v1/", "/_stcore/health", "/a/b"):
        _, sent = serve(prefix + path, headers={}, content_type=b"text/html", parts=[SHELL], base_path=base)
        assert sent[0]["status"] == 200, path
