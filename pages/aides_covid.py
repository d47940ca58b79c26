"""Aides Covid: how much aid went where, to which sectors, and when?"""

import streamlit as st

from observatoire.ui import frame

frame.ensure()

import pandas as pd

from observatoire import fmt, labels, maps, views
from observatoire.queries import aides_covid as q
from observatoire.queries import common
from observatoire.ui import charts, covid_breakdowns, state
from observatoire.ui import maps as ui_maps
from observatoire.ui.data import connection, query
from observatoire.ui.kit import KPI, expander, footnote, grid, kpi_row, page_header, table, view_download
from observatoire.ui.layout import require_database

PAGE = "aides_covid"
SOURCES = ["aides_covid_etalab", "geo_decoupage_administratif_npm"]
require_database()
page_header(
    "Aides Covid",
    "Combien d'aide est allée où, à quels secteurs, et quand ? Fonds de solidarité, PGE, reports d'échéances, "
    "aide CPSTI et activité partielle, 2020-2022.",
)
SPEC = q.state_spec(connection(), fetch=query)
state.bind(PAGE, SPEC)
K = lambda name: state.key(PAGE, name)  # noqa: E731


on_map_select = ui_maps.select_on_click(
    "aides_covid_map", "territoires", {"level": K("niveau"), "code": K("territoire")}
)


with st.sidebar:
    st.header("Filtres")
    scheme = st.selectbox("Dispositif", list(q.SCHEMES), format_func=q.SCHEMES.get, key=K("dispositif"))
    is_ap = scheme == q.AP
    levels = q.levels_for(scheme)
    state.ensure_choice(PAGE, "niveau", levels, "france")
    level = st.radio("Niveau", levels, format_func=q.LEVELS.get, key=K("niveau"), horizontal=True)
    if scheme in ("fds_volet2", q.AP):
        st.caption("Ce dispositif n'est publié que par région : pas de niveau département.")
    code = None
    if level != "france":
        terr = query(q.territories, level, scheme)
        names = dict(zip(terr["code"], terr["name"]))
        state.ensure_choice(PAGE, "territoire", terr["code"].tolist(), None)
        if st.session_state.get(K("territoire")) is None and len(terr):
            st.session_state[K("territoire")] = terr["code"].iloc[0]
        code = st.selectbox(
            q.LEVELS[level],
            terr["code"].tolist(),
            format_func=lambda c: f"{names.get(c, c)} ({c})",
            key=K("territoire"),
        )
    secs = query(q.sections, scheme)
    sec_labels = dict(zip(secs["code"], secs["label"]))
    state.ensure_choice(PAGE, "sections", secs["code"].tolist(), [])
    chosen = st.multiselect(
        "Sections NACE A17" if is_ap else "Sections NAF",
        secs["code"].tolist(),
        key=K("sections"),
        format_func=lambda c: f"{c} – {sec_labels.get(c, c)}",
        placeholder="Toutes les sections",
        select_all=False,  # Streamlit writes that option in English (« Select all »)
    )
    available = query(q.dates, scheme)
    state.ensure_choice(PAGE, "date", available, None)
    if st.session_state.get(K("date")) is None:
        st.session_state[K("date")] = available[0]
    date = st.selectbox(
        "Mois de la demande" if is_ap else "Date de l'instantané",
        available,
        key=K("date"),
        format_func=(lambda m: fmt.month(m + "-01")) if is_ap else fmt.date,
    )
    if is_ap:
        measure = st.radio("Mesure", list(q.AP_MEASURES), format_func=lambda m: q.AP_MEASURES[m][1], key=K("mesure"))
        st.caption(
            "Activité partielle : grain région × section A17 × mois de la demande (données au 23/02/2021). "
            "Les filtres s'adaptent : pas de département, sections A17 au lieu des sections NAF."
        )
    map_mode = st.radio("Carte", list(q.MAP_MODES), format_func=q.MAP_MODES.get, key=K("carte"), horizontal=True)
state.publish(PAGE, SPEC)
resolved = state.values(PAGE, SPEC)  # the state as the data views (and the API) take it
VIEWS = views.PAGES[PAGE].views

where = "France" if level == "france" else f"{names.get(code, code)} ({code})"
sections_text = "toutes sections" if not chosen else ", ".join(chosen)
st.markdown(
    f"**{q.SCHEMES[scheme]}** · {where} · {sections_text} · "
    + (f"demandes de {fmt.month(date + '-01')}" if is_ap else f"stock cumulé au {fmt.date(date)}")
)


# --- KPIs ------------------------------------------------------------------------------------------------
def share(a, b):
    return fmt.percent(100 * a / b) if a is not None and b else "—"


