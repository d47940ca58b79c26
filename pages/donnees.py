"""Données: sources and licences, schema of every table, bulk downloads, read-only SQL console."""

import streamlit as st

from observatoire.ui import frame

frame.ensure()

from observatoire import console, fmt
from observatoire.labels import TABLE_DESCRIPTIONS
from observatoire.queries import common, donnees
from observatoire.ui import state
from observatoire.ui.data import connection, console_connection, query
from observatoire.ui.kit import download_bar, grid, page_header
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

st.subheader("Sources")
src = query(common.sources).copy()
src["data_date"] = src["data_date"].map(fmt.date)
src["loaded_at"] = src["loaded_at"].map(lambda v: v.strftime("%d/%m/%Y %H:%M"))
st.dataframe(
    src,
    hide_index=True,
    width="stretch",
    column_config={
        "source_id": "Identifiant",
        "title": "Titre",
        "publisher": "Producteur",
        "licence": "Licence",
        "licence_url": st.column_config.LinkColumn("Lien de la licence"),
        "url": st.column_config.LinkColumn("URL officielle"),
        "files": "Fichier(s)",
        "n_files": "Fichiers",
        "sha256": "SHA-256",
        "rows_loaded": st.column_config.NumberColumn("Lignes", format="localized"),
        "data_date": "Données au",
        "loaded_at": "Chargée le",
        "status": "État",
        "origin": "Origine",
        "note": "Note",
    },
)

st.subheader("Tables")
overview = tables.copy()
overview["description"] = overview["table_name"].map(TABLE_DESCRIPTIONS).fillna("")
st.dataframe(
    overview,
    hide_index=True,
    width="stretch",
    column_config={
        "table_name": "Table",
        "n_rows": st.column_config.NumberColumn("Lignes (estimation)", format="localized"),
        "column_count": "Colonnes",
        "description": "Description",
    },
)
table = st.selectbox("Table à détailler et à télécharger", tables["table_name"].tolist(), key=state.key(PAGE, "table"))
n_rows = query(donnees.row_count, table)
st.markdown(f"**{table}** — {TABLE_DESCRIPTIONS.get(table, '')} {fmt.integer(n_rows)} lignes.")
cols = query(donnees.columns, table).rename(
    columns={"column_name": "Colonne", "data_type": "Type", "is_nullable": "Valeurs vides possibles"}
)
st.dataframe(cols, hide_index=True, width="stretch")
download_bar(
    lambda: donnees.whole_table(connection(), table),
    f"observatoire_{table}",
    key=f"bulk:{table}",
    label=f"Télécharger toute la table « {table} »",
    n_rows=n_rows,
)

st.subheader("Console SQL (lecture seule)")
st.caption(
    f"Une requête SELECT à la fois, sur une connexion en lecture seule sans accès aux fichiers, au réseau ni aux extensions. "
    f"Limite : {console.TIME_LIMIT_S:g} s ; {fmt.integer(console.ROW_CAP)} lignes affichées et téléchargeables au plus."
)
example = st.selectbox("Partir d'un exemple", list(console.EXAMPLES), key=state.key(PAGE, "exemple"))
state.publish(PAGE, SPEC)
sql = st.text_area("Requête SQL", value=console.EXAMPLES[example], height=160, key=f"sql:{example}")
if st.button("Exécuter", type="primary"):
    st.session_state["console_sql"] = sql
if st.session_state.get("console_sql"):
    try:
        result = console.run(console_connection(), st.session_state["console_sql"])
    except console.ConsoleError as exc:
        st.error(str(exc))
    else:
        msg = f"{fmt.integer(len(result.frame))} lignes en {fmt.number(result.seconds, 2)} s."
        if result.truncated:
            st.warning(
                f"Résultat tronqué à {fmt.integer(console.ROW_CAP)} lignes. Ajoutez un filtre ou une agrégation, "
                f"ou téléchargez la table entière ci-dessus."
            )
        st.caption(msg)
        grid(result.frame, key="console-grid")
        download_bar(result.frame, "observatoire_requete", key="console")
