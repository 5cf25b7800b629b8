"""Merging the entity ruler's matches with the statistical model's entities.

The ruler writes every gazetteer and pattern match to ``doc.spans["entity_ruler"]`` (overlaps
included) and leaves ``doc.ents`` to the model, so that the model is free to find a name that
*contains* a known name: "investeringskader voor de Westelijke Balkan", "Verdrag tot oprichting
van de Energiegemeenschap". This component then decides, per ANNOTATION.md:

- among ruler matches the longest wins ("Centraal- en Zuidoost-Europa" over "Zuidoost-Europa");
- a ruler match always beats a model entity that has the same extent, lies inside it or
  crosses its boundary: the model never relabels, shortens or splits a known name;
- a model entity that contains ruler matches and adds words to them wins over them ("the
  larger span wins"), but only for labels that name things built around other names (ORG,
  PROGRAMME, LAW, EVENT); a compound around a known name ("Frontex-directeur") does not;
- a model entity loses leading articles and edge punctuation, and is dropped when it ends in a
  lower-case function word ("groeiplan tijdens") or runs over a line break or sentence start;
- a model entity of capitalised words right after a title ("commissaris ...") is a PERSON;
- a model entity that overlaps nothing is kept, unless it is a place (GPE/LOC) whose words are
  ordinary Dutch (``plain_dutch``): the gazetteer knows every country and capital, so these
  are the model's guesses at towns, and capitalised words at a sentence start are its usual
  mistake there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy
import srsly
from spacy import util
from spacy.attrs import ENT_ID, ENT_KB_ID
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from wordfreq import zipf_frequency

RULER_SPANS_KEY = "entity_ruler"
CONTAINER_LABELS = ("ORG", "PROGRAMME", "LAW", "EVENT")
# model places (GPE/LOC) that no gazetteer entry knows are dropped when they are plain Dutch:
# every word at least this frequent in wordfreq's Dutch list ("Indien" at the start of a
# sentence, "Buitenlandse Zaken", "Afrikaanse"), or one word with the ending of a Dutch
# adjective or demonym ("Montenegrijnse", "Serviërs"). Every country and capital is in the
# gazetteer, so this only judges the model's guesses at towns and regions.
PLACE_LABELS = ("GPE", "LOC")
COMMON_WORD_ZIPF = 3.5
ADJECTIVE_OR_DEMONYM = re.compile(r"(se|anen|iërs|ezen)$")


def ruler_source(span: Span) -> str:
    """ "pattern" for date/money/legal-reference/naming-convention patterns, else "gazetteer"."""
    return "pattern" if span.id_.startswith("pattern:") else "gazetteer"


def set_entities(doc: Doc, spans: Iterable[Span]) -> None:
    """``doc.ents = spans``, with every token's entity id and KB id cleared first: spaCy keeps a
    token's old ids when the new span covering it has none, so a model name that replaced a
    gazetteer match would otherwise inherit the match's key."""
    spans = list(spans)
    if len(doc):  # read as an array: only the tokens with an id set become Token objects
        for i in numpy.flatnonzero(doc.to_array([ENT_ID, ENT_KB_ID]).any(axis=1)).tolist():
            token = doc[i]
            token.ent_id = 0
            token.ent_kb_id = 0
    doc.ents = spans


def _adds_words(outer: Span, inner: Span) -> bool:
    """Whether ``outer`` extends ``inner`` by at least one separate word, not only by the rest
    of a compound: "groeiplan voor Moldavië" over "Moldavië" does, "Frontex-directeur" over
    "Frontex" does not (the name inside a compound is the mention, ANNOTATION.md)."""
    doc = outer.doc
    before = range(outer.start, inner.start)  # a space after any of these tokens
    after = range(inner.end - 1, outer.end - 1)
    return any(doc[i].whitespace_ for i in before) or any(doc[i].whitespace_ for i in after)


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "nl")


def plain_dutch(span: Span, min_zipf: float = COMMON_WORD_ZIPF) -> bool:
    """Whether a model's place name is more likely ordinary Dutch words than a name."""
    words = [t.lower_ for t in span if t.is_alpha]
    if not words:
        return True
    if len(words) == 1 and ADJECTIVE_OR_DEMONYM.search(words[0]) and len(words[0]) > 5:
        return True
    return all(_zipf(word) >= min_zipf for word in words)


YEAR = re.compile(r"(19|20)\d\d([-–/](19|20)?\d\d)?")


