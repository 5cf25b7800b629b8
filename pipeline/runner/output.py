"""The one writer of a run's outputs, and the in-memory result of ``pipeline.process``.

``OutputFolder`` writes an output folder: the document tables streamed a batch of documents at
a time (Parquet row groups; CSV and JSON Lines appended) together with SQLite, each document's
clean text (``text/<doc_id>.txt``, the text every char_start/char_end indexes) and Doc
(``docs/<doc_id>.spacy``, a DocBin with its extension attributes, for the exports); then the
errors, the corpus-level comparison and the report. Every file is renamed into place when
complete. A run feeds it cache entries; ``pipeline.write`` feeds it a Corpus.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pandas as pd
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from .. import cache, store, tables
from ..codebook import write_codebook
from ..report import write_report
from ..types import Corpus

log = logging.getLogger("pipeline.runner")

FLUSH_EVERY = 50  # documents per Parquet row group / write batch (written while workers go on)


class OutputFolder:
    """Streams documents into the tables, texts and Docs of ``out``; ``finish`` adds the
    errors, the comparison and the report."""

    def __init__(self, out: Path, fmt: str = "parquet", metadata=None):
        self.out, self.fmt = Path(out), fmt
        self.metadata = metadata  # userdata.Metadata of run --metadata: joined into documents
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "text").mkdir(exist_ok=True)
        (self.out / "docs").mkdir(exist_ok=True)
        self.sqlite = store.SqliteWriter(self.out)
        self.writers = {
            name: store.TableWriter(self.out, name, fmt, self.sqlite)
            for name in tables.DOCUMENT_TABLES
        }
        self.pending: dict[str, list[dict]] = {name: [] for name in self.writers}
        self.n_pending = 0
        self.errors: list[dict] = []
        self.entries: dict[str, Path] = {}  # doc_id -> cache entry (holds its report page)
        self.documents: dict[str, str] = {}  # doc_id -> file name of its text and Doc

    def add_entry(self, doc_id: str, entry: Path) -> None:
        """One document from its cache entry (its rows, or its error row); raises
        cache.DamagedEntry, before writing anything, for an entry that is not as written."""
        rows = cache.entry_tables(entry)
        self.errors.extend(rows.pop("errors", []))
        self.entries[doc_id] = entry
        if (entry / cache.TEXT_NAME).exists():
            name = self._name(doc_id)
            with store.atomic_path(self.out / "text" / f"{name}.txt") as tmp:
                shutil.copyfile(entry / cache.TEXT_NAME, tmp)
            with store.atomic_path(self.out / "docs" / f"{name}.spacy") as tmp:
                shutil.copyfile(entry / cache.DOC_NAME, tmp)
        self._add_rows(rows)

    def add_doc(self, doc_id: str, doc: Doc) -> None:
        """One document's clean text and Doc (its rows come with ``add_frames``)."""
        name = self._name(doc_id)
        store.write_text(self.out / "text" / f"{name}.txt", doc.text)
        with store.atomic_path(self.out / "docs" / f"{name}.spacy") as tmp:
            DocBin(docs=[doc], store_user_data=True).to_disk(tmp)

    def _name(self, doc_id: str) -> str:
        """The document's file name (doc_id made safe), recorded for the manifest."""
        name = self.documents[doc_id] = store.file_name(doc_id)
        return name

    def add_frames(self, frames: dict[str, pd.DataFrame]) -> None:
        """Rows of the document tables, as DataFrames."""
        for name, frame in frames.items():
            self.pending[name].extend(frame.to_dict("records"))
        self._flush()

    def _add_rows(self, document_rows: dict[str, list[dict]]) -> None:
        for name, rows in document_rows.items():
            if name == "documents" and self.metadata is not None:
                rows = [self.metadata.join(row) for row in rows]
            self.pending[name].extend(rows)
        self.n_pending += 1
        if self.n_pending >= FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        for name, rows in self.pending.items():
            if rows:
                self.writers[name].write(rows)
                rows.clear()
        self.n_pending = 0

    def close_documents(self, errors: list[dict] = ()) -> dict[str, pd.DataFrame]:
        """The document tables complete, with the errors: the frames as written."""
        self._flush()
        for writer in self.writers.values():
            writer.close()
        error_frame = tables.to_frame("errors", [*errors, *self.errors])
        store.write_table(error_frame, self.out, "errors", self.fmt)
        self.sqlite.append("errors", error_frame)
        frames = {
            name: store.read_table(self.out, name, self.fmt) for name in tables.DOCUMENT_TABLES
        }
        frames["errors"] = error_frame
        return frames

    def finish(self, frames: dict[str, pd.DataFrame], compared: dict | None, report: bool):
        """The comparison tables (when compared), SQLite complete, the codebook, the report;
        then what an earlier run left and this one did not write is removed, and the manifest
        says what the folder holds."""
        if compared is not None:
            store.write_tables(compared, self.out, self.fmt)
            for name, frame in compared.items():
                self.sqlite.append(name, frame)
            frames = {**frames, **compared}
        self.sqlite.close()
        write_codebook(self.out, {name: list(frame.columns) for name, frame in frames.items()})
        if report:
            # the workers' pages show the rows as made; a metadata file changes documents
            # rows here, so the pages are then made from the tables as written
            entries = self.entries if self.metadata is None else None
            write_report(Corpus(frames, {}), self.out / "report.html", entries)
        manifest = {
            "format": self.fmt,
            "tables": sorted(frames),
            "documents": self.documents,
            "report": report,
        }
        store.remove_stale(self.out, manifest)
        store.write_manifest(self.out, manifest)


