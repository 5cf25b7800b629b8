"""Segment alignment: each segment of the newer document with its counterpart in the older.

See "Alignment" in the package docstring.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
import pandas as pd

from ..scheme import RELATIONS
from .corpus import Corpus, _empty

# kinds that occur once per declaration and play the same role in every one of them
ROLE_KINDS = ("title", "preamble", "annex_title")
# calibrated on sofia-followup-calibration-nl (`python -m benchmarks.compare calibrate`):
# every value from about 0.17 (the closest new segment) to 0.36 (the most rewritten revision
# that is not a title) aligns all 49 segments right; 0.261 is the middle of that interval (the
# bounds move by about 0.01 with the lemmatizer's version)
REVISED_MIN_SCORE = 0.261
# a tie-breaker, not a score: the calibration set needs at least 0.02 (a bullet "De digitale
# agenda ... uitvoeren" is otherwise matched to the heading "Een digitale agenda ..."), and
# every value up to 0.4 aligns it equally well; kept small so that a point rewritten as a
# bullet still finds its counterpart
KIND_BONUS = 0.05

# --- segment alignment ----------------------------------------------------------------------


def out_of_order(positions: list[int]) -> np.ndarray:
    """True for the elements outside one longest non-decreasing subsequence of positions.

    Applied to the counterparts' positions in doc_b, read in doc_a's order: what is not on
    the longest chain that keeps doc_b's order has moved.
    """
    tails: list[int] = []  # tails[L] = index of the smallest last element of a chain of L+1
    tail_values: list[int] = []
    previous = [-1] * len(positions)
    for idx, value in enumerate(positions):
        length = bisect_right(tail_values, value)
        previous[idx] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(idx)
            tail_values.append(value)
        else:
            tails[length] = idx
            tail_values[length] = value
    moved = np.ones(len(positions), dtype=bool)
    idx = tails[-1] if tails else -1
    while idx >= 0:
        moved[idx] = False
        idx = previous[idx]
    return moved


def align_pair(
    corpus: Corpus,
    a: int,
    b: int,
    revised_min_score: float = REVISED_MIN_SCORE,
    kind_bonus: float = KIND_BONUS,
) -> dict[str, np.ndarray]:
    """Alignment of document a (newer) against document b (older), as arrays of segment rows.

    Returns seg_a, seg_b (-1 where absent), candidate, score, relation (index into RELATIONS)
    and moved, one entry per segment of a followed by one per dropped segment of b.
    """
    sa, ea = corpus.seg_start[a], corpus.seg_end[a]
    sb, eb = corpus.seg_start[b], corpus.seg_end[b]
    na, nb = ea - sa, eb - sb
    rows_a = np.arange(sa, ea)
    if nb == 0:
        return {
            "seg_a": rows_a,
            "seg_b": np.full(na, -1),
            "candidate": np.full(na, -1),
            "score": np.zeros(na),
            "relation": np.full(na, 2),
            "moved": np.zeros(na, bool),
        }
    S = (corpus.seg_tfidf[sa:ea] @ corpus.seg_tfidf[sb:eb].T).toarray()
    key_a, key_b = corpus.text_key[sa:ea], corpus.text_key[sb:eb]
    same_text = (key_a[:, None] == key_b[None, :]) & (key_a[:, None] != 0)
    kind_a, kind_b = corpus.kinds[sa:ea], corpus.kinds[sb:eb]
    same_kind = kind_a[:, None] == kind_b[None, :]
    choice = S + kind_bonus * same_kind + 10.0 * same_text
    role = np.zeros(na, dtype=bool)
    for kind in ROLE_KINDS:
        in_a, in_b = np.flatnonzero(kind_a == kind), np.flatnonzero(kind_b == kind)
        if len(in_a) == 1 and len(in_b) == 1:
            choice[in_a[0], in_b[0]] += 100.0
            role[in_a[0]] = True
    best = choice.argmax(axis=1)
    score = S[np.arange(na), best]
    identical = same_text[np.arange(na), best]
    relation = np.where(identical, 0, np.where(role | (score >= revised_min_score), 1, 2))
    score = np.where(identical, 1.0, score)
    matched = relation < 2
    seg_b = np.where(matched, sb + best, -1)
    moved = np.zeros(na, dtype=bool)
    moved[matched] = out_of_order(best[matched].tolist())

    kept = np.zeros(nb, dtype=bool)
    kept[best[matched]] = True
    dropped = np.flatnonzero(~kept)
    if na:
        d_best = S[:, dropped].argmax(axis=0)
        d_score = S[d_best, dropped]
        d_candidate = sa + d_best
    else:
        d_score = np.zeros(len(dropped))
        d_candidate = np.full(len(dropped), -1)
    nd = len(dropped)
    return {
        "seg_a": np.concatenate([rows_a, np.full(nd, -1)]),
        "seg_b": np.concatenate([seg_b, sb + dropped]),
        "candidate": np.concatenate([sb + best, d_candidate]),
        "score": np.concatenate([score, d_score]),
        "relation": np.concatenate([relation, np.full(nd, 3)]),
        "moved": np.concatenate([moved, np.zeros(nd, bool)]),
    }


def alignments(corpus: Corpus, a: np.ndarray, b: np.ndarray, **params) -> pd.DataFrame:
    """The alignments table for the given (newer, older) document pairs."""
    parts = []
    for da, db in zip(a.tolist(), b.tolist()):
        part = align_pair(corpus, da, db, **params)
        part["doc_a"] = np.full(len(part["seg_a"]), da)
        part["doc_b"] = np.full(len(part["seg_a"]), db)
        parts.append(part)
    if not parts:
        return _empty("alignments")
    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    def pick(values: np.ndarray, index: np.ndarray) -> np.ndarray:
        out = np.full(len(index), None, dtype=object)
        ok = index >= 0
        out[ok] = values[index[ok]]
        return out

    return pd.DataFrame(
        {
            "doc_a": corpus.doc_ids[cat["doc_a"]],
            "segment_a": pick(corpus.seg_ids, cat["seg_a"]),
            "doc_b": corpus.doc_ids[cat["doc_b"]],
            "segment_b": pick(corpus.seg_ids, cat["seg_b"]),
            "score": np.clip(cat["score"], 0.0, 1.0).round(6),
            "relation": np.asarray(RELATIONS, dtype=object)[cat["relation"]],
            "kind_a": pick(corpus.kinds, cat["seg_a"]),
            "kind_b": pick(corpus.kinds, cat["seg_b"]),
            "candidate": pick(corpus.seg_ids, cat["candidate"]),
            "moved": cat["moved"],
            "text_a": pick(corpus.texts, cat["seg_a"]),
            "text_b": pick(corpus.texts, cat["seg_b"]),
        }
    )
