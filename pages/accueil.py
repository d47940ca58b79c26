"""Accueil: headline national figures per family, each with its date; a France map; cards; freshness."""

import streamlit as st

from observatoire.ui import frame

frame.ensure()

from observatoire import fmt, maps, markup, web
from observatoire.queries import accueil, common
from observatoire.queries.pages import PAGES
from observatoire.state import Param
from observatoire.ui import maps as ui_maps
from observatoire.ui import state
from observatoire.ui.data import geojson, query
from observatoire.ui.kit import KPI, expander, footnote, kpi_row, page_card_link, page_header, table
from observatoire.ui.layout import require_database

require_database()
page_header(
    "Observatoire des aides publiques et des territoires d'industrie",
    "Où est allé l'argent public pour l'industrie et les entreprises, territoire par territoire ? Chiffres nationaux, avec leur date.",
)
# one parameter, set by observatoire.web when an address names no page; any other is named in a note and dropped
ACCUEIL = [Param(web.NOT_FOUND_PARAM, "Page demandée", default=None, kind="text")]
missing = state.bind("accueil", ACCUEIL)[web.NOT_FOUND_PARAM]
if missing:
    st.warning(markup.plain(f"La page « {missing} » n'existe pas : voici l'accueil."), icon=":material/search_off:")
state.publish("accueil", ACCUEIL, {web.NOT_FOUND_PARAM: None})

h = query(accueil.headline)
kpi_row(
    [
        KPI(
            "Fonds de solidarité (tous volets)",
            fmt.euros(h["fds"]["value"]),
            help="Total versé, tableau de bord DINUM (tous volets). Les fichiers CSV publiés ne couvrent que le volet 1.",
            comparison=f"au {fmt.date(h['fds']['date'])} · dont volet 1 (CSV) : {fmt.euros(h['fds']['volet1'])}",
        ),
        KPI(
            "Prêts garantis par l'État",
            fmt.euros(h["pge"]["value"]),
            help="Montant total des PGE accordés.",
            comparison=f"au {fmt.date(h['pge']['date'])} · {fmt.integer(h['pge']['count'])} prêts",
        ),
        KPI(
            "Entreprises aidées par France Relance",
            fmt.integer(h["relance"]["value"]),
            help="Entreprises industrielles bénéficiaires des aides à l'investissement (valeur nationale du baromètre).",
            comparison=f"au {fmt.date(h['relance']['date'])}",
        ),
        KPI(
            "Territoires d'industrie",
            fmt.integer(h["ti"]["value"]),
            help="Périmètre en vigueur (phase 2, 2023-2027).",
            comparison=f"périmètre {h['ti']['version']} · liste du {fmt.date(h['ti']['date'])}",
        ),
        KPI(
            "Sites lauréats du Fonds friches",
            fmt.integer(h["friches"]["value"]),
            help="Sites lauréats présents dans Cartofriches (couverture partielle : 914 des 1 185 dossiers lauréats).",
            comparison=f"{h['friches']['editions']} éditions · données au {fmt.date(h['friches']['date'])}",
        ),
    ]
)
footnote(["aides_covid_etalab", "france-relance-barometre", "territoires-industrie", "cerema_fonds_friches"])

left, right = st.columns([3, 2])
with left:
    st.header("Carte de France")
    # every layer is built and serialised once per process and shared by all sessions
    friches = geojson(accueil.friches_points)
    ui_maps.show(
        [
            ui_maps.base_layer(
                (common.departement_outlines, (), ui_maps.Style(fill=(245, 245, 254, 255), line=(90, 90, 120, 255))),
                (accueil.ti_features, (), ui_maps.Style(fill=(0, 114, 178, 110), line=(0, 0, 145, 255))),
            ),
            ui_maps.points_layer(friches, id="friches", radius_px=2.5),
            ui_maps.points_layer(
                query(accueil.ti_markers), id="ti", color=[0, 0, 145, 230], radius_px=2
            ),  # names on hover
        ],
        tooltip={"text": "{tooltip}"},
        height=480,
    )
    ui_maps.legend(
        [
            ("Territoire d'industrie (périmètre 2024)", maps.CATEGORICAL[0]),
            ("Site lauréat du Fonds friches", maps.CATEGORICAL[1]),
            ("Département", (245, 245, 254)),
        ],
        "Légende",
    )
    st.caption(ui_maps.INSET_CAPTION)
    with expander("Les chiffres de la carte", "accueil:chiffres") as shown:
        if shown:
            by_dep = query(accueil.friches_by_departement)
            table(by_dep)
            st.caption(
                f"{h['ti']['value']} territoires d'industrie (2024) dessinés ; {fmt.integer(by_dep['sites lauréats'].sum())} "
                "sites lauréats du Fonds friches."
            )
    footnote(["territoires-industrie", "cerema_fonds_friches", "geo_contours_etalab_dashboard"])

with right:
    st.header("Les pages")
    for path, title, url, icon, question in PAGES[1:]:
        with st.container(border=True):
            page_card_link(path, title, url, icon)
            st.caption(question)

st.header("Fraîcheur des données")
fresh = query(accueil.freshness).copy()
fresh["data_date"] = fresh["data_date"].map(fmt.date)
fresh["loaded_at"] = fresh["loaded_at"].map(fmt.timestamp)
fresh = fresh.rename(
    columns={
        "title": "Source",
        "publisher": "Producteur",
        "data_date": "Données au",
        "loaded_at": "Chargée le",
        "status": "État",
        "source_id": "Identifiant",
    }
)
table(fresh)  # a short list: an HTML table, whole titles wrapped rather than cut
