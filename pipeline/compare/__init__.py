"""Compare declarations: how alike two are, which passages of one come from the other, what is new.

Summit declarations are written from their predecessors: passages are kept, revised, moved,
dropped and added. This package answers the questions researchers ask of that, at the level of
the segments of ANNOTATION.md (points, headings, bullets, ...). It reads the CONTRACT.md tables
as pandas DataFrames, so it runs inside ``run`` and on an existing output folder alike
(``compare_output_dir``). ``compare_corpus`` returns five tables:

``similarities``  one row per pair of documents and method (for large corpora: each document's
                  ``top_k`` nearest neighbours):

                  - ``tfidf_cosine``: cosine of the documents' TF-IDF vectors over lemmas
                    (sublinear term frequency, IDF over the corpus), as quanteda's textstat_simil;
                  - ``shingle_jaccard``: |A ∩ B| / |A ∪ B| over the sets of word 5-gram
                    shingles (lower-cased, never across a segment boundary, so that moving a
                    point does not count as a change), as the textreuse package;
                  - ``shingle_containment``: |A ∩ B| / |A|, the share of doc_a's text that is
                    found in doc_b (how much of the newer declaration is reused);
                  - ``shingle_containment_b``: |A ∩ B| / |B|, the share of doc_b's text that
                    doc_a keeps.
``alignments``    one row per segment of doc_a with its counterpart in doc_b (or none), and one
                  row per segment of doc_b that nothing in doc_a continues (``dropped``). See
                  "Alignment" below.
``reuse``         every maximal word sequence of at least ``REUSE_MIN_WORDS`` words that a
                  segment of doc_a shares verbatim with a segment of doc_b (as passim does),
                  with its character offsets inside both segments.
``profile_changes`` domains, actors and commitments of doc_a against doc_b: what doc_a adds,
                  drops or keeps (see ``profile_changes``).
``commitment_tracking`` one row per commitment of the older document of each consecutive pair
                  of a series: repeated, revised (with its changes), reported_done or dropped,
                  with the counterpart in the newer document (``series.py``, ``tracking.py``).

Direction. A row is always read "doc_a against doc_b", where doc_a is the newer document and
doc_b the older one: by the ``date`` column of the documents table when every document has a
date, otherwise by input order (a document that comes later is taken to be newer). Explicit
``pairs`` keep the orientation they are given in.

Alignment. Every segment is a TF-IDF vector over its lemma unigrams and bigrams (IDF over all
segments of the corpus). For each segment of doc_a the counterpart is the segment of doc_b with
the highest cosine, with a small bonus (``KIND_BONUS``) for a segment of the same kind, so that
a bullet prefers a bullet when two candidates are almost equally close. The relation is

- ``identical`` when both segments have the same words in the same order (case, punctuation
  and spacing aside: the number of a point is not part of its text, so a renumbered point is
  still identical);
- ``revised`` when the cosine is at least ``REVISED_MIN_SCORE``;
- ``new`` otherwise (``segment_b`` is empty; ``candidate`` still names the closest segment).

A declaration's title, preamble and annex title play one role in every declaration: when both
documents have exactly one, they are each other's counterpart whatever their wording, and
``revised`` unless identical. Segments of doc_b that are no counterpart are ``dropped``.
``moved`` marks matched segments that left the order of doc_b: those outside one longest chain
of counterparts in doc_b's order. ``REVISED_MIN_SCORE`` was calibrated, and ``KIND_BONUS``
checked, on the team-written calibration follow-up of the seed
(corpus/annotated/followups/, ``python -m benchmarks.compare calibrate``); the test
follow-up is held out for evaluation.

Scale. No loop runs over all pairs of documents. Up to ``ALL_PAIRS_MAX_DOCS`` documents every
pair is compared; beyond that (or when ``top_k`` is given) each document's ``top_k`` nearest
neighbours by TF-IDF cosine are found with chunked matrix products and ``argpartition``, and
alignment, reuse and profile changes run for those neighbour pairs only. Identical segment
texts are tokenised once.

Modules, one per responsibility: ``corpus`` (the segments tokenised once, the matrices),
``similarity`` (which pairs, how alike), ``align``, ``reuse``, ``profiles``, ``series``
(which documents follow which), ``tracking`` (what the next declaration does with each
pledge: ``commitment_tracking``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..scheme import RELATIONS, SIMILARITY_METHODS  # noqa: F401  (compare.RELATIONS ...)
from ..store import read_table, table_path
from ..tables import CORPUS_TABLES
from .align import KIND_BONUS, REVISED_MIN_SCORE, ROLE_KINDS, align_pair, alignments, out_of_order
from .corpus import _TOKEN, SHINGLE_WORDS, Corpus, _empty, prepare
from .profiles import profile_changes
from .reuse import REUSE_EXCLUDED_KINDS, REUSE_MIN_WORDS, reuse, shared_runs
from .series import consecutive_pairs, document_series
from .similarity import (
    ALL_PAIRS_MAX_DOCS,
    DEFAULT_TOP_K,
    _explicit_pairs,
    _orient,
    document_pairs,
    similarities,
    top_k_neighbours,
)
from .tracking import commitment_tracking

__all__ = [
    "ALL_PAIRS_MAX_DOCS",
    "DEFAULT_TOP_K",
    "KIND_BONUS",
    "REUSE_EXCLUDED_KINDS",
    "REUSE_MIN_WORDS",
    "REVISED_MIN_SCORE",
    "ROLE_KINDS",
    "SHINGLE_WORDS",
    "_TOKEN",
    "Corpus",
    "align_pair",
    "alignments",
    "commitment_tracking",
    "compare_corpus",
    "consecutive_pairs",
    "document_series",
    "compare_output_dir",
    "document_pairs",
    "out_of_order",
    "prepare",
    "profile_changes",
    "reuse",
    "shared_runs",
    "similarities",
    "top_k_neighbours",
]

# --- entry points ---------------------------------------------------------------------------


def compare_corpus(
    segments: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    commitments: pd.DataFrame | None = None,
    domain_profiles: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    pairs=None,
    top_k: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Compare the documents of a segments table (see the package docstring).

    ``pairs``: (doc_a, doc_b) tuples or a DataFrame with those columns, doc_a the newer: align,
    find reuse and profile changes for exactly these pairs (e.g. each document and the
    predecessors it names). ``top_k``: compare each document with its top_k nearest neighbours
    only (the default beyond ``ALL_PAIRS_MAX_DOCS`` documents). ``documents``: the documents
    table, whose ``date`` column orders the documents and whose ``series`` column (from
    ``--metadata``), where present, names each one's series. ``sentences`` and
    ``commitments``: for ``commitment_tracking``, over the consecutive pairs of each series
    (``series.py``), or over ``pairs`` when given.
    """
    corpus = prepare(segments, documents)
    if corpus.n_docs < 2:
        return {name: _empty(name) for name in CORPUS_TABLES}
    a, b = document_pairs(corpus, top_k)
    if pairs is not None:
        work_a, work_b = _explicit_pairs(corpus, pairs)
        # similarities describe the corpus and the requested pairs
        sim_a = np.concatenate([a, work_a])
        sim_b = np.concatenate([b, work_b])
        sim_a, sim_b = _orient(corpus, sim_a, sim_b)
    else:
        work_a, work_b, sim_a, sim_b = a, b, a, b
    aligned = alignments(corpus, work_a, work_b)
    pair_frame = pd.DataFrame({"doc_a": corpus.doc_ids[work_a], "doc_b": corpus.doc_ids[work_b]})
    similar = similarities(corpus, sim_a, sim_b)
    if pairs is not None:
        tracked = pair_frame
    else:
        known = (
            documents
            if documents is not None and "doc_id" in documents
            else pd.DataFrame({"doc_id": corpus.doc_ids})
        )
        known = known[known["doc_id"].isin(set(corpus.doc_ids))]
        rank = pd.Series(corpus.rank, index=corpus.doc_ids)
        tracked = consecutive_pairs(known, rank, similar)
    return {
        "similarities": similar,
        "alignments": aligned,
        "reuse": reuse(corpus, work_a, work_b),
        "profile_changes": profile_changes(
            segments,
            pair_frame,
            aligned,
            entities=entities,
            commitments=commitments,
            domain_profiles=domain_profiles,
        ),
        "commitment_tracking": commitment_tracking(
            tracked, commitments, sentences, segments, documents
        ),
    }


def _read_table(folder: Path, name: str) -> pd.DataFrame | None:
    return read_table(folder, name) if table_path(folder, name) else None


def compare_output_dir(
    path: str | Path | Iterable[str | Path], **options
) -> dict[str, pd.DataFrame]:
    """compare_corpus over the tables of one or more existing ``run`` output folders."""
    folders = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    tables: dict[str, pd.DataFrame | None] = {}
    for name in (
        "segments",
        "documents",
        "sentences",
        "entities",
        "commitments",
        "domain_profiles",
    ):
        found = [t for t in (_read_table(f, name) for f in folders) if t is not None and len(t)]
        tables[name] = pd.concat(found, ignore_index=True) if found else None
    if tables["segments"] is None:
        raise FileNotFoundError(f"no segments table in {', '.join(map(str, folders))}")
    return compare_corpus(
        tables["segments"],
        entities=tables["entities"],
        commitments=tables["commitments"],
        domain_profiles=tables["domain_profiles"],
        documents=tables["documents"],
        sentences=tables["sentences"],
        **options,
    )
