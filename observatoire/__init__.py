"""Observatoire: logic that needs no Streamlit (build, queries, formatting, exports)."""

__version__ = "0.1.0"
