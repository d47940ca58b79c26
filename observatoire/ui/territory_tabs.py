"""The eight tabs of a territory's profile (queries.territoires.TABS), each drawn only while open: charts, tables,
download bars with their data API views, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatoire import fmt, maps, profile_html, views
from observatoire.ui import charts
from observatoire.ui import maps as ui_maps
from observatoire.ui.kit import download_bar, footnote, table

PAGE = "territoires"


def _part(p: dict, part: str, name: str, *, key: str, label: str, view: str, shown: bool = True) -> None:
    """A part of the profile as a table (when `shown`), and its download bar, with the address of its data view."""
    frame = profile_html.french(p, part)
    if shown:
        table(frame)
    download_bar(frame, name, key=key, label=label, api=f"{PAGE}/{view}")


# Each tab names its own sources under its charts and tables
TAB_SOURCES = [
    ["urssaf_flores_ze2020_a38_ptod", "territoires-industrie"],
    ["insee_analyse_fonctionnelle_emplois_communes_1999_2016", "territoires-industrie"],
    ["insee_etablissements_salaires_commune_2014", "territoires-industrie"],
    ["insee_chomage_localise", "geo_insee_appartenance_2023", "geo_decoupage_administratif_npm"],
    [
        "urssaf_flores_ze2020_a38_ptod",
        "insee_estel_emploi_salarie_ze2010_a5_1998_2017",
        "insee_rp_emploi_secteurs_parts_epci_ze_dep_ptod",
        "geo_insee_appartenance_2023",
    ],
    ["urssaf_etab_effectifs_commune_ape_ze_rouen"],
    ["cerema_fonds_friches", "plan-de-relance", "france-relance-barometre", "aides_covid_etalab"],
    ["territoires-industrie", "geo_decoupage_administratif_npm"],
]


def employment(p: dict, rank, file, perimeter) -> None:
    """URSSAF private employment, 2014-2024: index and jobs."""
    u = p["urssaf"]
    left, right = st.columns(2)
    with left:
        charts.multi_lines(u, "year", "serie", "index_2014", "Emploi salarié privé, indice 2014 = 100", "indice")
    with right:
        charts.multi_lines(
            u[u["kind"] == "territoire"],
            "year",
            "serie",
            "jobs",
            "Emploi salarié privé du territoire",
            "emplois",
            fmt=",.0f",
        )
    _part(p, "urssaf", file("urssaf"), key="urssaf", label="Télécharger la série", view="emploi")
    footnote(TAB_SOURCES[0])


def census(p: dict, rank, file, perimeter) -> None:
    """Census jobs and the « Fabrication » function, 1999-2016."""
    c = p["census"]
    charts.multi_lines(
        c, "year", "serie", "fabrication_pct", "Part des emplois de la fonction « Fabrication » (%)", "%", wide=True
    )
    _part(p, "census", file("recensements"), key="census", label="Télécharger le tableau", view="recensements")
    footnote(TAB_SOURCES[1])


def establishments(p: dict, rank, file, perimeter) -> None:
    """Establishments of 2014 by size, with the territory's ranks."""
    est = views.establishments_frame(p)
    table(est)
    st.caption(
        f"Rangs du territoire : établissements {rank('establishments')}, 50 salariés ou plus {rank('establishments_50')}, "
        f"200 ou plus {rank('establishments_200')}."
    )
    download_bar(
        est,
        file("etablissements"),
        key="etab",
        label="Télécharger le tableau",
        api=f"{PAGE}/etablissements",
    )
    footnote(TAB_SOURCES[2])


def unemployment_chart(frame, wide: bool = False) -> None:
    """Quarterly unemployment rates, one line per series (a profile's, or compared territories')."""
    charts.multi_lines(
        frame,
        "quarter",
        "serie",
        "rate_pct",
        "Taux de chômage trimestriel (%)",
        "%",
        x_type="T",
        wide=wide,
        x_format="quarter",
    )


def unemployment(p: dict, rank, file, perimeter) -> None:
    """Quarterly unemployment rate, and its table."""
    un = p["unemployment"]
    unemployment_chart(un, wide=True)
    st.caption(
        "Pour le territoire comme pour les départements, les régions et « France, reconstitution » : moyenne des taux "
        "des zones d'emploi 2020 de leurs communes, pondérée par la population des communes (voir Méthodes) ; les zones "
        "d'outre-mer n'entrent dans la reconstitution qu'à partir de 2014, quand l'Insee les publie. « France, taux "
        "publié par l'Insee » : France métropolitaine jusqu'en 2013, France hors Mayotte ensuite (fichier arrêté fin "
        "2021)."
    )
    # the chart's numbers, one row per quarter (most recent first), one column per series
    wide = un.pivot_table(index="quarter", columns="serie", values="rate_pct", sort=False).sort_index(ascending=False)
    table(
        wide[list(dict.fromkeys(un["serie"]))]
        .reset_index()
        .assign(quarter=lambda d: d["quarter"].map(fmt.quarter))
        .rename(columns={"quarter": "trimestre"})
    )
    _part(p, "unemployment", file("chomage"), key="chomage", label="Télécharger la série", view="chomage", shown=False)
    footnote(TAB_SOURCES[3])


