"""The app frame: page configuration, database check, navigation, footer. streamlit_app.py only calls run()."""

from __future__ import annotations

import urllib.parse

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from observatoire import web
from observatoire.queries.pages import PAGES
from observatoire.ui import data, memory, network
from observatoire.ui.layout import require_database

memory.limit_arenas()
memory.watch_collections()
network.nodelay_for_accepted_connections()  # imported by streamlit_app.py before the server listens


# The factory emoji as an inline SVG: an emoji string makes Streamlit import its emoji table to check it (0.2 s of a
# process's first run), and a Material icon favicon is fetched from fonts.gstatic.com, outside the user's network.
FAVICON = "data:image/svg+xml," + urllib.parse.quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'><text y='.9em' font-size='90'>🏭</text></svg>"
)


def run() -> None:
    # before the navigation: otherwise it shows the page's Material icon as favicon, fetched from fonts.gstatic.com
    st.set_page_config(page_title=web.APP_TITLE, page_icon=FAVICON, layout="wide")
    pages = [
        st.Page(path, title=title, icon=icon, url_path=url, default=(i == 0))
        for i, (path, title, url, icon, _) in enumerate(PAGES)
    ]
    page = st.navigation(pages)  # first, so the sidebar is right even while a first build runs
    # the browser tab names the page: « Aides Covid – Observatoire », the home page the whole app
    title = web.APP_TITLE if page.url_path in ("", PAGES[0][2]) else f"{page.title} – Observatoire"
    st.set_page_config(page_title=title, page_icon=FAVICON)
    require_database()
    with data.pinned():  # one database file for the whole run, even if a rebuild replaces it meanwhile
        page.run()
    st.divider()
    st.caption(
        "Observatoire — données publiques ouvertes, chaque chiffre avec sa source et sa date. "
        "Page Données : sources, licences, schéma, console SQL."
    )
    memory.give_back()
    memory.settle()  # after the page is sent: the pause falls between runs, not inside a warm one


def base_url_path() -> str:
    """Streamlit's server.baseUrlPath, for observatoire.web's middleware."""
    return st.get_option("server.baseUrlPath") or ""


def ensure() -> None:
    """First line of every page. While a pages/ folder exists, Streamlit serves the first session opened on
    /<page> straight from pages/<page>.py, skipping streamlit_app.py (its old multipage mode, until some session
    calls st.navigation). In that case run the frame, which runs this page inside it, and stop."""
    # a Streamlit without this attribute has no such mode left: the page runs as it is (tests/test_fallbacks.py)
    if getattr(PagesManager, "uses_pages_directory", None):
        run()
        st.stop()
