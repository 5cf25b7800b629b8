"""Acronyms defined in brackets: "Raad voor Regionale Samenwerking (RSR)".

For every bracketed acronym the component finds its expansion (the entity that ends just before
the bracket, or else the words before it whose initials cover the acronym's letters), makes the
acronym an entity with the expansion's label, tags the acronym's later mentions in the document
the same way, and records the pair in ``doc._.acronyms`` (acronym -> expansion's character
offsets) so that the actor linker gives both one key.

Dutch acronyms often follow another word order than their expansion ("RSR" for "Raad voor
Regionale Samenwerking", from "Regionale Samenwerkingsraad"), so letters are compared as a
multiset, not in order as in Schwartz & Hearst's algorithm.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import srsly
from spacy import util
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .keys import DETERMINERS
from .resolver import set_entities

_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9+&]*$")  # EU, GBVB, IPA, RYCO, EUAA
_ROMAN = re.compile(r"^[IVX]+$")
# words that do not give a letter to an acronym ("van", "voor", "de" ...)
_FUNCTION_WORDS = frozenset(
    {
        "van",
        "voor",
        "de",
        "het",
        "en",
        "in",
        "op",
        "tot",
        "der",
        "des",
        "inzake",
        "met",
        "over",
        "bij",
        "om",
        "aan",
        "te",
        "ter",
        "ten",
        "'s",
    }
)
MAX_ACRONYM_TOKENS = 3


def acronym_in_brackets(doc: Doc, open_i: int) -> Span | None:
    """The acronym inside the bracket that opens at token ``open_i``: "(EU)", "(IPA III)"."""
    close = next(
        (
            j
            for j in range(open_i + 1, min(open_i + 2 + MAX_ACRONYM_TOKENS, len(doc)))
            if doc[j].text == ")"
        ),
        None,
    )
    if close is None or close == open_i + 1:
        return None
    inner = doc[open_i + 1 : close]
    first, rest = inner[0].text, [t.text for t in inner[1:]]
    if _ACRONYM.match(first) and all(_ACRONYM.match(t) or _ROMAN.match(t) for t in rest):
        return inner
    return None


NAME_LABELS = frozenset({"ORG", "GPE", "LOC", "PROGRAMME", "LAW", "EVENT"})


def could_abbreviate(acronym: str, expansion: Span) -> bool:
    """Whether the acronym can stand for the entity before its bracket: a name, one of whose
    words starts with the acronym's first letter. Loose on purpose, because Dutch texts often
    keep the English acronym ("investeringskader voor de Westelijke Balkan (WBIF)"), strict
    enough to refuse "in Kosovo (UNMIK)"."""
    if expansion.label_ not in NAME_LABELS:
        return False
    first = acronym[0].lower()
    return any(token.text[:1].lower() == first for token in expansion)


def _letters(acronym: str) -> Counter:
    return Counter(ch.lower() for ch in acronym if ch.isalpha())


def expansion_by_initials(doc: Doc, acronym: Span, window: int = 10) -> Span | None:
    """The shortest run of words before the bracket whose initials cover the acronym's letters,
    starting with a content word: "Raad voor Regionale Samenwerking (RSR)"."""
    need = _letters(acronym.text)
    if not need:
        return None
    end = acronym.start - 1  # the "(" token
    lower_bound = max(acronym.sent.start if doc.has_annotation("SENT_START") else 0, end - window)
    initials: Counter = Counter()
    for start in range(end - 1, lower_bound - 1, -1):
        token = doc[start]
        if token.is_punct:
            return None
        if token.lower_ in _FUNCTION_WORDS:
            continue
        initials[token.text[0].lower()] += 1
        if not need - initials:
            return doc[start:end]
    return None


def label_from_heads(span: Span, heads: dict[str, str]) -> str | None:
    """The label a name's head noun tells: its first word ("Raad voor ...") or the end of a
    compound first word ("Samenwerkingsraad", "terrorismebestrijdingsinitiatief")."""
    first = span[0].lower_
    if first in heads:
        return heads[first]
    for head in sorted(heads, key=len, reverse=True):
        if len(head) >= 4 and first.endswith(head):
            return heads[head]
    return None


def _strip_determiners(span: Span) -> Span:
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in DETERMINERS:
        start += 1
    return span.doc[start : span.end]


@Language.factory(
    "acronyms",
    assigns=["doc.ents", "doc._.acronyms", "span._.source"],
    requires=["doc.ents"],
    default_config={},
)
def make_acronyms(nlp: Language, name: str):
    return AcronymTagger()


class AcronymTagger:
    """Sets ``doc._.acronyms`` and tags acronyms and their expansions in ``doc.ents``; the head
    nouns that label an expansion no earlier component found come through ``initialize``
    (``name_heads``: head noun -> label) and are kept by ``to_disk``."""

    def __init__(self, heads: dict[str, str] | None = None):
        self.heads = dict(heads or {})

    def initialize(self, get_examples=None, *, nlp=None, name_heads: dict[str, str] | None = None):
        self.heads = dict(name_heads or {})

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        util.to_disk(path, {"name_heads.json": lambda p: srsly.write_json(p, self.heads)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> AcronymTagger:
        def read(p):
            self.heads = srsly.read_json(p)

        util.from_disk(path, {"name_heads.json": read}, exclude)
        return self

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        ent_ending_at = {ent.end: ent for ent in ents}
        defined: dict[str, Span] = {}  # acronym text -> its expansion entity
        labels: dict[str, str] = {}
        for i in _positions(doc, ["("]):
            token = doc[i]
            acronym = acronym_in_brackets(doc, token.i)
            if acronym is None or acronym.text in defined:
                continue
            expansion = ent_ending_at.get(token.i)
            if expansion is not None and not could_abbreviate(acronym.text, expansion):
                continue
            if expansion is None:
                expansion = self._new_expansion(doc, acronym, ents)
                if expansion is None:
                    continue
                ents = [e for e in ents if not _inside(e, expansion)] + [expansion]
                ent_ending_at[expansion.end] = expansion
            defined[acronym.text] = expansion
            labels[acronym.text] = expansion.label_
        if not defined:
            return doc
        ents = self._tag_mentions(doc, ents, labels)
        set_entities(doc, sorted(ents))
        doc._.acronyms = {
            acronym: [exp.start_char, exp.end_char] for acronym, exp in defined.items()
        }
        return doc

    def _new_expansion(self, doc: Doc, acronym: Span, ents: list[Span]) -> Span | None:
        """An expansion no earlier component found, labelled by its head noun."""
        found = expansion_by_initials(doc, acronym)
        if found is None:
            return None
        found = _strip_determiners(found)
        label = label_from_heads(found, self.heads)
        if label is None or any(_crosses(e, found) for e in ents):
            return None
        span = Span(doc, found.start, found.end, label=label)
        span._.source = "acronym"
        return span

    @staticmethod
    def _tag_mentions(doc: Doc, ents: list[Span], labels: dict[str, str]) -> list[Span]:
        """Every mention of a defined acronym that is not yet part of an entity."""
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        by_first: dict[str, list[str]] = {}
        for acronym in labels:
            by_first.setdefault(acronym.split()[0], []).append(acronym)
        for i in _positions(doc, list(by_first)):
            token = doc[i]
            for acronym in by_first.get(token.text, ()):
                n = len(acronym.split())
                span = doc[token.i : token.i + n]
                if span.text == acronym and not taken.intersection(range(span.start, span.end)):
                    new = Span(doc, span.start, span.end, label=labels[acronym])
                    new._.source = "acronym"
                    ents.append(new)
                    taken.update(range(span.start, span.end))
        return ents


def _positions(doc: Doc, texts: list[str]) -> list[int]:
    """Indices of the tokens whose text is one of ``texts``, in order, read as an array (a
    Token object for every token of the document would cost more than the search)."""
    if not len(doc):
        return []
    orths = doc.to_array(ORTH)
    wanted = np.array([get_string_id(t) for t in texts], dtype=orths.dtype)
    return np.flatnonzero(np.isin(orths, wanted)).tolist()


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _crosses(a: Span, b: Span) -> bool:
    """Overlapping without one containing the other."""
    overlap = a.start < b.end and b.start < a.end
    return overlap and not (_inside(a, b) or _inside(b, a))
