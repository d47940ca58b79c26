"""The data API, served by the app's own server (Starlette routes given to st.App): every view's rows at a stable
address, in five formats, read-only, strict about its parameters, bounded like the console.

  /api/v1/                                      the index of views, parameters and examples (JSON)
  /api/v1/<page>/<view>.<format>?<the page's URL parameters>
  /api/v1/tables/<table>.<format>               a whole table, as Données offers it
  /api/v1/sql.<format>?q=SELECT…                the console's query (same guard, workers and limits)

Formats: csv, excel.csv (French Excel), xlsx, parquet, json (rows with their metadata). The rows are those of the
page's download bar for the same state (observatoire.views), from the same functions and the same shared cache."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import urllib.parse

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from observatoire import console, exports, views
from observatoire.api_docs import (
    CONCURRENT,
    FORMAT_NOTES,
    LIMITS,
    MAX_ROWS,
    MAX_XLSX_ROWS,
    PREFIX,
    QUEUE,
    SQL_EXAMPLE,
    WAIT_S,
    catalogue,
    parameters,
)
from observatoire.state import InvalidParameter, parse_strict

FORMATS = {
    # API format: (exports writer code, MIME type, file ending)
    "csv": ("csv", "text/csv; charset=utf-8", ".csv"),
    "excel.csv": ("csv_fr", "text/csv; charset=utf-8", "_excel-fr.csv"),
    "xlsx": ("xlsx", exports.FORMATS["xlsx"][2], ".xlsx"),
    "parquet": ("parquet", exports.FORMATS["parquet"][2], ".parquet"),
    "json": (None, "application/json; charset=utf-8", ".json"),
}
_slots = asyncio.Semaphore(CONCURRENT)
_waiting = 0


def error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"erreur": message, **extra}, status_code=status, headers={"Cache-Control": "no-store"})


def _params(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _split_name(name: str) -> tuple[str, str | None]:
    """'lignes.excel.csv' -> ('lignes', 'excel.csv')."""
    stem, _, fmt = name.partition(".")
    return stem, (fmt or None)


def _units(label: str) -> str | None:
    m = re.search(r"\(([^()]*)\)\s*$", str(label))
    return m.group(1) if m else None


def content_id(con) -> str:
    """The database's content, as the bundle's hashes say it (rows and order-independent hash of every table): an
    ETag that changes when the data does, not when the file is merely rebuilt."""
    from observatoire import bundle

    digests = bundle.table_digests(con)
    return hashlib.sha256(
        json.dumps({t: [d.rows, d.hash] for t, d in digests.items()}, sort_keys=True).encode()
    ).hexdigest()


def _run(fn, *args, cached: bool = True):
    from observatoire.ui import data

    return data.query(fn, *args) if cached else data.compute(fn, *args)


async def _compute(fn, *args, cached: bool = True):
    """A query off the event loop (the request already holds its slot): small lookups through the pages' shared
    cache, an answer's rows computed afresh (`cached=False`)."""
    return await run_in_threadpool(lambda: _run(fn, *args, cached=cached))


BUSY = "Trop de requêtes à la fois sur ce serveur : réessayez dans quelques secondes."


def _page_url(request: Request, page: str, params: dict[str, list[str]]) -> str:
    query = urllib.parse.urlencode([(k, v) for k, vs in params.items() for v in vs])
    return f"{request.base_url}{page}" + (f"?{query}" if query else "")


async def _answer(
    request: Request, frame: pd.DataFrame, fmt: str, *, file_name: str, labelled: bool, meta: dict, etag_key: str
) -> Response:
    truncated = len(frame) > MAX_ROWS
    frame = frame.head(MAX_ROWS)
    if fmt == "xlsx" and len(frame) > MAX_XLSX_ROWS:
        return error(
            413,
            f"{len(frame)} lignes : au-delà de {MAX_XLSX_ROWS} lignes, demandez le CSV ou le Parquet (le XLSX prendrait "
            "au serveur plusieurs secondes).",
        )
    content = await _compute(content_id)
    etag = '"' + hashlib.sha256(f"{content}|{etag_key}|{fmt}".encode()).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": "no-cache",
        "X-Observatoire-Lignes": str(len(frame)),
        "X-Observatoire-Lignes-Max": str(MAX_ROWS),
        "X-Observatoire-Tronque": "oui" if truncated else "non",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    code, mime, ending = FORMATS[fmt]
    headers["Content-Disposition"] = f'attachment; filename="{file_name}{ending}"'
    body = await run_in_threadpool(_body, frame, code, labelled, meta, truncated)
    return Response(body, media_type=mime, headers=headers)


