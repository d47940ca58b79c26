"""Console queries run outside the server, in worker processes bounded by the operating system.

A worker (`python -m observatoire.console_worker DB`) opens the database read-only in a DuckDB of its own, with no
file system beyond that file, one thread, a low priority (nice 10) and a hard address-space ceiling
(RLIMIT_AS): a query that builds a huge list or string fails in the worker, never in the server. The server side
(`Pool`) sends one query at a time to a worker, waits at most TIME_LIMIT_S, then kills it and starts another. At
most `size` queries run at once on a server, one per session; the others wait a little, then are told to retry.

Measured on 07/12/2026, before this module: `list_sort(range(10^8))` ran 25-27 s in the server process and took it
to 7.8 GB; now the worker answers in French within the limit and the server does not grow (tests/test_console.py).
Protocol: a JSON line per request on stdin; a length-prefixed pickle per answer on stdout (both ends are ours)."""

from __future__ import annotations

import json
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HEADROOM_BYTES = 160 * 2**20  # address space a query may add to an idle worker's (mostly mapped libraries)
DUCKDB_MEMORY = "96MB"  # DuckDB's own buffer limit inside that ceiling
SIZE = 2  # queries at once per server: one core for them, one for the pages
QUEUE_WAIT_S = 4.0  # how long a query waits for a free worker before the visitor is asked to retry
IDLE_S = 300.0  # an idle worker is stopped after this (memory back to the machine)
START_TIMEOUT_S = 30.0
MEMORY_MESSAGE = "La requête demande trop de mémoire : ajoutez des filtres ou une agrégation."


# --- The worker process -------------------------------------------------------------------------------------------


def open_connection(db_path: Path, parquet_dir: Path | None = None):
    """A DuckDB of the worker's own: the database attached read-only, settings that could name a server path
    emptied, no file system (or only the Parquet folder of a split database), configuration locked."""
    import duckdb

    os.chdir(db_path.parent)  # DuckDB then knows the file by its bare name
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": 1,
            "memory_limit": DUCKDB_MEMORY,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    name = db_path.name.replace("'", "''")
    con.execute(f"ATTACH '{name}' AS observatoire (READ_ONLY)")
    con.execute("USE observatoire")
    for setting in ("temp_directory", "home_directory", "extension_directory", "secret_directory"):
        con.execute(f"SET {setting} = ''")
    if parquet_dir:
        con.execute("SET allowed_directories = ?", [[str(Path(parquet_dir).resolve()) + "/"]])
        con.execute("SET enable_external_access = false")
    else:
        con.execute("SET enable_external_access = false")
        con.execute("SET disabled_filesystems = 'LocalFileSystem'")
    con.execute("SET lock_configuration = true")
    return con


def _address_space() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(headroom: int = HEADROOM_BYTES) -> int:
    """The worker's ceiling: what it has mapped once ready, plus `headroom`. Returns the limit in bytes."""
    limit = _address_space() + headroom
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def _send(out, obj) -> None:
    try:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps({"ok": False, "error": MEMORY_MESSAGE})
    out.write(struct.pack("<Q", len(data)))
    out.write(data)
    out.flush()


def main(argv: list[str]) -> int:
    from observatoire import config, console

    os.nice(10)
    con = open_connection(Path(argv[0]).resolve(), config.parquet_dir())
    con.execute("SELECT 1").fetchall()
    limit_memory()
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the answer pipe
    _send(out, {"ready": True, "pid": os.getpid()})
    for line in sys.stdin.buffer:
        try:
            req = json.loads(line)
            payload = console.execute(con, req["sql"], req["row_cap"], req["byte_cap"])
            _send(out, {"ok": True, "result": payload})
        except console.ConsoleError as exc:
            _send(out, {"ok": False, "error": str(exc)})
        except MemoryError:
            _send(out, {"ok": False, "error": MEMORY_MESSAGE})
        except Exception as exc:  # noqa: BLE001 - any other failure is answered, the worker goes on
            _send(out, {"ok": False, "error": console.french_error(exc, "")})
    return 0


# --- The server side ----------------------------------------------------------------------------------------------


class WorkerLost(Exception):
    """The worker died (its memory ceiling, most often) or was killed at the deadline."""


