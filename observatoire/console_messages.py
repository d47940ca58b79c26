"""The console's messages in French: DuckDB's errors translated, with where in the query they point."""

from __future__ import annotations

import re

import duckdb

CATEGORIES = {
    "Parser": "erreur de syntaxe",
    "Binder": "nom ou type introuvable",
    "Catalog": "table ou fonction inconnue",
    "Conversion": "conversion impossible",
    "Out of Range": "valeur hors limites",
    "Invalid Input": "entrée invalide",
    "Not implemented": "non pris en charge",
    "Permission": "accès refusé",
    "Out of Memory": "mémoire insuffisante",
    "Interrupt": "requête interrompue",
    "Constraint": "contrainte",
    "Invalid Type": "type invalide",
    "Mismatch Type": "types incompatibles",
    "Dependency": "dépendance",
    "Serialization": "sérialisation",
    "Syntax": "erreur de syntaxe",
}


# DuckDB's most frequent messages, in French: (pattern on its first line, template)
MESSAGES = [
    (r'syntax error at or near "(.*)"', "Erreur de syntaxe près de « {0} »."),
    (r"syntax error at end of input", "Requête incomplète : elle s'arrête avant la fin attendue."),
    (r"unterminated quoted string", "Chaîne de caractères non fermée (apostrophe manquante)."),
    (r"unterminated quoted identifier", "Nom entre guillemets non fermé."),
    (r"Max expression depth limit of (\d+) exceeded", "Requête trop imbriquée (plus de {0} niveaux) : simplifiez-la."),
    (r'Referenced column "(.*?)" not found in FROM clause!', "Colonne inconnue : « {0} »."),
    (r'Referenced table "(.*?)" not found!', "Table inconnue dans la requête : « {0} »."),
    (r"Table with name (.*?) does not exist!", "Table inconnue : « {0} »."),
    (r"Table Function with name (.*?) does not exist!", "Fonction de table inconnue : « {0} »."),
    (r"Scalar Function with name (.*?) does not exist!", "Fonction inconnue : « {0} »."),
    (r"Aggregate Function with name (.*?) does not exist!", "Fonction d'agrégation inconnue : « {0} »."),
    (
        r"No function matches the given name and argument types '(.*?)'",
        "Aucune fonction ne correspond à ces arguments : {0}.",
    ),
    (
        r'column "(.*?)" must appear in the GROUP BY clause',
        "La colonne « {0} » doit figurer dans GROUP BY ou dans une fonction d'agrégation (sum, count…).",
    ),
    (r'Ambiguous reference to column name "(.*?)"', "Nom de colonne ambigu : « {0} » (précisez la table)."),
    (r"Could not convert string '(.*?)' to (\w+)", "Conversion impossible de « {0} » en {1}."),
    (r"Overflow in (\w+)", "Dépassement de capacité ({0}) : utilisez un type plus grand (BIGINT, DOUBLE)."),
    (
        r"Values list .* must all have the same length",
        "Les lignes de VALUES n'ont pas toutes le même nombre de valeurs.",
    ),
    (r"Division by zero", "Division par zéro."),
    (
        r"(?i)could not allocate|failed to allocate|bad allocation|allocation failure|out of memory",
        "La requête demande trop de mémoire : ajoutez des filtres ou une agrégation.",
    ),
    (r"Only SELECT statements", "Seules les requêtes de lecture (SELECT, WITH … SELECT, PIVOT) sont acceptées."),
]


CANDIDATES = re.compile(r"(?:Candidate bindings|Did you mean)[: ]*(.*)")


def french_error(exc: BaseException, sql: str = "") -> str:
    """A DuckDB error in French: the problem, DuckDB's suggestion when it has one, and where in the query."""
    text = str(exc)
    first = text.split("\n")[0]
    m = re.match(r"([A-Za-z ]+?) Error: (.*)", first)
    category, detail = (m.group(1), m.group(2)) if m else ("", first)
    if isinstance(exc, duckdb.InterruptException):
        from observatoire.console import TIME_LIMIT_S  # console imports this module

        return f"La requête a dépassé {TIME_LIMIT_S:g} s et a été interrompue."
    if isinstance(exc, duckdb.PermissionException) or category == "Permission":
        return (
            "Accès refusé : la console ne lit que la base de l'Observatoire (pas de fichiers, d'URL ni d'extensions)."
        )
    message = None
    for pattern, template in MESSAGES:
        found = re.search(pattern, detail)
        if found:
            message = template.format(*(g[:120] for g in found.groups()))
            break
    if message is None:
        kind = CATEGORIES.get(category, "erreur")
        message = f"La requête n'a pas abouti ({kind}). Message de DuckDB, en anglais : {detail[:240]}"
    hint = CANDIDATES.search(text)
    if hint and hint.group(1).strip():
        message += f" Suggestion de DuckDB : {hint.group(1).strip()[:120]}."
    where = _location(text, sql)
    return message + (f" ({where})" if where else "")


def _location(text: str, sql: str) -> str:
    """« ligne 2, colonne 5 » from DuckDB's 'LINE 2: …' and caret lines."""
    m = re.search(r"LINE (\d+): (.*)\n( *)\^", text)
    if not m:
        return ""
    line_no, context, pad = int(m.group(1)), m.group(2), len(m.group(3))
    col = pad - len(f"LINE {line_no}: ") + 1
    lines = sql.split("\n")
    if context.startswith("...") and 0 < line_no <= len(lines):
        start = lines[line_no - 1].find(context[3:][:30])
        if start >= 0:
            col = start + col - 3
    return f"ligne {line_no}, colonne {max(col, 1)}"


def _french_tree_error(tree: dict, sql: str) -> str:
    detail = str(tree.get("error_message", ""))
    message = french_error(duckdb.Error(f"{str(tree.get('error_type', '')).title()} Error: {detail}"), sql)
    position = tree.get("position")
    if position not in (None, "") and str(position).isdigit():
        offset = int(position)
        before = sql[:offset]
        message += f" (ligne {before.count(chr(10)) + 1}, colonne {offset - (before.rfind(chr(10)) + 1) + 1})"
    return message
