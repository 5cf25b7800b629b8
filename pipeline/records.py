"""Doc -> rows of the tables of CONTRACT.md.

One function per table, each reading only the Doc and its extension attributes. ``doc_tables``
returns plain lists of dicts (cheap to send between processes); ``to_frames`` turns the rows of
many documents into pandas DataFrames with stable column order and types.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd
from spacy.tokens import Doc

from . import doc as _doc  # noqa: F401  (registers the extension attributes)

COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "title", "date", "language", "source_path", "source_sha256",
                  "n_pages", "n_segments", "n_sentences", "warnings"],
    "segments": ["doc_id", "segment_id", "kind", "number", "heading_id", "text", "page_start",
                 "page_end", "char_start", "char_end", "domains", "cap_topics", "lemmas"],
    "sentences": ["doc_id", "sentence_id", "segment_id", "text", "char_start", "char_end",
                  "speech_act", "speech_act_score"],
    "entities": ["doc_id", "segment_id", "sentence_id", "text", "label", "key", "char_start",
                 "char_end", "source"],
    "commitments": ["doc_id", "segment_id", "sentence_id", "actors", "action", "object",
                    "strength", "conditional", "reported", "dates"],
    "domain_profiles": ["doc_id", "domain", "n_segments", "share"],
    "similarities": ["doc_a", "doc_b", "score", "method"],
    "alignments": ["doc_a", "segment_a", "doc_b", "segment_b", "score", "relation"],
    "reuse": ["doc_a", "segment_a", "doc_b", "segment_b", "text", "n_words"],
    "profile_changes": ["doc_a", "doc_b", "facet", "item", "in_a", "in_b", "change",
                        "segment_a", "segment_b"],
    "errors": ["source_path", "doc_id", "stage", "message"],
}
CORPUS_TABLES = ("similarities", "alignments", "reuse", "profile_changes")
DOCUMENT_TABLES = ("documents", "segments", "sentences", "entities", "commitments",
                   "domain_profiles")
LIST_COLUMNS = {"warnings", "domains", "cap_topics", "actors", "dates"}
# segments that carry policy domains; the profile's shares are over these
DOMAIN_KINDS = ("point", "heading", "bullet")


_INT = {"n_pages", "n_segments", "n_sentences", "page_start", "page_end", "char_start",
        "char_end", "n_words", "in_a", "in_b", "char_start_a", "char_end_a", "char_start_b",
        "char_end_b"}
_FLOAT = {"speech_act_score", "share", "score"}
_BOOL = {"conditional", "reported", "moved"}


def arrow_type(column: str):
    """The Parquet type of a contract column, fixed so that every batch of rows agrees."""
    import pyarrow as pa

    if column == "cap_topics":
        return pa.list_(pa.int64())
    if column in LIST_COLUMNS:
        return pa.list_(pa.string())
    if column in _INT:
        return pa.int64()
    if column in _FLOAT:
        return pa.float64()
    if column in _BOOL:
        return pa.bool_()
    return pa.string()


def arrow_schema(name: str):
    import pyarrow as pa

    return pa.schema([(c, arrow_type(c)) for c in COLUMNS[name]])


def _pages(doc: Doc, start: int, end: int) -> tuple[int, int]:
    pages = [p for s, e, p in (doc._.page_spans or []) if s < max(end, start + 1) and e > start]
    return (min(pages), max(pages)) if pages else (1, 1)


def segment_rows(doc: Doc) -> list[dict]:
    rows = []
    for span in doc.spans["segments"]:
        page_start, page_end = _pages(doc, span.start_char, span.end_char)
        rows.append({
            "doc_id": doc._.doc_id,
            "segment_id": span._.segment_id,
            "kind": span._.kind,
            "number": span._.number,
            "heading_id": span._.heading_id,
            "text": span.text,
            "page_start": page_start,
            "page_end": page_end,
            "char_start": span.start_char,
            "char_end": span.end_char,
            "domains": list(span._.domains or []),
            "cap_topics": [int(c) for c in (span._.cap_topics or [])],
            # lemmas (or lower-cased words without a lemmatizer) for comparison and search
            "lemmas": " ".join((t.lemma_ or t.lower_).lower() for t in span if t.is_alpha),
        })
    return rows


def sentence_rows(doc: Doc) -> list[dict]:
    return [
        {
            "doc_id": doc._.doc_id,
            "sentence_id": sent._.sentence_id,
            "segment_id": sent._.segment_id,
            "text": sent.text,
            "char_start": sent.start_char,
            "char_end": sent.end_char,
            "speech_act": sent._.speech_act,
            "speech_act_score": sent._.speech_act_score,
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
        rows.append({
            "doc_id": doc._.doc_id,
            "segment_id": index[j][3] if inside else None,
            "sentence_id": index[j][2] if inside else None,
            "text": ent.text,
            "label": ent.label_,
            "key": ent.kb_id_ or None,
            "char_start": ent.start_char,
            "char_end": ent.end_char,
            "source": ent._.source,
        })
    return rows


def commitment_rows(doc: Doc) -> list[dict]:
    rows = []
    for sent in doc.spans["sentences"]:
        for record in sent._.commitments or []:
            rows.append({
                "doc_id": doc._.doc_id,
                "segment_id": sent._.segment_id,
                "sentence_id": sent._.sentence_id,
                "actors": list(record.get("actors", [])),
                "action": record.get("action"),
                "object": record.get("object"),
                "strength": record.get("strength"),
                "conditional": bool(record.get("conditional", False)),
                "reported": bool(record.get("reported", False)),
                "dates": list(record.get("dates", [])),
            })
    return rows


def domain_profile_rows(doc: Doc) -> list[dict]:
    """Share of the document's points, headings and bullets that are about each domain."""
    counted = [s for s in doc.spans["segments"] if s._.kind in DOMAIN_KINDS]
    counts = Counter(d for s in counted for d in (s._.domains or []))
    return [
        {"doc_id": doc._.doc_id, "domain": domain, "n_segments": n,
         "share": n / len(counted) if counted else 0.0}
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


def error_row(source_path: str, doc_id: str | None, stage: str, message: str) -> dict:
    return {"source_path": str(source_path), "doc_id": doc_id, "stage": stage,
            "message": message}


def ordered(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table's contract columns first, in CONTRACT.md order, then any extra ones."""
    columns = COLUMNS[name]
    return frame.reindex(columns=columns + [c for c in frame.columns if c not in columns])


def to_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows -> DataFrame with the table's columns first, in CONTRACT.md order."""
    frame = pd.DataFrame.from_records(rows, columns=None if rows else COLUMNS[name])
    return ordered(name, frame)


def to_frames(tables: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    return {name: to_frame(name, rows) for name, rows in tables.items()}
