"""Normalised names and stable keys for actors that no gazetteer entry knows.

A name found by the statistical model ("Raad voor Regionale Samenwerking") gets a key made from
the name itself, so that every mention of it, in any document, gets the same key; the linker
first looks the normalised name up among the gazetteer's names ("de Europese Unie" -> ``eu``).
"""

from __future__ import annotations

import re
import unicodedata

# Dutch articles that ANNOTATION.md keeps out of entity spans but that a model may include
DETERMINERS = frozenset({"de", "het", "een", "'t", "des", "der"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "‐": "-"})
_SPACE_AROUND_JOINERS = re.compile(r"\s*([-/])\s*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold_diacritics(text: str) -> str:
    """ "Kroatië" -> "Kroatie", "Niš" -> "Nis": one spelling for names typed with or without them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(text: str) -> str:
    """Lower-case, diacritics folded, no leading article, no footnote mark, single spaces.

    "de Europese Unie" -> "europese unie", "Kosovo*" -> "kosovo", "VN - Veiligheidsraad" ->
    "vn-veiligheidsraad". Numbers stay ("Horizon 2020"): only a trailing "*" or punctuation goes.
    """
    name = fold_diacritics(text).translate(_APOSTROPHES).translate(_DASHES).lower()
    name = name.strip().rstrip("*.,;:!? ").strip()
    name = _SPACE_AROUND_JOINERS.sub(r"\1", name)
    words = name.split()
    while len(words) > 1 and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(words)


def slug_key(text: str) -> str:
    """A readable key for a name no gazetteer knows: "Raad voor Regionale Samenwerking" ->
    "raad_voor_regionale_samenwerking"."""
    return _NOT_SLUG.sub("_", normalise_name(text)).strip("_")
