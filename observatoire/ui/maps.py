"""pydeck maps with no basemap: boundaries are layers, overseas departments are insets."""

from __future__ import annotations

import functools
import json

import pydeck as pdk
import streamlit as st
from pydeck.bindings import deck as pydeck_deck
from pydeck.bindings.json_tools import default_serialize

from observatoire import maps
from observatoire.memo import remember
from observatoire.queries.common import inset_frames as common_inset_frames
from observatoire.raster import Style  # pages describe base layers with it
from observatoire.ui.images import highlight_image, raster_image

# Streamlit's deck.gl element starts no basemap library and requests no style for this value (it replaces a missing
# or empty style with Carto's, fetched from the internet; browser tests assert that no request leaves 127.0.0.1)
NO_BASEMAP = "__MAP_STYLE__"
TOOLTIP_STYLE = {"backgroundColor": "#000091", "color": "white", "fontSize": "13px"}


# pydeck tries to import its Jupyter widget on every Deck(): the import fails here and is retried each time (a failed
# import is not cached), about 1 ms a map. The answer cannot change within a process.
pydeck_deck.has_jupyter_extra = functools.cache(pydeck_deck.has_jupyter_extra)


class Payload(str):
    """Layer data already serialised to JSON (and cached): the layer carries this token, replaced by the JSON text
    when the deck is serialised. Big boundary layers are then neither rebuilt nor re-encoded on each rerun."""

    def __new__(cls, json_text: str):
        token = super().__new__(cls, f"@@payload:{id(json_text)}:{len(json_text)}@@")
        token.json_text = json_text
        return token


class CompactDeck(pdk.Deck):
    """pydeck indents its JSON (2 spaces, one number per line): 3.9 MB for two department layers.
    Compact JSON is about 5 times smaller, so each rerun sends and parses far less."""

    def to_json(self):
        text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        for layer in self.layers:
            for value in vars(layer).values():
                if isinstance(value, Payload):
                    text = text.replace(json.dumps(str(value)), value.json_text, 1)
        return text


def base_layer(*layers, view: dict | None = None, id: str = "fond", below=(), above=()) -> pdk.Layer:
    """Boundaries and colours that nobody points at, drawn on the server into one image (observatoire.raster):
    layers are (query function, arguments, Style), bottom first; the overseas inset frames are drawn on top.
    One textured rectangle instead of thousands of vector shapes: the map appears in about a second even where the
    browser draws WebGL without a GPU. `below` / `above`: unchanging layers (outlines), drawn once per process and
    stacked under / over `layers`, so a filter change draws only `layers`."""
    zoom = (view or maps.FRANCE_VIEW)["zoom"]
    frames = (common_inset_frames, (), Style(line=(150, 150, 150, 255), width=1))
    if below or above:
        image, bounds = raster_image(list(layers), zoom, below=list(below), above=[*above, frames])
    else:
        image, bounds = raster_image([*layers, frames], zoom)
    layer = pdk.Layer("BitmapLayer", None, id=id, bounds=bounds)
    layer.image = image  # set after construction: pydeck turns a string argument into a JavaScript expression
    return layer


def highlight_layer(
    rows, *, inset_col: str, view: dict | None = None, id: str = "selection", color=(230, 159, 0, 255), width=3
) -> pdk.Layer | None:
    """The selected territories' outlines (`rows`: columns code, boundary_geojson and `inset_col`) over a base image,
    drawn on the server too (None when nothing is selected). A BitmapLayer reuses the base image's WebGL program: a
    vector outline would add a GeoJSON layer, whose shaders take about half a second to compile where WebGL runs
    without a GPU."""
    drawn = (
        highlight_image(rows, inset_col, (view or maps.FRANCE_VIEW)["zoom"], Style(line=tuple(color), width=width))
        if len(rows)
        else None
    )
    if drawn is None:
        return None
    image, bounds = drawn
    layer = pdk.Layer("BitmapLayer", None, id=id, bounds=bounds)
    layer.image = image
    return layer


def outline_layer(
    fc: dict, *, id: str, color=(90, 90, 120, 255), width=1, fill=(255, 255, 255, 0), pickable=False
) -> pdk.Layer:
    # an invisible fill is not drawn at all: filling makes deck.gl triangulate every polygon, seconds of CPU in a browser
    filled = fill[3] > 0 or pickable
    return pdk.Layer(
        "GeoJsonLayer",
        fc,
        id=id,
        stroked=True,
        filled=filled,
        get_fill_color=list(fill),
        get_line_color=list(color),
        line_width_min_pixels=width,
        pickable=pickable,
    )


