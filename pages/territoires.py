"""Territoires d'industrie: how is this industrial territory doing? Map, profile, comparison, downloadable profile."""

import streamlit as st

from observatoire.ui import frame

frame.ensure()


import pandas as pd

from observatoire import exports, fmt, labels, maps, markup, profile_html, views
from observatoire.queries import common
from observatoire.queries import territoires as q
from observatoire.ui import charts, state, territory_tabs
from observatoire.ui import maps as ui_maps
from observatoire.ui.data import connection, query, result
from observatoire.ui.kit import KPI, download_bar, expander, footnote, kpi_row, page_header, table, view_download
from observatoire.ui.layout import require_database

PAGE = "territoires"
SOURCES = [
    "territoires-industrie",
    "geo_decoupage_administratif_npm",
    "geo_insee_appartenance_2023",
    "urssaf_flores_ze2020_a38_ptod",
    "insee_analyse_fonctionnelle_emplois_communes_1999_2016",
    "insee_etablissements_salaires_commune_2014",
    "insee_chomage_localise",
    "insee_estel_emploi_salarie_ze2010_a5_1998_2017",
    "urssaf_etab_effectifs_commune_ape_ze_rouen",
    "cerema_fonds_friches",
    "plan-de-relance",
    "france-relance-barometre",
    "aides_covid_etalab",
]
# the indicator tables name the sources of every indicator (each tab names its own: ui/territory_tabs.py)
INDICATOR_TABLE_SOURCES = sorted({s for ind in q.INDICATORS for s in q.indicator_sources(ind)})
require_database()
page_header(
    "Territoires d'industrie",
    "Comment va ce territoire d'industrie ? Emploi, fabrication, établissements, chômage et "
    "soutien public, face à son département, sa région, la France et les autres territoires.",
)
IDS = {v: query(q.territory_ids, v) for v in q.VERSIONS}
VIEWS = views.PAGES[PAGE].views
QUARTERS = query(q.quarters)
SPEC = q.state_spec(connection(), IDS, QUARTERS)
state.bind(PAGE, SPEC)
K = lambda name: state.key(PAGE, name)  # noqa: E731
on_map_select = ui_maps.select_on_click("territoires:map", "territoires", {"code": K("territoire")})


def carry_over() -> None:
    """The version changed by hand: keep each chosen territory only where it is the same territory in the new
    version, else take the one sharing the most population with it, and say so (ids are never compared)."""
    old, new = st.session_state.get(LAST_VERSION), st.session_state[K("version")]
    if old is None or old == new:
        return
    notes, chosen = [], st.session_state.get(K("territoire"))
    if chosen:
        match = query(q.correspondence, old, chosen, new)
        st.session_state[K("territoire")] = match["id"] if match else None
        notes.append(q.carry_over_note(match, old, chosen, new, query(q.territory_name, old, chosen)))
    compared = []
    for t in st.session_state.get(K("comparer"), []):
        match = query(q.correspondence, old, t, new)
        if match and match["id"] not in compared:
            compared.append(match["id"])
    st.session_state[K("comparer")] = compared
    st.session_state[CARRY_NOTE] = notes


LAST_VERSION, CARRY_NOTE = "territoires:last_version", "territoires:carry_note"
with st.sidebar:
    st.header("Périmètre")
    version = st.radio(
        "Version du périmètre",
        list(q.VERSIONS),
        format_func=q.VERSIONS.get,
        key=K("version"),
        on_change=carry_over,
        help="Les identifiants de territoire ne se comparent pas d'une version à l'autre : en changeant de version, "
        "le territoire choisi est gardé s'il existe dans la nouvelle, sinon remplacé par celui qui partage le plus "
        "de population avec lui.",
    )
    st.session_state[LAST_VERSION] = version
    listing = query(q.territories, version)
    names = dict(zip(listing["territory_id"], listing["name"]))
    options = IDS[version]
    state.ensure_choice(PAGE, "territoire", options, None)
    territory = st.selectbox(
        "Territoire (tapez pour chercher)",
        options,
        key=K("territoire"),
        format_func=lambda t: f"{names.get(t, t)} ({t})",
    )
    state.ensure_choice(PAGE, "trimestre", QUARTERS, QUARTERS[0] if QUARTERS else None)
    quarter = st.selectbox("Trimestre du taux de chômage", QUARTERS, key=K("trimestre"), format_func=fmt.quarter)
version_label = q.VERSIONS[version]


def territory_file(*parts) -> str:
    """A download's name: page, version, territory and what it holds (exports.file_name)."""
    return exports.file_name("territoires", version, territory, *parts)


for note in st.session_state.pop(CARRY_NOTE, []):
    st.info(markup.plain(note), icon=":material/swap_horiz:")  # names as text
st.info(
    f"Version du périmètre : **{version_label}**. Rang : 1 = valeur la plus élevée parmi les territoires de cette version.",
    icon=":material/layers:",
)

