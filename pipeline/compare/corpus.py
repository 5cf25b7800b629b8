"""The segments of a corpus, tokenised once, and the matrices every comparison reads.

``prepare`` turns the segments table into a ``Corpus``: each segment's tokens with their
offsets (for reuse), a hash of its lower-cased words (identity), TF-IDF vectors of lemma
unigrams and bigrams per segment and of unigrams per document, and each document's set of word
5-gram shingles (never across a segment boundary). Documents are ranked newer-is-higher by
``documents.date`` when every document has one, else by input order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from ..tables import COLUMNS

SHINGLE_WORDS = 5

# words (with inner hyphens and apostrophes: "sociaal-economische"), numbers with their
# separators ("3,3", "2.400"), and every other non-space character as a token of its own
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:[-'’]\w+)*|[^\w\s]")
_PRIME = np.uint64(1099511628211)


# --- preparing the corpus -------------------------------------------------------------------


@dataclass
class Corpus:
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


def prepare(segments: pd.DataFrame, documents: pd.DataFrame | None = None) -> Corpus:
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

    return Corpus(
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


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS[name]})
