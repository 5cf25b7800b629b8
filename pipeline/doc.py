"""The spaCy extension attributes every stage reads and writes.

A processed declaration is one ``Doc`` over its clean text:

- ``doc.spans["segments"]``: one span per segment (title, preamble, point, ...), in reading order,
  with ``span._.segment_id``, ``_.kind``, ``_.number``, ``_.heading_id``, ``_.domains``,
  ``_.domain_scores``, ``_.cap_topics``.
- ``doc.spans["sentences"]``: one span per sentence, with ``_.sentence_id``, ``_.segment_id``,
  ``_.speech_act``, ``_.speech_act_score``, ``_.commitments`` (list of dicts, see records.py).
  ``token.is_sent_start`` agrees with them, so ``doc.sents`` works too.
- ``doc.ents``: entity mentions; ``ent.kb_id_`` holds the canonical actor key for ORG/GPE/LOC,
  ``ent._.source`` which component found it ("gazetteer", "pattern", "acronym", "ner").

Span extension values live in ``doc.user_data`` keyed by the span's offsets, so they survive
``DocBin`` serialisation and re-creating the span.
"""

from __future__ import annotations

import weakref

from spacy.tokens import Doc, Span

DOC_ATTRS = {
    "doc_id": None,
    "source_path": None,
    "source_sha256": None,
    "title": None,
    "date": None,
    "language": "nl",
    "n_pages": 1,
    "page_spans": None,  # list of (start, end, page)
    "warnings": None,  # list of str
    "acronyms": None,  # {acronym: [start_char, end_char] of its expansion}
}

SPAN_ATTRS = {
    # segments
    "segment_id": None,
    "kind": None,
    "number": None,
    "heading_id": None,
    "domains": None,
    "domain_scores": None,
    "cap_topics": None,
    # sentences
    "sentence_id": None,
    "speech_act": None,
    "speech_act_score": None,
    "commitments": None,
    "reports_progress": None,
    # entities
    "source": None,
}


def register_extensions() -> None:
    """Idempotent: safe to call from every module and every worker process."""
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()


# Values derived from what never changes once a Doc exists (its text, its tokens), computed once
# per document for the components and tables that all need them. Kept beside the Doc, not in
# doc.user_data, so they are never serialised, and dropped with the Doc. Plain values only:
# a Token or Span holds its Doc, and would keep the entry alive for ever.
_DERIVED: weakref.WeakKeyDictionary[Doc, dict] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document (spaCy joins every token's text on each read)."""
    derived = _DERIVED.setdefault(doc, {})
    text = derived.get("text")
    if text is None:
        text = derived["text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text`` as a slice of the document's text: the same string, without a Token
    object per token."""
    return doc_text(span.doc)[span.start_char : span.end_char] if len(span) else ""
