"""« Lien des données » in chromium: on a page whose filters are set (by its URL, or by its widgets), the address the
popover shows, fetched as any script would, gives the rows of the table the page shows beside it."""

from __future__ import annotations

import io
import re
import urllib.request

import pandas as pd

from tests.browser.conftest import assert_no_streamlit_error, open_page, screenshot

NUMBER = re.compile(r"^-?[\d\u202f\u00a0 ]+(,\d+)?( ?%)?$")


def copy_data_link(page, key: str, fmt_label: str) -> str:
    """Opens the « Lien des données » popover of the download bar `key`, picks a format, and reads the address."""
    button = page.locator(f".st-key-{key}-lien button").first
    button.scroll_into_view_if_needed()
    button.click()
    dialog = page.locator("[data-testid='stPopoverBody']").last
    dialog.get_by_text(fmt_label, exact=True).click()
    page.wait_for_timeout(1500)
    code = dialog.locator("[data-testid='stCode'] code").first
    code.wait_for(timeout=30_000)
    return code.inner_text().strip()


def shown_table(page, *headers: str) -> pd.DataFrame:
    """The page's HTML table that has all these column headers, as displayed texts."""
    table = page.locator(".obs-table table")
    for header in headers:
        table = table.filter(has=page.locator("th", has_text=re.compile(f"^{re.escape(header)}$")))
    table = table.first
    table.scroll_into_view_if_needed()
    heads = [t.strip() for t in table.locator("th").all_inner_texts()]
    rows = [[t.strip() for t in r.locator("td").all_inner_texts()] for r in table.locator("tbody tr").all()]
    return pd.DataFrame(rows, columns=heads)


def fetch_csv(url: str) -> pd.DataFrame:
    with urllib.request.urlopen(url, timeout=120) as r:
        assert r.status == 200
        return pd.read_csv(io.BytesIO(r.read()), dtype=str, keep_default_na=False)


def same_rows(shown: pd.DataFrame, fetched: pd.DataFrame) -> None:
    """Every displayed cell is the fetched value: texts equal, numbers equal to the decimals shown."""
    assert [c.lower() for c in shown.columns] == [c.lower() for c in fetched.columns]
    assert len(shown) == len(fetched) > 0
    for (i, row), (_, raw) in zip(shown.iterrows(), fetched.iterrows()):
        for col, text, value in zip(shown.columns, row, raw):
            if NUMBER.match(text) and value not in ("", "nan"):
                digits = re.sub(r"[\u202f\u00a0 %]", "", text).replace(",", ".")
                decimals = len(digits.partition(".")[2])
                assert round(float(value), decimals) == float(digits), (i, col, text, value)
            elif text in ("", "—", "–"):
                assert value in ("", "nan"), (i, col, text, value)
            else:
                assert text == value, (i, col, text, value)


def test_link_from_url_filters_gives_the_rows_shown(server, page):
    open_page(page, f"{server}/aides_covid?dispositif=pge&niveau=departement&territoire=2A", "link_covid")
    page.get_by_text("Répartitions").first.wait_for(timeout=60_000)
    url = copy_data_link(page, "secteurs", "CSV")
    assert url.startswith(f"{server}/api/v1/aides_covid/secteurs.csv?")
    for part in ("dispositif=pge", "niveau=departement", "territoire=2A"):
        assert part in url
    same_rows(shown_table(page, "Section"), fetch_csv(url))
    assert_no_streamlit_error(page)


def test_link_after_choosing_filters_in_the_page_gives_the_rows_shown(server, page, con):
    open_page(page, f"{server}/territoires?version=2024&territoire=ti-8401", "link_territoires")
    picker = page.get_by_label("Territoires comparés (même version)")
    picker.scroll_into_view_if_needed()
    names = dict(
        con.execute(
            "SELECT territory_id, name FROM ti_territories WHERE version = 2024 AND territory_id IN ('ti-2806', 'ti-0101')"
        ).fetchall()
    )
    for code in ("ti-2806", "ti-0101"):
        picker.click()
        page.keyboard.type(code)  # the list filters as one types; Enter picks the one left
        page.wait_for_timeout(500)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        page.wait_for_timeout(1500)
    page.wait_for_function("() => window.location.search.includes('comparer=')", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    url = copy_data_link(page, "cmp", "CSV")
    assert "comparer=ti-2806%2Cti-0101" in url or "comparer=ti-2806&comparer=ti-0101" in url, url
    assert "version=2024" in url, url  # the perimeter is pinned: the URL leaves its default out, the link does not
    shown = shown_table(page, "Indicateur", names["ti-2806"], names["ti-0101"])  # the comparison, not the profile
    same_rows(shown, fetch_csv(url))
    screenshot(page, "data_link_territoires")
    assert_no_streamlit_error(page)