def points_layer(df, *, id: str, color="color", radius_px=3, pickable=True) -> pdk.Layer:
    # radius in metres, clamped in pixels: points stay visible at national zoom and small when zoomed in
    return pdk.Layer(
        "ScatterplotLayer",
        df,
        id=id,
        get_position=["lon_map", "lat_map"],
        get_fill_color=color,
        get_radius=1500,
        radius_min_pixels=radius_px,
        radius_max_pixels=radius_px * 2.5,
        pickable=pickable,
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=0.5,
    )


def _records(df) -> Payload:
    return Payload(json.dumps(df.to_dict(orient="records"), separators=(",", ":")))


def marker_layer(df, *, id: str) -> pdk.Layer:
    """Clickable markers, one per territory (columns code, lon_map, lat_map and tooltip fields).
    A click never selects while a pickable GeoJSON layer of 100+ polygons is in the deck (seen in chromium: the
    selection is not sent); so choropleths are drawn unpickable, and tooltips and clicks go through these markers.
    The rows are serialised once per content (observatoire.memo), not by pydeck on every rerun."""
    return pdk.Layer(
        "ScatterplotLayer",
        remember(_records, df),
        id=id,
        get_position=["lon_map", "lat_map"],
        get_fill_color=[255, 255, 255, 230],
        get_line_color=[0, 0, 145, 255],
        stroked=True,
        line_width_min_pixels=1.5,
        get_radius=9000,
        radius_min_pixels=5,
        radius_max_pixels=9,
        pickable=True,
        auto_highlight=True,
    )


def inset_layers() -> list[pdk.Layer]:
    """Boxes around the overseas insets. Their names are in the caption under each map: a TextLayer breaks picking
    in this pydeck/deck.gl pairing (its character set arrives as a function)."""
    return [
        pdk.Layer(
            "PolygonLayer",
            maps.inset_frames(),
            id="insets",
            get_polygon="polygon",
            stroked=True,
            filled=False,
            get_line_color=[150, 150, 150],
            line_width_min_pixels=1,
        )
    ]


INSET_CAPTION = "Encadrés à gauche, de haut en bas : Guadeloupe, Martinique, Guyane, La Réunion, Mayotte."


def show(
    layers: list,
    *,
    tooltip: dict | None = None,
    height: int = 520,
    view: dict | None = None,
    key: str | None = None,
    on_select: str = "ignore",
):
    # a base image already has the inset frames
    layers = [layer for layer in layers if layer is not None]  # an optional layer (no selection) is None
    insets = [] if any(getattr(layer, "type", None) == "BitmapLayer" for layer in layers) else inset_layers()
    deck = CompactDeck(
        layers=layers + insets,
        initial_view_state=pdk.ViewState(**(view or maps.FRANCE_VIEW)),
        map_style=NO_BASEMAP,
        map_provider=None,
        tooltip=({**tooltip, "style": TOOLTIP_STYLE} if tooltip else False),
    )
    kwargs = {"on_select": on_select, "selection_mode": "single-object"} if on_select != "ignore" else {}
    return st.pydeck_chart(deck, height=height, key=key, **kwargs)


def legend(items: list[tuple[str, tuple]], title: str) -> None:
    """A legend as text with coloured squares: readable, and repeated by the table of numbers beside each map."""
    html = "".join(
        f"<span style='display:inline-block;margin-right:10px;white-space:nowrap'>"
        f"<span style='display:inline-block;width:12px;height:12px;background:rgb{tuple(c)};margin-right:4px;"
        f"border:1px solid #999;vertical-align:middle'></span>{label}</span>"
        for label, c in items
    )
    st.markdown(f"<div style='font-size:0.85rem'><b>{title}</b><br>{html}</div>", unsafe_allow_html=True)


def select_on_click(map_key: str, layer_id: str, targets: dict[str, str]):
    """A callback for st.pydeck_chart(on_select=...): copy properties of the clicked feature into widget state.
    targets: feature property -> session-state key. Runs before the rerun, so the widgets show the new value."""

    def callback():
        event = st.session_state.get(map_key) or {}
        objs = event.get("selection", {}).get("objects", {}).get(layer_id) or []
        if objs:
            props = objs[0].get("properties", objs[0])
            for prop, state_key in targets.items():
                if props.get(prop) is not None:
                    st.session_state[state_key] = props[prop]

    return callback
