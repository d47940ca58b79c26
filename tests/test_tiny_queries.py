"""The pages' queries on the tiny database (tests/tiny.py): every expected figure is counted by hand from its rows."""

from __future__ import annotations

import pytest

from observatoire.queries import accueil, aides_covid, laureats, territoires
from tests.tiny import D1, D2


def test_national_fds_is_the_sum_of_department_rows_when_no_regional_rows_exist(tiny):
    k = aides_covid.kpis(tiny, "fds", "france", None, [], D2)["france"]
    # 2A C 1 500 + 2A I 4 000 + 2B I 800 + 971 I 1 000; aids 12 + 30 + 7 + 9; firms 5 + 9 + 3 (971 publishes none)
    assert (k["amount"], k["count"], k["firms"], k["rows"], k["rows_level"]) == (7_300, 58, 17, 4, "departement")
    # metropolitan and overseas departments: 160 000 + 190 000 + 380 000
    assert k["population"] == 730_000


def test_sections_and_a_department_select_their_rows_only(tiny):
    k = aides_covid.kpis(tiny, "fds", "departement", "2A", ["C"], D2)
    assert (k["selection"]["amount"], k["selection"]["count"], k["selection"]["firms"]) == (1_500, 12, 5)
    assert k["selection"]["population"] == 160_000
    assert (k["france"]["amount"], k["france"]["count"]) == (1_500, 12)  # France, same section: only 2A has C


def test_national_pge_takes_regional_rows_where_published_and_department_rows_otherwise(tiny):
    # D2 has regional rows (Corse 210 000 + Guadeloupe 40 000), not the department row of 2A (150 000)
    assert aides_covid.kpis(tiny, "pge", "france", None, [], D2)["france"]["amount"] == 250_000
    # D1 has none: the department rows (2A 100 000)
    assert aides_covid.kpis(tiny, "pge", "france", None, [], D1)["france"]["amount"] == 100_000


def test_series_give_stocks_flows_and_days_between_snapshots(tiny):
    s = aides_covid.series(tiny, "fds", "france", None, [])
    assert [str(d)[:10] for d in s["snapshot_date"]] == [D1, D2]
    assert s["france_amount"].tolist() == [4_500, 7_300]  # D1: 1 000 + 3 000 + 500
    assert s["france_flow"].tolist()[1] == 2_800
    assert s["days"].tolist()[1] == 359  # 30/06/2021 to 24/06/2022


def test_by_section_orders_by_amount(tiny):
    b = aides_covid.by_section(tiny, "fds", "departement", "2A", [], D2)
    assert b[["code", "amount", "count", "firms"]].values.tolist() == [["I", 4_000, 30, 9], ["C", 1_500, 12, 5]]
    assert b["label"].tolist() == ["Hébergement et restauration", "Industrie manufacturière"]


def test_map_ranks_amounts_and_amounts_per_inhabitant_separately(tiny):
    m = aides_covid.map_values(tiny, "fds", "departement", [], D2).set_index("code")
    # amounts: 2A 5 500, 971 1 000, 2B 800; per inhabitant: 2A 0.0344, 2B 0.0042, 971 0.0026
    assert m["amount"].to_dict() == {"2A": 5_500, "2B": 800, "971": 1_000}
    assert m["rank_amount"].to_dict() == {"2A": 1, "971": 2, "2B": 3}
    assert m["rank_per_inhabitant"].to_dict() == {"2A": 1, "2B": 2, "971": 3}
    assert m.loc["971", "per_inhabitant"] == pytest.approx(1_000 / 380_000)


def test_filters_offer_what_the_data_holds(tiny):
    assert aides_covid.dates(tiny, "fds") == [D2, D1]  # latest first
    assert aides_covid.territories(tiny, "departement", "fds")["code"].tolist() == ["2A", "2B", "971"]
    assert aides_covid.territories(tiny, "region", "pge")["code"].tolist() == ["01", "94"]
    assert aides_covid.sections(tiny, "pge")["code"].tolist() == ["C"]


def test_home_headline_figures(tiny):
    h = accueil.headline(tiny)
    assert h["fds"]["value"] == 9_999 and h["fds"]["volet1"] == 7_300  # the dashboard's total; FDS volet 1 at D2
    assert (h["pge"]["value"], h["pge"]["count"]) == (250_000, 4)
    assert h["relance"]["value"] == 8_500  # the latest of 8 000 (June) and 8 500 (September)
    assert h["ti"]["value"] == 2  # the 2024 perimeter
    assert (h["friches"]["value"], h["friches"]["editions"]) == (2, 2)  # f1 and f2 are laureates, of two editions
    by_dep = accueil.friches_by_departement(tiny)
    assert by_dep["sites lauréats"].tolist() == [1, 1, 0]  # 2A, 2B, 971


def test_territories_of_a_version(tiny):
    t = territoires.territories(tiny, 2024)
    assert t["name"].tolist() == ["Pointe-à-Pitre 2024", "Porto-Vecchio 2024"]
    assert t["population"].tolist() == [53_000, 12_000] and t["n_communes"].tolist() == [1, 1]
    assert t["region_name"].tolist() == ["Guadeloupe", "Corse"]
    assert territoires.members(tiny, 2024, "ti-0003")["population"].tolist() == [12_000]  # its EPCI's communes


def test_an_id_is_never_compared_across_versions(tiny):
    # ti-0001 is Ajaccio in 2022 and Pointe-à-Pitre in 2024: Ajaccio's territory continues as the one holding
    # Porto-Vecchio (12 000 inhabitants shared), not as the 2024 ti-0001
    m = territoires.correspondence(tiny, 2022, "ti-0001", 2024)
    assert (m["id"], m["same"], m["shared_population"]) == ("ti-0003", False, 12_000)
    # Bastia's communes are in no 2024 territory: the most populated of its region, said as sharing nobody
    m = territoires.correspondence(tiny, 2022, "ti-0002", 2024)
    assert (m["id"], m["shared_population"]) == ("ti-0003", 0)
    assert territoires.correspondence(tiny, 2022, "ti-9999", 2024) is None


def test_laureate_explorer_counts(tiny):
    def counts(filters=None, candidates=False):
        s = laureats.explorer_summary(tiny, filters or {}, "", candidates)
        return s["rows"], s["laureates"], s["communes"], s["departements"], s["in_ti"]

    # f1 (Ajaccio) and f2 (Bastia) are laureates; neither commune is in a 2024 territory
    assert counts() == (2, 2, 2, 2, 0)
    # with candidates: f3 (Les Abymes, in the 2024 ti-0001) too; f4 is of the Fonds vert, not of France Relance
    assert counts(candidates=True) == (3, 2, 3, 3, 1)
    assert counts({"regions": ["Corse"]}, candidates=True) == (2, 2, 2, 2, 0)
