"""Warm a starting server before it takes its first visitor: every page runs once at its default state, in a session
inside the process, during the `lifespan` of the st.App declared in streamlit_app.py (nothing is answered meanwhile,
the health check included). About 2 s; a first visit of a map page right after a start 3.0-4.0 -> 2.2-2.6 s. A clone
without a database first makes it from the data bundle; skipped with OBSERVATOIRE_WARMUP=0; a failure is logged,
never raised. Details: bench/JOURNAL.md, « Notes de conception : ui/warmup.py »."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from streamlit.logger import get_logger

from observatoire.queries.pages import PAGES

LOGGER = get_logger(__name__)
PAGE_TIMEOUT_S = 120
BUDGET_S = 60  # past this, the remaining pages are left cold: the server must start
# two pages at a time: DuckDB and image drawing release the GIL; measured 2.6 -> 2.2 s (3 or 5 at a time: 2.6 s)
PARALLEL = 2
DONE = "Préchauffage des pages terminé"


def page_name(url_path: str) -> str:
    """The page name a browser sends for a page: empty for the default (first) page."""
    return "" if url_path == PAGES[0][2] else url_path


def rerun_request(page: str, query_string: str = "", cached: set[str] | None = None):
    """The BackMsg a browser sends to run a page, with the hashes of the messages it already holds (which the server
    then does not send again)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page
    msg.rerun_script.cached_message_hashes.extend(cached or ())
    return msg


def outcome(msg) -> tuple[bool, str | None]:
    """Read one ForwardMsg of a run: (the script has ended, what went wrong in French or None)."""
    kind = msg.WhichOneof("type")
    if (
        kind == "delta"
        and msg.delta.WhichOneof("type") == "new_element"
        and msg.delta.new_element.WhichOneof("type") == "exception"
    ):
        return False, f"exception : {msg.delta.new_element.exception.message[:200]}"
    if kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
        return False, "erreur de compilation"
    if kind == "page_not_found":
        return False, "page introuvable"
    if kind == "script_finished":
        if msg.script_finished == msg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the run goes on with a new pass
            return False, None
        if msg.script_finished == msg.FINISHED_WITH_COMPILE_ERROR:
            return True, "erreur de compilation"
        return True, None  # finished, or a fragment's run finished
    return False, None


class _Session:
    """A session's client inside the process (streamlit.runtime.SessionClient): it reads the run's messages instead
    of sending them to a browser. Called on the server's event loop."""

    def __init__(self) -> None:
        self.ended = asyncio.Event()
        self.error: str | None = None

    def write_forward_msg(self, msg) -> None:
        ended, error = outcome(msg)
        self.error = self.error or error
        if ended:
            self.ended.set()

    @property
    def client_context(self):
        return None  # no browser: no headers, cookies or address


async def run_page(runtime, page: str, timeout: float = PAGE_TIMEOUT_S) -> str | None:
    """One run of a page at its default state in a new session of this server, closed after. Returns None, or what
    went wrong. Raises TimeoutError when the run does not end in time."""
    client = _Session()
    session_id = runtime.connect_session(client, user_info={})
    try:
        runtime.handle_backmsg(session_id, rerun_request(page))
        await asyncio.wait_for(client.ended.wait(), timeout)
        return client.error
    finally:
        runtime.close_session(session_id)


async def warm(runtime, budget: float = BUDGET_S, parallel: int = PARALLEL) -> dict[str, str | None]:
    """Every page once, `parallel` at a time; returns each page's error or None."""
    started = time.perf_counter()
    out: dict[str, str | None] = {}
    slots = asyncio.Semaphore(parallel)

    async def one(path: str) -> None:
        async with slots:
            if time.perf_counter() - started > budget:
                out[path] = f"non préchauffée (plus de {budget:.0f} s)"
                return
            try:
                out[path] = await run_page(runtime, page_name(path))
            except Exception as exc:  # noqa: BLE001 - a timeout or a runtime error: report and go on
                out[path] = f"{type(exc).__name__} {exc}"

    await asyncio.gather(*(one(path) for _, _, path, _, _ in PAGES))
    errors = {p: e for p, e in out.items() if e}
    LOGGER.info(
        "%s en %.1f s : %d page(s), %d erreur(s)%s",
        DONE,
        time.perf_counter() - started,
        len(out),
        len(errors),
        "".join(f" ; {p} : {e}" for p, e in errors.items()),
    )
    return out


def restore_if_missing() -> None:
    """A clone's first start (Community Cloud): no database yet, or one made from an older bundle (a deployment that
    pulled new data), so make it from the data bundle before the warm-up and the first answer, progress in the
    server log. Never raises: the first visitor then sees what went wrong."""
    from observatoire import bundle

    if not (bundle.bundle_dir() / bundle.MANIFEST_NAME).is_file():
        return
    started = time.perf_counter()

    def progress(i: int, total: int, table: str) -> None:
        LOGGER.info("Base depuis le paquet de données : table %d sur %d (%s)", i, total, table)

    try:
        if bundle.ensure_database(progress=progress):
            LOGGER.info("Base faite depuis le paquet de données en %.1f s.", time.perf_counter() - started)
    except Exception:  # never keep the server from starting
        LOGGER.exception("Base non faite depuis le paquet de données")


def skip_reason() -> str | None:
    from observatoire import config

    if not config.warmup_enabled():
        return "désactivé (OBSERVATOIRE_WARMUP=0)"
    if not Path(config.db_path()).is_file():
        return "pas encore de base, le premier visiteur la construit"
    return None


@contextlib.asynccontextmanager
async def lifespan(_app):
    """The app's start (st.App lifespan): Streamlit's runtime has started, the server does not answer yet."""
    from streamlit.runtime import Runtime

    await asyncio.to_thread(restore_if_missing)
    reason = skip_reason()
    if reason:
        LOGGER.info("Préchauffage des pages ignoré : %s.", reason)
    else:
        try:
            await warm(Runtime.instance())
        except Exception:  # never keep the server from starting
            LOGGER.exception("Préchauffage des pages interrompu")
    yield
