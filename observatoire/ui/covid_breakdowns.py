"""Aides Covid's « Répartitions »: by section (NAF, or A17 for activité partielle), and for the fonds de solidarité
by size band and legal category from its own files, in lazy tabs (only the open one is computed and drawn)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from observatoire import labels, views
from observatoire.queries import aides_covid as q
from observatoire.ui import charts
from observatoire.ui.data import query
from observatoire.ui.kit import table, view_download

PAGE = "aides_covid"
VIEWS = views.PAGES[PAGE].views


@dataclass(frozen=True)
class Selection:
    scheme: str
    level: str
    code: str | None
    sections: list
    date: str
    where: str  # the selection in words (« France », « Corse-du-Sud (2A) »)
    unit: str
    resolved: dict  # the page's state as its data views take it
    column: str | None = None  # activité partielle: the measure's column
    is_ap: bool = False


def by_section(s: Selection) -> None:
    """The selection by section: a bar chart, and the table of the page's « secteurs » view."""
    bs = (
        query(q.ap_by_section, s.level, s.code, s.sections, s.date, s.column)
        if s.is_ap
        else query(q.by_section, s.scheme, s.level, s.code, s.sections, s.date)
    )
    bs["section"] = bs["code"] + " – " + bs["label"]
    frame = query(VIEWS["secteurs"].rows, s.resolved)
    left, right = st.columns(2)  # at 1 280 px, a table in two fifths of the width cut its figures
    with left:
        charts.sorted_bars(bs, "amount", "section", f"Par section {'A17' if s.is_ap else 'NAF'} – {s.where}", s.unit)
    with right:
        table(frame)
    # under both: four buttons in half the width cut their names
    view_download(PAGE, "secteurs", frame, s.resolved, key="secteurs", label="Télécharger")


def fds_file(s: Selection, label: str) -> None:
    """The FDS by size band or legal category, from its own files (24/06/2022, all sections)."""
    st.caption(
        "Fichier propre du FDS, au 24/06/2022, toutes sections (ni la date ni le filtre de section ne s'y appliquent)."
    )
    b = query(q.fds_breakdown, s.scheme, s.level, s.code, q.FDS_FILES[label])
    if b.empty:
        st.info(f"{label} : non publié pour ce niveau (le volet 2 n'existe que par région).")
        return
    b["categorie"] = b["code"] + " – " + b["label"]
    left, right = st.columns(2)  # a five-column table: half the width
    with left:
        charts.sorted_bars(b.head(15), "amount", "categorie", f"{label} – {s.where} (15 premières)", "€")
    with right:
        table(
            b[["code", "label", "amount", "count", "firms"]].rename(
                columns={
                    "code": "Code",
                    "label": "Libellé",
                    "amount": "Montant (€)",
                    "count": labels.COLUMNS["aid_count"],
                    "firms": labels.COLUMNS["firm_count"],
                }
            )
        )


def draw(s: Selection, tabs_key: str) -> None:
    if s.scheme in q.FDS_BREAKDOWN_SCHEMES:
        for tab, label in zip(st.tabs(q.BREAKDOWNS, key=tabs_key, on_change="rerun"), q.BREAKDOWNS):
            with tab:
                if tab.open and label == q.BREAKDOWNS[0]:
                    by_section(s)
                elif tab.open:
                    fds_file(s, label)
    else:
        by_section(s)
