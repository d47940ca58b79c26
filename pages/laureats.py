"""Lauréats France Relance: department indicators over time, and a row-level laureate explorer."""

import streamlit as st

from observatoire.ui import frame

frame.ensure()

import pandas as pd
import pydeck as pdk

from observatoire import fmt, labels, maps, views
from observatoire.queries import common
from observatoire.queries import laureats as q
from observatoire.ui import charts, state
from observatoire.ui import maps as ui_maps
from observatoire.ui.data import connection, geojson, query
from observatoire.ui.kit import KPI, expander, footnote, grid, kpi_row, page_header, table, view_download
from observatoire.ui.layout import require_database

PAGE = "laureats"
HEX_THRESHOLD = 3000
require_database()
page_header(
    "Lauréats France Relance",
    "Quels projets France Relance a-t-il soutenus, où, dans quels secteurs et quelles entreprises ? "
    "Indicateurs départementaux dans le temps, et chaque site ou projet lauréat sur la carte.",
)
DEP_CODES = query(q.departement_codes)
VIEWS = views.PAGES[PAGE].views
SPEC = q.state_spec(connection(), fetch=query)
state.bind(PAGE, SPEC)


def K(name):
    return state.key(PAGE, name)


on_map_select = ui_maps.select_on_click("laureats:map", "territoires", {"code": K("departement")})


filters = {k: st.session_state.get(K(k), []) for k in q.FACETS}
with st.sidebar:
    st.header("Filtres de l'explorateur")
    search = st.text_input(
        "Recherche (nom, SIREN ou SIRET, commune)", key=K("q"), placeholder="Par exemple : Quimper, 123456789"
    )
    candidates = st.toggle("Inclure les sites candidats non lauréats (Fonds friches)", key=K("candidats"))
    choices = query(q.facet_choices, filters, search, candidates)
    for key, (_, label) in q.FACETS.items():
        values, value_labels = choices[key]
        # a chosen value that other filters now exclude stays listed, with its count of 0
        options = [*values, *sorted(v for v in st.session_state.get(K(key), []) if v not in value_labels)]
        state.ensure_choice(PAGE, key, options, [])
        st.multiselect(
            label,
            options,
            format_func=lambda v, value_labels=value_labels: value_labels.get(v, f"{v} (0)"),
            key=K(key),
            placeholder="Tous",
            select_all=False,  # Streamlit writes that option in English (« Select all »)
        )

# two views in lazy tabs: only the open one is computed and drawn (one map at a time: the browser shows the page
# about a second sooner); the open view is in the URL (vue=)
explorer_tab, indicators_tab = st.tabs(q.VIEWS, key=K("vue"), on_change="rerun")


