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
- a model entity that overlaps nothing is kept.
"""
from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

RULER_SPANS_KEY = "entity_ruler"
CONTAINER_LABELS = ("ORG", "PROGRAMME", "LAW", "EVENT")


def ruler_source(span: Span) -> str:
    """"pattern" for date/money/legal-reference/naming-convention patterns, else "gazetteer"."""
    return "pattern" if span.id_.startswith("pattern:") else "gazetteer"


def set_entities(doc: Doc, spans: Iterable[Span]) -> None:
    """``doc.ents = spans``, with every token's entity id and KB id cleared first: spaCy keeps a
    token's old ids when the new span covering it has none, so a model name that replaced a
    gazetteer match would otherwise inherit the match's key."""
    spans = list(spans)
    for token in doc:
        token.ent_id_ = ""
        token.ent_kb_id_ = ""
    doc.ents = spans


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _adds_words(outer: Span, inner: Span) -> bool:
    """Whether ``outer`` extends ``inner`` by at least one separate word, not only by the rest
    of a compound: "groeiplan voor Moldavië" over "Moldavië" does, "Frontex-directeur" over
    "Frontex" does not (the name inside a compound is the mention, ANNOTATION.md)."""
    doc = outer.doc
    before = range(outer.start, inner.start)  # a space after any of these tokens
    after = range(inner.end - 1, outer.end - 1)
    return any(doc[i].whitespace_ for i in before) or any(doc[i].whitespace_ for i in after)


def resolve(
    ruler_spans: Iterable[Span], model_ents: Iterable[Span], container_labels: Iterable[str]
) -> list[Span]:
    """Non-overlapping entities from both sources, in document order (rules in the module doc)."""
    containers = set(container_labels)
    chosen = filter_spans(list(ruler_spans))
    for ent in model_ents:
        overlapping = [span for span in chosen if _overlaps(span, ent)]
        if not overlapping:
            chosen.append(ent)
        elif ent.label_ in containers and all(
            ent.start <= span.start and span.end <= ent.end and _adds_words(ent, span)
            for span in overlapping
        ):
            chosen = [span for span in chosen if span not in overlapping] + [ent]
    return sorted(chosen)


@Language.factory(
    "entity_resolver",
    default_config={"spans_key": RULER_SPANS_KEY, "container_labels": list(CONTAINER_LABELS)},
)
def make_entity_resolver(nlp: Language, name: str, spans_key: str, container_labels: list[str]):
    return EntityResolver(spans_key, container_labels)


class EntityResolver:
    def __init__(self, spans_key: str, container_labels: list[str]):
        self.spans_key = spans_key
        self.container_labels = tuple(container_labels)

    def __call__(self, doc: Doc) -> Doc:
        ruler_spans = list(doc.spans.get(self.spans_key, []))
        model_ents = list(doc.ents)
        from_model = {(ent.start, ent.end, ent.label) for ent in model_ents}
        ents = resolve(ruler_spans, model_ents, self.container_labels)
        for ent in ents:
            if ent.id_ or (ent.start, ent.end, ent.label) not in from_model:
                ent._.source = ruler_source(ent)
            else:
                ent._.source = "ner"
        set_entities(doc, ents)
        # the overlapping raw matches have served their purpose; leaving them would make
        # readers of doc.spans think they are annotations
        if self.spans_key in doc.spans:
            del doc.spans[self.spans_key]
        return doc