# === national map ===========================================================================================
st.header(f"Carte nationale — périmètre {version_label}")
indicator = st.selectbox(
    "Indicateur de la carte", list(q.INDICATORS), key=K("indicateur"), format_func=lambda i: q.INDICATORS[i][0]
)
label, unit, decimals = q.INDICATORS[indicator]
# the indicators that do not depend on the quarter are computed once per version; only the unemployment rate per quarter
values = result(q.indicators_recipe(version, quarter))  # from the series of every unit the profile uses too
shapes = query(q.shapes, version)
data = shapes.drop(columns="boundary_geojson").merge(
    values[["code", indicator, f"rank_{indicator}"]], on="code", how="left"
)
breaks = maps.classes(values[indicator])  # the same classes as q.fills
n_val = int(data[indicator].notna().sum())
data["tip_title"] = data["name"] + " (" + data["code"] + ")"
data["tip_value"] = [
    f"{label} : {fmt.quantity(v, decimals, unit)}" if pd.notna(v) else "non disponible" for v in data[indicator]
]
data["tip_rank"] = [f"rang {int(r)} sur {n_val}" if pd.notna(r) else "" for r in data[f"rank_{indicator}"]]
placed = [maps.move_point(lon, lat, d) for lon, lat, d in zip(data["lon"], data["lat"], data["departement_code"])]
data["lon_map"], data["lat_map"] = [p[0] for p in placed], [p[1] for p in placed]
# one server-drawn image shared by all sessions: EPCI outlines under and department lines over (drawn once per
# process), and between them the territories in the indicator's colours (one image per set of colours)
style = (
    ui_maps.Style(fill_property="fill", line=(255, 255, 255, 255), width=0.5)
    if version != 2020
    else ui_maps.Style(fill_property="fill", radius=1.5)
)  # the 2020 perimeter has no polygons: a dot per commune
view = maps.LARGE_FRANCE_VIEW
layers = [
    ui_maps.base_layer(
        (q.choropleth, (version, q.fills(values, indicator)), style),
        view=view,
        below=[(q.epci_outlines, (), ui_maps.Style(line=(200, 200, 210, 255), width=0.5))],
        above=[(common.departement_outlines, (), ui_maps.Style(line=(90, 90, 120, 255), width=1))],
    )
]
if version != 2020:
    layers.append(ui_maps.highlight_layer(shapes[shapes["code"] == territory], inset_col="departement_code", view=view))
layers.append(
    ui_maps.marker_layer(data[["code", "lon_map", "lat_map", "tip_title", "tip_value", "tip_rank"]], id="territoires")
)
ui_maps.show(
    layers,
    tooltip={"html": "<b>{tip_title}</b><br>{tip_value}<br>{tip_rank}"},
    height=640,
    key="territoires:map",
    view=maps.LARGE_FRANCE_VIEW,
    on_select=on_map_select,
)
ui_maps.legend(
    maps.legend(breaks, lambda v: fmt.number(v, decimals)), label if unit in fmt.NO_SUFFIX else f"{label} ({unit})"
)
st.caption(
    "Cliquez le point blanc d'un territoire pour afficher son profil. Traits gris clair : les autres EPCI ; traits foncés : "
    "départements. "
    + (
        "Le périmètre 2020 est une liste de communes sans contours publiés : chaque commune est un point. "
        if version == 2020
        else ""
    )
    + ui_maps.INSET_CAPTION
)
footnote(q.indicator_sources(indicator))
ranking = views.ranking_frame(values, indicator, version)
with expander(
    f"Classement des {len(values)} territoires (tableau de la carte) et tous les indicateurs", K("classement")
) as shown:
    if shown:
        resolved = state.values(PAGE, SPEC)
        table(ranking.drop(columns=["indicateur", "unite", "version"]))
        view_download(PAGE, "classement", ranking, resolved, key="ranking", label="Télécharger le classement")
        view_download(
            PAGE,
            "indicateurs",
            views.indicators_frame(values, version),
            resolved,
            key="all",
            label="Télécharger tous les indicateurs, tous les territoires",
        )

# === profile ================================================================================================
# assembled once per territory, version and quarter from cached blocks; the series are those of every unit, cached once
p = result(q.profile_recipe(version, territory, quarter))
t = p["territory"].iloc[0]
refs = p["references"]
france = refs[refs["kind"] == "france"].iloc[0]
deps = refs[refs["kind"] == "departement"]
st.header(f"Profil : {t['name']}")
st.caption(
    f"Identifiant {territory} · version {version_label} · {len(p['members'])} membres, {len(p['communes'])} communes · "
    "département(s) : "
    + ", ".join(
        f"{r.name} ({r.code}, {fmt.number(r.population_share, 0)} % de la population)" for r in deps.itertuples()
    )
)


def rank(ind: str) -> str:
    """'rang 43 sur 182': among the territories of the version that have a value, as the map's tooltip says."""
    r = t[f"rank_{ind}"]
    return f"rang {int(r)} sur {int(values[ind].notna().sum())}" if pd.notna(r) else "rang non calculé"