if not is_ap:
    k = query(q.kpis, scheme, level, code, chosen, date)
    s, f = k["selection"], k["france"]
    per_firm = (s["amount"] / s["firms"]) if s["firms"] else None
    per_aid = (s["amount"] / s["count"]) if s["count"] else None
    fr_per_inh = f["amount"] / f["population"] if f["amount"] and f["population"] else None
    per_inh = s["amount"] / s["population"] if s["amount"] and s["population"] else None
    kpi_row(
        [
            KPI(
                "Montant",
                fmt.euros(s["amount"]),
                comparison=f"{share(s['amount'], f['amount'])} du total France ({fmt.euros(f['amount'])})",
            ),
            KPI(
                q.COUNT_LABELS[scheme],
                fmt.integer(s["count"]),
                comparison=f"{share(s['count'], f['count'])} du total France",
            ),
            KPI(
                "Entreprises aidées",
                fmt.integer(s["firms"]) if s["firms"] else "non publié",
                comparison=(
                    "publié à partir de janvier 2021"
                    if scheme == "fds"
                    else "non publié pour ce dispositif (seul le nombre d'aides l'est)"
                )
                if s["firms"] is None
                else f"{share(s['firms'], f['firms'])} du total France",
            ),
            KPI(
                "Montant moyen par entreprise" if per_firm else "Montant moyen par aide",
                fmt.euros(per_firm or per_aid),
                comparison=(
                    "France : "
                    + fmt.euros(
                        (f["amount"] / f["firms"]) if f["firms"] else (f["amount"] / f["count"] if f["count"] else None)
                    )
                ),
            ),
            KPI(
                "Montant par habitant",
                fmt.number(per_inh, 1) + "\u00a0€" if per_inh else "—",
                comparison=f"France : {fmt.number(fr_per_inh, 1)}\u00a0€ · population {fmt.integer(s['population'])}",
                help=labels.POPULATION_VINTAGE,
            ),
        ]
    )
    st.caption(labels.POPULATION_VINTAGE)
    if scheme == "fds":
        whole = query(q.dashboard_whole_fds, level, code, date)
        st.caption(
            "Ces montants sont ceux du **volet 1** du fonds de solidarité (fichiers CSV publiés). "
            + (
                f"Pour information, le tableau de bord DINUM donne pour ce territoire et cette date un total **tous volets** de "
                f"{fmt.euros(whole)} : les deux ne s'additionnent pas."
                if whole and not chosen
                else "Le total tous volets du tableau de bord DINUM n'est publié que sans filtre de section et pour certaines dates."
            )
        )
    if s["rows"] == 0:
        st.info(
            "Aucune ligne publiée pour cette sélection (cellules secrètes ou territoire absent du fichier à cette date)."
        )
else:
    col, label = q.AP_MEASURES[measure]
    k = query(q.ap_kpis, level, code, chosen, date)
    s, f = k["selection"], k["france"]
    key_ = {"hours": "hours", "employees": "employees", "requests": "requests"}[col]
    per_inh = s[key_] / s["population"] if s[key_] and s["population"] else None
    fr_per_inh = f[key_] / f["population"] if f[key_] and f["population"] else None
    kpi_row(
        [
            KPI(
                "Heures demandées",
                fmt.integer(s["hours"]),
                comparison=f"{share(s['hours'], f['hours'])} du total France",
            ),
            KPI(
                "Salariés concernés",
                fmt.integer(s["employees"]),
                comparison=f"{share(s['employees'], f['employees'])} du total France",
            ),
            KPI(
                "Demandes déposées",
                fmt.integer(s["requests"]),
                comparison=f"{share(s['requests'], f['requests'])} du total France",
            ),
            KPI(
                "Heures par salarié",
                fmt.number(s["hours"] / s["employees"], 1) if s["employees"] else "—",
                comparison=f"France : {fmt.number(f['hours'] / f['employees'], 1) if f['employees'] else '—'}",
            ),
            KPI(
                f"{label} par habitant",
                fmt.number(per_inh, 2),
                comparison=f"France : {fmt.number(fr_per_inh, 2)}",
                help=labels.POPULATION_VINTAGE,
            ),
        ]
    )
    st.caption(
        "Entreprises : non publié pour l'activité partielle (le fichier mensuel ne donne pas le nombre d'établissements). "
        "Ce sont des **demandes d'autorisation**, pas des heures indemnisées. " + labels.POPULATION_VINTAGE
    )
footnote(SOURCES)


