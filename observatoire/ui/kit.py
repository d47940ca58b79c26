"""KPI row, grid, download bar, provenance footnote, page header: one way to do each, used by every page."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import html
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from st_aggrid import AgGrid, GridOptionsBuilder, JsCode

from observatoire import exports, fmt, labels, profile_html, views
from observatoire.memo import remember
from observatoire.queries import common
from observatoire.ui import state
from observatoire.ui.data import query

GRID_MAX_ROWS = 10_000  # a browser grid of more rows is slow to ship and to scroll; downloads hold all rows

AG_GRID_FR = {
    "page": "Page",
    "more": "Plus",
    "to": "à",
    "of": "sur",
    "next": "Suivante",
    "last": "Dernière",
    "first": "Première",
    "previous": "Précédente",
    "loadingOoo": "Chargement…",
    "noRowsToShow": "Aucune ligne à afficher",
    "filterOoo": "Filtrer…",
    "equals": "Égal à",
    "notEqual": "Différent de",
    "contains": "Contient",
    "notContains": "Ne contient pas",
    "startsWith": "Commence par",
    "endsWith": "Se termine par",
    "lessThan": "Inférieur à",
    "greaterThan": "Supérieur à",
    "lessThanOrEqual": "Inférieur ou égal à",
    "greaterThanOrEqual": "Supérieur ou égal à",
    "inRange": "Entre",
    "blank": "Vide",
    "notBlank": "Non vide",
    "andCondition": "ET",
    "orCondition": "OU",
    "applyFilter": "Appliquer",
    "resetFilter": "Réinitialiser",
    "clearFilter": "Effacer",
    "searchOoo": "Rechercher…",
    "selectAll": "Tout sélectionner",
    "pinColumn": "Épingler la colonne",
    "autosizeThiscolumn": "Ajuster cette colonne",
    "autosizeAllColumns": "Ajuster toutes les colonnes",
    "resetColumns": "Réinitialiser les colonnes",
    "sortAscending": "Tri croissant",
    "sortDescending": "Tri décroissant",
    "columns": "Colonnes",
    "filters": "Filtres",
}
# French numbers with the same decimals down a column (0, 1 or 2: as many as its values need), so '100,00' stands beside
# '103,25' rather than '100'
NUMBER_FR = {
    d: JsCode(
        "function(p){ if (p.value === null || p.value === undefined || p.value === '') return ''; "
        f"return Number(p.value).toLocaleString('fr-FR', {{minimumFractionDigits: {d}, maximumFractionDigits: {d}}}); }}"
    )
    for d in (0, 1, 2)
}


def column_decimals(col: pd.Series) -> int:
    """Decimals a numeric column needs to show its values, at most 2: 0 for whole numbers (integers, or floats that
    all are)."""
    if pd.api.types.is_integer_dtype(col):
        return 0
    values = col.dropna().to_numpy(dtype=float)
    for d in (0, 1):
        if (abs(values.round(d) - values) <= 1e-9 + 1e-15 * abs(values)).all():  # float noise, not cents
            return d
    return 2


@dataclass
class KPI:
    label: str
    value: str
    help: str | None = None
    comparison: str | None = None


@contextlib.contextmanager
def expander(label: str, key: str) -> Iterator[bool]:
    """A closed expander whose content is computed and sent only while it is open: `with expander(…) as shown:` then
    `if shown:`. Opening it reruns the page. Streamlit draws a closed expander's content all the same (hidden): the
    183-row ranking of Territoires and its eight download buttons cost 0.18 s of every first visit (A/B, headless
    chromium, 6 first visits each: 2.54 → 2.36 s)."""
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


def page_header(title: str, question: str) -> None:
    st.title(title)
    st.caption(question)


def page_card_link(path: str, title: str, url: str, icon: str) -> None:
    """A link to another page; outside st.navigation (a page run alone) a plain link to its URL path."""
    try:
        st.page_link(path, label=title, icon=icon)
    except st.errors.StreamlitPageNotFoundError:
        st.markdown(f"{icon} [{title}](/{url})")


KPI_CSS = """<style>
.obs-kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;margin:4px 0 8px}
.obs-kpi{border:1px solid #dddddd;border-radius:8px;padding:10px 14px;background:#fff}
.obs-kpi .l{font-size:.85rem;color:#3a3a3a}
.obs-kpi .v{font-size:1.7rem;font-weight:700;color:#000091;white-space:nowrap;line-height:1.25}
.obs-kpi .c{font-size:.8rem;color:#666}
</style>"""


def kpi_row(items: list[KPI]) -> None:
    """KPI cards that wrap rather than truncate: a figure is never cut."""
    cards = "".join(
        f"<div class='obs-kpi' title='{html.escape(i.help or '', quote=True)}'><div class='l'>{html.escape(i.label)}</div>"
        f"<div class='v'>{html.escape(i.value)}</div>"
        + (f"<div class='c'>{html.escape(i.comparison)}</div>" if i.comparison else "")
        + "</div>"
        for i in items
    )
    st.markdown(KPI_CSS + f"<div class='obs-kpis'>{cards}</div>", unsafe_allow_html=True)


_GRID_OPTIONS: dict = {}


def _grid_options(columns: tuple, selectable: bool, empty: pd.DataFrame) -> dict:
    """Grid options depend on the columns only (names, types, headers, decimals): built once per set of columns (the
    builder reads st-aggrid's JSON option files on every call), then deep-copied, since AgGrid rewrites the options it
    is given."""
    key = (columns, selectable)
    if key not in _GRID_OPTIONS:
        if len(_GRID_OPTIONS) >= 128:  # the SQL console makes any set of columns: keep the cache bounded
            _GRID_OPTIONS.clear()
        gb = GridOptionsBuilder.from_dataframe(empty)
        gb.configure_default_column(
            filter=True, sortable=True, resizable=True, minWidth=90, wrapHeaderText=True, autoHeaderHeight=True
        )
        for c, _, header, decimals, width in columns:
            if decimals is not None:
                gb.configure_column(
                    c,
                    header_name=header,
                    type=["numericColumn"],
                    valueFormatter=NUMBER_FR[decimals],
                    filter="agNumberColumnFilter",
                    width=width,
                )
            else:  # a text longer than its column shows whole in a tooltip
                gb.configure_column(c, header_name=header, width=width, tooltipField=c)
        if selectable:
            gb.configure_selection("single", use_checkbox=False)
        gb.configure_grid_options(localeText=AG_GRID_FR, enableCellTextSelection=True)
        _GRID_OPTIONS[key] = gb.build()
    return copy.deepcopy(_GRID_OPTIONS[key])


def grid(df: pd.DataFrame, key: str, *, height: int = 380, selectable: bool = False, column_labels: dict | None = None):
    """An st-aggrid table with French headers, French number formatting and a quick search box."""
    shown = df.head(GRID_MAX_ROWS)
    names = {c: (column_labels or {}).get(c) or labels.column(c) for c in shown.columns}
    view = labels.french(shown).set_axis(shown.columns, axis=1)  # code values and booleans in French, same keys
    for c in view.columns:
        if pd.api.types.is_datetime64_any_dtype(view[c]) or (view[c].dtype == object and _holds_dates(view[c])):
            view[c] = pd.to_datetime(view[c]).dt.strftime("%d/%m/%Y").fillna("")  # as fmt.date, for the whole column
    numeric = {c for c in view.columns if profile_html.is_number(view[c])}
    options = _grid_options(
        tuple(
            (
                c,
                str(view[c].dtype),
                names[c],
                column_decimals(view[c]) if c in numeric else None,
                _width(view[c], names[c]),
            )
            for c in view.columns
        ),
        selectable,
        view.head(0),
    )
    height = min(height, 110 + 29 * max(len(view), 1))  # small results get a small grid
    response = AgGrid(
        view,
        gridOptions=options,
        height=height,
        key=key,
        allow_unsafe_jscode=True,
        theme="streamlit",
        show_toolbar=True,
        show_search=True,
        show_download_button=False,
        update_on=["selectionChanged"] if selectable else [],
    )
    note = f"{fmt.count(len(df), 'ligne')}."
    if len(df) > GRID_MAX_ROWS:
        note += f" Le tableau affiche les {fmt.integer(GRID_MAX_ROWS)} premières ; les téléchargements contiennent toutes les lignes."
    st.caption(note + " La recherche du tableau filtre l'affichage seulement.")
    return response


def _width(col: pd.Series, header: str) -> int:
    """A column's width in pixels, from its header (which may wrap on two lines) and most of its first 200 values (the
    longest tenth shows whole in a tooltip), in steps of 20 px so that grids of the same columns share their options.
    Plain Python: pandas' string lengths and quantile on 500 values cost 8 ms per grid of every rerun of Aides Covid,
    this under 1 ms."""
    lengths = sorted(len(str(v)) for v in col.iloc[:200].tolist() if not _missing(v))
    content = float(lengths[int(0.9 * (len(lengths) - 1))]) if lengths else 0.0
    words = max((len(w) for w in str(header).split()), default=0)
    chars = max(content, words, len(str(header)) / 2)
    return int(min(360, max(90, 7.5 * chars + 32)) // 20 * 20)


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _holds_dates(col: pd.Series) -> bool:
    """A column of Python dates (DuckDB's DATE in an object column): its first value tells, since a database column
    has one type (looking at every value of 10,000 rows cost 2 ms a rerun)."""
    values = col.dropna()
    return len(values) > 0 and isinstance(values.iloc[0], dt.date)


def download_bar(
    df,
    basename: str,
    key: str,
    *,
    label: str = "Télécharger les lignes filtrées",
    n_rows: int | None = None,
    labelled: bool = True,
    api: str | None = None,
    api_params: dict | None = None,
) -> None:
    """The four formats, each built only when its button is clicked, named after the page and its filters
    (`basename`, see exports.file_name) with one ending per format. `df` may be a function returning the frame (then
    `n_rows` gives the count): a whole table is then read only on click, never kept in memory. `labelled=False`
    keeps the frame's own column names (a database table as the schema names it, a console query's result). `api`:
    the view's path in the data API ('aides_covid/lignes'), shown beside the buttons as « Lien des données », with the
    page's URL parameters (or `api_params`)."""
    rows = n_rows if callable(df) else len(df)
    frame = df if callable(df) else (lambda: df)
    st.markdown(f"**{label}** ({fmt.count(rows, 'ligne')})")
    cols = st.columns(len(exports.FORMATS))
    for col, (code, (name, ending, mime)) in zip(cols, exports.FORMATS.items()):
        disabled = code == "xlsx" and rows > exports.XLSX_MAX_ROWS
        with col:
            st.download_button(
                name,
                data=(lambda c=code: exports.export(frame(), c, labelled)),
                file_name=f"{basename}{ending}",
                mime=mime,
                key=f"{key}:{code}",
                on_click="ignore",
                disabled=disabled,
                width="stretch",
                help="Trop de lignes pour Excel" if disabled else DOWNLOAD_HELP[code],
            )
    if api:
        data_link(api, key, api_params)


API_FORMATS = {"excel.csv": "CSV Excel français", "csv": "CSV", "xlsx": "XLSX", "parquet": "Parquet", "json": "JSON"}


def view_download(
    page: str, view: str, frame, resolved: dict, key: str, label: str = "Télécharger les lignes filtrées"
):
    """The download bar of one of a page's data views (observatoire.views): the view's file name, its API address."""
    name = views.PAGES[page].views[view].file_name(resolved)
    download_bar(frame, name, key, label=label, api=f"{page}/{view}")


def api_url(path: str, fmt: str, params: dict | None = None) -> str:
    """The data API's address of a view for the page's current filters (or `params`), on this server."""
    import urllib.parse

    if params is None:  # the page's filters as now set, pinned ones written even at their default
        params = state.data_query(path.split("/")[0])
    query = params if params is not None else {k: st.query_params.get_all(k) for k in st.query_params}
    pairs = [(k, v) for k, vs in query.items() for v in (vs if isinstance(vs, list) else [vs])]
    return f"{server_root()}/api/v1/{path}.{fmt}" + (f"?{urllib.parse.urlencode(pairs)}" if pairs else "")


def server_root() -> str:
    """This server's address as the visitor reached it ('https://…streamlit.app')."""
    import urllib.parse

    origin = urllib.parse.urlsplit(st.context.url or "http://localhost:8501/")
    return f"{origin.scheme}://{origin.netloc}"


def data_link(path: str, key: str, params: dict | None = None) -> None:
    """« Lien des données »: the address of exactly this view's rows in the data API, in a chosen format, to copy into
    Excel (Données > À partir du web), pandas or a script."""
    box = st.popover("Lien des données", icon=":material/link:", key=f"{key}:lien", on_change="rerun")
    with box:
        if not box.open:  # drawn only once opened: a page has up to a dozen download bars
            return
        fmt_ = st.radio("Format", list(API_FORMATS), format_func=API_FORMATS.get, key=f"{key}:api", horizontal=True)
        st.code(api_url(path, fmt_, params), language=None, wrap_lines=True)
        st.caption(
            "Les lignes de cette vue, telles que filtrées, mises à jour avec les données. Excel : Données > À partir du "
            "web, avec le lien « CSV Excel français ». pandas : pd.read_csv(lien) avec le lien « CSV ». "
            "Voir la page Données, « API de données »."
        )


DOWNLOAD_HELP = {
    "csv_fr": "Pour Excel et LibreOffice en français : « ; », virgule décimale, dates jj/mm/aaaa, codes gardés en "
    "texte avec leurs zéros (01, 2A, 01001).",
    "csv": "Pour les programmes : virgules, point décimal, dates aaaa-mm-jj. Un tableur peut y ôter les zéros en tête "
    "des codes : pour un tableur, préférez le CSV Excel français ou le XLSX.",
    "xlsx": "Classeur Excel : nombres, dates et textes typés, codes en texte.",
    "parquet": "Colonnes typées, pour pandas, R, DuckDB ou Arrow.",
}


class _Html:
    def __init__(self, body: str):
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


def html_block(body: str) -> None:
    """st.html of finished HTML (a chart, a table), passed as is: given a plain string, st.html dedents and strips it
    first, 0.2 to 1 ms a call for our charts, which have nothing to dedent."""
    st.html(_Html(body))


def footnote(source_ids: list[str]) -> None:
    """'Source : … (données au …)' for every source id, read from the sources table."""
    st.caption(query(common.footnote_text, source_ids))


HTML_TABLE_MAX_ROWS = 250
HTML_TABLE_FULL_ROWS = 40  # longer HTML tables scroll in a box of HTML_TABLE_HEIGHT pixels, their header kept in view
HTML_TABLE_HEIGHT = 440
TABLE_CSS = """<style>
.obs-table{overflow:auto;margin:0 0 1rem 0;border:1px solid rgba(49,51,63,.15);border-radius:.4rem}
.obs-table table{border-collapse:collapse;width:100%;font-size:.85rem;line-height:1.35}
.obs-table th{position:sticky;top:0;background:#f0f2f6;text-align:left;font-weight:600;padding:.3rem .55rem;border-bottom:1px solid rgba(49,51,63,.2)}
.obs-table td{padding:.25rem .55rem;border-bottom:1px solid rgba(49,51,63,.08);vertical-align:top}
.obs-table td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.obs-table td.w{min-width:16em;max-width:36em;overflow-wrap:anywhere}
</style>"""


def table(df: pd.DataFrame, *, height: int | str = "auto") -> None:
    """A read-only table, numbers in French, years, codes and ranks left plain. Up to 250 rows (a chart's numbers, a
    breakdown, a ranking of departments or territories): a plain HTML table, the same as in the downloadable profile
    (profile_html.table_html), scrolling beyond 40 rows. It costs the browser almost nothing to draw, where a canvas
    grid (st.dataframe) loads and starts its own component even in a closed expander: five of them took half a second
    on a first visit of Aides Covid, and the last two 0.3 s (A/B, 6 first visits each). Screen readers read an HTML
    table, and it pastes into Excel as a table. Longer lists: st.dataframe, which scrolls, sorts and searches."""
    df = labels.french(df)
    if len(df) <= HTML_TABLE_MAX_ROWS:
        if height == "auto" and len(df) > HTML_TABLE_FULL_ROWS:
            height = HTML_TABLE_HEIGHT
        limit = f" style='max-height:{height}px'" if isinstance(height, int) else ""
        # a frame that may scroll: reachable with the keyboard, and named for screen readers (axe-core, WCAG 2.1)
        html_block(
            f"{TABLE_CSS}<div class='obs-table' tabindex='0' role='region' aria-label='Tableau de données'{limit}>"
            f"{remember(profile_html.table_html, df)}</div>"
        )
    else:
        config = {
            c: st.column_config.NumberColumn(format="localized")
            for c in df.columns
            if profile_html.is_number(df[c]) and not profile_html.is_plain(c)
        }
        st.dataframe(
            profile_html.plain_years(df), hide_index=True, width="stretch", column_config=config, height=height
        )
