"""Doc -> rows of the tables of CONTRACT.md.

One function per table, each reading only the Doc and its extension attributes. ``doc_tables``
returns plain lists of dicts (cheap to send between processes); ``tables.to_frames`` turns the
rows of many documents into pandas DataFrames with stable column order and types.
"""

from __future__ import annotations

from collections import Counter

from spacy.attrs import IS_ALPHA, LEMMA, LOWER
from spacy.tokens import Doc

from . import doc as _doc  # noqa: F401  (registers the extension attributes)
from .doc import span_text
from .scheme import DOMAIN_KINDS
from .tables import (  # noqa: F401  (the table schema, used by the stages as records.*)
    COLUMNS,
    CORPUS_TABLES,
    DOCUMENT_TABLES,
    LIST_COLUMNS,
    arrow_schema,
    arrow_type,
    error_row,
    ordered,
    to_frame,
    to_frames,
)


def _pages(doc: Doc, start: int, end: int) -> tuple[int, int]:
    pages = [p for s, e, p in (doc._.page_spans or []) if s < max(end, start + 1) and e > start]
    return (min(pages), max(pages)) if pages else (1, 1)


def _word_lemmas(doc: Doc) -> list[str | None]:
    """Per token: its lemma (its lower-cased word without a lemmatizer), lower-cased; None for
    tokens that are no word. Read as arrays, without a Token object per token."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    return [
        strings[lemma or lower].lower() if alpha else None
        for alpha, lemma, lower in doc.to_array([IS_ALPHA, LEMMA, LOWER]).tolist()
    ]


def segment_rows(doc: Doc) -> list[dict]:
    rows = []
    lemmas = _word_lemmas(doc)
    for span in doc.spans["segments"]:
        page_start, page_end = _pages(doc, span.start_char, span.end_char)
        rows.append(
            {
                "doc_id": doc._.doc_id,
                "segment_id": span._.segment_id,
                "kind": span._.kind,
                "number": span._.number,
                "heading_id": span._.heading_id,
                "text": span_text(span),
                "page_start": page_start,
                "page_end": page_end,
                "char_start": span.start_char,
                "char_end": span.end_char,
                "domains": list(span._.domains or []),
                "cap_topics": [int(c) for c in (span._.cap_topics or [])],
                # lemmas (or lower-cased words without a lemmatizer) for comparison and search
                "lemmas": " ".join(w for w in lemmas[span.start : span.end] if w is not None),
            }
        )
    return rows


def sentence_rows(doc: Doc) -> list[dict]:
    return [
        {
            "doc_id": doc._.doc_id,
            "sentence_id": sent._.sentence_id,
            "segment_id": sent._.segment_id,
            "text": span_text(sent),
            "char_start": sent.start_char,
            "char_end": sent.end_char,
            "speech_act": sent._.speech_act,
            "speech_act_score": sent._.speech_act_score,
            "reports_progress": bool(sent._.reports_progress),
        }
        for sent in doc.spans["sentences"]
    ]


def _sentence_index(doc: Doc) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s._.sentence_id, s._.segment_id) for s in doc.spans["sentences"]]


def entity_rows(doc: Doc) -> list[dict]:
    index = _sentence_index(doc)
    rows, j = [], 0
    for ent in doc.ents:  # both in reading order: one pass
        while j < len(index) and index[j][1] <= ent.start:
            j += 1
        inside = j < len(index) and index[j][0] <= ent.start
        rows.append(
            {
                "doc_id": doc._.doc_id,
                "segment_id": index[j][3] if inside else None,
                "sentence_id": index[j][2] if inside else None,
                "text": ent.text,
                "label": ent.label_,
                "key": ent.kb_id_ or None,
                "char_start": ent.start_char,
                "char_end": ent.end_char,
                "source": ent._.source,
            }
        )
    return rows


def commitment_rows(doc: Doc) -> list[dict]:
    """One row per commitment record (pipeline/classify/commitments/record.py), in the columns
    of tables.py."""
    rows = []
    for sent in doc.spans["sentences"]:
        for record in sent._.commitments or []:
            rows.append(
                {
                    "doc_id": doc._.doc_id,
                    "segment_id": sent._.segment_id,
                    "sentence_id": sent._.sentence_id,
                    "commitment_id": record.get("commitment_id"),
                    "actors": list(record.get("actors", [])),
                    "actor_source": record.get("actor_source"),
                    "action": record.get("action"),
                    "object": record.get("object"),
                    "strength": record.get("strength"),
                    "conditional": bool(record.get("conditional", False)),
                    "condition": record.get("condition") or "",
                    "condition_start": record.get("condition_start"),
                    "condition_end": record.get("condition_end"),
                    "reported": bool(record.get("reported", False)),
                    "dates": list(record.get("dates", [])),
                    "deadlines": list(record.get("deadlines") or []),
                    "confidence": record.get("confidence"),
                    "action_start": record.get("action_start"),
                    "action_end": record.get("action_end"),
                    "object_start": record.get("object_start"),
                    "object_end": record.get("object_end"),
                }
            )
    return rows


def domain_profile_rows(doc: Doc) -> list[dict]:
    """Share of the document's points, headings and bullets that are about each domain."""
    counted = [s for s in doc.spans["segments"] if s._.kind in DOMAIN_KINDS]
    counts = Counter(d for s in counted for d in (s._.domains or []))
    return [
        {
            "doc_id": doc._.doc_id,
            "domain": domain,
            "n_segments": n,
            "share": n / len(counted) if counted else 0.0,
        }
        for domain, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def document_row(doc: Doc) -> dict:
    return {
        "doc_id": doc._.doc_id,
        "title": doc._.title,
        "date": doc._.date,
        "language": doc._.language,
        "source_path": doc._.source_path,
        "source_sha256": doc._.source_sha256,
        "n_pages": doc._.n_pages,
        "n_segments": len(doc.spans["segments"]),
        "n_sentences": len(doc.spans["sentences"]),
        "warnings": list(doc._.warnings or []),
    }


def doc_tables(doc: Doc) -> dict[str, list[dict]]:
    """All per-document tables of one processed Doc."""
    return {
        "documents": [document_row(doc)],
        "segments": segment_rows(doc),
        "sentences": sentence_rows(doc),
        "entities": entity_rows(doc),
        "commitments": commitment_rows(doc),
        "domain_profiles": domain_profile_rows(doc),
    }
