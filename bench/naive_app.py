"""The naive baseline as a Streamlit page (bench/naive.py): raw files read into pandas once per process, then on
every run the URL state filtered in pandas and every output rendered straight into Streamlit elements. Timed by
AppTest with the same states as our pages. NAIVE_PAGE and NAIVE_SCALE choose the page and the replication."""

import os

import streamlit as st

from bench import naive
from observatoire import config


@st.cache_resource
def model(page: str, scale: int):
    return naive.PAGES[page](config.mirror_path(), scale)


m = model(os.environ["NAIVE_PAGE"], int(os.environ.get("NAIVE_SCALE", "1")))
naive.render(m.run(dict(st.query_params)))
