"""Real-browser timings (headless chromium through Playwright, only 127.0.0.1 reachable): time from navigation until a
page shows its map canvas and its table rows, time from a filter change until the KPI text changes, and the server's
resident memory with 1, 5 and 10 concurrent browser sessions."""

from __future__ import annotations

import time

from bench.common import rss_mb, summary

CHROMIUM = "/usr/bin/chromium"
# Only 127.0.0.1 resolves: other hosts fail at DNS level. No request interception (Playwright's routing disables the
# HTTP cache, so every visit would re-download Streamlit's JavaScript, and it stalls data: URLs); requests are recorded.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL = ("http://127.0.0.1", "data:", "blob:")
# page -> (URL path, has a map, a filter change: (label to click, index of the KPI card that must change))
PAGES = {
    "accueil": ("", True, None),
    "territoires": ("territoires", True, ("2022 (149 territoires)", 0)),
    "laureats": ("laureats", True, ("Inclure les sites candidats non lauréats (Fonds friches)", 0)),
    "aides_covid": ("aides_covid", True, ("Région", 0)),
    "donnees": ("donnees", False, None),
}
READY_JS = """() => {
  const busy = document.querySelector('[data-testid="stStatusWidget"]');
  const app = document.querySelector('[data-testid="stApp"]');
  return app && !busy;
}"""
# page -> what its floor page holds (bench/floor_app.py): the same kinds of map and table, nothing else of ours
FLOOR = {
    "accueil": "carte,tableau",
    "territoires": "carte,tableau",
    "laureats": "carte,grille",
    "aides_covid": "carte,grille",
    "donnees": "dataframe",
}
KPI_JS = "(i) => { const v = document.querySelectorAll('.obs-kpi .v')[i]; return v ? v.textContent : null; }"


# A fixed piece of work, timed in the same chromium and in Python: the VM's speed varies by 15-40 % over hours, so each
# run records it, and the browser figures of two runs are compared knowing whether the machine itself was slower.
SPEED_JS = """() => { const t0 = performance.now(); let acc = 0;
  for (let r = 0; r < 20; r++) {
    const rows = [];
    for (let i = 0; i < 20000; i++) rows.push({id: i, name: 'site ' + i, v: (i * 7919) % 1000 / 7, tags: [i % 3, i % 5]});
    const back = JSON.parse(JSON.stringify(rows)); back.sort((a, b) => a.v - b.v || a.id - b.id);
    const m = new Map(); for (const x of back) m.set(x.name, (m.get(x.name) || 0) + x.v);
    acc += m.size + back[0].id; }
  return [(performance.now() - t0) / 1000, acc]; }"""


def _python_work() -> float:
    started = time.perf_counter()
    rows = sorted(({"id": i, "v": (i * 7919) % 1000 / 7} for i in range(300_000)), key=lambda r: (r["v"], r["id"]))
    assert len({r["id"] for r in rows}) == 300_000
    return time.perf_counter() - started


def machine_speed(runs: int = 5) -> dict:
    """Seconds the same work takes in chromium's JavaScript and in Python (medians of `runs`, after one unmeasured
    run); shorter means a faster machine."""
    import statistics

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        pg = browser.new_page()
        js = [pg.evaluate(SPEED_JS)[0] for _ in range(runs + 1)][1:]
        browser.close()
    py = [_python_work() for _ in range(runs + 1)][1:]
    return {"js_s": round(statistics.median(js), 3), "python_s": round(statistics.median(py), 3)}


def _context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    ctx.external_requests = []
    ctx.on("request", lambda r: None if r.url.startswith(LOCAL) else ctx.external_requests.append(r.url))
    return ctx


def page_ready(pg, url: str, has_map: bool, timeout: float = 60_000) -> float:
    started = time.perf_counter()
    pg.goto(url)
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    if has_map:
        pg.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", state="attached", timeout=timeout)
    # a table's rows: a data grid (canvas), an HTML table (kit.table) or an ag-grid iframe
    pg.wait_for_selector(
        "[data-testid='stDataFrame'], .obs-table td, iframe[title*='aggrid']", state="attached", timeout=timeout
    )
    pg.wait_for_function(READY_JS, timeout=timeout)
    if pg.locator("iframe[title*='aggrid']").count():  # the grid's rows are drawn inside its frame, by its own script
        pg.frame_locator("iframe[title*='aggrid']").first.locator(".ag-row").first.wait_for(
            state="visible", timeout=timeout
        )
    return time.perf_counter() - started


