"""Document metadata read off the text: its date and its language.

``document_metadata`` is the pipeline component that sets ``doc._.language``, ``doc._.date``
and the warnings about them, so that every Doc the pipeline makes carries them (a run, the
training scripts, a test calling ``nlp(text)``).

Month names come from CLDR (via babel) and stop-word lists from spaCy's language data, so no
word lists are typed here.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from babel.dates import get_month_names
from spacy.language import Language
from spacy.tokens import Doc

from .doc import doc_text, span_text

LANGUAGES = (
    "nl",
    "en",
    "de",
    "fr",
    "it",
    "es",
    "pt",
    "pl",
    "hr",
    "sr",
    "sl",
    "ro",
    "bg",
    "sq",
    "mk",
    "el",
    "cs",
    "sk",
    "hu",
    "sv",
    "da",
    "fi",
    "et",
    "lv",
    "lt",
)


@functools.cache
def _months() -> dict[str, int]:
    return {name.lower(): num for num, name in get_month_names("wide", locale="nl").items()}


@functools.cache
def _date_pattern() -> re.Pattern:
    months = "|".join(sorted(_months(), key=len, reverse=True))
    return re.compile(rf"\b(\d{{1,2}})\s+({months})\s+(\d{{4}})\b", re.IGNORECASE)


def find_date(text: str) -> str | None:
    """The first full Dutch date in text ("17 mei 2018") as ISO 8601 ("2018-05-17")."""
    m = _date_pattern().search(text)
    if not m:
        return None
    day, month, year = int(m.group(1)), _months()[m.group(2).lower()], int(m.group(3))
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


@functools.cache
def _stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list of a language, read from its stop_words.py alone: importing the
    language package would also build its tokenizer exceptions (seconds for some languages)."""
    spec = importlib.util.find_spec("spacy.lang")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(spec.submodule_search_locations[0]) / lang / "stop_words.py"
    module_spec = importlib.util.spec_from_file_location(f"_stop_words_{lang}", path)
    if not path.exists() or module_spec is None or module_spec.loader is None:
        return frozenset()
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(w.lower() for w in module.STOP_WORDS)


# Dutch running text has 40-55% stop words (spaCy's list); other languages score under 15% on
# it, so above this share the text is Dutch without comparing
DUTCH_ENOUGH = 0.3
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, sample_words: int = 2000) -> tuple[str, float]:
    """Language with the highest share of stop words in the first words of text.

    Stop words make up about half of running text in every European language, and the lists
    barely overlap between languages, so the best share is a dependable vote on a few hundred
    words. Returns (code, share); ("und", 0.0) when the text has no words.
    """
    words = [w.lower() for w in WORD.findall(text[: sample_words * 12])[:sample_words]]
    if not words:
        return ("und", 0.0)
    dutch_stops = _stop_words("nl")
    dutch = sum(w in dutch_stops for w in words) / len(words)
    if dutch >= DUTCH_ENOUGH:  # the usual case: no need to load two dozen other lists
        return ("nl", dutch)
    best, best_share = "und", 0.0
    for lang in LANGUAGES:
        stops = _stop_words(lang)
        if not stops:
            continue
        share = sum(w in stops for w in words) / len(words)
        if share > best_share:
            best, best_share = lang, share
    return best, best_share


# the date of a declaration is in its title or first lines: the first three segments, or for a
# Doc that was not segmented, its first characters
HEAD_SEGMENTS = 3
HEAD_CHARS = 600


def document_warnings(doc: Doc, language: str, share: float) -> list[str]:
    """The warning the metadata adds: a text that is not Dutch.  (What the segmenter did with a
    text without numbered points, it says itself: pipeline.segment.structure_warning.)"""
    warnings = []
    if language != "nl":
        warnings.append(
            f"language looks like {language!r}, not Dutch "
            f"({share:.0%} {language} stop words); results will be poor"
        )
    return warnings


class DocumentMetadata:
    """Sets a Doc's language, its date and the warnings about them, from its text."""

    def __call__(self, doc: Doc) -> Doc:
        language, share = detect_language(doc_text(doc))
        doc._.language = language
        if "segments" in doc.spans:
            head = " ".join(span_text(s) for s in list(doc.spans["segments"])[:HEAD_SEGMENTS])
        else:
            head = doc_text(doc)[:HEAD_CHARS]
        doc._.date = find_date(head)
        warnings = list(doc._.warnings or [])
        # a Doc processed twice is warned about once
        warnings.extend(w for w in document_warnings(doc, language, share) if w not in warnings)
        doc._.warnings = warnings
        return doc


@Language.factory("document_metadata", assigns=["doc._.language", "doc._.date", "doc._.warnings"])
def make_document_metadata(nlp: Language, name: str) -> DocumentMetadata:
    return DocumentMetadata()
