"""Text shown to a reader exactly as it is: control and text-direction characters escaped.

A newline in a file name would start a forged line of its own on the terminal, and U+202E
(right-to-left override) shows the text after it reversed, so "fdp.exe" can read "exe.pdf".
Every printed line, every table cell of the report and every label or id an importer writes
into a gold file goes through :func:`printable`.

>>> printable("empty\\nerror: fake.txt\\u202e")
'empty\\\\nerror: fake.txt\\\\u202e'
"""

from __future__ import annotations

import re

# controls (C0, DEL, C1), the bidi marks, embeddings, overrides and isolates, lone surrogates
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every control and text-direction character as a visible escape."""
    return UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# in HTML a newline or tab is only a space: markup keeps them, the rest is escaped
_UNPRINTABLE_IN_HTML = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable_html(html: str) -> str:
    """HTML text (already escaped for markup) with controls and text-direction characters as
    visible escapes; newlines and tabs, which HTML shows as spaces, kept."""
    return _UNPRINTABLE_IN_HTML.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), html
    )
