"""Document statistics: which words this document writes where (inside lines, at sentence
starts, in lower case), and the wordfreq evidence on Dutch words the block and hyphenation
rules use.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extract.markers import split_marker

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")


@lru_cache(maxsize=1 << 16)
def _token_word(token: str) -> tuple[str, str, bool] | None:
    """(word, word lower-cased, does the word open the token?) for a whitespace-separated
    token ("(EU-lidstaten)," -> "EU-lidstaten"), or None for a token without letters."""
    m = _WORD_RE.search(token)
    return (m.group(0), m.group(0).lower(), m.start() == 0) if m else None


@lru_cache(maxsize=1 << 16)
def _ends_sentence(token: str) -> bool:
    return SENTENCE_END.search(token) is not None


@dataclass
class DocumentWords:
    """Words as this document writes them *inside* lines (never at a line's start or end, where
    breaks and sentence starts blur the evidence): the evidence for de-hyphenation and for
    telling a sentence-initial capital ("Deze") from a name ("Westelijke")."""

    inner: Counter = field(default_factory=Counter)  # lower-cased inner tokens
    capitalised_inside_sentence: Counter = field(default_factory=Counter)
    lowercase_inside: Counter = field(default_factory=Counter)

    @classmethod
    def from_lines(cls, lines: list[str]) -> DocumentWords:
        # a document repeats its words: each distinct token is analysed once (_token_word),
        # and the counters are filled in one call each rather than a += per token
        inner: list[str] = []
        capitalised: list[str] = []
        lowercase: list[str] = []
        for text in lines:
            tokens = split_marker(text)[2].split()
            last = len(tokens) - 1
            for i, tok in enumerate(tokens):
                if i == last and tok.endswith(("-", "\u00ad")):
                    continue  # the head of a broken word
                found = _token_word(tok)
                if found is None:
                    continue
                word, lower, at_start = found
                if 0 < i < last:  # whole words only: no heads or tails of broken words
                    inner.append(lower)
                if word[0].isupper():
                    # a capital after a word that ends no sentence: a name, not a sentence start
                    if i > 0 and at_start and not _ends_sentence(tokens[i - 1]):
                        capitalised.append(word)
                elif word[0].islower():
                    lowercase.append(word)
        words = cls()
        words.inner.update(inner)
        words.capitalised_inside_sentence.update(capitalised)
        words.lowercase_inside.update(lowercase)
        return words

    def starts_sentence(self, word: str) -> bool:
        """True for a capitalised word this document writes mostly in lower case: "Deze",
        "Meer", "Schone" (even if "Schone Energie" names something once) — but not
        "Westelijke" or "EU"."""
        if not word or not word[0].isupper() or not word[1:].islower():
            return False
        lower = self.lowercase_inside[word.lower()]
        return lower > 0 and lower >= 2 * self.capitalised_inside_sentence[word]


FUNCTION_WORD_ZIPF = 6.5  # "de", "het", "van", "op", "voor", "met", "te", "aan" ... (wordfreq)


def ends_with_function_word(text: str) -> bool:
    """Does the line end with one of the most frequent Dutch words (articles, prepositions,
    conjunctions: zipf >= 6.5 in wordfreq)?  A title, heading or list item never does."""
    m = re.search(r"([^\W\d_]+)\W*$", text)
    return bool(m) and m.group(1).islower() and zipf(m.group(1)) >= FUNCTION_WORD_ZIPF


def ends_capitalised(text: str) -> bool:
    m = re.search(r"([^\W\d_][\w'’/-]*)\W*$", text)
    return bool(m) and m.group(1)[0].isupper()


def is_capitals(text: str) -> bool:
    """A line set in capitals ("RECHTSSTAAT, VEILIGHEID EN MIGRATIE"), not an acronym."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and len(text.split()) >= 2 and all(ch.isupper() for ch in letters)


def has_lower(text: str) -> bool:
    return any(ch.islower() for ch in text)


def first_word(text: str) -> str:
    m = _WORD_RE.match(text.lstrip("\"'“‘(["))
    return m.group(0) if m else ""


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a Dutch word (0 when wordfreq is missing)."""
    try:
        from wordfreq import zipf_frequency
    except ModuleNotFoundError:  # pragma: no cover
        return 0.0
    return zipf_frequency(word, "nl")