class Worker:
    def __init__(self, db_path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "observatoire.console_worker", str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parent.parent,
            start_new_session=True,
        )
        self.last_used = time.monotonic()
        hello = self._read(time.monotonic() + START_TIMEOUT_S, None)
        if not hello.get("ready"):
            self.kill()
            raise WorkerLost("le processus de requêtes n'a pas démarré")
        self.pid = hello["pid"]

    def _read_exactly(self, n: int, deadline: float, tick: Callable[[], None] | None) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], min(wait, 0.2))
            if tick is not None:
                tick()  # the page's progress line, and where Streamlit stops a run that the visitor cancelled
            if not ready:
                continue
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise WorkerLost("le processus de requêtes s'est arrêté")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float, tick) -> dict:
        (size,) = struct.unpack("<Q", self._read_exactly(8, deadline, tick))
        return pickle.loads(self._read_exactly(size, deadline, tick))

    def ask(self, request: dict, deadline: float, tick) -> dict:
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerLost("le processus de requêtes s'est arrêté") from None
        answer = self._read(deadline, tick)
        self.last_used = time.monotonic()
        return answer

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class Pool:
    """At most `size` console queries at once on this server, each in a worker process, one per owner (session)."""

    def __init__(self, db_path: Path, size: int = SIZE):
        self.db_path = Path(db_path)
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[Worker] = []
        self._owners: set = set()
        self._closed = False
        self.started = 0  # workers started, for tests and the bench

    def _take(self) -> Worker:
        with self._lock:
            now = time.monotonic()
            for w in [w for w in self._idle if not w.alive() or now - w.last_used > IDLE_S]:
                self._idle.remove(w)
                w.kill()
            if self._idle:
                return self._idle.pop()
        self.started += 1
        return Worker(self.db_path)

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if self._closed or len(self._idle) >= self.size:
                worker.kill()
            else:
                self._idle.append(worker)

    def _replace_later(self) -> None:
        """Start a worker in the background after one was killed, so the next query does not wait for it."""

        def start():
            try:
                self._give_back(Worker(self.db_path))
            except Exception:  # noqa: BLE001 - the next query starts one itself
                pass

        self.started += 1
        threading.Thread(target=start, daemon=True).start()

    def run(
        self,
        sql: str,
        *,
        owner=None,
        time_limit_s: float | None = None,
        row_cap: int | None = None,
        byte_cap: int | None = None,
        tick: Callable[[], None] | None = None,
        queue_wait_s: float = QUEUE_WAIT_S,
    ):
        """Run one console query; returns a ConsoleResult or raises ConsoleError (French)."""
        from observatoire import console

        time_limit_s = console.TIME_LIMIT_S if time_limit_s is None else time_limit_s
        console.check_text(sql)
        with self._lock:
            if owner is not None and owner in self._owners:
                raise console.ConsoleError(
                    "Une requête de cette session est déjà en cours : attendez sa fin.", transient=True
                )
            if owner is not None:
                self._owners.add(owner)
        try:
            waited_until = time.monotonic() + queue_wait_s
            while not self._slots.acquire(timeout=0.2):
                if tick is not None:
                    tick()
                if time.monotonic() > waited_until:
                    raise console.ConsoleError(
                        f"La console est occupée par {self.size} autres requêtes : réessayez dans quelques secondes.",
                        transient=True,
                    )
            try:
                return self._run(sql, time_limit_s, row_cap, byte_cap, tick)
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._owners.discard(owner)

    def _run(self, sql, time_limit_s, row_cap, byte_cap, tick):
        from observatoire import console

        started = time.monotonic()
        try:
            worker = self._take()
        except WorkerLost:
            raise console.ConsoleError(
                "La console est momentanément indisponible : réessayez.", transient=True
            ) from None
        request = {
            "sql": sql,
            "row_cap": console.ROW_CAP if row_cap is None else row_cap,
            "byte_cap": console.BYTE_CAP if byte_cap is None else byte_cap,
        }
        try:
            answer = worker.ask(request, started + time_limit_s, tick)
        except TimeoutError:
            worker.kill()
            self._replace_later()
            raise console.ConsoleError(f"La requête a dépassé {time_limit_s:g} s et a été interrompue.") from None
        except WorkerLost:
            worker.kill()
            self._replace_later()
            raise console.ConsoleError(MEMORY_MESSAGE) from None
        except BaseException:  # the visitor cancelled (Streamlit stops the run inside `tick`): stop the query too
            worker.kill()
            self._replace_later()
            raise
        self._give_back(worker)
        if not answer.get("ok"):
            raise console.ConsoleError(answer.get("error") or "La requête n'a pas abouti.")
        return console.to_result(answer["result"], time.monotonic() - started)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for w in idle:
            w.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
