"""Text from a visitor (URL keys and values, searches, SQL and what DuckDB says about it) shown as text, never as
Markdown or HTML: the one helper every page uses before writing such text into st.markdown, st.warning, st.error…"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, which then shows it as itself: escaping
# them all leaves no link, image, emphasis, heading, list, table, HTML tag, autolink (https\://, www\.), e-mail
# link (a\@b), Streamlit directive (:red[…], :material/…:) or formula ($…$) in the text.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's GitHub-style autolinks are found in the text after its escapes: a word joiner (U+2060, invisible)
# after each ':', inside 'www.' and before each '@' leaves no https://…, www.… or a@b.fr for them to find.
_AUTOLINK = re.compile(r"(?<=:)|(?i:(?<=www))(?=\.)|(?=@)")
_JOINER = "\u2060"
_BREAKS = re.compile(r"\r\n|[\r\n\t\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain(text: object, max_length: int | None = None) -> str:
    """`text` escaped for Markdown (and so for HTML, whose `<`, `>` and `&` are escaped too); control characters
    shown as `�`, line breaks as spaces, optionally cut to `max_length` characters (with `…`)."""
    s = str(text)
    if max_length is not None and len(s) > max_length:
        s = s[:max_length] + "…"
    s = _CONTROL.sub("\ufffd", _BREAKS.sub(" ", s))
    s = _AUTOLINK.sub(_JOINER, s)
    return _PUNCTUATION.sub(r"\\\1", s)
