"""Données: sources and licences, schema of every table, bulk downloads, read-only SQL console."""

import streamlit as st

from observatoire.ui import frame

frame.ensure()

import time

import pandas as pd

from observatoire import api_docs, console, exports, fmt, markup, views
from observatoire.labels import TABLE_DESCRIPTIONS
from observatoire.queries import common, donnees
from observatoire.ui import state
from observatoire.ui.data import connection, console_result, query
from observatoire.ui.kit import download_bar, expander, grid, page_header, server_root, table
from observatoire.ui.layout import require_database

PAGE = "donnees"
require_database()
tables = query(donnees.tables)
SPEC = donnees.state_spec(tables["table_name"].tolist())
page_header(
    "Données",
    "D'où vient chaque chiffre ? Sources, licences, schéma des tables, téléchargements complets et console SQL.",
)
state.bind(PAGE, SPEC)

st.header("Sources")
src = query(common.sources).copy()
src["data_date"] = src["data_date"].map(fmt.date)
src["loaded_at"] = src["loaded_at"].map(fmt.timestamp)
table(src)  # every column whole, wrapped where long (a canvas grid cut titles and URLs)

made = query(donnees.build_info)
if made["kind"] == "bundle":
    st.caption(
        f"Cette base a été faite le {made['built_at'].strftime('%d/%m/%Y à %H:%M')} depuis le paquet de données du "
        "dépôt (data/bundle/), lui-même exporté d'une construction depuis les sources ci-dessus (colonne « Chargée le »)."
    )
elif made["kind"] == "sources":
    st.caption(f"Cette base a été construite depuis les sources le {made['built_at'].strftime('%d/%m/%Y à %H:%M')}.")
changes = query(donnees.build_changes)
if len(changes):
    st.markdown("**Changements acceptés à la dernière construction** (fichiers dont l'empreinte diffère du manifeste)")
    if made.get("detail"):
        st.caption(markup.plain(made["detail"]))
    table(
        changes.rename(
            columns={
                "table_name": "Table",
                "rows_before": "Lignes avant",
                "rows_after": "Lignes après",
                "rows_added": "Ajoutées",
                "rows_removed": "Retirées",
                "rows_changed": "Modifiées",
                "totals": "Totaux (avant → après)",
            }
        )
    )

st.header("Tables")
overview = tables.copy()
overview["description"] = overview["table_name"].map(TABLE_DESCRIPTIONS).fillna("")
table(overview.rename(columns={"n_rows": "n_rows_estimate"}))
chosen = st.selectbox("Table à détailler et à télécharger", tables["table_name"].tolist(), key=state.key(PAGE, "table"))
n_rows = query(donnees.row_count, chosen)
st.markdown(f"**{chosen}** — {TABLE_DESCRIPTIONS.get(chosen, '')} {fmt.count(n_rows, 'ligne')}.")
cols = query(donnees.columns, chosen)
cols["is_nullable"] = cols["is_nullable"].map({"YES": "Oui", "NO": "Non"})
table(cols)
download_bar(
    lambda: donnees.whole_table(connection(), chosen),
    exports.file_name("donnees", chosen),
    key=f"bulk:{chosen}",
    label=f"Télécharger toute la table « {chosen} »",
    labelled=False,
    api=f"tables/{chosen}",
    api_params={},
    n_rows=n_rows,
)

st.header("Console SQL (lecture seule)")
st.caption(
    "Une requête de lecture à la fois (SELECT, WITH, PIVOT, fonctions de fenêtre…), sur les tables de la base, exécutée "
    "à part du serveur, sans accès aux fichiers, au réseau, aux extensions ni aux réglages du serveur. "
    f"Limites : {console.TIME_LIMIT_S:g} s ; {fmt.integer(console.ROW_CAP)} lignes et "
    f"{fmt.number(console.BYTE_CAP / 1e6, 0)} Mo affichés et téléchargeables au plus."
)
example = st.selectbox("Partir d'un exemple", list(console.EXAMPLES), key=state.key(PAGE, "exemple"))
state.publish(PAGE, SPEC)
sql = st.text_area(
    "Requête SQL", value=console.EXAMPLES[example], height=160, key=f"sql:{example}", max_chars=console.MAX_SQL_LENGTH
)


def cancel() -> None:
    st.session_state["console_sql"] = None
    st.session_state["console_cancelled"] = True


if st.button("Exécuter", type="primary"):
    st.session_state["console_sql"] = sql
    st.session_state["console_cancelled"] = False
if st.session_state.get("console_cancelled"):
    st.info("Requête annulée.")
