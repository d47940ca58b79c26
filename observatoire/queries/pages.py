"""The pages of the app, for the navigation and the cards: (file, title, url path, icon, question). Only built pages are listed."""

PAGES = [
    (
        "pages/accueil.py",
        "Accueil",
        "accueil",
        ":material/home:",
        "Que contient l'Observatoire, et de quand datent les données ?",
    ),
    (
        "pages/territoires.py",
        "Territoires d'industrie",
        "territoires",
        ":material/factory:",
        "Comment va ce territoire d'industrie ? Emploi, fabrication, établissements, chômage, soutien public ; rang et comparaison.",
    ),
    (
        "pages/laureats.py",
        "Lauréats France Relance",
        "laureats",
        ":material/workspace_premium:",
        "Quels projets France Relance a-t-il soutenus, où, dans quels secteurs ? Indicateurs départementaux et carte des lauréats.",
    ),
    (
        "pages/aides_covid.py",
        "Aides Covid",
        "aides_covid",
        ":material/payments:",
        "Combien d'aide Covid est allée où, à quels secteurs, et quand ? FDS, PGE, reports, CPSTI, activité partielle.",
    ),
    (
        "pages/donnees.py",
        "Données",
        "donnees",
        ":material/database:",
        "D'où vient chaque chiffre ? Sources, licences, schéma, console SQL et téléchargements complets.",
    ),
]