def _zone_chart(frame, code: str, title: str) -> None:
    """Industry's share of each zone d'emploi, one line per zone named with its code."""
    charts.multi_lines(
        frame.assign(zone=frame["name"] + " (" + frame[code] + ")"), "year", "zone", "industry_pct", title, "%"
    )


def zones(p: dict, rank, file, perimeter) -> None:
    """The zones d'emploi the territory lies in: their industry, not the territory's."""
    st.info(
        "Niveau zone d'emploi : ces chiffres décrivent les zones d'emploi entières où se trouve le territoire, pas le territoire lui-même.",
        icon=":material/info:",
    )
    table(profile_html.french(p, "zones"))
    zu, ze = p["zone_urssaf"], p["zone_estel"]
    left, right = st.columns(2)
    with left:
        _zone_chart(zu, "ze_code", "Part de l'industrie, URSSAF A5, zones d'emploi 2020")
    with right:
        _zone_chart(ze, "ze2010_code", "Part de l'industrie, Estel, zones d'emploi 2010")
    st.markdown("**Industrie manufacturière par secteur A38, 2024 (URSSAF)**")
    table(profile_html.french(p, "zone_a38"))
    for key, name in (("zone_urssaf", "urssaf_a5"), ("zone_estel", "estel"), ("zone_a38", "urssaf_a38")):
        _part(
            p,
            key,
            file(f"zones_{name}"),
            key=f"zone-{name}",
            label=f"Télécharger ({name.replace('_', ' ').upper()})",
            view=f"zones_{name}",
            shown=False,
        )
    footnote(TAB_SOURCES[4])


def sectors(p: dict, rank, file, perimeter) -> None:
    """Jobs by APE (the Rouen-area extract only)."""
    r = p["rouen"]
    if len(r):
        st.caption(
            f"Extrait URSSAF commune × APE de la zone de Rouen : {r['communes_covered'].iloc[0]} communes du territoire couvertes "
            f"sur {r['communes_total'].iloc[0]}, année {r['year'].iloc[0]}."
        )
        _part(p, "rouen", file("ape"), key="ape", label="Télécharger le détail APE", view="ape")
    else:
        st.info(
            "Pas de détail par APE pour ce territoire : l'extrait URSSAF commune × APE publié ne couvre que la zone de Rouen."
        )
    footnote(TAB_SOURCES[5])


def support(p: dict, rank, file, perimeter) -> None:
    """Public support: Fonds friches sites (map, table), DGE projects, the departments' context."""
    f = p["friches"]
    st.markdown(
        f"**{fmt.integer(len(f))} sites lauréats du Fonds friches** dans les communes du territoire (éditions 1 à 3)."
    )
    if len(f):
        fc_t = {
            "type": "FeatureCollection",
            "features": [ft for ft in maps.feature_collection(perimeter, properties=["code"])["features"]],
        }
        pts = f[f["lat"].notna()].assign(
            lon_map=lambda d: d["lon"],
            lat_map=lambda d: d["lat"],
            color=[[230, 159, 0, 230]] * int(f["lat"].notna().sum()),
            tip=lambda d: d["name"].fillna("") + " — " + d["commune_name"].fillna(""),
        )
        view = (
            {"longitude": float(pts["lon"].mean()), "latitude": float(pts["lat"].mean()), "zoom": 8}
            if len(pts)
            else None
        )
        ui_maps.show(
            [
                ui_maps.outline_layer(fc_t, id="perimetre", color=(0, 0, 145, 255), width=2, fill=(0, 0, 145, 20)),
                ui_maps.points_layer(pts[["lon_map", "lat_map", "color", "tip"]], id="friches", radius_px=5),
            ],
            tooltip={"html": "{tip}"},
            height=360,
            view=view,
            key="territoires:friches",
        )
        _part(p, "friches", file("friches"), key="friches", label="Télécharger les sites", view="friches")
    if len(p["dge"]):
        st.markdown(
            f"**{fmt.integer(len(p['dge']))} projets industriels France Relance (DGE)** dans les communes du territoire."
        )
        _part(p, "dge", file("dge"), key="dge", label="Télécharger les projets", view="dge")
    else:
        st.caption("Projets industriels DGE : liste non chargée, ou aucun projet dans ces communes.")
    st.markdown("**Contexte départemental** (chiffres du ou des départements entiers, pas du territoire)")
    _part(
        p,
        "support",
        file("soutien_departements"),
        key="support",
        label="Télécharger le contexte départemental",
        view="soutien_departements",
    )
    footnote(TAB_SOURCES[6])


def composition(p: dict, rank, file, perimeter) -> None:
    """Members and communes."""
    _part(p, "members", file("membres"), key="members", label="Télécharger les membres", view="membres")
    _part(p, "communes", file("communes"), key="communes", label="Télécharger les communes", view="communes")
    footnote(TAB_SOURCES[7])


DRAW = [employment, census, establishments, unemployment, zones, sectors, support, composition]


def draw(tabs, p: dict, *, rank, file, perimeter: pd.DataFrame) -> None:
    """Fill the open tab. `rank(indicator)` says the territory's rank in words, `file(*parts)` names a download,
    `perimeter` is the territory's row of queries.territoires.shapes (its outline on the Fonds friches map)."""
    for tab, fn in zip(tabs, DRAW):
        with tab:
            if tab.open:
                fn(p, rank, file, perimeter)
