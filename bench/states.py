"""Random valid filter states per page, as URL query parameters (what a user would paste or click to)."""

from __future__ import annotations

import random

from observatoire.queries import aides_covid as covid
from observatoire.queries import donnees
from observatoire.queries import laureats as lq
from observatoire.queries import territoires as ti


def aides_covid(con, n: int, rnd: random.Random) -> list[dict]:
    out = []
    for _ in range(n):
        scheme = rnd.choice(list(covid.SCHEMES))
        state = {"dispositif": scheme}
        if scheme == covid.AP:
            levels = covid.levels_for(scheme)
            state["niveau"] = rnd.choice(levels)
        else:
            level = rnd.choice(covid.levels_for(scheme))
            state["niveau"] = level
            terr = covid.territories(con, level, scheme)["code"].tolist()
            if level != "france" and terr:
                state["territoire"] = rnd.choice(terr)
            secs = covid.sections(con, scheme)["code"].tolist()
            chosen = rnd.sample(secs, rnd.choice([0, 0, 1, 2]))
            if chosen:
                state["sections"] = ",".join(chosen)
            state["date"] = rnd.choice(covid.dates(con, scheme))
        out.append(state)
    return out


def laureats(con, n: int, rnd: random.Random) -> list[dict]:
    values = lq.facet_values(con)
    inds = lq.indicators(con)["indicator_id"].tolist()
    deps = lq.departement_codes(con)
    out = []
    for _ in range(n):
        state = {"indicateur": rnd.choice(inds), "departement": rnd.choice(deps)}
        for key in rnd.sample(list(lq.FACETS), rnd.choice([0, 1, 1, 2])):
            state[key] = rnd.choice(values[key])
        if rnd.random() < 0.5:
            state["candidats"] = "oui"
        if rnd.random() < 0.2:
            state["q"] = rnd.choice(["lyon", "usine", "brest", "21"])
        state["vue"] = rnd.choice(lq.VIEWS)  # the page's two tabs, each drawn only when open
        out.append(state)
    return out


def territoires(con, n: int, rnd: random.Random) -> list[dict]:
    ids = {v: ti.territory_ids(con, v) for v in ti.VERSIONS}
    quarters = ti.quarters(con)
    out = []
    for _ in range(n):
        version = rnd.choice(list(ti.VERSIONS))
        state = {
            "version": str(version),
            "territoire": rnd.choice(ids[version]),
            "indicateur": rnd.choice(list(ti.INDICATORS)),
        }
        if rnd.random() < 0.3:
            state["trimestre"] = rnd.choice(quarters)
        if rnd.random() < 0.3:
            state["comparer"] = ",".join(rnd.sample(ids[version], rnd.choice([2, 3, 5])))
        out.append(state)
    return out


def donnees_states(con, n: int, rnd: random.Random) -> list[dict]:
    names = donnees.table_names(con)
    return [{"table": rnd.choice(names)} for _ in range(n)]


def accueil(con, n: int, rnd: random.Random) -> list[dict]:
    return [{} for _ in range(n)]  # no filters: a rerun of the page


PAGES = {
    "accueil": accueil,
    "territoires": territoires,
    "laureats": laureats,
    "aides_covid": aides_covid,
    "donnees": donnees_states,
}
