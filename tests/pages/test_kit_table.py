"""kit.table: up to 250 rows, a plain HTML table (numbers in French, right-aligned; text escaped), in a scrolling box
beyond 40 rows; longer, st.dataframe."""

from streamlit.testing.v1 import AppTest


def small_and_long():
    import pandas as pd

    from observatoire.ui.kit import table

    table(
        pd.DataFrame(
            {
                "Libellé": ["<b>Hébergement</b>", "Commerce"],
                "Montant (€)": [12622943889.0, 4950997200.5],
                "annee": [2021, 2022],
                "Part": [12.34, None],
                "Par habitant": [0.0123, 2.345],
            }
        )
    )
    table(pd.DataFrame({"code": [f"{i:02d}" for i in range(40)], "n": list(range(40))}))
    table(pd.DataFrame({"code": [f"{i:03d}" for i in range(250)], "n": list(range(250))}))
    table(pd.DataFrame({"code": [f"{i:03d}" for i in range(251)], "n": list(range(251))}))


def test_small_tables_are_html_and_long_ones_stay_sortable_grids():
    at = AppTest.from_function(small_and_long)
    at.run()
    assert not at.exception
    htmls = at.get("html")
    assert len(htmls) == 3 and len(at.dataframe) == 1
    body = htmls[0].proto.body
    assert "max-height" not in body and "max-height" not in htmls[1].proto.body  # up to 40 rows: shown whole
    assert (
        "max-height:440px" in htmls[2].proto.body and htmls[2].proto.body.count("<tr>") == 251
    )  # 250 rows and the header
    assert "<td>&lt;b&gt;Hébergement&lt;/b&gt;</td>" in body  # escaped, never interpreted
    # a whole number among fractions reads like them
    assert (
        "<td class='n'>12\u00a0622\u00a0943\u00a0889,0</td>" in body
        and "<td class='n'>4\u00a0950\u00a0997\u00a0200,5</td>" in body
    )
    assert "<td>2021</td>" in body and "2\u00a0021" not in body  # years plain
    assert "<td class='n'>12,3</td>" in body and "<td>—</td>" in body  # missing shown as a dash
    assert "<td class='n'>0,0123</td>" in body and "<td class='n'>2,35</td>" in body  # small rates keep their digits
    assert len(at.dataframe[0].value) == 251


def test_whole_numbers_read_like_the_fractions_of_their_column():
    import pandas as pd

    from observatoire.profile_html import table_html

    body = table_html(
        pd.DataFrame(
            {
                "indice": [100.0, 103.2567, 0.0],
                "emplois": [1200, 1300, 0],
                "taux": [0.0123, 12.0, 5.0],
                "jours": [3.0, 4.0, None],
            }
        )
    )
    cells = [row.split("</td>")[:-1] for row in body.split("<tr>")[2:]]
    texts = [[c.split(">")[-1] for c in row] for row in cells]
    assert texts == [
        ["100,0", "1\u00a0200", "0,0123", "3"],  # index 2014 = 100 beside 103,3
        ["103,3", "1\u00a0300", "12,0", "4"],  # a whole rate gets the decimals of one of its size
        ["0", "0", "5,00", "—"],
    ]  # zero stays 0; a column of whole numbers has none


def grid_of_mixed_columns():
    import pandas as pd

    from observatoire.ui.kit import grid

    grid(
        pd.DataFrame(
            {"indice": [100.0, 103.25], "n": [1, 2], "montant": [1.5, 2.0], "entier": [3.0, None], "nom": ["a", "b"]}
        ),
        key="g",
    )


def test_grid_numbers_have_the_same_decimals_down_a_column():
    import json

    at = AppTest.from_function(grid_of_mixed_columns)
    at.run()
    assert not at.exception
    (component,) = [
        e for e in at.main.children.values() if getattr(e.proto, "component_name", "").startswith("st_aggrid")
    ]
    defs = {
        d["field"]: d.get("valueFormatter") for d in json.loads(component.proto.json_args)["gridOptions"]["columnDefs"]
    }
    digits = {f: None if v is None else v.split("minimumFractionDigits: ")[1].split(",")[0] for f, v in defs.items()}
    assert digits == {"indice": "2", "n": "0", "montant": "1", "entier": "0", "nom": None}
    assert all("maximumFractionDigits: " + digits[f] in defs[f] for f in digits if digits[f])
