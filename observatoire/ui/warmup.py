"""Warm a freshly started server: once a first page has run, every page runs once at its default state in a
background session, so that the first visitor of each page after a restart finds its queries and map images already
computed and shared (observatoire.ui.data). Measured in a browser on this 2-core VM, the first visit of each page on
a server that had only served Accueil: Territoires 3.77 -> 2.11 s, Lauréats 3.03 -> 2.36 s, Aides Covid 2.84 -> 2.35 s.

A plain `streamlit run` has no hook at server start (Streamlit's ASGI `st.App` has one, but is experimental), so the
warm-up starts at the end of the first run. It is a session like a browser tab's: a websocket to this server speaking
Streamlit's protocol (the BackMsg and ForwardMsg protobufs), which makes the server run the page scripts exactly as
for a visitor. bench/load.py uses the same `rerun` for its load test. It never starts under AppTest, and
OBSERVATOIRE_WARMUP=0 turns it off."""
from __future__ import annotations

import asyncio
import threading
import time

from streamlit.logger import get_logger

from observatoire.queries.pages import PAGES

LOGGER = get_logger(__name__)
DELAY_S = 2.0  # after the first run: the first visitor's browser is still loading the page's scripts from the server
PAGE_TIMEOUT_S = 120
_started = False
_lock = threading.Lock()


def page_name(url_path: str) -> str:
    """The page name a browser sends for a page: empty for the default (first) page."""
    return "" if url_path == PAGES[0][2] else url_path


async def rerun(ws, page: str, query_string: str = "", cached: set[str] | None = None, timeout: float = PAGE_TIMEOUT_S) -> str | None:
    """One run of a page through an open websocket, as a browser asks for it (with the hashes of the messages it
    already holds, which the server then does not send again); waits until the script ends. Returns None, or what
    went wrong, in French. Raises asyncio.TimeoutError when the run does not end in time."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    cached = set() if cached is None else cached
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page
    msg.rerun_script.cached_message_hashes.extend(cached)
    await ws.send(msg.SerializeToString())
    error = None
    while True:
        f = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), timeout=timeout))
        if f.metadata.cacheable and f.hash:
            cached.add(f.hash)
        kind = f.WhichOneof("type")
        if kind == "delta" and f.delta.WhichOneof("type") == "new_element" and f.delta.new_element.WhichOneof("type") == "exception":
            error = error or f"exception : {f.delta.new_element.exception.message[:200]}"
        elif kind == "session_event" and f.session_event.WhichOneof("type") == "script_compilation_exception":
            error = error or "erreur de compilation"
        elif kind == "page_not_found":
            error = error or "page introuvable"
        elif kind == "script_finished":
            if f.script_finished not in (0, 3):  # finished, or finished early for a rerun
                error = error or f"fin anormale ({f.script_finished})"
            return error


def connect(url: str):
    """A websocket session with a Streamlit server, as a browser tab opens it (async context manager). `url` is the
    server's http://host:port address, or its websocket stream address."""
    import websockets

    if url.startswith("http"):
        url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    return websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=30)


def stream_url() -> str | None:
    """This server's websocket address, seen from inside; None where the warm-up cannot reach it (a Unix socket,
    TLS)."""
    from streamlit import config

    address = config.get_option("server.address") or "127.0.0.1"
    if address.startswith("unix:") or config.get_option("server.sslCertFile"):
        return None
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    host = f"[{address}]" if ":" in address else address
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"ws://{host}:{config.get_option('server.port')}/{base + '/' if base else ''}_stcore/stream"


def _enabled() -> bool:
    from streamlit import config, runtime

    from observatoire import config as settings

    return runtime.exists() and not config.get_option("global.appTest") and settings.warmup_enabled()


def start() -> bool:
    """From the end of every page run: the first call of the server's process starts the warm-up in a background
    thread. Returns whether this call started it."""
    global _started
    if _started:
        return False
    with _lock:
        if _started or not _enabled():
            return False
        _started = True
    url = stream_url()
    if url is None:
        LOGGER.info("Préchauffage des pages : adresse du serveur non joignable de l'intérieur, ignoré.")
        return False
    threading.Thread(target=lambda: asyncio.run(warm(url)), name="observatoire-warmup", daemon=True).start()
    return True


async def warm(url: str, delay: float = DELAY_S) -> dict[str, str | None]:
    """Every page once at its default state, one after another (one session each, closed after); returns each
    page's error or None. Failures are logged, never raised: a visitor loses nothing if the warm-up fails."""
    await asyncio.sleep(delay)
    started = time.perf_counter()
    out: dict[str, str | None] = {}
    for _, _, path, _, _ in PAGES:
        try:
            async with connect(url) as ws:
                out[path] = await rerun(ws, page_name(path))
        except Exception as exc:  # noqa: BLE001 - a refused connection or a timeout: report and go on
            out[path] = f"{type(exc).__name__} {exc}"
    errors = {p: e for p, e in out.items() if e}
    LOGGER.info("Préchauffage des pages terminé en %.1f s : %d page(s), %d erreur(s)%s", time.perf_counter() - started,
                len(out), len(errors), "".join(f" ; {p} : {e}" for p, e in errors.items()))
    return out
