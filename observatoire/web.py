"""HTTP in front of Streamlit's server (an ASGI middleware, given to st.App in streamlit_app.py): the HTML shell of
every page URL says it is French (`lang`, title, description), and tells Streamlit's script where the app's root is
(0.15 s saved on a first visit of a page other than the home page). An address that names no page goes home with
?page_introuvable=…. Why: bench/JOURNAL.md, « Notes de conception : web.py »."""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Callable

APP_TITLE = "Observatoire – aides publiques et territoires d'industrie"
DESCRIPTION = (
    "Où est allé l'argent public pour l'industrie et les entreprises, territoire par territoire : France Relance, "
    "aides Covid, territoires d'industrie. Chaque chiffre avec sa source."
)
# (Streamlit's text, ours). Each must be found in Streamlit's shell: tests/test_web.py reads the installed one.
REPLACEMENTS = (
    (b'<html lang="en">', b'<html lang="fr">'),
    (
        b"<title>Streamlit</title>",
        (
            f"<title>{html.escape(APP_TITLE, quote=False)}</title>\n"
            f'    <meta name="description" content="{html.escape(DESCRIPTION)}" />'
        ).encode(),
    ),
    (
        b"<p>You need to enable JavaScript to run this app.</p>",
        b"<p>Activez JavaScript dans votre navigateur pour utiliser l'Observatoire.</p>",
    ),
)
# Everything else Streamlit serves (scripts, the websocket, components, media, health) passes through untouched
NOT_SHELL = ("/_stcore/", "/static/", "/component/", "/media/", "/app/static/", "/api/")
# Streamlit's script reads window.__streamlit once, when it starts; BACKEND_BASE_URL is the root it would find by probing.
# The page's own URL minus its last segment (the page name), so that a proxy's prefix (/~/+/ on Community Cloud) stays.
ROOT_SCRIPT = (
    b"<script>window.__streamlit = window.__streamlit || "
    b"{BACKEND_BASE_URL: location.href.replace(/[?#].*$/, '').replace(/[^/]*$/, '')};</script>"
)
ROOT_ANCHOR = b"</title>"
DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range"}
DROPPED_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified", b"accept-ranges"}


def french_shell(html: bytes, *, page: bool = False) -> bytes:
    """Streamlit's shell in French; for the URL of a page (not the app's root), with the root's address for its script."""
    for old, new in REPLACEMENTS:
        html = html.replace(old, new, 1)
    if page:
        html = html.replace(ROOT_ANCHOR, ROOT_ANCHOR + b"\n    " + ROOT_SCRIPT, 1)
    return html


def is_page_url(path: str, base_path: str = "") -> bool:
    """/territoires, or /BASE/territoires when Streamlit's server.baseUrlPath is BASE: the URL of a page of the app,
    so its last segment is a page name, not part of the app's root. Anything else (the root, a trailing slash, an
    unknown name) keeps Streamlit's probing."""
    from observatoire.queries.pages import PAGES

    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    return path.startswith(base) and path[len(base) :] in {url for _, _, url, _, _ in PAGES}


def unknown_page(path: str, base_path: str = "") -> str | None:
    """The name in /nom or /BASE/nom when it is no page of the app (nor a file, nor an API address): Streamlit would
    answer with its own English « Page not found » box; the home page says it in French instead."""
    from observatoire.queries.pages import PAGES

    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    if not path.startswith(base):
        return None
    name = path[len(base) :]
    known = {url for _, _, url, _, _ in PAGES}
    if name and "/" not in name and "." not in name and name not in known and name not in RESERVED:
        return name
    return None


RESERVED = {"api", "healthz", "robots", "favicon"}
NOT_FOUND_PARAM = "page_introuvable"


class FrenchShell:
    """Rewrites the shell (a text/html answer to a GET of a page URL) by french_shell. Its request is sent on without
    compression or validators, so the answer is whole and fresh (8 kB); it goes back without ETag or Last-Modified,
    which described Streamlit's file, not ours. `base_path` gives Streamlit's server.baseUrlPath (read at each
    request, from observatoire.ui.frame: this package does not import Streamlit outside ui/)."""

    def __init__(self, app, base_path: Callable[[], str] = lambda: ""):
        self.app, self.base_path = app, base_path

    async def __call__(self, scope, receive, send):
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or any(p in scope.get("path", "") for p in NOT_SHELL)
        ):
            return await self.app(scope, receive, send)
        # whole, fresh, uncompressed, and as body messages (no zero-copy file send) so that it can be rewritten
        scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in DROPPED_REQUEST_HEADERS],
            "extensions": {k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"},
        }
        missing = unknown_page(scope.get("path", ""), self.base_path())
        if missing is not None:
            base = "/" + self.base_path().strip("/") + "/" if self.base_path().strip("/") else "/"
            target = f"{base}?{urllib.parse.urlencode({NOT_FOUND_PARAM: missing[:100]})}"
            await send({"type": "http.response.start", "status": 303, "headers": [(b"location", target.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        start: dict = {}
        body: list[bytes] = []
        page = is_page_url(scope.get("path", ""), self.base_path())

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                if not _is_html(message):
                    await send(message)
            elif start and not _is_html(start):
                await send(message)
            else:  # the shell's body, whole or in parts
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    shell = french_shell(b"".join(body), page=page) if start["status"] == 200 else b"".join(body)
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in DROPPED_RESPONSE_HEADERS]
                    await send({**start, "headers": [*headers, (b"content-length", str(len(shell)).encode())]})
                    await send({"type": "http.response.body", "body": shell})

        await self.app(scope, receive, capture)


def _is_html(start: dict) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in start.get("headers", []))
