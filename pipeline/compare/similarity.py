"""Which pairs of documents to compare, and how alike two documents are.

Up to ``ALL_PAIRS_MAX_DOCS`` documents every pair is compared; beyond that (or when ``top_k``
is given) each document's ``top_k`` nearest neighbours by TF-IDF cosine are found with chunked
matrix products and ``argpartition``: no loop runs over all pairs. ``similarities`` gives, per
pair, the TF-IDF cosine and the shingle Jaccard and containments (see the package docstring).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..scheme import SIMILARITY_METHODS
from .corpus import Corpus, _empty

ALL_PAIRS_MAX_DOCS = 50
DEFAULT_TOP_K = 5
# dense float32 products for the neighbour search when the matrix fits in this many bytes
DENSE_BYTES = 1 << 30
CHUNK_ROWS = 256

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


def _orient(corpus: Corpus, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique unordered pairs, as (newer, older) index arrays."""
    newer = np.where(corpus.rank[i] >= corpus.rank[j], i, j)
    older = np.where(corpus.rank[i] >= corpus.rank[j], j, i)
    pairs = np.unique(np.stack([newer, older], axis=1), axis=0) if len(i) else np.zeros((0, 2), int)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return pairs[:, 0], pairs[:, 1]


def document_pairs(corpus: Corpus, top_k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of a small corpus; each document's top_k neighbours in a large one."""
    n = corpus.n_docs
    if top_k is None and n <= ALL_PAIRS_MAX_DOCS:
        i, j = np.triu_indices(n, 1)
    else:
        i, j, _ = top_k_neighbours(corpus.doc_tfidf, top_k or DEFAULT_TOP_K)
    return _orient(corpus, i, j)


def _explicit_pairs(corpus: Corpus, pairs) -> tuple[np.ndarray, np.ndarray]:
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


def similarities(corpus: Corpus, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
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