if st.session_state.get("console_sql"):
    running = st.empty()
    with running.container():
        progress = st.empty()
        st.button("Annuler la requête", on_click=cancel, key="console-cancel")
    started = time.monotonic()

    def tick() -> None:
        # also where Streamlit stops this run when the visitor clicks « Annuler » (the worker is then killed)
        progress.caption(f"Requête en cours… {fmt.number(time.monotonic() - started, 1)} s")

    try:
        result = console_result(st.session_state["console_sql"], tick=tick)
    except console.ConsoleError as exc:
        running.empty()
        st.error(markup.plain(exc))  # DuckDB's messages quote the query's own text
    else:
        running.empty()
        msg = f"{fmt.count(len(result.frame), 'ligne')} en {fmt.number(result.seconds, 2)} s."
        if result.truncated_bytes:
            st.warning(
                f"Résultat tronqué à {fmt.number(console.BYTE_CAP / 1e6, 0)} Mo ({fmt.integer(len(result.frame))} "
                "lignes). Choisissez moins de colonnes, ajoutez un filtre ou une agrégation, ou téléchargez la table "
                "entière ci-dessus."
            )
        elif result.truncated:
            st.warning(
                f"Résultat tronqué à {fmt.integer(console.ROW_CAP)} lignes. Ajoutez un filtre ou une agrégation, "
                "ou téléchargez la table entière ci-dessus."
            )
        st.caption(msg)
        grid(result.frame, key="console-grid")
        download_bar(
            result.frame,
            exports.file_name("donnees", "requete"),
            key="console",
            labelled=False,
            api="sql",
            api_params={"q": st.session_state["console_sql"]},
        )

st.header("API de données")
root = server_root()
st.markdown(
    "Chaque vue des pages a une adresse qui rend ses lignes, telles que filtrées, mises à jour avec les données : pour "
    "un classeur Excel qu'on actualise, un carnet pandas, un script. Sur chaque page, « Lien des données », à côté des "
    "boutons de téléchargement, donne l'adresse de la vue à l'écran. Lecture seule, sans inscription. Les paramètres "
    "sont ceux de l'adresse de la page (la version du périmètre et le dispositif toujours écrits) ; un paramètre inconnu ou une valeur invalide est refusé (erreur 400 en JSON, "
    "qui nomme le paramètre et les valeurs possibles) plutôt que remplacé."
)
st.subheader("Adresses")
table(api_docs.addresses_table(root))
st.subheader("Formats")
table(
    pd.DataFrame({"Suffixe": [f".{f}" for f in api_docs.FORMAT_NOTES], "Contenu": list(api_docs.FORMAT_NOTES.values())})
)
st.subheader("Paramètres")
for name, page_views in views.PAGES.items():
    with expander(f"Paramètres de la page {page_views.title}", key=f"api-params:{name}") as shown:
        if shown:
            table(api_docs.parameters_table(query(api_docs.parameters, name)))
st.subheader("Limites")
st.markdown(
    f"- {fmt.integer(api_docs.MAX_ROWS)} lignes au plus par réponse ({fmt.integer(api_docs.MAX_XLSX_ROWS)} en XLSX : au-delà, "
    "CSV ou Parquet) ; l'en-tête X-Observatoire-Lignes donne le nombre de lignes, X-Observatoire-Tronque dit si la "
    "réponse a été coupée.\n"
    f"- {api_docs.CONCURRENT} requêtes calculées à la fois par serveur, pour que les pages restent rapides : au-delà de "
    f"{fmt.number(api_docs.WAIT_S, 0)} s d'attente, ou plus de {api_docs.QUEUE} requêtes en attente, erreur 503, à réessayer.\n"
    f"- SQL : les limites de la console ({fmt.number(console.TIME_LIMIT_S, 0)} s, {fmt.integer(console.ROW_CAP)} "
    f"lignes, {fmt.number(console.BYTE_CAP / 1e6, 0)} Mo).\n"
    "- Chaque réponse porte un ETag tiré du contenu de la base : une requête qui le renvoie (If-None-Match) reçoit "
    "304 sans données tant que les données n'ont pas changé."
)
st.subheader("Utiliser un lien")
example = f"{root}{api_docs.PREFIX}/laureats/lignes"
st.markdown(
    "**Excel** : Données > À partir du web, coller le lien au format « CSV Excel français » ; Actualiser tout le met à jour."
)
st.code(f"{example}.excel.csv?{api_docs.EXAMPLES['laureats']}", language=None, wrap_lines=True)
st.markdown("**pandas** :")
st.code(
    "import pandas as pd\n"
    f'lien = "{example}.csv?{api_docs.EXAMPLES["laureats"]}"\n'
    'df = pd.read_csv(lien, dtype={"SIREN": str, "Code commune": str})  # les codes gardent leurs zéros\n'
    "# ou, colonnes déjà typées : pd.read_parquet(lien.replace('.csv?', '.parquet?'))",
    language="python",
    wrap_lines=True,
)
st.markdown("**curl** :")
st.code(f'curl -OJ "{example}.parquet?{api_docs.EXAMPLES["laureats"]}"', language="bash", wrap_lines=True)
