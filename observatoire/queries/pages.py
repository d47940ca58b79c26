"""The pages of the app, for the navigation and the cards: (file, title, url path, icon, question). Only built pages are listed."""
PAGES = [
    ("pages/accueil.py", "Accueil", "accueil", ":material/home:", "Que contient l'Observatoire, et de quand datent les données ?"),
    ("pages/donnees.py", "Données", "donnees", ":material/database:",
     "D'où vient chaque chiffre ? Sources, licences, schéma, console SQL et téléchargements complets."),
]
