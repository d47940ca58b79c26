"""The stack's floor, for the browser measures (bench/browser.py): the least a page of the chosen stack can be, served
the way ours are (st.App, TCP_NODELAY, same .streamlit/config.toml), with none of our code on the page. A title, one
KPI card, then what `?elements=` asks, among: carte (a pydeck map with one layer, no basemap), grille (an st_aggrid
grid of 5 rows), dataframe (st.dataframe of 5 rows), tableau (an HTML table). Its first visit tells what a page of ours
cannot go below on the machine of the run, whatever we do; ours minus it is what our code adds. It shows the app's page
list, not figures.

python -m streamlit run bench/floor_app.py (from the repository's root, for its config)."""

import streamlit as st


def render() -> None:
    import pandas as pd

    from observatoire.queries.pages import PAGES

    asked = set(st.query_params.get("elements", "").split(","))
    st.set_page_config(page_title="Plancher de la pile", layout="wide")
    st.title("Plancher de la pile")
    st.html('<div class="obs-kpi"><div class="t">Pages</div><div class="v">5</div></div>')
    rows = pd.DataFrame([(title, f"/{url}") for _, title, url, _, _ in PAGES], columns=["page", "adresse"])
    if "carte" in asked:
        import pydeck as pdk

        layer = pdk.Layer(
            "ScatterplotLayer", [{"position": [2.35, 48.86]}], get_position="position", radius_min_pixels=4
        )
        st.pydeck_chart(
            pdk.Deck(
                layers=[layer], map_style=None, initial_view_state=pdk.ViewState(latitude=46.6, longitude=2.4, zoom=4.6)
            ),
            height=480,
        )
    if "grille" in asked:
        from st_aggrid import AgGrid

        AgGrid(rows, height=200, key="grille")
    if "dataframe" in asked:
        st.dataframe(rows, hide_index=True)
    if "tableau" in asked:
        st.html(rows.to_html(index=False, classes="obs-table"))


if __name__ == "__main__":
    render()
else:  # imported by `streamlit run`, as our streamlit_app.py is: served the same way
    from observatoire.ui import network

    network.nodelay_for_accepted_connections()
    app = st.App(__file__)
