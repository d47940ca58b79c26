"""Observatoire: the entry point. Every session runs this file as its script (as __main__), which runs the frame
(page configuration, navigation, footer: observatoire.ui.frame). `streamlit run streamlit_app.py`, Community Cloud
included, first imports it to find `app` below: the server then computes every page once before it answers
(observatoire.ui.warmup); each page URL's HTML says it is French (observatoire.web); the data API answers under
/api/v1/ (observatoire.api)."""

import streamlit as st

from observatoire import web
from observatoire.ui import frame, warmup

if __name__ == "__main__":
    frame.run()
else:
    from starlette.middleware import Middleware

    from observatoire import api

    app = st.App(
        __file__,
        lifespan=warmup.lifespan,
        middleware=[Middleware(api.PathGuard), Middleware(web.FrenchShell, base_path=frame.base_url_path)],
        routes=api.ROUTES,
    )