def indicators_view():
    # === indicators by department ===============================================================================
    st.header("Indicateurs par département, 2020-2022")
    inds = query(q.indicators)
    ind_labels = dict(zip(inds["indicator_id"], inds["indicator"]))
    units = dict(zip(inds["indicator_id"], inds["unit"]))
    c1, c2, c3 = st.columns([3, 1, 1])
    with c1:
        ind = st.selectbox(
            "Indicateur", inds["indicator_id"].tolist(), format_func=lambda i: ind_labels[i], key=K("indicateur")
        )
    dates = query(q.indicator_dates, ind)
    state.ensure_choice(PAGE, "date", dates, None)
    if st.session_state.get(K("date")) is None:
        st.session_state[K("date")] = dates[0]
    with c2:
        date = st.selectbox("Date", dates, format_func=fmt.date, key=K("date"))
    with c3:
        mode = st.radio("Carte", list(q.MAP_MODES), format_func=q.MAP_MODES.get, key=K("carte"))
    dep_codes = DEP_CODES
    departements = query(common.departements)
    names = dict(zip(departements["departement_code"], departements["name"]))

    shown_map = query(q.departement_map, ind, date, mode)
    values = shown_map["values"]
    national = query(q.national_value, ind, date)
    dep_sum = query(q.departements_sum, ind, date)
    dep = st.session_state.get(K("departement"), "69")
    row = values[values["code"] == dep]
    kpi_row(
        [
            KPI(
                "France (fichier national)",
                fmt.number(national, 1 if units[ind] == "%" else 0),
                comparison=f"au {fmt.date(date)} · {units[ind]}",
            ),
            KPI(
                "Somme des départements",
                fmt.number(dep_sum, 1 if units[ind] == "%" else 0),
                comparison="ne s'additionne pas en France : une entreprise présente dans plusieurs départements compte dans chacun",
            ),
            KPI(
                f"{names.get(dep, dep)} ({dep})",
                fmt.number(row["value"].iloc[0], 1 if units[ind] == "%" else 0)
                if len(row) and pd.notna(row["value"].iloc[0])
                else "—",
                comparison=(
                    f"rang {int(row['rank_value'].iloc[0])} sur {int(values['value'].notna().sum())} · "
                    f"{fmt.number(row['per_100k'].iloc[0], 1)} pour 100 000 hab."
                )
                if len(row) and pd.notna(row["value"].iloc[0])
                else "non publié",
            ),
        ]
    )
    st.caption(labels.POPULATION_VINTAGE + " (pour 100 000 habitants)")
    left, right = st.columns([3, 2])
    with left:
        ui_maps.show(
            [
                ui_maps.base_layer(
                    (
                        common.filled_boundaries,
                        ("departement", shown_map["fills"]),
                        ui_maps.Style(fill_property="fill", line=(255, 255, 255, 255), width=0.5),
                    )
                ),
                ui_maps.highlight_layer(row, inset_col="code"),
                ui_maps.marker_layer(shown_map["markers"], id="territoires"),
            ],
            tooltip={"html": "<b>{tip_title}</b><br>{tip_value}<br>{tip_rank}"},
            height=480,
            key="laureats:map",
            on_select=on_map_select,
        )
        ui_maps.legend(
            maps.legend(shown_map["breaks"], lambda v: fmt.number(v, 1)),
            f"{ind_labels[ind]} – {q.MAP_MODES[mode].lower()}",
        )
        st.caption("Cliquez le point blanc d'un département pour afficher sa série. " + ui_maps.INSET_CAPTION)
    with right:
        state.ensure_choice(PAGE, "departement", dep_codes, "69")
        dep = st.selectbox(
            "Département de la série",
            dep_codes,
            format_func=query(q.departement_labels).__getitem__,
            key=K("departement"),
        )
        ser = query(q.series, ind, dep)
        charts.faceted_lines(ser, "date", "serie", "value", "Département, région et France", units[ind][:30])
        with expander("Tableau des séries", K("tableau_series")) as shown_series:
            if shown_series:  # the charts' numbers, one row per date (most recent first), one column per series
                resolved = state.values(PAGE, SPEC)
                wide = query(VIEWS["series"].rows, resolved)
                table(wide.assign(date=wide["date"].map(fmt.date)))
                view_download(PAGE, "series", wide, resolved, key="series", label="Télécharger les séries")
    with expander("Classement des départements (tableau de la carte)", K("classement")) as shown:
        if shown:
            resolved = state.values(PAGE, SPEC)
            ranking = query(VIEWS["classement"].rows, resolved)
            table(ranking.drop(columns=["indicateur", "date"]))
            view_download(PAGE, "classement", ranking, resolved, key="ranking", label="Télécharger le classement")
    footnote(["france-relance-barometre", "geo_decoupage_administratif_npm"])


