"""The report a researcher reads and works in: ``DIR/report.html`` and the pages under
``DIR/report/``.

- ``report.html``, the index: every document by date with its counts and main domains, a search
  box over all sentences, the similarity heatmap, the compared pairs, reuse, the actors;
- ``report/doc/<doc_id>.html``: one page per document (document.py), a pure function of the
  document's rows, rendered in the worker that made them and kept in its cache entry
  (``document_files``), so that the run's serial end only copies it;
- ``report/pair/<newer>~~<older>.html``: one page per compared pair (pair.py);
- ``report/pairs.html``, ``report/reuse.html``: every pair, every reused passage;
- ``report/search/<k>.js``: the sentences the search box looks through, loaded on the first
  search; ``report/static/``: the style sheet and the script (data files of the package).

Self-contained and offline: nothing is fetched from the network, and a Content-Security-Policy
allows scripts and styles only as files of the report's folder (no inline script, style or
event handler), so a browser reports an error rather than silently reaching out.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from ..store import write_text
from ..tables import COLUMNS
from . import html
from .document import document_files, document_page, search_entry  # noqa: F401  (the API)
from .html import CSP, ENTITY_COLORS, SPEECH_ACT_COLORS, group_rows, records  # noqa: F401  (exports use the colours)
from .index import index_page, pairs_page, reuse_page, reuse_passages
from .pair import Side, pair_page, word_diff  # noqa: F401

# search data per file: small enough to parse at once, few enough files for 2,000 documents
SHARD_BYTES = 1 << 20


def table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table of the run, or an empty one with the contract's columns when it is missing."""
    frame = tables.get(name)
    if frame is None:
        return pd.DataFrame(columns=COLUMNS.get(name, []))
    missing = [c for c in COLUMNS.get(name, []) if c not in frame.columns]
    return frame.assign(**{c: None for c in missing}) if missing else frame


class _SearchShards:
    """The documents' search entries, streamed into report/search/<k>.js of about SHARD_BYTES."""

    def __init__(self, folder: Path):
        self.folder, self.names, self.parts, self.size = folder, [], [], 0

    def add(self, entry_json: str) -> None:
        self.parts.append(entry_json)
        self.size += len(entry_json)
        if self.size >= SHARD_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            name = f"{len(self.names)}.js"
            html.write_file(
                self.folder / name,
                "DeclarationsReport.addSentences([\n" + ",\n".join(self.parts) + "\n]);\n",
            )
            self.names.append(f"{html.REPORT_DIR}/search/{name}")
            self.parts, self.size = [], 0


def _rows_by_document(t: dict[str, pd.DataFrame], names) -> dict[str, dict[str, list[dict]]]:
    """Per doc_id, the rows of the document tables (for documents without a cached page)."""
    out: dict[str, dict[str, list[dict]]] = {}
    for name in names:
        for doc_id, rows in group_rows(records(t[name]), "doc_id").items():
            out.setdefault(doc_id, {})[name] = rows
    return out


def write_report(corpus, path: Path, entries: dict[str, Path] | None = None) -> Path:
    """Write the report of ``corpus`` (a Corpus, or its tables) to ``path`` (DIR/report.html)
    and DIR/report/. ``entries``: doc_id -> cache entry holding the document's page and search
    entry (``document_files``); a document without one is rendered here."""
    tables = corpus.tables if hasattr(corpus, "tables") else corpus
    path = Path(path)
    final = path.parent / html.REPORT_DIR
    # built under a temporary name, then swapped in whole: never half a report, and pages of
    # documents no longer in the run go
    folder = path.parent / f".{html.REPORT_DIR}.tmp{os.getpid()}"
    if folder.exists():
        shutil.rmtree(folder)
    t = {name: table(tables, name) for name in set(COLUMNS) | set(tables)}
    html.write_static(folder)
    entries = entries or {}

    # the documents' pages and search entries
    doc_ids = [str(d) for d in t["documents"]["doc_id"].dropna()]
    shards = _SearchShards(folder / "search")
    missing = [
        d for d in doc_ids if not (d in entries and (Path(entries[d]) / "report.html").exists())
    ]
    rows = (
        _rows_by_document(
            {**t, "documents": t["documents"][t["documents"]["doc_id"].astype(str).isin(missing)]},
            ("documents", "segments", "sentences", "entities", "commitments", "domain_profiles"),
        )
        if missing
        else {}
    )
    (folder / "doc").mkdir(parents=True, exist_ok=True)
    for doc_id in doc_ids:
        target = folder / "doc" / f"{html.file_stem(doc_id)}.html"
        if doc_id in rows:
            files = document_files(rows[doc_id])
            html.write_file(target, files["report.html"])
            shards.add(files["sentences.json"])
        else:
            entry = Path(entries[doc_id])
            shutil.copyfile(entry / "report.html", target)
            shards.add((entry / "sentences.json").read_text(encoding="utf-8"))
    shards.flush()
    del rows

    pairs = write_pair_pages(t, folder)
    passages, n_passages = reuse_passages(t["reuse"])
    if n_passages:
        html.write_file(folder / "reuse.html", reuse_page(passages, n_passages))
    if pairs:
        html.write_file(folder / "pairs.html", pairs_page(pairs, t["similarities"]))
    index = index_page(t, shards.names, pairs, n_passages)
    old = path.parent / f".{html.REPORT_DIR}.old{os.getpid()}"
    if final.exists():
        final.rename(old)
    folder.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    write_text(path, index)
    return path


def write_pair_pages(t: dict[str, pd.DataFrame], folder: Path) -> list[tuple[str, str]]:
    """One page per compared pair (each pair of the alignments table); returns the pairs as
    (newer, older)."""
    alignments = t["alignments"]
    if alignments.empty:
        return []
    info = group_rows(records(t["documents"]), "doc_id")
    segments_of = group_rows(
        records(t["segments"][["doc_id", "segment_id", "text", "char_start"]]), "doc_id"
    )
    scores: dict[tuple[str, str], dict[str, float]] = {}
    sims = t["similarities"]
    for a, b, m, s in zip(sims["doc_a"], sims["doc_b"], sims["method"], sims["score"]):
        scores.setdefault((str(a), str(b)), {})[str(m)] = float(s)

    def grouped(frame: pd.DataFrame | None) -> dict[tuple[str, str], list[dict]]:
        return {} if frame is None else group_rows(records(frame), "doc_a", "doc_b")

    reuse = grouped(t["reuse"])
    tracking_table = t.get("commitment_tracking")
    tracking = grouped(tracking_table) if tracking_table is not None else None
    sides: dict[str, Side] = {}

    def side(doc_id: str) -> Side:
        if doc_id not in sides:
            sides[doc_id] = Side(doc_id, info.get(doc_id, [{}])[0], segments_of.get(doc_id, []))
        return sides[doc_id]

    pairs = []
    (folder / "pair").mkdir(parents=True, exist_ok=True)
    for (newer, older), rows in grouped(alignments).items():
        page = pair_page(
            side(newer),
            side(older),
            rows,
            scores.get((newer, older), {}),
            reuse.get((newer, older), []),
            None if tracking is None else tracking.get((newer, older)),
        )
        html.write_file(folder / html.pair_href(newer, older).split("/", 1)[1], page)
        pairs.append((newer, older))
    return pairs
