"""Profile changes: the domains, actors and commitments a document adds, keeps or drops."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import COLUMNS
from .corpus import _empty

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
