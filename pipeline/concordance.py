"""Keyword in context over a run's output folder, as quanteda's ``kwic``.

    python -m pipeline kwic DIR TERM [--window N] [--by actor|domain|speech_act]
    pipeline.kwic(DIR, TERM, window=5, by=None) -> DataFrame

One row per hit: ``doc_id``, ``segment_id``, ``sentence_id``, ``pre`` (up to ``window`` tokens
before), ``keyword`` (the words as written), ``post`` (up to ``window`` tokens after). The
context stays inside the hit's segment: a point's words never run on into the next point.
TERM is one or more words, matched in any case, token by token, on the run's own
tokenisation (the Docs in ``DIR/docs``); ``*`` in a word matches any characters, as quanteda's
glob patterns ("rechtsstaat*" finds "rechtsstaatbeginselen").

``by`` adds a column of that name and sorts the hits by it: ``speech_act`` (the sentence's),
``domain`` (the segment's policy domains) or ``actor`` (the canonical keys of the actor
mentions in the sentence). A hit with several domains or actors is one row per value; a hit
with none has an empty value, sorted last.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

import pandas as pd
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from .export import load_docs
from .scheme import ACTOR_LABELS

BY = ("actor", "domain", "speech_act")
COLUMNS = ["doc_id", "segment_id", "sentence_id", "pre", "keyword", "post"]
DEFAULT_WINDOW = 5


def term_pattern(term: str) -> list[dict]:
    """A Matcher pattern for TERM: one token per word, any case, ``*`` as a wildcard. (On the
    token's text: the Docs of an output folder come with a plain Vocab, without the lexical
    attributes such as LOWER.)"""
    words = term.split()
    if not words:
        raise ValueError("the term to search for is empty")
    return [
        {"TEXT": {"REGEX": "(?i)^" + ".*".join(map(re.escape, word.split("*"))) + "$"}}
        for word in words
    ]


def _containing(spans: list[Span], starts: list[int], token: int) -> Span | None:
    i = bisect_right(starts, token) - 1
    return spans[i] if i >= 0 and spans[i].start <= token < spans[i].end else None


def _words(span: Span) -> str:
    return " ".join(span.text.split())


def _values(by: str | None, doc: Doc, segment: Span | None, sentence: Span | None) -> list:
    if by == "speech_act":
        return [sentence._.speech_act if sentence is not None else None]
    if by == "domain":
        return list(segment._.domains or []) if segment is not None else []
    if by == "actor" and sentence is not None:
        keys = (e.kb_id_ for e in sentence.ents if e.label_ in ACTOR_LABELS and e.kb_id_)
        return list(dict.fromkeys(keys))
    return []


def doc_hits(
    doc: Doc, term: str, window: int = DEFAULT_WINDOW, by: str | None = None
) -> list[dict]:
    """The hits of TERM in one processed Doc, in reading order."""
    matcher = Matcher(doc.vocab)
    matcher.add("TERM", [term_pattern(term)])
    segments = sorted(doc.spans["segments"], key=lambda s: s.start)
    sentences = sorted(doc.spans["sentences"], key=lambda s: s.start)
    segment_starts = [s.start for s in segments]
    sentence_starts = [s.start for s in sentences]
    rows = []
    for _, start, end in matcher(doc):
        segment = _containing(segments, segment_starts, start)
        sentence = _containing(sentences, sentence_starts, start)
        low, high = (segment.start, segment.end) if segment is not None else (0, len(doc))
        row = {
            "doc_id": doc._.doc_id,
            "segment_id": segment._.segment_id if segment is not None else None,
            "sentence_id": sentence._.sentence_id if sentence is not None else None,
            "pre": _words(doc[max(low, start - window) : start]),
            "keyword": _words(doc[start:end]),
            "post": _words(doc[end : min(high, end + window)]),
        }
        if by is None:
            rows.append(row)
        else:
            rows.extend(
                {**row, by: value} for value in _values(by, doc, segment, sentence) or [None]
            )
    return rows


def kwic(
    out_dir: str | Path, term: str, window: int = DEFAULT_WINDOW, by: str | None = None
) -> pd.DataFrame:
    """Every hit of TERM in the documents of a run's output folder (see the module docstring)."""
    if by is not None and by not in BY:
        raise ValueError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    if window < 0:
        raise ValueError(f"the window is a number of tokens, at least 0, not {window}")
    term_pattern(term)  # an empty term fails before any Doc is read
    rows = [row for doc in load_docs(out_dir) for row in doc_hits(doc, term, window, by)]
    columns = COLUMNS + ([by] if by else [])
    frame = pd.DataFrame.from_records(rows, columns=columns)
    if by:
        frame = frame.sort_values(by, kind="stable", na_position="last").reset_index(drop=True)
    return frame


def format_hits(frame: pd.DataFrame, by: str | None = None) -> list[str]:
    """One line per hit, quanteda-style: the left context right-aligned against the term."""
    if frame.empty:
        return []
    rows = list(frame.itertuples(index=False))
    values = [f"{getattr(row, by) or '-'}" for row in rows] if by else [""] * len(rows)
    wheres = [f"{row.doc_id} {row.segment_id or '-'}" for row in rows]
    value_width = max(map(len, values))
    where_width = max(map(len, wheres))
    pre_width = max(len(row.pre) for row in rows)
    return [
        (f"{value:<{value_width}}  " if by else "")
        + f"{where:<{where_width}}  {row.pre:>{pre_width}} | {row.keyword} | {row.post}"
        for value, where, row in zip(values, wheres, rows, strict=True)
    ]
