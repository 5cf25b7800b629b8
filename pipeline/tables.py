"""The output tables of CONTRACT.md: their names, columns and types, and rows -> DataFrames.

Apart from the Docs (records.py turns a Doc into rows), so that reading and writing tables
(store.py, ``Corpus.read``) needs pandas and pyarrow only.
"""

from __future__ import annotations

import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "documents": [
        "doc_id",
        "title",
        "date",
        "language",
        "source_path",
        "source_sha256",
        "n_pages",
        "n_segments",
        "n_sentences",
        "warnings",
    ],
    "segments": [
        "doc_id",
        "segment_id",
        "kind",
        "number",
        "heading_id",
        "text",
        "page_start",
        "page_end",
        "char_start",
        "char_end",
        "domains",
        "cap_topics",
        "lemmas",
    ],
    "sentences": [
        "doc_id",
        "sentence_id",
        "segment_id",
        "text",
        "char_start",
        "char_end",
        "speech_act",
        "speech_act_score",
    ],
    "entities": [
        "doc_id",
        "segment_id",
        "sentence_id",
        "text",
        "label",
        "key",
        "char_start",
        "char_end",
        "source",
    ],
    "commitments": [
        "doc_id",
        "segment_id",
        "sentence_id",
        "actors",
        "action",
        "object",
        "strength",
        "conditional",
        "reported",
        "dates",
    ],
    "domain_profiles": ["doc_id", "domain", "n_segments", "share"],
    "similarities": ["doc_a", "doc_b", "score", "method"],
    "alignments": ["doc_a", "segment_a", "doc_b", "segment_b", "score", "relation"],
    "reuse": ["doc_a", "segment_a", "doc_b", "segment_b", "text", "n_words"],
    "profile_changes": [
        "doc_a",
        "doc_b",
        "facet",
        "item",
        "in_a",
        "in_b",
        "change",
        "segment_a",
        "segment_b",
    ],
    "errors": ["source_path", "doc_id", "stage", "message"],
}
CORPUS_TABLES = ("similarities", "alignments", "reuse", "profile_changes")
DOCUMENT_TABLES = (
    "documents",
    "segments",
    "sentences",
    "entities",
    "commitments",
    "domain_profiles",
)
LIST_COLUMNS = {"warnings", "domains", "cap_topics", "actors", "dates"}
# segments that carry policy domains; the profile's shares are over these
DOMAIN_KINDS = ("point", "heading", "bullet")


_INT = {
    "n_pages",
    "n_segments",
    "n_sentences",
    "page_start",
    "page_end",
    "char_start",
    "char_end",
    "n_words",
    "in_a",
    "in_b",
    "char_start_a",
    "char_end_a",
    "char_start_b",
    "char_end_b",
}
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


def error_row(source_path: str, doc_id: str | None, stage: str, message: str) -> dict:
    return {"source_path": str(source_path), "doc_id": doc_id, "stage": stage, "message": message}


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
