"""The output tables of docs/tables.md: their names, columns, types and meanings, and rows ->
DataFrames.

The one owner of the tables' columns, extras included: every module that writes or reads a
table takes its columns from ``TABLES``, and the codebook written with every run
(``codebook.py``) describes each column from the same entries. Apart from the Docs (records.py
turns a Doc into rows), so that reading and writing tables (store.py, ``Corpus.read``) needs
pandas and pyarrow only.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import pyarrow as pa

from . import scheme

# the value types of a column, as the codebook names them, and as Parquet stores them
TYPES = {
    "text": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "list of text": pa.list_(pa.string()),
    "list of integers": pa.list_(pa.int64()),
}


class Column(NamedTuple):
    name: str
    type: str  # a key of TYPES
    meaning: str
    values: tuple[str, ...] = ()  # the allowed values, where they are a closed set


class Table(NamedTuple):
    name: str
    row: str  # what one row is
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # the columns that identify a row (SQLite primary key)


def _col(name: str, type_: str, meaning: str, values: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, meaning, values)


DOC_ID = _col("doc_id", "text", "the document's id: its input file's stem")
SEGMENT_ID = _col(
    "segment_id",
    "text",
    "the segment's id within its document: title, preamble, p<N>, annex_title, h<K>, h<K>.b<M>, "
    "p<N>.b<M>, fn<N>, closing<N>, par<N> (docs/annotation.md section 5)",
)
SENTENCE_ID = _col("sentence_id", "text", "the sentence's id: <segment_id>.s<K>, K from 1")
CHAR_START = _col(
    "char_start", "integer", "offset of the first character in the clean text text/<doc_id>.txt"
)
CHAR_END = _col("char_end", "integer", "offset just past the last character in the clean text")
DOC_A = _col("doc_a", "text", "the newer document of the pair (by date, else by input order)")
DOC_B = _col("doc_b", "text", "the older document of the pair")
SEGMENT_A = _col("segment_a", "text", "a segment of doc_a (empty when there is none)")
SEGMENT_B = _col("segment_b", "text", "a segment of doc_b (empty when there is none)")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "documents",
            "input document",
            (
                DOC_ID,
                _col("title", "text", "the declaration's title (its title segment's text)"),
                _col(
                    "date",
                    "text",
                    "ISO 8601 date: the first full Dutch date in the title, preamble or first "
                    "point",
                ),
                _col(
                    "language",
                    "text",
                    "ISO 639-1 code of the language whose stop words make up the largest share "
                    "of the first 2,000 words",
                ),
                _col("source_path", "text", "the input file"),
                _col("source_sha256", "text", "SHA-256 of the input file's bytes"),
                _col("n_pages", "integer", "pages of the input (1 for text, HTML and DOCX)"),
                _col("n_segments", "integer", "rows of the document in segments"),
                _col("n_sentences", "integer", "rows of the document in sentences"),
                _col(
                    "warnings",
                    "list of text",
                    "what a reader of the results should know (e.g. not Dutch, no numbered "
                    "points found)",
                ),
            ),
            key=("doc_id",),
        ),
        Table(
            "segments",
            "structural unit of a document (docs/annotation.md section 1)",
            (
                DOC_ID,
                SEGMENT_ID,
                _col("kind", "text", "the kind of segment", scheme.SEGMENT_KINDS),
                _col(
                    "number",
                    "text",
                    "a point's number, a bullet's letter, a heading's roman numeral or a "
                    "footnote's mark, without punctuation",
                ),
                _col("heading_id", "text", "the segment_id of the heading the segment is under"),
                _col("text", "text", "the segment's clean text"),
                _col("page_start", "integer", "the page the segment starts on (from 1)"),
                _col("page_end", "integer", "the page the segment ends on"),
                CHAR_START,
                CHAR_END,
                _col(
                    "domains",
                    "list of text",
                    "the policy domains the segment is about (points, headings and bullets only)",
                    scheme.DOMAINS,
                ),
                _col(
                    "cap_topics",
                    "list of integers",
                    "the Comparative Agendas Project major-topic codes of its domains",
                    tuple(str(code) for code in scheme.CAP_TOPICS),
                ),
                _col(
                    "lemmas",
                    "text",
                    "the segment's words as lower-cased lemmas, space-separated (for comparison "
                    "and search)",
                ),
            ),
            key=("doc_id", "segment_id"),
        ),
        Table(
            "sentences",
            "sentence of a segment",
            (
                DOC_ID,
                SENTENCE_ID,
                SEGMENT_ID,
                _col("text", "text", "the sentence's clean text"),
                CHAR_START,
                CHAR_END,
                _col("speech_act", "text", "what the sentence does", scheme.SPEECH_ACTS),
                _col(
                    "speech_act_score",
                    "number",
                    "the classifier's probability of the speech act (0 to 1)",
                ),
                _col(
                    "reports_progress",
                    "boolean",
                    'whether the sentence reports a pledge as fulfilled ("is opgeheven", '
                    '"werd aangenomen"): evidence for commitment_tracking, never a commitment',
                ),
            ),
            key=("doc_id", "sentence_id"),
        ),
        Table(
            "entities",
            "named-entity mention (docs/annotation.md section 2)",
            (
                DOC_ID,
                SEGMENT_ID,
                SENTENCE_ID,
                _col("text", "text", "the mention as written"),
                _col("label", "text", "the kind of entity", scheme.ENTITY_LABELS),
                _col(
                    "key",
                    "text",
                    "the canonical actor key, the same for every name of one actor in any "
                    f"document (labels {', '.join(scheme.ACTOR_LABELS)} only)",
                ),
                CHAR_START,
                CHAR_END,
                _col("source", "text", "which component found the mention", scheme.ENTITY_SOURCES),
            ),
            key=("doc_id", "char_start", "char_end"),
        ),
        Table(
            "commitments",
            "commitment record: who commits to what (docs/annotation.md section 3)",
            (
                DOC_ID,
                SEGMENT_ID,
                SENTENCE_ID,
                _col("commitment_id", "text", "the record's id: <sentence_id>.c<K>"),
                _col(
                    "actors",
                    "list of text",
                    "the committing actors' keys: entity keys (the entities table's key) or "
                    "group keys (pipeline/data/cues/partner_groups.tsv)",
                ),
                _col(
                    "actor_source",
                    "text",
                    "where the actors come from: mention (named in the sentence), group "
                    "('wij', 'de partners', or the declaring parties), annex (an annex action "
                    "item commits the summit's participants), passive (an agentless passive)",
                    scheme.ACTOR_SOURCES,
                ),
                _col("action", "text", "the main action: verb lemma or light-verb phrase"),
                _col("object", "text", "the complement the action governs"),
                _col("strength", "text", "how firm the pledge is", scheme.STRENGTHS),
                _col("conditional", "boolean", "whether the pledge depends on a condition"),
                _col(
                    "condition",
                    "text",
                    "the condition's clause as written ('mits de hervormingen zijn uitgevoerd'), "
                    "empty when the pledge is unconditional",
                ),
                _col(
                    "condition_start",
                    "integer",
                    "offset of the condition's first character (no condition: the action's start)",
                ),
                _col(
                    "condition_end",
                    "integer",
                    "offset just past the condition's last character (no condition: the "
                    "action's start)",
                ),
                _col(
                    "reported",
                    "boolean",
                    "whether the committing party is not the declaration's authors",
                ),
                _col("dates", "list of text", "the dates the record names"),
                _col(
                    "deadlines",
                    "list of text",
                    "the dates that bound the action in time ('uiterlijk in 2028'), a subset "
                    "of dates, and relative deadlines as written ('voor de volgende top')",
                ),
                _col(
                    "confidence",
                    "number",
                    "a score for review (0-1, not a probability): below 0.6 the report flags "
                    "the record",
                ),
                _col("action_start", "integer", "offset of the action's first character"),
                _col("action_end", "integer", "offset just past the action's last character"),
                _col("object_start", "integer", "offset of the object's first character"),
                _col("object_end", "integer", "offset just past the object's last character"),
            ),
            key=("doc_id", "commitment_id"),
        ),
        Table(
            "domain_profiles",
            "document and policy domain it has",
            (
                DOC_ID,
                _col("domain", "text", "the policy domain", scheme.DOMAINS),
                _col("n_segments", "integer", "points, headings and bullets with the domain"),
                _col(
                    "share",
                    "number",
                    "n_segments over the document's points, headings and bullets (0 to 1)",
                ),
            ),
            key=("doc_id", "domain"),
        ),
        Table(
            "similarities",
            "pair of documents and method (beyond 50 documents: each document's nearest "
            "neighbours)",
            (
                DOC_A,
                DOC_B,
                _col("score", "number", "the similarity (0 to 1)"),
                _col("method", "text", "how it was measured", scheme.SIMILARITY_METHODS),
            ),
            key=("doc_a", "doc_b", "method"),
        ),
        Table(
            "alignments",
            "segment of doc_a with its counterpart in doc_b, or a segment of doc_b that nothing "
            "in doc_a continues",
            (
                DOC_A,
                SEGMENT_A,
                DOC_B,
                SEGMENT_B,
                _col("score", "number", "cosine of the two segments' TF-IDF vectors of lemmas"),
                _col("relation", "text", "how segment_a continues segment_b", scheme.RELATIONS),
                _col("kind_a", "text", "segment_a's kind", scheme.SEGMENT_KINDS),
                _col("kind_b", "text", "segment_b's kind", scheme.SEGMENT_KINDS),
                _col(
                    "candidate",
                    "text",
                    "the closest segment of doc_b, even when it is too far to be a counterpart "
                    "(relation new)",
                ),
                _col(
                    "moved",
                    "boolean",
                    "whether a matched segment left the order of doc_b",
                ),
                _col("text_a", "text", "segment_a's text"),
                _col("text_b", "text", "segment_b's text"),
            ),
        ),
        Table(
            "reuse",
            "passage of at least 8 words that a segment of doc_a shares verbatim with a "
            "segment of doc_b",
            (
                DOC_A,
                SEGMENT_A,
                DOC_B,
                SEGMENT_B,
                _col("text", "text", "the shared passage"),
                _col("n_words", "integer", "its length in words"),
                _col("char_start_a", "integer", "where it starts in segment_a's text"),
                _col("char_end_a", "integer", "where it ends in segment_a's text"),
                _col("char_start_b", "integer", "where it starts in segment_b's text"),
                _col("char_end_b", "integer", "where it ends in segment_b's text"),
            ),
        ),
        Table(
            "profile_changes",
            "pair of documents, facet and item: what doc_a adds, keeps or drops of doc_b",
            (
                DOC_A,
                DOC_B,
                _col("facet", "text", "what kind of item", scheme.PROFILE_FACETS),
                _col(
                    "item",
                    "text",
                    "the domain key, the actor key, or the commitment (actors: action object)",
                ),
                _col(
                    "in_a",
                    "integer",
                    "in doc_a: segments with the domain, mentions of the actor, or 1/0 for the "
                    "commitment",
                ),
                _col("in_b", "integer", "the same count in doc_b"),
                _col("change", "text", "what doc_a does with the item", scheme.PROFILE_CHANGES),
                SEGMENT_A,
                SEGMENT_B,
            ),
        ),
        Table(
            "commitment_tracking",
            "commitment of the older document of a consecutive pair in a series, with what the "
            "newer document does with it (docs/annotation.md section 6)",
            (
                DOC_A,
                DOC_B,
                _col("commitment_b", "text", "the pledge: its commitment_id in doc_b"),
                SEGMENT_B,
                _col("action_b", "text", "the pledge's action in doc_b"),
                _col(
                    "status",
                    "text",
                    "what doc_a does with the pledge",
                    scheme.TRACKING_STATUSES,
                ),
                _col(
                    "commitment_a",
                    "text",
                    "the commitment_id of the counterpart record in doc_a (repeated, revised; "
                    "empty when the counterpart sentence carries no record)",
                ),
                _col(
                    "segment_a",
                    "text",
                    "the segment of doc_a that repeats, revises or reports the pledge (empty "
                    "when dropped)",
                ),
                _col(
                    "changes",
                    "list of text",
                    "what a revision changed (revised only)",
                    scheme.CHANGE_KINDS,
                ),
                _col(
                    "score",
                    "number",
                    "cosine of the pledge and its counterpart (character n-gram TF-IDF, 0 to 1); "
                    "for a dropped pledge, that of its closest sentence",
                ),
                _col("evidence", "text", "the counterpart sentence of doc_a (the newer text)"),
            ),
            key=("doc_a", "doc_b", "commitment_b"),
        ),
        Table(
            "errors",
            "input that failed",
            (
                _col("source_path", "text", "the input file"),
                _col("doc_id", "text", "its doc_id, when it got that far"),
                _col("stage", "text", "the stage that failed (e.g. extract, process)"),
                _col("message", "text", "the reason, in words"),
            ),
        ),
    )
}
COLUMNS: dict[str, list[str]] = {
    name: [c.name for c in table.columns] for name, table in TABLES.items()
}
CORPUS_TABLES = (
    "similarities",
    "alignments",
    "reuse",
    "profile_changes",
    "commitment_tracking",
)
DOCUMENT_TABLES = (
    "documents",
    "segments",
    "sentences",
    "entities",
    "commitments",
    "domain_profiles",
)
# column name -> its type; a name means the same type in every table (tests/test_codebook.py)
COLUMN_TYPES = {c.name: c.type for table in TABLES.values() for c in table.columns}
LIST_COLUMNS = {name for name, type_ in COLUMN_TYPES.items() if type_.startswith("list")}


def arrow_type(column: str):
    """The Parquet type of a table column (text for a column no table declares), fixed so that
    every batch of rows agrees."""
    return TYPES[COLUMN_TYPES.get(column, "text")]


def arrow_schema(name: str):
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
