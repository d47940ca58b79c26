"""The territories of a version and their composition; which territory of another version continues one (ids are
never compared across versions)."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from observatoire import fmt
from observatoire.db import fetch_df, fetch_one


def territories(con, version: int) -> pd.DataFrame:
    """One row per territory: name, region, departments, member and commune counts, current population."""
    return fetch_df(
        con,
        """
        SELECT t.territory_id, t.name, t.region_code, r.name AS region_name, t.n_members,
               count(c.commune_code) AS n_communes, sum(g.population) AS population,
               string_agg(DISTINCT g.departement_code, ', ' ORDER BY g.departement_code) AS departements
        FROM ti_territories t LEFT JOIN ti_communes c USING (version, territory_id)
        LEFT JOIN geo_communes g ON g.commune_code = c.commune_code
        LEFT JOIN geo_regions r ON r.region_code = t.region_code
        WHERE t.version = ? GROUP BY ALL ORDER BY t.name, t.territory_id""",
        [version],
    )


def territory_ids(con, version: int) -> list[str]:
    return fetch_df(
        con, "SELECT territory_id FROM ti_territories WHERE version = ? ORDER BY name, territory_id", [version]
    )["territory_id"].tolist()


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().casefold()
        return re.sub(r"[^a-z0-9]+", " ", s).strip()

    return norm(a) == norm(b)


def correspondence(con, from_version: int, territory_id: str, to_version: int) -> dict | None:
    """The territory of `to_version` that continues `territory_id` of `from_version` (ids of different versions are
    never compared): the same territory when it has the same name and more than half of the same communes; else
    the one that shares the most population with it; when none shares a commune, the most populated of the same
    region (shared_population 0). Keys: id, name, same, shared_population, from_name."""
    rows = fetch_df(
        con,
        """
        WITH a AS (SELECT commune_code FROM ti_communes WHERE version = $from AND territory_id = $id),
        b AS (SELECT territory_id, commune_code FROM ti_communes WHERE version = $to)
        SELECT b.territory_id, t.name, count(*) AS shared_communes, sum(g.population) AS shared_population,
               (SELECT count(*) FROM a) AS n_from,
               (SELECT count(*) FROM ti_communes x WHERE x.version = $to AND x.territory_id = b.territory_id) AS n_to
        FROM a JOIN b USING (commune_code) JOIN geo_communes g USING (commune_code)
        JOIN ti_territories t ON t.version = $to AND t.territory_id = b.territory_id
        GROUP BY ALL ORDER BY shared_population DESC NULLS LAST, b.territory_id""",
        {"from": from_version, "id": territory_id, "to": to_version},
    )
    from_name = fetch_one(
        con, "SELECT name FROM ti_territories WHERE version = ? AND territory_id = ?", [from_version, territory_id]
    )
    if from_name is None:
        return None
    if rows.empty:  # nothing shared: the most populated territory of the same region, said as such
        nearby = fetch_one(
            con,
            """
            SELECT t.territory_id, t.name FROM ti_territories t JOIN ti_communes c USING (version, territory_id)
            JOIN geo_communes g USING (commune_code)
            WHERE t.version = $to AND t.region_code = (
                SELECT region_code FROM ti_territories WHERE version = $from AND territory_id = $id)
            GROUP BY ALL ORDER BY sum(g.population) DESC, t.territory_id LIMIT 1""",
            {"from": from_version, "id": territory_id, "to": to_version},
        )
        if nearby is None:
            return None
        return {"id": nearby[0], "name": nearby[1], "same": False, "shared_population": 0, "from_name": from_name[0]}
    same = rows[
        [
            _same_name(n, from_name[0]) and shared > 0.5 * max(a, b)
            for n, shared, a, b in zip(rows["name"], rows["shared_communes"], rows["n_from"], rows["n_to"])
        ]
    ]
    best = same.iloc[0] if len(same) else rows.iloc[0]
    return {
        "id": best["territory_id"],
        "name": best["name"],
        "same": bool(len(same)),
        "shared_population": int(best["shared_population"] or 0),
        "from_name": from_name[0],
    }


def territory_name(con, version: int, territory_id: str) -> str | None:
    row = fetch_one(
        con, "SELECT name FROM ti_territories WHERE version = ? AND territory_id = ?", [version, territory_id]
    )
    return row[0] if row else None


def carry_over_note(match: dict | None, old: int, old_id: str, new: int, old_name: str | None) -> str:
    """What happened to the chosen territory when the perimeter version changed, in French (names from the data)."""
    before = f"« {old_name or old_id} » ({old_id}, version {old})"
    if match is None:
        return (
            f"{before} n'a pas d'équivalent dans la version {new} : aucune de ses communes n'y est dans un territoire "
            "d'industrie, ni aucun territoire de sa région."
        )
    after = f"« {match['name']} » ({match['id']}, version {new})"
    if not match["same"] and not match["shared_population"]:
        return (
            f"{before} n'a pas d'équivalent dans la version {new} : aucune de ses communes n'y est dans un territoire "
            f"d'industrie. {after} est affiché : le territoire le plus peuplé de la même région."
        )
    if match["same"]:
        if match["id"] == old_id:
            return f"{before} est le même territoire dans la version {new}."
        return f"{before} est le même territoire dans la version {new}, sous l'identifiant {match['id']}."
    return (
        f"{before} n'existe pas tel quel dans la version {new} : {after} est sélectionné, le territoire qui partage "
        f"avec lui le plus de population ({fmt.integer(match['shared_population'])} habitants)."
    )


def members(con, version: int, territory_id: str) -> pd.DataFrame:
    """Members as published (EPCI, EPT or commune SIREN; communes for 2020) with their current population."""
    return fetch_df(
        con,
        """
        WITH m AS (SELECT * FROM ti_members WHERE version = $version AND territory_id = $id)
        SELECT m.member_type, m.member_code, coalesce(m.member_name, e.name, c.name, p.name) AS member_name,
               CASE m.member_type
                 WHEN 'EPCI' THEN (SELECT sum(population) FROM geo_communes g WHERE g.epci_siren = m.member_code)
                 WHEN 'EPT' THEN (SELECT sum(g.population) FROM geo_ept_communes x JOIN geo_communes g USING (commune_code) WHERE x.ept_siren = m.member_code)
                 ELSE coalesce(c.population, p.population) END AS population
        FROM m LEFT JOIN geo_epci e ON e.epci_siren = m.member_code
        LEFT JOIN geo_communes c ON m.member_type = 'commune' AND c.commune_siren = m.member_code
        LEFT JOIN geo_communes p ON m.member_type = 'commune' AND $version = 2020 AND p.commune_code = m.member_code
        ORDER BY population DESC NULLS LAST, m.member_code""",
        {"version": version, "id": territory_id},
    )


def communes(con, version: int, territory_id: str) -> pd.DataFrame:
    return fetch_df(
        con,
        """
        SELECT c.commune_code, g.name, g.departement_code, g.epci_siren, e.name AS epci_name, g.population, c.via,
               g.centroid_lon, g.centroid_lat
        FROM ti_communes c JOIN geo_communes g USING (commune_code) LEFT JOIN geo_epci e ON e.epci_siren = g.epci_siren
        WHERE c.version = ? AND c.territory_id = ? ORDER BY g.population DESC NULLS LAST, c.commune_code""",
        [version, territory_id],
    )


def context_units(con, version: int, territory_id: str) -> pd.DataFrame:
    """The departments and regions the territory's communes lie in (with the share of its population), and France."""
    return fetch_df(
        con,
        """
        WITH c AS (SELECT g.* FROM ti_communes t JOIN geo_communes g USING (commune_code) WHERE t.version = ? AND t.territory_id = ?),
        total AS (SELECT sum(population) AS p FROM c)
        SELECT 'departement' AS kind, c.departement_code AS code, d.name, 100 * sum(c.population) / any_value(total.p) AS population_share
        FROM c JOIN geo_departements d USING (departement_code), total GROUP BY ALL
        UNION ALL
        SELECT 'region', c.region_code, r.name, 100 * sum(c.population) / any_value(total.p)
        FROM c JOIN geo_regions r USING (region_code), total GROUP BY ALL
        UNION ALL SELECT 'france', 'FR', 'France', 100
        ORDER BY 1, 4 DESC""",
        [version, territory_id],
    )