def explorer_view():
    # === laureate explorer ========================================================================================
    st.header("Explorateur des lauréats")
    if not query(q.dge_loaded):
        st.info(
            "La liste DGE des projets industriels lauréats (data.economie.gouv.fr, jeu « plan-de-relance ») n'est pas chargée : "
            "placez le fichier `plan-de-relance.csv` dans `<miroir>/plan-de-relance/`, ou relancez `python -m observatoire build` "
            "avec un accès à data.economie.gouv.fr. Seuls les sites du Fonds friches sont affichés."
        )
    filters = {k: st.session_state.get(K(k), []) for k in q.FACETS}
    rows = query(q.explorer_rows, filters, search, candidates)
    summary = query(q.explorer_summary, filters, search, candidates)
    n_rows, n_points = summary["rows"], summary["located"]
    if n_rows > q.POINTS_MAX:
        hexes = True  # hundreds of thousands of points: aggregated, every row still counted
        st.caption(
            f"{fmt.integer(n_rows)} lignes : la carte les agrège en hexagones (plus de {fmt.integer(q.POINTS_MAX)})."
        )
    elif n_rows > HEX_THRESHOLD:
        hexes = st.toggle(f"Agréger en hexagones ({fmt.integer(n_rows)} lignes)", key=K("agregation"))
    else:
        hexes = False

    kpi_row(
        [
            KPI(
                "Sites et projets sélectionnés",
                fmt.integer(n_rows),
                comparison=f"dont {fmt.integer(summary['laureates'])} lauréats",
            ),
            KPI("Communes", fmt.integer(summary["communes"])),
            KPI("Départements", fmt.integer(summary["departements"])),
            KPI("Dans un territoire d'industrie (2024)", fmt.integer(summary["in_ti"])),
            KPI(
                "Déficit déclaré (Fonds friches)",
                fmt.euros(summary["declared_deficit_eur"]),
                comparison="déclaré par les candidats, pas l'aide accordée",
            ),
        ]
    )

    if not n_rows:  # a filter or the search left nothing: say so, rather than charts of zeros
        st.info(
            "Aucun site ni projet ne correspond à ces filtres ou à cette recherche : élargissez la sélection.",
            icon=":material/filter_alt_off:",
        )
        footnote(["cerema_fonds_friches", "plan-de-relance", "territoires-industrie"])
        return
    measures = summary["measures"]
    colours = q.measure_colours(measures)
    # the points are built and serialised once per filter state (cached), not on every rerun
    points = geojson(q.map_points, filters, search, candidates, bool(hexes))
    if hexes:
        data_layer = pdk.Layer(
            "HexagonLayer",
            points,
            id="points",
            get_position=["lon_map", "lat_map"],
            radius=8000,
            extruded=False,
            coverage=0.9,
            pickable=True,
            color_range=[list(c) for c in maps.PALETTE[:6]],
        )
    else:
        data_layer = ui_maps.points_layer(points, id="points", radius_px=3)
    ui_maps.show(
        [
            ui_maps.base_layer(
                (common.departement_outlines, (), ui_maps.Style(fill=(248, 248, 252, 255), line=(90, 90, 120, 255)))
            ),
            data_layer,
        ],
        tooltip={"html": "<b>{tip_title}</b><br>{tip_place}<br>{measure}<br>{tip_amount}"}
        if not hexes
        else {"html": "{elevationValue} sites"},
        height=560,
        key="laureats:points",
    )
    ui_maps.legend([(m, tuple(colours[m][:3])) for m in measures], "Mesure")
    st.caption(
        f"{fmt.integer(n_points)} points sur la carte : toutes les lignes sélectionnées ayant des coordonnées "
        f"({fmt.integer(n_rows - n_points)} sans coordonnées). Aucune troncature."
    )

    left, right = st.columns(2)
    by_region = summary["by_region"]
    with left:
        charts.stacked_bars(
            by_region, "region_name", "measure", "n", "Par région et mesure (toutes les régions)", "sites et projets"
        )
        table(
            by_region.pivot(index="region_name", columns="measure", values="n")
            .fillna(0)
            .reset_index()
            .rename(columns={"region_name": "Région"})
        )
    by_type = summary["by_type"]
    with right:
        charts.sorted_bars(by_type, "n", "company_type", "Par type de porteur ou d'entreprise", "sites et projets")
        table(by_type.rename(columns={"company_type": "Type", "n": "Nombre"}))

    st.subheader("Lignes")
    shown = rows[
        [
            "project_id",
            "measure",
            "edition",
            "name",
            "beneficiary",
            "siren",
            "company_type",
            "sector",
            "commune_name",
            "commune_code",
            "departement_name",
            "region_name",
            "ti_name",
            "laureate",
            "investment_eur",
            "state_aid_eur",
            "declared_deficit_eur",
            "site_type",
            "intervention",
            "lat",
            "lon",
            "source_id",
        ]
    ]
    response = grid(
        shown,
        key="laureats-grid",
        selectable=True,
        column_labels={
            "project_id": "Identifiant",
            "measure": "Mesure",
            "edition": "Édition",
            "name": "Nom du projet ou du site",
            "beneficiary": "Bénéficiaire",
            "siren": "SIREN",
            "company_type": "Type de porteur",
            "sector": "Secteur / nature",
            "commune_name": "Commune",
            "commune_code": "Code commune",
            "departement_name": "Département",
            "region_name": "Région",
            "ti_name": "Territoire d'industrie 2024",
            "laureate": "Lauréat",
            "investment_eur": "Investissement (€)",
            "state_aid_eur": "Aide de l'État (€)",
            "declared_deficit_eur": "Déficit déclaré (€)",
            "site_type": "Type de site",
            "intervention": "Intervention",
            "lat": "Latitude",
            "lon": "Longitude",
            "source_id": "Source",
        },
    )
    selected = getattr(response, "selected_rows", None)
    if selected is not None and len(selected):
        pick = rows[rows["project_id"] == selected.iloc[0]["project_id"]].iloc[0]
        st.info(
            f"**{pick['name']}** — {pick['commune_name']} ({pick['departement_code']}) · {pick['measure']}"
            + (f" · {pick['edition']}" if pd.notna(pick["edition"]) else "")
            + f"\n\n{pick['description'] or 'Pas de description publiée.'}"
        )
    else:
        st.caption("Sélectionnez une ligne pour lire sa description complète.")
    resolved = state.values(PAGE, SPEC)
    view_download(PAGE, "lignes", query(VIEWS["lignes"].rows, resolved), resolved, key="laureats")
    footnote(["cerema_fonds_friches", "plan-de-relance", "territoires-industrie"])
    st.caption(
        "Fonds friches : sites des éditions 1 à 3 (2021-2022) présents dans Cartofriches, qui couvre 914 des 1 185 dossiers lauréats. "
        "Les montants d'aide ne sont pas publiés ; le déficit déclaré par le candidat n'est pas l'aide accordée."
    )


with explorer_tab:
    if explorer_tab.open:
        explorer_view()
with indicators_tab:
    if indicators_tab.open:
        indicators_view()
state.publish(PAGE, SPEC)
