"""Observatoire: the entry point. Every session runs this file as its script (as __main__), which runs the frame
(page configuration, navigation, footer: observatoire.ui.frame). `streamlit run streamlit_app.py`, Community Cloud
included, first imports it to find `app` below: the server then computes every page once before it answers
(observatoire.ui.warmup)."""
import streamlit as st

from observatoire.ui import frame, warmup

if __name__ == "__main__":
    frame.run()
else:
    app = st.App(__file__, lifespan=warmup.lifespan)
