"""A territory profile as one self-contained HTML file: tables, inline SVG charts, sources and date.
No script, no font, no image and no link is fetched: it reads offline and prints."""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass

import pandas as pd

from observatoire import fmt, svgcharts
from observatoire.queries.territoires import INDICATORS

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#161616;max-width:1000px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{color:#000091;font-size:1.7rem;margin-bottom:0} h2{color:#000091;font-size:1.2rem;border-bottom:2px solid #000091;padding-bottom:2px;margin-top:28px}
.meta{color:#555;font-size:.9rem} table{border-collapse:collapse;width:100%;font-size:.85rem;margin:8px 0}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top} th{background:#eef;text-align:left} td.n{text-align:right;white-space:nowrap}
.note{font-size:.85rem;color:#333;background:#f6f6f6;border-left:3px solid #000091;padding:6px 10px}
@media print{body{margin:0;max-width:none} h2{break-after:avoid} table,svg{break-inside:avoid}}
"""


@dataclass
class Section:
    title: str
    tables: list[tuple[str, pd.DataFrame]]
    charts: list[str]
    notes: list[str]


def _decimals(v: float) -> int:
    """Enough decimals to read a value: none for a whole number, one from 10 up, two from 1, then three significant
    digits for small rates (0.0123 -> 0,0123; one decimal showed '0,0')."""
    if v.is_integer():
        return 0
    a = abs(v)
    if a >= 10:
        return 1
    if a >= 1:
        return 2
    return min(6, 2 - math.floor(math.log10(a)))


def _fraction_decimals(col: pd.Series) -> int | None:
    """The most decimals the column's fractional values use (None: it has none)."""
    if not is_number(col) or pd.api.types.is_integer_dtype(col):
        return None
    used = {_decimals(float(v)) for v in col.dropna() if not float(v).is_integer()}
    return max(used) if used else None


def _whole_decimals(v: float, fractions: int | None) -> int:
    """A whole number among fractions reads like them ('100,0' beside '103,2', not '100'): the decimals a fraction of
    its size would get, never more than the column uses; zero stays '0'."""
    if fractions is None or v == 0:
        return 0
    return min(1 if abs(v) >= 10 else 2, fractions)


def _cell(v, fractions: int | None = None) -> tuple[str, bool]:
    if isinstance(v, fmt.Figure):
        return html.escape(v), True
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return "—", False
    if isinstance(v, bool):
        return ("oui" if v else "non"), False
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        decimals = _decimals(float(v))
        return fmt.number(v, _whole_decimals(float(v), fractions) if decimals == 0 else decimals), True
    if hasattr(v, "isoformat"):
        return fmt.date(v), False
    return html.escape(str(v)), False


PLAIN_COLUMNS = ("annee", "année", "year", "annee_recensement", "rang", "code", "siren", "identifiant", "version")


def is_number(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def is_plain(name) -> bool:
    return str(name).lower().startswith(PLAIN_COLUMNS)


def plain_years(df: pd.DataFrame) -> pd.DataFrame:
    """Years, codes and ranks as plain text: 2015, not 2 015."""
    plain = {
        c: df[c].map(lambda v: "" if pd.isna(v) else f"{v:.0f}") for c in df.columns if is_number(df[c]) and is_plain(c)
    }
    return df.assign(**plain) if plain else df


def table_html(df: pd.DataFrame) -> str:
    """A table with numbers in French, years, codes and ranks left plain (the pages' tables and the profile's)."""
    df = plain_years(df)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    fractions = [_fraction_decimals(df[c]) for c in df.columns]
    # a column of long texts keeps a readable width (a wide table then scrolls in its frame) rather than being
    # squeezed into a column so narrow that its cells grow tall
    wide = [
        not is_number(df[c]) and bool(df[c].astype(str).str.len().quantile(0.9) > 24) if len(df) else False
        for c in df.columns
    ]
    rows = []
    for r in df.itertuples(index=False):
        cells = [_cell(v, f) for v, f in zip(r, fractions)]
        rows.append(
            "<tr>"
            + "".join(
                f"<td class='n'>{t}</td>" if num else (f"<td class='w'>{t}</td>" if w else f"<td>{t}</td>")
                for (t, num), w in zip(cells, wide)
            )
            + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render(
    title: str, subtitle: str, sections: list[Section], sources: list[str], generated: dt.datetime | None = None
) -> str:
    when = (generated or dt.datetime.now()).strftime("%d/%m/%Y à %H:%M")
    body = [
        f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(subtitle)}<br>Profil produit par l'Observatoire le {when}.</p>"
    ]
    for s in sections:
        body.append(f"<h2>{html.escape(s.title)}</h2>")
        for note in s.notes:
            body.append(f"<p class='note'>{html.escape(note)}</p>")
        body.extend(s.charts)
        for caption, df in s.tables:
            if caption:
                body.append(f"<p><b>{html.escape(caption)}</b></p>")
            body.append(table_html(df))
    body.append("<h2>Sources</h2><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in sources) + "</ul>")
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{CSS}</style>{svgcharts.CSS}</head><body>{''.join(body)}</body></html>"
    )


# === the territory profile: French tables shared by the page, the downloads and the HTML file ====================
RENAME = {
    "members": {
        "member_type": "type_membre",
        "member_code": "siren_ou_code",
        "member_name": "nom",
        "population": "population",
    },
    "communes": {
        "commune_code": "code_commune",
        "name": "commune",
        "departement_code": "departement",
        "epci_siren": "siren_epci_2026",
        "epci_name": "epci_2026",
        "population": "population",
        "via": "rattachement",
    },
    "urssaf": {"serie": "territoire", "year": "annee", "jobs": "emploi_salarie_prive", "index_2014": "indice_2014_100"},
    "census": {
        "serie": "territoire",
        "year": "annee_recensement",
        "jobs_total": "emplois_lieu_travail",
        "jobs_fabrication": "emplois_fabrication",
        "fabrication_pct": "part_fabrication_pct",
    },
    "unemployment": {
        "serie": "territoire",
        "quarter": "trimestre",
        "rate_pct": "taux_chomage_pct",
        "population_weighted": "population_ponderee",
        "n_zones": "zones_emploi",
    },
    "zones": {
        "ze_code": "code_zone_emploi_2020",
        "name": "zone_emploi_2020",
        "population_share": "part_population_territoire_pct",
    },
    "zone_urssaf": {
        "ze_code": "code_zone_emploi_2020",
        "name": "zone_emploi_2020",
        "year": "annee",
        "industry_jobs": "emploi_industrie_a5_be",
        "all_jobs": "emploi_salarie_prive_total",
        "industry_pct": "part_industrie_pct",
    },
    "zone_a38": {
        "ze_code": "code_zone_emploi_2020",
        "name": "zone_emploi_2020",
        "sector_code": "code_a38",
        "sector_label": "secteur_a38",
        "jobs": "emploi_2024",
    },
    "zone_estel": {
        "ze2010_code": "code_zone_emploi_2010",
        "name": "zone_emploi_2010",
        "year": "annee",
        "industry_jobs": "emploi_industrie_be",
        "all_jobs": "emploi_total",
        "industry_pct": "part_industrie_pct",
    },
    "rouen": {
        "ape_code": "code_ape",
        "ape_label": "libelle_ape",
        "section_code": "section_naf",
        "sector": "secteur",
        "year": "annee",
        "establishments": "etablissements",
        "jobs": "effectifs",
    },
    "friches": {
        "site_id": "identifiant_site",
        "edition": "edition",
        "name": "site",
        "commune_code": "code_commune",
        "commune_name": "commune",
        "departement_code": "departement",
        "surface_m2": "surface_m2",
        "site_type": "type_site",
        "intervention": "intervention",
        "owner_type": "type_proprietaire",
        "lat": "latitude",
        "lon": "longitude",
    },
    "dge": {
        "project_id": "identifiant",
        "measure": "mesure",
        "name": "projet",
        "beneficiary": "beneficiaire",
        "siren": "siren",
        "commune_name": "commune",
        "commune_code": "code_commune",
        "departement_code": "departement",
        "investment_eur": "investissement_eur",
        "state_aid_eur": "aide_etat_eur",
        "date": "date",
    },
    "support": {
        "code": "departement",
        "name": "nom",
        "relance_firms": "entreprises_aidees_investissement_industriel",
        "relance_date": "date_barometre",
        "fds_eur": "fonds_solidarite_volet1_eur",
        "fds_date": "date_fds",
        "pge_eur": "pge_eur",
        "pge_date": "date_pge",
    },
}


def french_indicators(table: pd.DataFrame) -> pd.DataFrame:
    """The indicator table of a profile or a comparison (territoires.comparison_table: one row per indicator, in the
    order of territoires.INDICATORS) written in French, each row with its indicator's decimals: a column holds a
    population, an index and a rate, which no per-column rule reads right ('262 216,0' habitants). Ranks stay as they
    are. What the page and the downloadable profile show; the downloads keep the numbers."""
    decimals = [d for _, _, d in INDICATORS.values()]
    assert len(table) == len(decimals), "une ligne par indicateur, dans l'ordre de INDICATORS"
    shown = table.copy()
    for col in shown.columns[2:]:
        if not str(col).startswith("rang"):
            # object dtype: pandas would store plain strings as its string type, which drops the Figure mark
            shown[col] = pd.Series(
                [fmt.Figure(fmt.number(v, d)) for v, d in zip(table[col], decimals)], index=shown.index, dtype=object
            )
    return shown.rename(columns={"indicateur": "Indicateur", "unite": "Unité"})


def french(profile: dict, key: str) -> pd.DataFrame:
    """A profile frame with the columns a reader needs, under their names in the vocabulary (labels.COLUMNS);
    quarters written as Insee writes them (T4 2006)."""
    names = RENAME[key]
    df = profile[key]
    out = df[[c for c in names if c in df.columns]].rename(columns=names)
    if "trimestre" in out.columns:
        out["trimestre"] = out["trimestre"].map(fmt.quarter)
    return out


def territory_document(
    profile: dict, *, version_label: str, quarter: str, methods: list[str], sources: list[str]
) -> str:
    t = profile["territory"].iloc[0]
    deps = ", ".join(f"{r.name} ({r.code})" for r in profile["references"].itertuples() if r.kind == "departement")
    u, c, un = profile["urssaf"], profile["census"], profile["unemployment"]
    sections = [
        Section(
            "Indicateurs, rang et comparaison",
            [("", french_indicators(profile["table"]))],
            [],
            [
                f"Rang : 1 = valeur la plus élevée parmi les territoires de la version {version_label}. "
                f"Taux de chômage au {quarter}."
            ],
        ),
        Section(
            "Emploi salarié privé (URSSAF), 2014-2024",
            [("", french(profile, "urssaf"))],
            [
                svgcharts.lines(
                    u,
                    "year",
                    "serie",
                    "index_2014",
                    title="Indice 2014 = 100",
                    y_title="indice",
                    zero=False,
                    width=720,
                    inline=True,
                )
            ],
            [],
        ),
        Section(
            "Emploi au lieu de travail et fonction « Fabrication » (recensements)",
            [("", french(profile, "census"))],
            [
                svgcharts.lines(
                    c,
                    "year",
                    "serie",
                    "fabrication_pct",
                    title="Part de la fabrication dans l'emploi (%)",
                    y_title="%",
                    decimals=1,
                    zero=False,
                    unit="%",
                    width=720,
                    inline=True,
                )
            ],
            [],
        ),
        Section(
            "Taux de chômage (moyenne des zones d'emploi pondérée par la population)",
            [
                (
                    "Derniers trimestres",
                    french(
                        {"unemployment": un.sort_values("quarter", kind="stable").groupby("serie").tail(8)},
                        "unemployment",
                    ),
                )
            ],
            [
                svgcharts.lines(
                    un,
                    "quarter",
                    "serie",
                    "rate_pct",
                    title="Taux de chômage (%)",
                    y_title="%",
                    x_kind="T",
                    decimals=1,
                    zero=False,
                    unit="%",
                    width=720,
                    inline=True,
                    x_format="quarter",
                )
            ],
            [],
        ),
        Section(
            "Contexte de zone d'emploi (niveau zone, pas territoire)",
            [
                ("Zones d'emploi 2020 du territoire", french(profile, "zones")),
                ("Industrie (URSSAF, A5 « BE »)", french(profile, "zone_urssaf")),
                ("Industrie (Estel, zones d'emploi 2010)", french(profile, "zone_estel")),
            ],
            [],
            [],
        ),
        Section(
            "Soutien public",
            [
                ("Sites lauréats du Fonds friches dans les communes du territoire", french(profile, "friches")),
                (
                    "Contexte départemental (pas territorial) : France Relance et aides Covid",
                    french(profile, "support"),
                ),
            ]
            + ([("Projets industriels France Relance (DGE)", french(profile, "dge"))] if len(profile["dge"]) else []),
            [],
            [],
        ),
        Section(
            "Composition", [("Membres", french(profile, "members")), ("Communes", french(profile, "communes"))], [], []
        ),
        Section("Méthodes", [], [], methods),
    ]
    return render(
        f"{t['name']} — Territoire d'industrie",
        f"Version du périmètre {version_label} · identifiant {t['code']} · départements : {deps}",
        sections,
        sources,
    )
