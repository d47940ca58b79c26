"""The data API's limits and its description (examples, parameters and their values, addresses), for its index and for the « API de données » section of Données."""

from __future__ import annotations

import urllib.parse

import pandas as pd

from observatoire import console, views

PREFIX = "/api/v1"


MAX_ROWS = 500_000  # more than any view or table holds today (the largest table: 353 290 rows)


MAX_XLSX_ROWS = 100_000  # an XLSX this size takes the server seconds to write: past it, CSV or Parquet


CONCURRENT = 2  # API requests computed at once per server (one core for them, one for the pages)


WAIT_S = 30.0  # how long a request waits for its turn before a 503 (10 s gave 503s to 10 busy clients, bench/api_load)


QUEUE = 32  # requests waiting at most: past it, a 503 at once (a waiting request costs little, a flood is refused)


FORMAT_NOTES = {
    "csv": "CSV simple (virgule, UTF-8, point décimal, dates ISO aaaa-mm-jj)",
    "excel.csv": "CSV pour Excel français (point-virgule, BOM, virgule décimale, dates jj/mm/aaaa, codes en texte)",
    "xlsx": "classeur Excel (dates et nombres typés, codes en texte)",
    "parquet": "Parquet (colonnes typées), pour pandas, R, DuckDB ou Arrow",
    "json": "lignes et métadonnées (colonnes et unités, filtres en une phrase, sources, adresse de la page)",
}


# one example per view, with filters set: each answers rows (tests/api checks every one)
EXAMPLES = {
    "territoires/comparaison": "version=2024&comparer=ti-8401,ti-2806,ti-0101",
    "territoires/comparaison_series": "version=2024&comparer=ti-8401,ti-2806,ti-0101",
    "territoires/ape": "version=2024&territoire=ti-2802",  # the URSSAF APE extract covers the Rouen zone only
    "aides_covid": "dispositif=pge&niveau=departement&territoire=2A",
    "laureats": "departements=Finist%C3%A8re",
    "territoires": "version=2024&territoire=ti-8401",
}


TABLE_EXAMPLE = "sources"


SQL_EXAMPLE = "SELECT source_id, title, licence FROM sources"


def example_query(page: str, view: str) -> str:
    return EXAMPLES.get(f"{page}/{view}", EXAMPLES.get(page, ""))


def parameters(con, page: str) -> list[dict]:
    """A page's URL parameters, as the API index and the documentation list them. Values that depend on other
    parameters (a department's territories, a scheme's dates) are listed for the defaults."""
    spec = views.PAGES[page].spec(con)
    defaults = {p.key: p.default for p in spec}
    out = []
    for p in spec:
        choices = p.choices(defaults) if callable(p.choices) else p.choices
        values = None if choices is None else [str(c) for c in choices]
        out.append(
            {
                "cle": p.key,
                "libelle": p.label,
                "defaut": None if p.default in (None, [], "") else str(p.default),
                "valeurs": values[:200] if values is not None else None,
                "nombre_de_valeurs": None if values is None else len(values),
                "selon_les_autres": callable(p.choices),
                "plusieurs": p.multi,
                "genre": p.kind,
            }
        )
    return out


KINDS = {
    "int": "nombre entier",
    "bool": "oui ou non (ou 1, 0, true, false)",
    "date": "date aaaa-mm-jj",
    "text": "texte libre",
}


def parameters_table(params: list[dict], shown: int = 12) -> pd.DataFrame:
    """The parameters as the documentation shows them: long lists of values cut to their first ones, with the count
    (the index /api/v1/ and each 400 answer give them all)."""

    def values(p: dict) -> str:
        if p["valeurs"] is None:
            return KINDS.get(p["genre"], "")
        head = " · ".join(p["valeurs"][:shown])
        more = f"… ({p['nombre_de_valeurs']} valeurs)" if p["nombre_de_valeurs"] > shown else ""
        return ("Selon les autres paramètres ; par défaut : " if p["selon_les_autres"] else "") + head + more

    return pd.DataFrame(
        {
            "Paramètre": [p["cle"] for p in params],
            "Signification": [p["libelle"] for p in params],
            "Valeurs possibles": [values(p) for p in params],
            "Plusieurs valeurs": [
                "Oui : séparées par des virgules ou clé répétée" if p["plusieurs"] else "Non" for p in params
            ],
            "Par défaut": [p["defaut"] or "—" for p in params],
        }
    )


def catalogue() -> list[dict]:
    """Every view: page, name, title and relative example address."""
    return [
        {
            "page": name,
            "page_titre": page.title,
            "vue": view.name,
            "titre": view.title,
            "chemin": f"{PREFIX}/{name}/{view.name}",
            "exemple": f"{PREFIX}/{name}/{view.name}.excel.csv?{example_query(name, view.name)}".rstrip("?"),
        }
        for name, page in views.PAGES.items()
        for view in page.views.values()
    ]


def addresses_table(root: str) -> pd.DataFrame:
    """Every address of the API with what it gives and a working example, as the documentation lists them."""
    rows = [("Toutes", PREFIX + "/", "Index des vues, de leurs paramètres et d'exemples (JSON)", root + PREFIX + "/")]
    rows += [(v["page_titre"], v["chemin"] + ".<format>", v["titre"], root + v["exemple"]) for v in catalogue()]
    rows += [
        (
            "Données",
            PREFIX + "/tables/<table>.<format>",
            "Une table entière",
            f"{root}{PREFIX}/tables/{TABLE_EXAMPLE}.csv",
        ),
        (
            "Données",
            PREFIX + "/sql.<format>?q=<requête>",
            "Le résultat d'une requête de la console, avec ses limites",
            f"{root}{PREFIX}/sql.csv?q=" + urllib.parse.quote(SQL_EXAMPLE),
        ),
    ]
    return pd.DataFrame(rows, columns=["Page", "Chemin", "Contenu", "Exemple (filtres posés)"])


LIMITS = {
    "lignes": MAX_ROWS,
    "lignes_xlsx": MAX_XLSX_ROWS,
    "requetes_simultanees": CONCURRENT,
    "attente_secondes": WAIT_S,
    "requetes_en_attente": QUEUE,
    "sql": {"lignes": console.ROW_CAP, "octets": console.BYTE_CAP, "secondes": console.TIME_LIMIT_S},
}