def filter_change(pg, action: tuple[str, int], timeout: float = 60_000) -> float | None:
    label, index = action
    before = pg.evaluate(KPI_JS, index)
    target = pg.get_by_text(label, exact=True).first
    started = time.perf_counter()
    target.click()
    pg.wait_for_function(
        f"([b, i]) => {{ const f = {KPI_JS}; const v = f(i); return v !== null && v !== b; }}",
        arg=[before, index],
        timeout=timeout,
    )
    return time.perf_counter() - started


FIRST_VISITS = 4  # single first visits vary by 0.2-0.3 s on this VM


def first_visit(browser, url: str, has_map: bool) -> float:
    ctx = _context(browser)
    try:
        return page_ready(ctx.new_page(), url, has_map)
    finally:
        ctx.close()


def timings(url: str, runs: int = 4, floor_url: str | None = None) -> dict:
    """Per page: ready time on a first visit (new browser context, empty HTTP cache: Streamlit's JavaScript is
    downloaded and compiled), once as the first request of that page since the server started (other pages were
    visited before it) and FIRST_VISITS times after; then on
    repeat visits (same context, cached JavaScript: 2 contexts x `runs`) and after a filter change. With `floor_url`
    (bench/floor_app.py served), each of those first visits is followed by a first visit of the page's floor (the
    same kinds of map and table, nothing of ours), so that both see the VM in the same state."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for page, (path, has_map, action) in PAGES.items():
            cold_server, first, floor, repeat, change, external = [], [], [], [], [], []
            for i in range(1 + FIRST_VISITS):
                ctx = _context(browser)
                pg = ctx.new_page()
                (cold_server if i == 0 else first).append(page_ready(pg, f"{url}/{path}", has_map))
                for _ in range(runs if i in (1, 2) else 0):
                    repeat.append(page_ready(pg, f"{url}/{path}", has_map))
                    if action:
                        pg.wait_for_timeout(300)
                        change.append(filter_change(pg, action))
                external += ctx.external_requests
                ctx.close()
                if floor_url and i > 0:
                    floor.append(first_visit(browser, f"{floor_url}/?elements={FLOOR[page]}", "carte" in FLOOR[page]))
            out[page] = {
                "ready_cold_server_s": summary(cold_server),
                "ready_first_visit_s": summary(first),
                "ready_s": summary(repeat),
                "filter_change_s": summary(change) if change else None,
                "external_requests": len(external),
            }
            if floor:
                out[page]["floor_first_visit_s"] = summary(floor)
                out[page]["floor_elements"] = FLOOR[page]
        browser.close()
    return out


def restart_visits(db_path, runs: int = 3) -> tuple[dict, dict, dict]:
    """Per page: ready time of the very first visit after a server start, the page being the first one asked for (a
    link opened just after a restart), from the moment the server answers its health check (after its warm-up, see
    observatoire.ui.warmup); the same from the launch of `streamlit run`. A fresh server each time. Returns (ready,
    ready since the launch, per page), and the time from launch to the health check's answer over all starts."""
    from playwright.sync_api import sync_playwright

    from bench.server import streamlit_server

    ready, since_launch, starts = {}, {}, []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for page, (path, has_map, _) in PAGES.items():
            times, totals = [], []
            for _ in range(runs):
                launched = time.perf_counter()
                with streamlit_server(db_path) as (url, _proc):
                    starts.append(time.perf_counter() - launched)
                    ctx = _context(browser)
                    times.append(page_ready(ctx.new_page(), f"{url}/{path}", has_map))
                    totals.append(time.perf_counter() - launched)
                    ctx.close()
            ready[page], since_launch[page] = summary(times), summary(totals)
        browser.close()
    return ready, since_launch, summary(starts)


def memory_with_sessions(url: str, server_pid: int, counts=(1, 5, 10)) -> dict:
    """Server RSS once N browser sessions (contexts) are open, each on a page (cycling through the pages)."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        contexts = []
        for n in counts:
            while len(contexts) < n:
                page = list(PAGES)[len(contexts) % len(PAGES)]
                path, has_map, _ = PAGES[page]
                ctx = _context(browser)
                pg = ctx.new_page()
                page_ready(pg, f"{url}/{path}", has_map)
                contexts.append(ctx)
            time.sleep(2)
            out[n] = rss_mb(server_pid)
        for ctx in contexts:
            ctx.close()
        browser.close()
    return out
