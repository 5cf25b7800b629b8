"""Compare declarations: how alike two are, which passages of one come from the other, what is new.

Summit declarations are written from their predecessors: passages are kept, revised, moved,
dropped and added. This module answers the questions researchers ask of that, at the level of
the segments of ANNOTATION.md (points, headings, bullets, ...). It reads the CONTRACT.md tables
as pandas DataFrames, so it runs inside ``run`` and on an existing output folder alike
(``compare_output_dir``). ``compare_corpus`` returns four tables:

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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from .scheme import RELATIONS, SIMILARITY_METHODS
from .tables import COLUMNS, CORPUS_TABLES

# --- parameters (see the module docstring) --------------------------------------------------

ALL_PAIRS_MAX_DOCS = 50
DEFAULT_TOP_K = 5
SHINGLE_WORDS = 5
REUSE_MIN_WORDS = 8
# title, annex title and footnotes are boilerplate ("Bijlage bij de verklaring", the Kosovo
# footnote) that every declaration repeats: not what a researcher means by reuse
REUSE_EXCLUDED_KINDS = frozenset({"title", "annex_title", "footnote"})
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
# dense float32 products for the neighbour search when the matrix fits in this many bytes
DENSE_BYTES = 1 << 30
CHUNK_ROWS = 256


# words (with inner hyphens and apostrophes: "sociaal-economische"), numbers with their
# separators ("3,3", "2.400"), and every other non-space character as a token of its own
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:[-'’]\w+)*|[^\w\s]")
_PRIME = np.uint64(1099511628211)


# --- preparing the corpus -------------------------------------------------------------------


@dataclass
class _Corpus:
    """The segments of every document, tokenised once, with the matrices the comparisons use.

    Segment rows are sorted by document (stable), so that the segments of document d are the
    rows ``seg_start[d]:seg_end[d]`` of every per-segment array and matrix.
    """

    doc_ids: np.ndarray  # object, input order
    rank: np.ndarray  # newer documents have a higher rank
    seg_ids: np.ndarray  # object
    kinds: np.ndarray  # object
    texts: np.ndarray  # object
    seg_doc: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    text_key: np.ndarray  # uint64 hash of the normalised words; 0 for a segment without words
    seg_tfidf: sp.csr_matrix  # segments x (lemma unigrams + bigrams), rows L2-normalised
    doc_tfidf: sp.csr_matrix  # documents x lemma unigrams, rows L2-normalised
    shingles: sp.csr_matrix  # documents x word 5-gram shingles, binary
    # tokens, concatenated over all segments (punctuation included, case kept)
    tok_id: np.ndarray
    tok_word: np.ndarray
    tok_start: np.ndarray  # character offsets inside the segment's text
    tok_end: np.ndarray
    tok_seg: np.ndarray
    seg_tok: np.ndarray  # segment s has tokens seg_tok[s]:seg_tok[s+1]

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)


def _tokenize_unique(texts: np.ndarray) -> tuple[np.ndarray, list, list, list]:
    """Token strings and offsets of each distinct text, and the code of every text.

    Declarations repeat each other verbatim, so a corpus has far fewer distinct segment texts
    than segments; each is tokenised once.
    """
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object).fillna(""), sort=False)
    tokens, starts, ends = [], [], []
    for text in uniques:
        found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        tokens.append([t for t, _, _ in found])
        starts.append([s for _, s, _ in found])
        ends.append([e for _, _, e in found])
    return codes, tokens, starts, ends


def _expand(codes: np.ndarray, per_unique: list[list], dtype) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate the per-distinct-text lists in segment order: (values, segment offsets)."""
    lengths = np.fromiter((len(x) for x in per_unique), dtype=np.int64, count=len(per_unique))
    flat = (
        np.fromiter((v for x in per_unique for v in x), dtype=dtype, count=int(lengths.sum()))
        if dtype is not object
        else np.array([v for x in per_unique for v in x], dtype=object)
    )
    unique_offsets = np.concatenate([[0], np.cumsum(lengths)])
    seg_lengths = lengths[codes]
    seg_offsets = np.concatenate([[0], np.cumsum(seg_lengths)])
    # position of every segment token inside `flat`
    index = np.repeat(unique_offsets[codes] - seg_offsets[:-1], seg_lengths) + np.arange(
        seg_offsets[-1]
    )
    return flat[index], seg_offsets


