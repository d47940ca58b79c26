"""Text from a URL is always text: fuzzing every URL parameter of every page with Markdown and HTML metacharacters
and link, image and HTML payloads, no element the page writes becomes a link, an image or HTML (each element's text
parsed as CommonMark with GitHub's autolinks, as Streamlit's Markdown renders it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from observatoire.markup import plain
from observatoire.queries.pages import PAGES

KEYS = {
    "pages/accueil.py": [],
    "pages/territoires.py": ["version", "territoire", "indicateur", "trimestre", "comparer", "onglet"],
    "pages/laureats.py": ["indicateur", "date", "carte", "departement", "mesures", "secteurs", "q", "vue", "candidats"],
    "pages/aides_covid.py": [
        "dispositif",
        "niveau",
        "territoire",
        "sections",
        "date",
        "carte",
        "mesure",
        "repartition",
    ],
    "pages/donnees.py": ["table", "exemple"],
}
PAYLOADS = [
    "[Cliquez ici](https://evil-site.fr/x)",
    "![image](https://evil-site.fr/i.png)",
    "<img src=https://evil-site.fr/i.png>",
    '<a href="https://evil-site.fr">x</a>',
    "https://evil-site.fr/x",
    "www.evil-site.fr",
    "x@evil-site.fr",
    "[x]: https://evil-site.fr [x]",
    "<https://evil-site.fr>",
    ":red[rouge] :material/warning: $x^2$",
    "**gras** _x_ `code` # titre",
]
METACHARACTERS = "[]()!<>`*_~#|\\:$@&;\"'/=.-+ \n\t%"
TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=METACHARACTERS + "abcevilxmp", max_size=40),
    st.tuples(st.sampled_from(PAYLOADS), st.text(alphabet=METACHARACTERS, max_size=8)).map("".join),
)
MD = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(["linkify", "table", "strikethrough"])


# Streamlit's Markdown (remark-gfm) finds these in the text left after escapes are applied: checked on that text
AUTOLINK_LITERAL = re.compile(r"(?i)(?:https?|ftp)://|www\.|[\w.+-]@[\w-]+\.")


def dangerous(markdown: str) -> list[str]:
    """Links, images and raw HTML that a Markdown text would render as such, pointing at the payloads' host."""
    found = []
    for block in MD.parse(markdown):
        for tok in [block, *(block.children or [])]:
            if tok.type == "text" and AUTOLINK_LITERAL.search(tok.content) and "evil" in tok.content:
                found.append(f"autolien {tok.content}")
            href = tok.attrGet("href") or tok.attrGet("src") or ""
            if tok.type in ("link_open", "image") and "evil" in str(href):
                found.append(f"{tok.type} {href}")
            if tok.type in ("html_inline", "html_block") and "evil" in tok.content:
                found.append(f"{tok.type} {tok.content}")
    return found


def written_text(at) -> list[str]:
    """Every Markdown text of the run: notes, warnings, errors, captions, Markdown (not HTML blocks of our own)."""
    out = [e.value for kind in ("warning", "error", "info", "success", "caption") for e in at.get(kind)]
    out += [m.value for m in at.markdown if not m.proto.allow_html]
    return out


def test_the_helper_leaves_no_link_image_or_html():
    for payload in PAYLOADS:
        assert dangerous(payload) or "evil" not in payload, payload  # the payloads are live as Markdown
        assert dangerous(plain(payload)) == [], payload
        assert dangerous(f"Paramètre « {plain(payload)} » ignoré.") == []


@pytest.mark.parametrize("page", [p[0] for p in PAGES])
def test_url_text_stays_text(app, page):
    keys = KEYS[page] + ["inconnu"]

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.dictionaries(st.one_of(st.sampled_from(keys), TEXT), TEXT, min_size=1, max_size=3))
    def check(params):
        at = app(page, params)
        at.run()
        assert not at.exception, (params, at.exception)
        for text in written_text(at):
            assert dangerous(text) == [], (params, text)

    check()
