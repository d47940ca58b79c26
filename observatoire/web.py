"""HTTP in front of Streamlit's server (an ASGI middleware, given to st.App in streamlit_app.py): the HTML shell every
page URL returns says it is French. Streamlit writes `<html lang="en">` and the title "Streamlit" into it, whatever
the app: screen readers then read our French in an English voice, Chrome offers French users to translate the page
"from English", and a link pasted in a chat or a mail shows "Streamlit" in its preview, which no script runs for."""
from __future__ import annotations

import html

APP_TITLE = "Observatoire – aides publiques et territoires d'industrie"
DESCRIPTION = ("Où est allé l'argent public pour l'industrie et les entreprises, territoire par territoire : France Relance, "
               "aides Covid, territoires d'industrie. Chaque chiffre avec sa source.")
# (Streamlit's text, ours). Each must be found in Streamlit's shell: tests/test_web.py reads the installed one.
REPLACEMENTS = (
    (b'<html lang="en">', b'<html lang="fr">'),
    (b"<title>Streamlit</title>", (f"<title>{html.escape(APP_TITLE, quote=False)}</title>\n"
                                   f'    <meta name="description" content="{html.escape(DESCRIPTION)}" />').encode()),
    (b"<p>You need to enable JavaScript to run this app.</p>",
     "<p>Activez JavaScript dans votre navigateur pour utiliser l'Observatoire.</p>".encode()),
)
# Everything else Streamlit serves (scripts, the websocket, components, media, health) passes through untouched
NOT_SHELL = ("/_stcore/", "/static/", "/component/", "/media/", "/app/static/")
DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range"}
DROPPED_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified", b"accept-ranges"}


def french_shell(html: bytes) -> bytes:
    for old, new in REPLACEMENTS:
        html = html.replace(old, new, 1)
    return html


class FrenchShell:
    """Rewrites the shell (a text/html answer to a GET of a page URL) by french_shell. Its request is sent on without
    compression or validators, so the answer is whole and fresh (8 kB); it goes back without ETag or Last-Modified,
    which described Streamlit's file, not ours."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or any(p in scope.get("path", "") for p in NOT_SHELL):
            return await self.app(scope, receive, send)
        # whole, fresh, uncompressed, and as body messages (no zero-copy file send) so that it can be rewritten
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in DROPPED_REQUEST_HEADERS],
                 "extensions": {k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"}}
        start: dict = {}
        body: list[bytes] = []

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
                    page = french_shell(b"".join(body)) if start["status"] == 200 else b"".join(body)
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in DROPPED_RESPONSE_HEADERS]
                    await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                    await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, capture)


def _is_html(start: dict) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in start.get("headers", []))