def _body(frame: pd.DataFrame, code: str | None, labelled: bool, meta: dict, truncated: bool) -> bytes:
    """The answer's bytes: a download's file, or the JSON document (rows and metadata)."""
    if code is not None:
        return exports.export(frame, code, labelled)
    prepared = exports.prepare(frame, labelled)
    document = {
        **meta,
        "colonnes": [{"nom": str(c), "unite": _units(c)} for c in prepared.columns],
        "nombre_de_lignes": len(prepared),
        "tronque": truncated,
        "limites": {"lignes": MAX_ROWS, "requetes_simultanees": CONCURRENT},
        "lignes": "__ROWS__",
    }
    head, tail = json.dumps(document, ensure_ascii=False).encode().split(b'"__ROWS__"')
    rows = exports.json_rows(prepared)
    return head + rows + tail


def _sources(source_ids) -> list[dict]:
    from observatoire.queries import common
    from observatoire.ui import data

    src = data.query(common.sources)
    src = src[src["source_id"].isin(list(source_ids))]
    return [
        {
            "identifiant": r.source_id,
            "titre": r.title,
            "producteur": r.publisher,
            "licence": r.licence,
            "url": r.url,
            "donnees_au": None if pd.isna(r.data_date) else str(r.data_date)[:10],
        }
        for r in src.itertuples()
    ]


def _format_or_404(fmt: str | None) -> JSONResponse | None:
    if fmt not in FORMATS:
        return error(404, f"Format inconnu « {str(fmt)[:20]} ».", formats_possibles=list(FORMATS))
    return None


async def view_endpoint(request: Request) -> Response:
    page_name, (view_name, fmt) = request.path_params["page"], _split_name(request.path_params["name"])
    page = views.PAGES.get(page_name)
    if page is None:
        return error(404, f"Page inconnue « {page_name[:40]} ».", pages_possibles=list(views.PAGES))
    view = page.views.get(view_name)
    if view is None:
        return error(404, f"Vue inconnue « {view_name[:40]} » pour {page.title}.", vues_possibles=list(page.views))
    if (bad := _format_or_404(fmt)) is not None:
        return bad
    params = _params(request)
    from observatoire.ui import data

    try:
        spec = await run_in_threadpool(page.spec, data.connection())
        values = parse_strict(params, spec)
        resolved = await run_in_threadpool(page.resolve, data.connection(), values)
    except InvalidParameter as exc:
        return error(400, str(exc), parametre=exc.key, valeurs_possibles=exc.valid)
    try:
        if view.recipe is not None:  # assembled from the parts the pages cache (a profile: 0.9 s afresh)
            found = await run_in_threadpool(lambda: view.finish(data.result(view.recipe(resolved)), resolved))
        else:
            found = await _compute(view.rows, resolved, cached=False)
    except ValueError as exc:  # a state the view cannot answer (a comparison of fewer than two territories)
        return error(400, str(exc))
    meta = {
        "vue": f"{page_name}/{view_name}",
        "titre": view.title,
        "filtres": page.describe(resolved),
        "adresse_page": _page_url(request, page_name, params),
        "sources": await run_in_threadpool(_sources, view.sources),
    }
    return await _answer(
        request,
        found,
        fmt,
        file_name=view.file_name(resolved),
        labelled=view.labelled,
        meta=meta,
        etag_key=f"{page_name}/{view_name}?{sorted(params.items())}",
    )


async def table_endpoint(request: Request) -> Response:
    from observatoire.queries import donnees
    from observatoire.ui import data

    table, fmt = _split_name(request.path_params["name"])
    names = await run_in_threadpool(data.query, donnees.table_names)
    if table not in names:
        return error(404, f"Table inconnue « {table[:40]} ».", tables_possibles=names)
    if (bad := _format_or_404(fmt)) is not None:
        return bad
    if request.query_params:
        return error(400, "Une table entière ne prend aucun paramètre.", parametre=next(iter(request.query_params)))
    found = await _compute(donnees.whole_table, table, cached=False)
    meta = {"table": table, "adresse_page": f"{request.base_url}donnees?table={table}"}
    return await _answer(
        request,
        found,
        fmt,
        file_name=exports.file_name("donnees", table),
        labelled=False,
        meta=meta,
        etag_key=f"tables/{table}",
    )