class InMemory:
    """``pipeline.process`` without an output folder: the rows and Docs of the entries."""

    def __init__(self, keep_docs: bool = True):
        self.keep_docs = keep_docs
        self.rows: dict[str, list[dict]] = {
            name: [] for name in tables.DOCUMENT_TABLES + ("errors",)
        }
        self.docs: dict[str, Doc] = {}
        self.vocab = Vocab()

    def add_entry(self, doc_id: str, entry: Path) -> None:
        for name, rows in cache.entry_tables(entry).items():
            self.rows[name].extend(rows)
        if self.keep_docs and (entry / cache.DOC_NAME).exists():
            docbin = DocBin().from_disk(entry / cache.DOC_NAME)
            self.docs[doc_id] = next(docbin.get_docs(self.vocab))

    def corpus(self, errors: list[dict], compare: bool) -> Corpus:
        """The Corpus: the tables (``errors`` first the inputs refused before processing), the
        comparison when asked, the Docs."""
        self.rows["errors"] = [*errors, *self.rows["errors"]]
        frames = tables.to_frames(self.rows)
        if compare:
            frames.update(compare_frames(frames))
        return Corpus(frames, self.docs)


def compare_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The corpus-level tables (similarities, alignments, reuse, profile_changes)."""
    if frames["documents"]["doc_id"].nunique() < 2:
        return {name: tables.to_frame(name, []) for name in tables.CORPUS_TABLES}
    from ..compare import compare_corpus

    result = compare_corpus(
        frames["segments"],
        documents=frames["documents"],
        entities=frames.get("entities"),
        commitments=frames.get("commitments"),
        sentences=frames.get("sentences"),
        domain_profiles=frames.get("domain_profiles"),
    )
    return {
        name: tables.ordered(name, df) if name in tables.COLUMNS else df
        for name, df in result.items()
    }


def compare_cached(frames: dict, store_dir: Path, entries: list[str], use_cache: bool) -> dict:
    """The comparison tables, from the cache when the same documents were compared before.

    Comparison weighs words by their IDF over the whole corpus, so a corpus with one more
    document is compared afresh (docs/decisions.md, "Incremental runs").
    """
    entry = store_dir / f"corpus-{cache.corpus_key(entries)}"
    if use_cache and entry.exists():
        try:
            return {p.stem: pd.read_parquet(p) for p in sorted(entry.glob("*.parquet"))}
        except (OSError, ValueError) as err:  # pyarrow's errors are both
            log.warning("the cached comparison was damaged (%s): compared again", err)
    compared = compare_frames(frames)
    tmp = entry.with_name(entry.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name, frame in compared.items():
        frame.to_parquet(tmp / f"{name}.parquet", index=False)
    if entry.exists():
        shutil.rmtree(entry)
    os.replace(tmp, entry)
    return compared