# --- series ------------------------------------------------------------------------------------------------
def series_table() -> None:
    frame = query(VIEWS["serie"].rows, resolved)
    table(frame)
    view_download(PAGE, "serie", frame, resolved, key="serie", label="Télécharger la série")


st.header("Évolution")
if not is_ap:
    ser = query(q.series, scheme, level, code, chosen)
    last = ser["amount"].dropna()
    ser["indice"] = 100 * ser["amount"] / last.iloc[-1] if len(last) and last.iloc[-1] else None
    ser["indice_france"] = 100 * ser["france_amount"] / ser["france_amount"].iloc[-1]
    left, right = st.columns(2)
    with left:
        charts.lines(
            ser,
            "snapshot_date",
            {"indice": where, "indice_france": "France"},
            "Montant cumulé, indice (dernier instantané = 100)",
            "indice",
            fmt=",.0f",
        )
    with right:
        charts.bars_over_time(
            ser.dropna(subset=["flow"]), "snapshot_date", "flow", f"Flux entre deux instantanés – {where}", "€"
        )
    notes = []
    gaps = ser[ser["days"] > 45]
    for r in gaps.itertuples():
        prev = ser.loc[r.Index - 1, "snapshot_date"]
        notes.append(
            f"{int(r.days)} jours entre le {fmt.date(prev)} et le {fmt.date(r.snapshot_date)} : ce flux couvre plus d'un mois."
        )
    if ser["has_firms"].fillna(False).any() and not ser["has_firms"].fillna(False).all():
        first = ser.loc[ser["has_firms"].fillna(False), "snapshot_date"].min()
        notes.append(f"Changement de méthode : le nombre d'entreprises n'est publié qu'à partir du {fmt.date(first)}.")
    neg = ser[ser["flow"] < 0]
    for r in neg.itertuples():
        notes.append(
            f"Flux négatif au {fmt.date(r.snapshot_date)} ({fmt.euros(r.flow)}) : révision ou reclassement des données publiées."
        )
    if notes:
        st.info("Ruptures de série : " + " ".join(notes), icon=":material/info:")
    with expander("Tableau de la série", K("tableau_serie")) as shown:
        if shown:
            series_table()
else:
    ser = query(q.ap_series, level, code, chosen, col)
    ser["month"] = pd.to_datetime(ser["period"] + "-01")  # a time axis: months read « mars 2020 », not 2020-03
    left, right = st.columns(2)
    with left:
        charts.bars_over_time(ser, "month", "value", f"{label} par mois – {where}", label, x_format="month")
    with right:
        ser["part"] = 100 * ser["value"] / ser["france_value"]
        charts.lines(
            ser,
            "month",
            {"part": f"Part de {where} dans la France (%)"},
            "Part dans le total France",
            "%",
            fmt=",.1f",
            x_format="month",
        )
    with expander("Tableau de la série", K("tableau_serie")) as shown:
        if shown:
            series_table()

footnote(SOURCES)  # under the charts and tables above

