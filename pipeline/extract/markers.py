"""List markers at the start of a line: "1.", "a)", "(iv)", "IV.", bullet glyphs.

Shared by the readers (where a block starts) and by :mod:`pipeline.segment` (what kind of
segment a block is), so both read a marker the same way.
"""

from __future__ import annotations

import re

# Bullet glyphs as they come out of PDFs and Word: "•", dashes, squares, Word's "o" and the
# Symbol-font private-use bullet "\uf0b7".
BULLET_GLYPHS = "•·◦‣∙▪▫■□●○◆◇►▶➢➤✓✔–—-o\uf0b7\uf0a7\uf0d8\uf076"
_BULLET_RE = re.compile(rf"^([{re.escape(BULLET_GLYPHS)}])(?:\s+|$)")
_MARKER_RE = re.compile(
    r"^(?:\((?P<pn>\d{1,3})\)|(?P<n>\d{1,3})[.)]"  # (1)  1.  1)
    r"|\((?P<pr>[ivxlc]{1,6}|[IVXLC]{1,6})\)|(?P<r>[ivxlc]{1,6}|[IVXLC]{1,6})[.)]"  # (iv) iv) IV.
    r"|\((?P<pl>[a-zA-Z])\)|(?P<l>[a-zA-Z])[.)])"  # (a)  a)  a.
    r"(?=\s|$)"
)
DASHES = "–—-"


_ROMAN_NUMERAL = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)


def is_roman(text: str) -> bool:
    """A well-formed roman numeral up to 399 ("iv", "XII"), not any run of the letters."""
    return bool(_ROMAN_NUMERAL.match(text))


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_value(numeral: str) -> int:
    """ "IV" -> 4, "xii" -> 12: a digit before a bigger one is subtracted."""
    numeral = numeral.lower()
    total = 0
    for a, b in zip(numeral, numeral[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if _ROMAN_VALUES.get(b, 0) > v else v
    return total


def split_marker(text: str) -> tuple[str | None, str | None, str]:
    """(marker, kind, rest) for a line that opens with a list marker, else (None, None, text).

    Kinds: "number" ("1.", "1)", "(1)"), "roman" ("IV.", "(iv)"), "letter" ("a)", "(b)"),
    "bullet" (a glyph).  A single "i"/"I" is roman, other single letters are letters
    ("c)" is the third item, not 100).

    >>> split_marker("1. De EU ...")
    ('1.', 'number', 'De EU ...')
    >>> split_marker("• De steun ...")
    ('•', 'bullet', 'De steun ...')
    """
    m = _MARKER_RE.match(text)
    if m:
        marker = m.group(0)
        rest = text[m.end() :].lstrip()
        if m.group("pn") or m.group("n"):
            return marker, "number", rest
        roman = m.group("pr") or m.group("r")
        if roman and is_roman(roman) and (len(roman) > 1 or roman in "iI"):
            if roman.isupper() and marker.endswith(")") and not marker.startswith("("):
                return None, None, text
            return marker, "roman", rest
        letter = m.group("pl") or m.group("l") or (roman if roman and len(roman) == 1 else None)
        if letter:
            # a capital with a dot is an initial ("A. Merkel"), not a list marker
            if marker.endswith(".") and letter.isupper():
                return None, None, text
            return marker, "letter", rest
        return None, None, text
    m = _BULLET_RE.match(text)
    if m:
        rest = text[m.end() :]
        # Word's "o" bullet only before a capitalised word, never the Dutch "o" in running text
        if m.group(1) == "o" and not rest[:1].isupper():
            return None, None, text
        if not rest.strip():
            return None, None, text
        return m.group(1), "bullet", rest
    return None, None, text


def marker_value(marker: str, kind: str) -> int | None:
    """The ordinal a marker stands for: "3." -> 3, "c)" -> 3, "IV." -> 4; None for bullets."""
    core = marker.strip("().")
    if kind == "number":
        return int(core)
    if kind == "letter":
        return ord(core.lower()) - ord("a") + 1
    if kind == "roman":
        return roman_value(core)
    return None


def marker_style(marker: str, kind: str) -> str:
    """ "1." and "12." share a style, "1)" and "(1)" do not."""
    return kind + ":" + re.sub(r"[0-9A-Za-z]+", "#", marker)


# --------------------------------------------------------------------------------------------
# A block's marker as the segmenter reads it
# --------------------------------------------------------------------------------------------

NUMBER_MARKER = re.compile(r"^\(?(\d{1,3})[.)]?$")  # "3.", "3)", "(3)": a numbered point
ROMAN_MARKER = re.compile(r"^\(?([IVXLC]+)[.)]$")  # "IV.": a numbered heading
ITEM_LETTER = re.compile(r"^\(?([a-z]{1,4})[.)]$")  # "a)", "(b)", "iv)": an item of a list


HEADING_LETTER = re.compile(r"^([A-Z])\.$")  # "B." counting up through a document


def structural_kind(marker: str | None) -> str | None:
    """'number', 'roman' (a heading's numeral or capital letter), or 'item' (glyphs, letters,
    lower-case numerals) for a block's marker; None for a block without one."""
    if not marker:
        return None
    if NUMBER_MARKER.match(marker):
        return "number"
    if ROMAN_MARKER.match(marker) or HEADING_LETTER.match(marker):
        return "roman"
    return "item"


def heading_number(marker: str) -> str:
    """ "IV." -> "IV", "(B)" -> "B"."""
    return marker.strip("().")