def tidy_model_span(span: Span) -> Span | None:
    """A model's span without a leading point number ("16."), leading articles or punctuation
    and without trailing punctuation; None for a bare number other than a year;
    None when it ends in a lower-case function word ("groeiplan tijdens", "faciliteit kan"):
    no name ends that way, so the model ran past the end of one, or found none; None too when
    it runs over a line break or a sentence start."""
    doc, start, end = span.doc, span.start, span.end
    marker = start + 1 < end and doc[start].like_num and doc[start + 1].text in (".", ")")
    if marker:  # a point's number ("16. De ..."), not part of any name
        start += 2
    while start < end and (
        doc[start].is_punct or (doc[start].is_stop and (doc[start].is_lower or marker))
    ):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if start == end or (doc[end - 1].is_lower and doc[end - 1].is_stop):
        return None
    if all(doc[i].like_num or doc[i].is_punct for i in range(start, end)) and not (
        span.label_ == "DATE" and YEAR.fullmatch(doc[start:end].text)
    ):
        return None  # a bare number ("7") is no name; a year is a date
    if any(doc[i].is_space or "\n" in doc[i].whitespace_ for i in range(start, end - 1)) or (
        doc.has_annotation("SENT_START")
        and any(doc[i].is_sent_start for i in range(start + 1, end))
    ):
        return None  # a name never runs over a line break or into the next sentence
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label)


def person_after_role(span: Span, roles: frozenset[str]) -> Span:
    """A model name of at most four capitalised words right after a title or office
    ("commissaris Olivér Várhelyi") is a person, whatever label the model chose."""
    doc = span.doc
    if (
        span.label_ != "PERSON"
        and span.start > 0
        and doc[span.start - 1].lower_ in roles
        and len(span) <= 4
        and all(t.is_title or t.is_punct for t in span)
    ):
        return Span(doc, span.start, span.end, label="PERSON")
    return span


def resolve(
    ruler_spans: Iterable[Span],
    model_ents: Iterable[Span],
    container_labels: Iterable[str],
    roles: frozenset[str] = frozenset(),
) -> list[Span]:
    """Non-overlapping entities from both sources, in document order (rules in the module doc)."""
    containers = set(container_labels)
    chosen: dict[int, Span] = {}  # first token -> span; spans do not overlap
    owner: dict[int, int] = {}  # token -> first token of the span that covers it
    # on equal extent a gazetteer name beats a pattern (filter_spans keeps the first of a tie)
    by_kind = sorted(ruler_spans, key=lambda span: span.id_.startswith("pattern:"))
    for span in filter_spans(by_kind):
        chosen[span.start] = span
        owner.update((i, span.start) for i in range(span.start, span.end))
    for model_ent in model_ents:
        ent = tidy_model_span(model_ent)
        if ent is None or (ent.label_ in PLACE_LABELS and plain_dutch(ent)):
            continue
        ent = person_after_role(ent, roles)
        overlapping = [
            chosen[k] for k in sorted({owner[i] for i in range(ent.start, ent.end) if i in owner})
        ]
        if overlapping and not (
            ent.label_ in containers
            and all(
                ent.start <= span.start and span.end <= ent.end and _adds_words(ent, span)
                for span in overlapping
            )
        ):
            continue
        for span in overlapping:
            del chosen[span.start]
        chosen[ent.start] = ent
        owner.update((i, ent.start) for i in range(ent.start, ent.end))
    return sorted(chosen.values())


@Language.factory(
    "entity_resolver",
    assigns=["doc.ents", "span._.source"],
    requires=["doc.spans"],
    default_config={"spans_key": RULER_SPANS_KEY, "container_labels": list(CONTAINER_LABELS)},
)
def make_entity_resolver(nlp: Language, name: str, spans_key: str, container_labels: list[str]):
    return EntityResolver(spans_key, container_labels)


class EntityResolver:
    """Merges ``doc.spans[spans_key]`` (the ruler's matches) with the model's ``doc.ents``.
    The titles that make a following name a PERSON come through ``initialize``
    (``person_roles``) and are kept by ``to_disk``."""

    def __init__(self, spans_key: str, container_labels: Iterable[str], roles: Iterable[str] = ()):
        self.spans_key = spans_key
        self.container_labels = tuple(container_labels)
        self.roles = frozenset(roles)

    def initialize(self, get_examples=None, *, nlp=None, person_roles: Iterable[str] = ()):
        self.roles = frozenset(person_roles)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        roles = sorted(self.roles)
        util.to_disk(path, {"person_roles.json": lambda p: srsly.write_json(p, roles)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EntityResolver:
        def read(p):
            self.roles = frozenset(srsly.read_json(p))

        util.from_disk(path, {"person_roles.json": read}, exclude)
        return self

    def __call__(self, doc: Doc) -> Doc:
        ruler_spans = list(doc.spans.get(self.spans_key, []))
        ents = resolve(ruler_spans, doc.ents, self.container_labels, self.roles)
        for ent in ents:  # every ruler pattern has an id (a key or "pattern:..."), no model span
            ent._.source = ruler_source(ent) if ent.id_ else "ner"
        set_entities(doc, ents)
        # the overlapping raw matches have served their purpose; leaving them would make
        # readers of doc.spans think they are annotations
        if self.spans_key in doc.spans:
            del doc.spans[self.spans_key]
        return doc
