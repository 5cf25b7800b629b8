"""Series of declarations, and the consecutive pairs inside each.

A series is a run of declarations one follows from the other (Sofia 2018, Zagreb 2020, Brdo
2021, ...). Which documents form one:

- the ``series`` column of the documents table, where ``run --metadata`` gives one: documents
  with the same value form one series;
- otherwise (and for documents without a value) the rule: two documents belong to one series
  when their TF-IDF cosine is at least ``SERIES_MIN_COSINE`` and they share at least
  ``SERIES_MIN_JACCARD`` of their word 5-grams (``shingle_jaccard``); a series is a connected
  group of such pairs. On the team's corpus (27 declarations) the three follow-up pairs have
  a cosine of 0.53 to 0.60 and a Jaccard of 0.074 to 0.196, every other pair at most 0.39 and
  0.050; the shingles, which do not depend on the corpus, keep the rule from joining two
  unrelated declarations of a two-document corpus, whose cosine runs higher (0.40).

Inside a series the documents are ordered by ``documents.date`` (input order where a date is
missing, as everywhere in the comparison) and each is compared with the one before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

SERIES_MIN_COSINE = 0.45
SERIES_MIN_JACCARD = 0.06


def _series_by_similarity(doc_ids: list[str], similarities: pd.DataFrame | None) -> list[int]:
    """A group number per document: connected groups of pairs that pass the rule."""
    index = {d: i for i, d in enumerate(doc_ids)}
    if similarities is None or similarities.empty or not doc_ids:
        return list(range(len(doc_ids)))
    wide = similarities.pivot_table(
        index=["doc_a", "doc_b"], columns="method", values="score", aggfunc="max"
    ).reset_index()
    if not {"tfidf_cosine", "shingle_jaccard"} <= set(wide.columns):
        return list(range(len(doc_ids)))
    linked = wide[
        (wide["tfidf_cosine"] >= SERIES_MIN_COSINE)
        & (wide["shingle_jaccard"] >= SERIES_MIN_JACCARD)
        & wide["doc_a"].isin(index)
        & wide["doc_b"].isin(index)
    ]
    n = len(doc_ids)
    graph = coo_matrix(
        (
            np.ones(len(linked)),
            (linked["doc_a"].map(index).to_numpy(), linked["doc_b"].map(index).to_numpy()),
        ),
        shape=(n, n),
    )
    _count, labels = connected_components(graph, directed=False)
    return labels.tolist()


def document_series(documents: pd.DataFrame, similarities: pd.DataFrame | None = None) -> pd.Series:
    """The series of every document (doc_id -> series name): the metadata's ``series`` where
    given, else ``series-<first doc_id>`` of its group by the rule (one document alone is a
    series of one)."""
    docs = documents.drop_duplicates("doc_id").reset_index(drop=True)
    given = (
        docs["series"].where(docs["series"].notna() & (docs["series"].astype(str) != ""))
        if "series" in docs
        else pd.Series([None] * len(docs))
    )
    rest = docs.loc[given.isna(), "doc_id"].astype(str).tolist()
    groups = _series_by_similarity(rest, similarities)
    first: dict[int, str] = {}
    for doc_id, group in zip(rest, groups):
        first.setdefault(group, doc_id)
    by_rule = {d: f"series-{first[g]}" for d, g in zip(rest, groups)}
    names = [str(s) if pd.notna(s) else by_rule[str(d)] for d, s in zip(docs["doc_id"], given)]
    return pd.Series(names, index=docs["doc_id"].astype(str).to_numpy(), name="series")


def consecutive_pairs(
    documents: pd.DataFrame, rank: pd.Series, similarities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """(doc_a, doc_b, series): each document of a series with the one before it, doc_a the
    newer. ``rank``: doc_id -> position in time (newer is higher, see corpus.prepare)."""
    series = document_series(documents, similarities)
    frame = pd.DataFrame({"doc_id": series.index, "series": series.to_numpy()})
    frame["rank"] = frame["doc_id"].map(rank)
    frame = frame.dropna(subset=["rank"]).sort_values(["series", "rank"], kind="stable")
    frame["doc_b"] = frame.groupby("series")["doc_id"].shift(1)
    pairs = frame.dropna(subset=["doc_b"]).rename(columns={"doc_id": "doc_a"})
    return pairs[["doc_a", "doc_b", "series"]].reset_index(drop=True)