async def sql_endpoint(request: Request) -> Response:
    from observatoire.ui import data

    stem, fmt = _split_name(request.path_params["name"])
    if stem != "sql":
        return error(404, f"Adresse inconnue : {request.url.path[:80]}. L'index de l'API est {PREFIX}/.")
    if (bad := _format_or_404(fmt)) is not None:
        return bad
    params = _params(request)
    unknown = [k for k in params if k != "q"]
    if unknown or "q" not in params:
        return error(400, "Un seul paramètre, q : la requête SQL.", parametre=(unknown or ["q"])[0])
    sql = params["q"][-1]
    try:
        result = await run_in_threadpool(data.console_result, sql)
    except console.ConsoleError as exc:
        status = 503 if exc.transient else 400
        return error(status, str(exc))
    meta = {"requete": sql, "tronque_a": {"lignes": console.ROW_CAP, "octets": console.BYTE_CAP}}
    response = await _answer(
        request,
        result.frame,
        fmt,
        file_name=exports.file_name("donnees", "requete"),
        labelled=False,
        meta=meta,
        etag_key=f"sql?{sql}",
    )
    response.headers["X-Observatoire-Tronque"] = "oui" if result.truncated else "non"
    response.headers["X-Observatoire-Lignes-Max"] = str(console.ROW_CAP)
    return response


async def index_endpoint(request: Request) -> Response:
    from observatoire.queries import donnees
    from observatoire.ui import data

    root = str(request.base_url).rstrip("/")
    con = data.connection()
    params = {name: await run_in_threadpool(parameters, con, name) for name in views.PAGES}
    out = [
        {
            "adresse": f"{root}{v['chemin']}.csv",
            "page": v["page_titre"],
            "vue": v["vue"],
            "titre": v["titre"],
            "parametres": params[v["page"]],
            "exemple": root + v["exemple"],
        }
        for v in catalogue()
    ]
    tables = await run_in_threadpool(data.query, donnees.table_names)
    return JSONResponse(
        {
            "api": "Observatoire, données en lecture seule",
            "documentation": f"{root}/donnees",
            "formats": FORMAT_NOTES,
            "vues": out,
            "tables": [f"{root}{PREFIX}/tables/{t}.csv" for t in tables],
            "sql": f"{root}{PREFIX}/sql.csv?q=" + urllib.parse.quote(SQL_EXAMPLE),
            "limites": LIMITS,
        }
    )


def _give_back() -> None:
    """A file written for an answer (an XLSX, a JSON document) is freed at once: its pages go back to the system, as
    after a page's run (ui.memory)."""
    from observatoire.ui import memory

    memory.give_back()


async def not_allowed(request: Request) -> Response:
    return error(405, "Lecture seule : seules les requêtes GET sont acceptées.")


def _route(path: str, endpoint) -> list[Route]:
    async def dispatch(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return await not_allowed(request)
        # a whole request (queries, file writing) holds one of CONCURRENT slots: the pages keep the other core
        global _waiting
        if _waiting >= QUEUE:
            return error(503, BUSY)
        _waiting += 1
        try:
            await asyncio.wait_for(_slots.acquire(), WAIT_S)
        except TimeoutError:
            return error(503, BUSY)
        finally:
            _waiting -= 1
        try:
            return await endpoint(request)
        except Exception:  # never a traceback to a visitor
            import logging

            logging.getLogger(__name__).exception("API : erreur sur %s", request.url.path)
            return error(500, "Erreur interne du serveur : la requête n'a pas abouti.")
        finally:
            _slots.release()
            await run_in_threadpool(_give_back)

    return [Route(path, dispatch, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])]


class PathGuard:
    """An API address with '..', a backslash or an empty segment gets a French JSON 400 here, before Streamlit's own
    path check answers it with a bare English « Bad Request »."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(PREFIX) and (".." in path or "\\" in path or "//" in path or "\x00" in path):
            response = error(400, "Adresse refusée : elle sort de l'API ou contient des caractères interdits.")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


ROUTES = [
    *_route(PREFIX, index_endpoint),
    *_route(PREFIX + "/", index_endpoint),
    *_route(PREFIX + "/tables/{name}", table_endpoint),
    *_route(PREFIX + "/{page}/{name}", view_endpoint),
    *_route(PREFIX + "/{name:str}", sql_endpoint),
]
