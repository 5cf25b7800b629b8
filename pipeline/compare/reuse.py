"""Reused passages: every maximal word sequence two segments share verbatim (as passim does)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus, _empty, _ngram_hashes

REUSE_MIN_WORDS = 8
# title, annex title and footnotes are boilerplate ("Bijlage bij de verklaring", the Kosovo
# footnote) that every declaration repeats: not what a researcher means by reuse
REUSE_EXCLUDED_KINDS = frozenset({"title", "annex_title", "footnote"})

# --- reused passages ------------------------------------------------------------------------


@dataclass
class _Grams:
    """Token n-grams of every document that may count as reuse, sorted by (document, hash)."""

    hashes: np.ndarray
    starts: np.ndarray  # global token index where the n-gram starts
    doc_start: np.ndarray
    doc_end: np.ndarray
    n: int


def _reuse_grams(corpus: Corpus, n: int, excluded_kinds: Iterable[str]) -> _Grams:
    h, start = _ngram_hashes(corpus.tok_id, corpus.tok_seg, n)
    seg = corpus.tok_seg[start] if len(start) else np.zeros(0, np.int64)
    allowed = ~np.isin(corpus.kinds, list(excluded_kinds))
    keep = allowed[seg] if len(seg) else np.zeros(0, bool)
    h, start, seg = h[keep], start[keep], seg[keep]
    doc = corpus.seg_doc[seg]
    order = np.lexsort((h, doc))
    h, start, doc = h[order], start[order], doc[order]
    bounds = np.searchsorted(doc, np.arange(corpus.n_docs + 1))
    return _Grams(h, start, bounds[:-1], bounds[1:], n)


def shared_runs(
    ha: np.ndarray, ga: np.ndarray, hb: np.ndarray, gb: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximal runs of n-grams shared by two token streams: (start in a, start in b, n-grams).

    ``hb`` is sorted. Every n-gram of a is looked up in b; matches on one diagonal (same
    offset between a and b) with consecutive starts form one run, i.e. one shared passage.
    """
    lo = np.searchsorted(hb, ha, side="left")
    hi = np.searchsorted(hb, ha, side="right")
    count = hi - lo
    total = int(count.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    ia = np.repeat(np.arange(len(ha)), count)
    ib = np.repeat(lo, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    xa, xb = ga[ia], gb[ib]
    diagonal = xa - xb
    order = np.lexsort((xa, diagonal))
    xa, xb, diagonal = xa[order], xb[order], diagonal[order]
    new_run = np.ones(total, dtype=bool)
    new_run[1:] = (diagonal[1:] != diagonal[:-1]) | (xa[1:] != xa[:-1] + 1)
    first = np.flatnonzero(new_run)
    lengths = np.diff(np.append(first, total))
    return xa[first], xb[first], lengths


def reuse(
    corpus: Corpus,
    a: np.ndarray,
    b: np.ndarray,
    min_words: int = REUSE_MIN_WORDS,
    excluded_kinds: Iterable[str] = REUSE_EXCLUDED_KINDS,
) -> pd.DataFrame:
    """The reuse table: passages of at least min_words words that doc_a shares with doc_b.

    Passages are matched on exact tokens (case and punctuation included, whitespace aside),
    so ``text`` is found verbatim in both segments; a passage never crosses a segment boundary.
    """
    grams = _reuse_grams(corpus, min_words, excluded_kinds)
    words_before = np.concatenate([[0], np.cumsum(corpus.tok_word)])
    parts = []
    for da, db in zip(a.tolist(), b.tolist()):
        ra = slice(grams.doc_start[da], grams.doc_end[da])
        rb = slice(grams.doc_start[db], grams.doc_end[db])
        start_a, start_b, length = shared_runs(
            grams.hashes[ra], grams.starts[ra], grams.hashes[rb], grams.starts[rb]
        )
        if len(length):
            parts.append(
                (np.full(len(length), da), np.full(len(length), db), start_a, start_b, length)
            )
    if not parts:
        return _empty("reuse")
    doc_a, doc_b, start_a, start_b, length = (np.concatenate(x) for x in zip(*parts))
    end_a = start_a + length + grams.n - 1  # exclusive token ends
    end_b = start_b + length + grams.n - 1
    n_words = words_before[end_a] - words_before[start_a]
    keep = n_words >= min_words
    doc_a, doc_b, start_a, start_b, end_a, end_b, n_words = (
        x[keep] for x in (doc_a, doc_b, start_a, start_b, end_a, end_b, n_words)
    )
    seg_a, seg_b = corpus.tok_seg[start_a], corpus.tok_seg[start_b]
    cs_a, ce_a = corpus.tok_start[start_a], corpus.tok_end[end_a - 1]
    cs_b, ce_b = corpus.tok_start[start_b], corpus.tok_end[end_b - 1]
    texts = [t[s:e] for t, s, e in zip(corpus.texts[seg_a], cs_a.tolist(), ce_a.tolist())]
    frame = pd.DataFrame(
        {
            "doc_a": corpus.doc_ids[doc_a],
            "segment_a": corpus.seg_ids[seg_a],
            "doc_b": corpus.doc_ids[doc_b],
            "segment_b": corpus.seg_ids[seg_b],
            "text": texts,
            "n_words": n_words.astype(np.int64),
            "char_start_a": cs_a.astype(np.int64),
            "char_end_a": ce_a.astype(np.int64),
            "char_start_b": cs_b.astype(np.int64),
            "char_end_b": ce_b.astype(np.int64),
        }
    )
    return frame.sort_values(
        ["doc_a", "doc_b", "n_words"], ascending=[True, True, False], kind="stable"
    ).reset_index(drop=True)