kpi_row(
    [
        KPI("Population", fmt.integer(t["population"]), comparison=rank("population"), help=labels.POPULATION_VINTAGE),
        KPI(
            "Emploi salarié privé 2024",
            fmt.integer(t["jobs_2024"]),
            comparison=f"indice {fmt.number(t['jobs_index'], 1)} (2014 = 100) · France {fmt.number(france['jobs_index'], 1)} · {rank('jobs_index')}",
        ),
        KPI(
            "Part de la fabrication 2016",
            fmt.percent(t["fabrication_pct_2016"]),
            comparison=f"{fmt.number(t['fabrication_pct_change'], 1)} points depuis 1999 · France {fmt.percent(france['fabrication_pct_2016'])} · {rank('fabrication_pct_2016')}",
        ),
        KPI(
            f"Taux de chômage ({fmt.quarter(quarter)})",
            fmt.percent(t["unemployment_pct"]),
            comparison=f"France {fmt.percent(france['unemployment_pct'])} · {rank('unemployment_pct')}",
        ),
        KPI(
            "Établissements de 50 salariés ou plus",
            fmt.integer(t["establishments_50"]),
            comparison=f"dont {fmt.integer(t['establishments_200'])} de 200 ou plus (2014) · {rank('establishments_50')}",
        ),
    ]
)

st.subheader("Le territoire face à son ou ses départements, sa région et la France")
st.caption(
    f"Taux de chômage au {fmt.quarter(quarter)}. Rang parmi les territoires de la version {version} qui ont une valeur (1 = valeur la plus élevée)."
)
profile_table = p["table"]
table(profile_html.french_indicators(profile_table))
download_bar(
    profile_table,
    territory_file("indicateurs"),
    key="profile-table",
    label="Télécharger ce tableau",
    api=f"{PAGE}/profil",
)
footnote(INDICATOR_TABLE_SOURCES)

methods = q.methods(query(q.method_counts, version), version, quarter)
sources = [f"{r.publisher} — {r.title} ({r.url})" for r in query(common.source_footnote, SOURCES).itertuples()]
st.download_button(
    "Télécharger le profil complet (HTML autonome, lisible hors ligne et imprimable)",
    data=lambda: profile_html.territory_document(
        p, version_label=version_label, quarter=fmt.quarter(quarter), methods=methods, sources=sources
    ).encode("utf-8"),
    file_name=territory_file("profil") + ".html",
    mime="text/html",
    key="profile-html",
    on_click="ignore",
    icon=":material/download:",
)

# lazy tabs: only the open tab is computed and sent (the browser drew all eight in several seconds); in the URL (onglet=)
tabs = st.tabs(
    q.TABS,
    key=K("onglet"),
    on_change="rerun",
)
territory_tabs.draw(tabs, p, rank=rank, file=territory_file, perimeter=shapes[shapes["code"] == territory])

# === comparison =============================================================================================
st.header("Comparer 2 à 5 territoires")
state.ensure_choice(PAGE, "comparer", options, [])
if len(st.session_state.get(K("comparer"), [])) > q.MAX_COMPARED:
    st.session_state[K("comparer")] = st.session_state[K("comparer")][: q.MAX_COMPARED]
    st.warning(f"Au plus {q.MAX_COMPARED} territoires comparés : les premiers sont gardés.")
compared = st.multiselect(
    "Territoires comparés (même version)",
    options,
    key=K("comparer"),
    max_selections=q.MAX_COMPARED,
    format_func=lambda c: f"{names.get(c, c)} ({c})",
    placeholder="Choisissez 2 à 5 territoires",
    select_all=False,  # Streamlit writes that option in English (« Select all »)
)
state.publish(PAGE, SPEC)
if len(compared) < 2:
    st.caption("Choisissez au moins deux territoires pour les comparer.")
else:
    cmp = result(q.comparison_recipe(version, compared, quarter))
    table(profile_html.french_indicators(cmp["table"]))
    footnote(INDICATOR_TABLE_SOURCES)
    download_bar(
        cmp["table"],
        exports.file_name("territoires", version, "comparaison", *compared),
        key="cmp",
        label="Télécharger la comparaison",
        api=f"{PAGE}/comparaison",
    )
    left, right = st.columns(2)
    with left:
        charts.multi_lines(
            cmp["urssaf"], "year", "serie", "index_2014", "Emploi salarié privé, indice 2014 = 100", "indice"
        )
    with right:
        territory_tabs.unemployment_chart(cmp["unemployment"])
    charts.multi_lines(
        cmp["census"], "year", "serie", "fabrication_pct", "Part de la fabrication dans l'emploi (%)", "%", wide=True
    )
    download_bar(
        views.comparison_series_frame(cmp),
        exports.file_name("territoires", version, "comparaison-series", *compared),
        key="cmp-series",
        label="Télécharger les séries comparées",
        api=f"{PAGE}/comparaison_series",
    )

# === methods ================================================================================================
with expander("Méthodes : sources, millésimes, jointures entre géographies", K("methodes")) as shown:
    if shown:
        st.markdown("\n".join(f"- {m}" for m in methods))
        footnote(SOURCES)  # every source of the page, each also named under its own charts and tables