def _ngram_hashes(ids: np.ndarray, group: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every n-gram of ``ids`` that stays inside one group, and where each starts."""
    m = len(ids) - n + 1
    if m <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    values = ids.astype(np.uint64) + np.uint64(1)
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):  # polynomial hash modulo 2**64 (numpy integer arrays wrap around)
        h = h * _PRIME + values[k : k + m]
    inside = group[:m] == group[n - 1 :]
    return h[inside], np.flatnonzero(inside)


def _document_order(doc_ids: np.ndarray, documents: pd.DataFrame | None) -> np.ndarray:
    """Rank of each document, newer = higher: by date when all have one, else input order."""
    position = np.arange(len(doc_ids))
    if documents is None or "date" not in documents or "doc_id" not in documents:
        return position
    dates = pd.to_datetime(
        documents.drop_duplicates("doc_id").set_index("doc_id")["date"], errors="coerce"
    )
    dates = dates.reindex(doc_ids)
    if dates.isna().any():
        return position
    order = np.lexsort((position, dates.to_numpy()))
    rank = np.empty_like(position)
    rank[order] = position
    return rank


def _analyzer(text: str) -> list[str]:
    """Lemma unigrams and bigrams of one segment (its "lemmas" string or its text)."""
    words = [t for t in _TOKEN.findall(text.lower()) if t[0].isalnum()]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def prepare(segments: pd.DataFrame, documents: pd.DataFrame | None = None) -> _Corpus:
    """Tokenise the segments table and build the matrices every comparison reads."""
    missing = {"doc_id", "segment_id", "text"} - set(segments.columns)
    if missing:
        raise ValueError(f"segments table lacks columns {sorted(missing)}")
    doc_codes, doc_ids = pd.factorize(segments["doc_id"].astype(str), sort=False)
    order = np.argsort(doc_codes, kind="stable")
    seg = segments.iloc[order]
    seg_doc = doc_codes[order]
    n_docs, n_seg = len(doc_ids), len(seg)
    counts = np.bincount(seg_doc, minlength=n_docs)
    seg_end = np.cumsum(counts)
    seg_start = seg_end - counts
    texts = seg["text"].fillna("").astype(str).to_numpy(dtype=object)
    kinds = (
        (seg["kind"].fillna("") if "kind" in seg else pd.Series([""] * n_seg))
        .astype(str)
        .to_numpy(dtype=object)
    )

    # tokens: punctuation and case kept (reuse), words lower-cased (shingles, identity)
    codes, tokens, starts, ends = _tokenize_unique(texts)
    token_codes, token_uniques = pd.factorize(
        pd.Series([t for toks in tokens for t in toks], dtype=object), sort=False
    )
    per_unique_ids, i = [], 0
    for toks in tokens:
        per_unique_ids.append(token_codes[i : i + len(toks)])
        i += len(toks)
    tok_id, seg_tok = _expand(codes, per_unique_ids, np.int64)
    tok_start, _ = _expand(codes, starts, np.int32)
    tok_end, _ = _expand(codes, ends, np.int32)
    tok_seg = np.repeat(np.arange(n_seg), np.diff(seg_tok))
    uniques = pd.Series(token_uniques, dtype=object)
    is_word = uniques.str.match(r"\w").to_numpy(dtype=bool)
    lower_codes, _ = pd.factorize(uniques.str.lower(), sort=False)
    tok_word = is_word[tok_id] if len(tok_id) else np.zeros(0, bool)

    # identity of a segment: its lower-cased words in order
    words_per_unique = [" ".join(t.lower() for t in toks if t[0].isalnum()) for toks in tokens]
    unique_keys = pd.util.hash_array(np.array(words_per_unique, dtype=object)).astype(np.uint64)
    unique_keys[np.array([w == "" for w in words_per_unique], dtype=bool)] = 0
    text_key = unique_keys[codes] if len(codes) else np.zeros(0, np.uint64)

    # TF-IDF: lemmas when records.py provides them, else the lower-cased words of the text
    features = texts
    if "lemmas" in seg:
        lemmas = seg["lemmas"].astype(object).to_numpy()
        has = pd.notna(lemmas) & (pd.Series(lemmas).astype(str).str.strip() != "").to_numpy()
        features = np.where(has, lemmas, texts)
    f_codes, f_uniques = pd.factorize(pd.Series(features, dtype=object), sort=False)
    vectorizer = CountVectorizer(analyzer=_analyzer, dtype=np.float32)
    try:
        counts_unique = vectorizer.fit_transform(list(f_uniques))
    except ValueError:  # no words at all
        counts_unique = sp.csr_matrix((len(f_uniques), 1), dtype=np.float32)
    seg_counts = counts_unique[f_codes]
    seg_tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(seg_counts).astype(np.float32)
    unigram = (
        np.array([" " not in f for f in vectorizer.get_feature_names_out()], dtype=bool)
        if hasattr(vectorizer, "vocabulary_")
        else np.ones(1, bool)
    )
    membership = sp.csr_matrix(
        (np.ones(n_seg, np.float32), (seg_doc, np.arange(n_seg))), shape=(n_docs, n_seg)
    )
    doc_counts = (membership @ seg_counts[:, np.flatnonzero(unigram)]).tocsr()
    doc_tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(doc_counts).astype(np.float32)

    # word 5-gram shingles of each document, never across a segment boundary
    word_pos = np.flatnonzero(tok_word)
    h, start = _ngram_hashes(lower_codes[tok_id[word_pos]], tok_seg[word_pos], SHINGLE_WORDS)
    shingle_doc = seg_doc[tok_seg[word_pos[start]]] if len(start) else np.zeros(0, np.int64)
    columns, _ = pd.factorize(h)
    shingles = sp.csr_matrix(
        (np.ones(len(h), np.float32), (shingle_doc, columns)),
        shape=(n_docs, max(len(np.unique(columns)), 1)),
    )
    shingles.sum_duplicates()
    shingles.data[:] = 1.0

    return _Corpus(
        doc_ids=np.asarray(doc_ids, dtype=object),
        rank=_document_order(np.asarray(doc_ids), documents),
        seg_ids=seg["segment_id"].astype(str).to_numpy(dtype=object),
        kinds=kinds,
        texts=texts,
        seg_doc=seg_doc,
        seg_start=seg_start,
        seg_end=seg_end,
        text_key=text_key,
        seg_tfidf=seg_tfidf.tocsr(),
        doc_tfidf=doc_tfidf.tocsr(),
        shingles=shingles,
        tok_id=tok_id,
        tok_word=tok_word,
        tok_start=tok_start,
        tok_end=tok_end,
        tok_seg=tok_seg,
        seg_tok=seg_tok,
    )


# --- which pairs of documents ---------------------------------------------------------------


def top_k_neighbours(
    X: sp.csr_matrix, k: int, chunk_rows: int = CHUNK_ROWS, dense_bytes: int = DENSE_BYTES
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's k most similar other rows by dot product: (row, neighbour, score) arrays.

    Rows of X are L2-normalised, so the dot product is the cosine. A term that occurs in one
    row only adds nothing to any dot product between two rows, so those columns are left out
    of the product (the norms already count them). The product runs in chunks of rows, as
    dense float32 BLAS when the pruned matrix fits in ``dense_bytes``, else sparse.
    """
    X = X.tocsr()
    n = X.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float32)
    df = np.bincount(X.indices, minlength=X.shape[1])
    X = X[:, np.flatnonzero(df >= 2)]
    dense = n * X.shape[1] * 4 <= dense_bytes
    if dense:
        M = X.toarray().astype(np.float32, copy=False)
    else:
        XT = X.T.tocsr()
    rows, cols, scores = [], [], []
    for s in range(0, n, chunk_rows):
        e = min(n, s + chunk_rows)
        S = M[s:e] @ M.T if dense else (X[s:e] @ XT).toarray()
        S[np.arange(e - s), np.arange(s, e)] = -np.inf
        idx = np.argpartition(-S, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(S, idx, axis=1)
        rows.append(np.repeat(np.arange(s, e), k))
        cols.append(idx.ravel())
        scores.append(top.ravel())
    rows, cols, scores = map(np.concatenate, (rows, cols, scores))
    keep = scores > 0
    return rows[keep], cols[keep], scores[keep]


def _orient(corpus: _Corpus, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique unordered pairs, as (newer, older) index arrays."""
    newer = np.where(corpus.rank[i] >= corpus.rank[j], i, j)
    older = np.where(corpus.rank[i] >= corpus.rank[j], j, i)
    pairs = np.unique(np.stack([newer, older], axis=1), axis=0) if len(i) else np.zeros((0, 2), int)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return pairs[:, 0], pairs[:, 1]


def document_pairs(corpus: _Corpus, top_k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of a small corpus; each document's top_k neighbours in a large one."""
    n = corpus.n_docs
    if top_k is None and n <= ALL_PAIRS_MAX_DOCS:
        i, j = np.triu_indices(n, 1)
    else:
        i, j, _ = top_k_neighbours(corpus.doc_tfidf, top_k or DEFAULT_TOP_K)
    return _orient(corpus, i, j)


def _explicit_pairs(corpus: _Corpus, pairs) -> tuple[np.ndarray, np.ndarray]:
    frame = (
        pairs
        if isinstance(pairs, pd.DataFrame)
        else pd.DataFrame(list(pairs), columns=["doc_a", "doc_b"])
    )
    index = pd.Series(np.arange(corpus.n_docs), index=corpus.doc_ids)
    unknown = set(frame["doc_a"]).union(frame["doc_b"]) - set(index.index)
    if unknown:
        raise ValueError(f"pairs name documents without segments: {sorted(unknown)}")
    a = index[frame["doc_a"].to_numpy()].to_numpy()
    b = index[frame["doc_b"].to_numpy()].to_numpy()
    keep = a != b
    return a[keep], b[keep]


# --- document similarity --------------------------------------------------------------------


def _rowwise_dot(X: sp.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 2048) -> np.ndarray:
    out = np.zeros(len(a), dtype=np.float64)
    for s in range(0, len(a), chunk):
        out[s : s + chunk] = np.asarray(
            X[a[s : s + chunk]].multiply(X[b[s : s + chunk]]).sum(axis=1)
        ).ravel()
    return out


def similarities(corpus: _Corpus, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """The similarities table for the given (newer, older) document pairs."""
    cosine = _rowwise_dot(corpus.doc_tfidf, a, b)
    shared = _rowwise_dot(corpus.shingles, a, b)
    size = np.diff(corpus.shingles.indptr).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        union = size[a] + size[b] - shared
        scores = {
            "tfidf_cosine": cosine,
            "shingle_jaccard": np.where(union > 0, shared / union, 0.0),
            "shingle_containment": np.where(size[a] > 0, shared / size[a], 0.0),
            "shingle_containment_b": np.where(size[b] > 0, shared / size[b], 0.0),
        }
    frames = [
        pd.DataFrame(
            {
                "doc_a": corpus.doc_ids[a],
                "doc_b": corpus.doc_ids[b],
                "score": np.clip(scores[m], 0.0, 1.0).round(6),
                "method": m,
            }
        )
        for m in SIMILARITY_METHODS
    ]
    return pd.concat(frames, ignore_index=True) if len(a) else _empty("similarities")


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
    corpus: _Corpus,
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


def alignments(corpus: _Corpus, a: np.ndarray, b: np.ndarray, **params) -> pd.DataFrame:
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


# --- reused passages ------------------------------------------------------------------------


@dataclass
class _Grams:
    """Token n-grams of every document that may count as reuse, sorted by (document, hash)."""

    hashes: np.ndarray
    starts: np.ndarray  # global token index where the n-gram starts
    doc_start: np.ndarray
    doc_end: np.ndarray
    n: int


def _reuse_grams(corpus: _Corpus, n: int, excluded_kinds: Iterable[str]) -> _Grams:
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
    corpus: _Corpus,
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


# --- profiles: domains, actors, commitments -------------------------------------------------


def _count_changes(counts: pd.DataFrame, pairs: pd.DataFrame, facet: str) -> pd.DataFrame:
    """Per pair of documents and item: count in doc_a, count in doc_b, added/dropped/kept.

    ``counts`` has columns doc_id, item, n.
    """
    if counts.empty or pairs.empty:
        return _empty("profile_changes")
    left = pairs.merge(counts.rename(columns={"doc_id": "doc_a", "n": "in_a"}), on="doc_a")
    right = pairs.merge(counts.rename(columns={"doc_id": "doc_b", "n": "in_b"}), on="doc_b")
    both = left.merge(right, on=["doc_a", "doc_b", "item"], how="outer")
    both[["in_a", "in_b"]] = both[["in_a", "in_b"]].fillna(0).astype(np.int64)
    both["change"] = np.where(
        both["in_b"] == 0, "added", np.where(both["in_a"] == 0, "dropped", "kept")
    )
    both["facet"] = facet
    both["segment_a"] = None
    both["segment_b"] = None
    return both[COLUMNS["profile_changes"]]


def _domain_counts(segments: pd.DataFrame, domain_profiles: pd.DataFrame | None) -> pd.DataFrame:
    needed = {"doc_id", "domain", "n_segments"}
    if domain_profiles is not None and len(domain_profiles) and needed <= set(domain_profiles):
        frame = domain_profiles[["doc_id", "domain", "n_segments"]]
        frame = frame.rename(columns={"domain": "item", "n_segments": "n"})
        return frame[frame["n"] > 0]
    if "domains" in segments:
        exploded = segments[["doc_id", "domains"]].explode("domains").dropna()
        exploded = exploded[exploded["domains"].astype(str) != ""]
        return (
            exploded.groupby(["doc_id", "domains"])
            .size()
            .rename("n")
            .reset_index()
            .rename(columns={"domains": "item"})
        )
    return pd.DataFrame(columns=["doc_id", "item", "n"])


def _actor_counts(entities: pd.DataFrame | None) -> pd.DataFrame:
    if entities is None or entities.empty or "key" not in entities:
        return pd.DataFrame(columns=["doc_id", "item", "n"])
    keyed = entities[entities["key"].notna() & (entities["key"].astype(str) != "")]
    return (
        keyed.groupby(["doc_id", "key"])
        .size()
        .rename("n")
        .reset_index()
        .rename(columns={"key": "item"})
    )


def _actor_list(actors) -> str:
    """Canonical keys of a commitment's actors as one sorted "a+b" string."""
    if isinstance(actors, (list, tuple, np.ndarray)):
        return "+".join(sorted(map(str, actors)))
    return "" if actors is None or (isinstance(actors, float) and np.isnan(actors)) else str(actors)


def _commitment_changes(commitments: pd.DataFrame, aligned: pd.DataFrame) -> pd.DataFrame:
    """Commitment records followed through the alignment.

    A record of doc_a is ``kept`` when the segment of doc_b it was aligned with (identical or
    revised) carries a record with the same action, else ``added``; a record of doc_b that no
    record of doc_a keeps is ``dropped``. ``item`` reads "actors: action object".
    """
    if commitments is None or commitments.empty or aligned.empty:
        return _empty("profile_changes")
    c = commitments.copy()
    c["action"] = c["action"].fillna("").astype(str).str.lower()
    actors = c["actors"] if "actors" in c else pd.Series([[]] * len(c), index=c.index)
    obj = c["object"].fillna("").astype(str) if "object" in c else ""
    c["item"] = actors.map(_actor_list) + ": " + c["action"] + (" " + obj).str.rstrip()
    c = c[["doc_id", "segment_id", "action", "item"]]
    matched = aligned[aligned["relation"].isin(["identical", "revised"])][
        ["doc_a", "segment_a", "doc_b", "segment_b"]
    ]
    pairs = aligned[["doc_a", "doc_b"]].drop_duplicates()

    rec_a = pairs.merge(
        c.rename(columns={"doc_id": "doc_a", "segment_id": "segment_a"}), on="doc_a"
    )
    rec_a = rec_a.merge(matched, on=["doc_a", "segment_a", "doc_b"], how="left")
    b_side = c.rename(columns={"doc_id": "doc_b", "segment_id": "segment_b", "item": "item_b"})
    hits = rec_a.merge(b_side, on=["doc_b", "segment_b", "action"], how="left")
    hits["kept"] = hits["item_b"].notna()
    first = hits.drop_duplicates(subset=["doc_a", "doc_b", "segment_a", "item", "action"])
    # a record of doc_a counts once, even if its counterpart carries two records of one action
    rows_a = pd.DataFrame(
        {
            "doc_a": first["doc_a"],
            "doc_b": first["doc_b"],
            "facet": "commitment",
            "item": first["item"],
            "in_a": 1,
            "in_b": first["kept"].astype(np.int64),
            "change": np.where(first["kept"], "kept", "added"),
            "segment_a": first["segment_a"],
            "segment_b": first["segment_b"].where(first["kept"], None),
        }
    )
    kept_b = hits[hits["kept"]][["doc_a", "doc_b", "segment_b", "item_b"]].drop_duplicates()
    rec_b = pairs.merge(
        c.rename(columns={"doc_id": "doc_b", "segment_id": "segment_b", "item": "item_b"}),
        on="doc_b",
    )
    rec_b = rec_b.merge(
        kept_b.assign(_kept=True), on=["doc_a", "doc_b", "segment_b", "item_b"], how="left"
    )
    gone = rec_b[rec_b["_kept"].isna()]
    rows_b = pd.DataFrame(
        {
            "doc_a": gone["doc_a"],
            "doc_b": gone["doc_b"],
            "facet": "commitment",
            "item": gone["item_b"],
            "in_a": 0,
            "in_b": 1,
            "change": "dropped",
            "segment_a": None,
            "segment_b": gone["segment_b"],
        }
    )
    return pd.concat([rows_a, rows_b], ignore_index=True)[COLUMNS["profile_changes"]]


def profile_changes(
    segments: pd.DataFrame,
    pairs: pd.DataFrame,
    aligned: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    commitments: pd.DataFrame | None = None,
    domain_profiles: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What doc_a adds, drops and keeps of doc_b's domains, actors and commitments.

    One row per pair, facet and item. ``domain``: in_a/in_b are the number of segments with
    that domain; ``actor``: the number of mentions of that canonical key; ``commitment``: one
    row per commitment record (see ``_commitment_changes``), with its segments.
    """
    frames = [
        _count_changes(_domain_counts(segments, domain_profiles), pairs, "domain"),
        _count_changes(_actor_counts(entities), pairs, "actor"),
        _commitment_changes(commitments, aligned),
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty("profile_changes")
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(
        ["doc_a", "doc_b", "facet", "change", "item"], kind="stable"
    ).reset_index(drop=True)


# --- entry points ---------------------------------------------------------------------------


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS[name]})


def compare_corpus(
    segments: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    commitments: pd.DataFrame | None = None,
    domain_profiles: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    pairs=None,
    top_k: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Compare the documents of a segments table (see the module docstring).

    ``pairs``: (doc_a, doc_b) tuples or a DataFrame with those columns, doc_a the newer: align,
    find reuse and profile changes for exactly these pairs (e.g. each document and the
    predecessors it names). ``top_k``: compare each document with its top_k nearest neighbours
    only (the default beyond ``ALL_PAIRS_MAX_DOCS`` documents). ``documents``: the documents
    table, whose ``date`` column orders the documents.
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
    return {
        "similarities": similarities(corpus, sim_a, sim_b),
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
    }


def _read_table(folder: Path, name: str) -> pd.DataFrame | None:
    try:
        from .store import read_table, table_path
    except ImportError:  # the store is optional here: Parquet/CSV/JSONL by suffix
        for suffix, reader in (
            (".parquet", pd.read_parquet),
            (".csv", pd.read_csv),
            (".jsonl", lambda p: pd.read_json(p, lines=True)),
        ):
            if (folder / f"{name}{suffix}").exists():
                return reader(folder / f"{name}{suffix}")
        return None
    return read_table(folder, name) if table_path(folder, name) else None


def compare_output_dir(
    path: str | Path | Iterable[str | Path], **options
) -> dict[str, pd.DataFrame]:
    """compare_corpus over the tables of one or more existing ``run`` output folders."""
    folders = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    tables: dict[str, pd.DataFrame | None] = {}
    for name in ("segments", "documents", "entities", "commitments", "domain_profiles"):
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
        **options,
    )