# --- map -----------------------------------------------------------------------------------------------
map_level = "region" if (level == "region" or scheme in ("fds_volet2", q.AP)) else "departement"
st.header(f"Carte par {'région' if map_level == 'region' else 'département'}")
mv = query(q.ap_map_values, chosen, date, col) if is_ap else query(q.map_values, scheme, map_level, chosen, date)
mv = mv.copy()
value_col = "per_inhabitant" if map_mode == "par_habitant" else "amount"
rank_col = "rank_per_inhabitant" if map_mode == "par_habitant" else "rank_amount"
unit = label if is_ap else "€"
value_fmt = (lambda v: fmt.number(v, 2)) if map_mode == "par_habitant" else (fmt.integer if is_ap else fmt.euros)
breaks = maps.classes(mv[value_col])
mv["fill"] = mv[value_col].map(lambda v: maps.colour_for(v, breaks))
mv["level"] = map_level
mv["inset"] = mv["code"].map(maps.REGION_TO_OVERSEAS) if map_level == "region" else mv["code"]
n_valued = int(mv[value_col].notna().sum())
mode_label = q.MAP_MODES[map_mode].lower()
unit_suffix = (
    ""
    if (unit == "€" and map_mode == "montant")
    else f" {unit}" + (" par habitant" if map_mode == "par_habitant" else "")
)
mv["tip_title"] = mv["name"] + " (" + mv["code"] + ")"
mv["tip_value"] = [
    f"{mode_label} : {value_fmt(v)}{unit_suffix}" if pd.notna(v) else "non publié" for v in mv[value_col]
]
mv["tip_rank"] = [f"rang {int(r)} sur {n_valued}" if pd.notna(v) else "" for v, r in zip(mv[value_col], mv[rank_col])]
# the coloured boundaries are cached and serialised once per set of colours, the selection's outline once per territory
fills = tuple((c, tuple(f)) for c, f in zip(mv["code"], mv["fill"]))
# department limits drawn over a regional map; a department map already draws them
limits = (
    [(common.departement_outlines, (), ui_maps.Style(line=(120, 120, 140, 255), width=1))]
    if map_level == "region"
    else []
)
markers = mv[["code", "name", "level", "tip_title", "tip_value", "tip_rank"]].copy()
placed = [maps.move_point(lon, lat, ins) for lon, lat, ins in zip(mv["label_lon"], mv["label_lat"], mv["inset"])]
markers["lon_map"], markers["lat_map"] = [p[0] for p in placed], [p[1] for p in placed]
ui_maps.show(
    [
        ui_maps.base_layer(
            (
                common.filled_boundaries,
                (map_level, fills),
                ui_maps.Style(fill_property="fill", line=(255, 255, 255, 255), width=0.5),
            ),
            *limits,
        ),
        ui_maps.highlight_layer(mv[mv["code"] == code], inset_col="inset"),
        ui_maps.marker_layer(markers, id="territoires"),
    ],
    tooltip={"html": "<b>{tip_title}</b><br>{tip_value}<br>{tip_rank}"},
    height=520,
    key="aides_covid_map",
    on_select=on_map_select,
)
ui_maps.legend(maps.legend(breaks, value_fmt), f"{q.SCHEMES[scheme]} – {q.MAP_MODES[map_mode].lower()} ({unit})")
st.caption(
    "Cliquez le point blanc d'un territoire pour le sélectionner (ou choisissez-le dans les filtres). "
    + (labels.POPULATION_VINTAGE + " " if map_mode == "par_habitant" else "")
    + ui_maps.INSET_CAPTION
)
with expander("Tableau de la carte (classement)", K("tableau_carte")) as shown:
    if shown:
        ranking = mv[
            ["code", "name", "amount", "population", "per_inhabitant", "rank_amount", "rank_per_inhabitant"]
        ].rename(
            columns={
                "code": "Code",
                "name": "Territoire",
                "amount": f"Valeur ({unit})",
                "population": "Population",
                "per_inhabitant": "Par habitant",
                "rank_amount": "Rang (valeur)",
                "rank_per_inhabitant": "Rang (par habitant)",
            }
        )
        table(ranking.sort_values("Rang (valeur)"))

footnote(SOURCES)  # under the charts and tables above

# --- breakdowns -------------------------------------------------------------------------------------------
st.header("Répartitions")


covid_breakdowns.draw(
    covid_breakdowns.Selection(
        scheme, level, code, chosen, date, where, unit, resolved, column=col if is_ap else None, is_ap=is_ap
    ),
    K("repartition"),
)

footnote(SOURCES)  # under the charts and tables above

# --- rows -------------------------------------------------------------------------------------------------
st.header("Lignes publiées")
data = query(VIEWS["lignes"].rows, resolved)
grid(data, key=f"covid-grid-{scheme}")
view_download(PAGE, "lignes", data, resolved, key="covid")
footnote(SOURCES)

with expander("Notes de méthode", K("notes")) as shown:
    if shown:
        st.markdown(
            "- **Stocks et flux.** Chaque fichier publié est un **stock cumulé** depuis mars 2020 à sa date de publication. "
            "Le flux d'une période est la différence entre deux instantanés successifs ; l'écart entre instantanés n'est pas toujours d'un mois.\n"
            "- **Cellules secrètes.** Les lignes concernant 2 entreprises ou moins (2 prêts ou moins pour le PGE) ne sont pas publiées : "
            "les totaux sont des sommes des lignes publiées, légèrement inférieurs aux vrais totaux. Une valeur absente reste vide, jamais 0.\n"
            "- **France.** Le total France est la somme des lignes **régionales** publiées quand le dispositif a des fichiers régionaux "
            "(moins de secret statistique), sinon la somme des lignes départementales.\n"
            "- **FDS volet 1 et FDS total.** Les fichiers CSV ne couvrent que le volet 1 (35,5 Md€ au 24/06/2022) ; le tableau de bord DINUM "
            "donne le FDS tous volets (41,5 Md€). Chaque chiffre dit lequel il utilise ; ils ne s'additionnent jamais.\n"
            f"- **Population**, pour les montants par habitant : {labels.POPULATION_VINTAGE}\n"
            "- **Codes** : « ND » = département ou région non déterminé dans la source ; le code « 958 » figure tel quel dans le fichier PGE du 24/04/2020."
        )
