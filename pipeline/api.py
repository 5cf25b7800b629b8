"""The one entry point the command line, the notebook and the tests share.

    >>> import pipeline
    >>> corpus = pipeline.process(["corpus/"])
    >>> corpus.segments.head()          # pandas DataFrames named as in CONTRACT.md
    >>> corpus.docs["sofia-2018-nl"]    # the spaCy Doc, with segments, sentences and entities

One document goes straight down: ``extract.read`` -> ``segment.segment`` -> ``nlp`` (entities,
speech acts, commitments, domains) -> ``records.doc_tables``. ``process`` does that for every
input (in parallel with ``workers``), then compares the documents and writes the tables.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from . import extract, records
from .extract import SUFFIXES, doc_ids_for, find_inputs  # noqa: F401  (part of the API)
from .metadata import detect_language, find_date
from .nlp import load_nlp
from .segment import segment
from .types import Corpus, ExtractedText, InputError, Options  # noqa: F401  (part of the API)

log = logging.getLogger("pipeline")


def annotate(extracted: ExtractedText, nlp: Language, doc_id: str) -> Doc:
    """ExtractedText -> fully processed Doc (segments, sentences, entities, classes)."""
    doc = segment(extracted, nlp, doc_id)
    language, share = detect_language(extracted.text)
    doc._.language = language
    if language != "nl":
        doc._.warnings = [
            *doc._.warnings,
            f"language looks like {language!r}, not Dutch "
            f"({share:.0%} {language} stop words); results will be poor",
        ]
    head = " ".join(s.text for s in list(doc.spans["segments"])[:3])
    doc._.date = find_date(head)
    if any(s._.kind == "paragraph" for s in doc.spans["segments"]):
        doc._.warnings = [
            *doc._.warnings,
            "no numbered points found: segmented into paragraphs and sentences only",
        ]
    return nlp(doc)


def over_size_limit(path: Path, options: Options) -> bool:
    """Whether ``--max-bytes`` refuses the file."""
    return path.is_file() and path.stat().st_size > options.max_bytes


def process_file(
    path: str | Path,
    doc_id: str | None = None,
    nlp: Language | None = None,
    options: Options | None = None,
) -> Doc:
    """Read and process one file; raises InputError when the file cannot be read."""
    options = options or Options()
    nlp = nlp or load_nlp(options.models_dir)
    path = Path(path)
    if over_size_limit(path, options):
        raise InputError(
            path,
            "input",
            f"file is {path.stat().st_size:,} bytes, more than --max-bytes {options.max_bytes:,}",
        )
    extracted = extract.read(
        path, password=options.password, ocr=options.ocr, max_pages=options.max_pages
    )
    return annotate(extracted, nlp, doc_id or path.stem)


def process_text(text: str, doc_id: str = "text", nlp: Language | None = None) -> Doc:
    """Process a declaration given as a string (as if read from a .txt file)."""
    from .extract.text import read_text

    nlp = nlp or load_nlp()
    return annotate(read_text(text, source_path=f"<{doc_id}>"), nlp, doc_id)


def process_one(path: Path, doc_id: str, options: Options, keep_doc: bool = False):
    """One input to its table rows, or to an error row: never raises for a bad document."""
    start = time.perf_counter()
    try:
        doc = process_file(path, doc_id, options=options)
    except InputError as err:
        log.warning("skipped %s: %s", path, err.reason)
        return None, {"errors": [records.error_row(path, doc_id, err.stage, err.reason)]}
    except Exception as err:  # a bug or an unreadable corner case: report it, go on
        log.warning("failed on %s: %s: %s", path, type(err).__name__, err)
        log.debug("traceback", exc_info=True)
        return None, {
            "errors": [records.error_row(path, doc_id, "process", f"{type(err).__name__}: {err}")]
        }
    tables = records.doc_tables(doc)
    log.info("processed %s in %.2fs", path, time.perf_counter() - start)
    return (doc if keep_doc else None), tables


def process(
    paths: list[str | Path],
    *,
    options: Options | None = None,
    workers: int = 1,
    engine: str = "local",
    compare: bool = True,
    keep_docs: bool = True,
    progress: bool = False,
) -> Corpus:
    """Process files and folders into a Corpus (tables + Docs); see ``write`` to save it."""
    options = options or Options()
    files = find_inputs(paths)
    ids = doc_ids_for(files)
    rows: dict[str, list[dict]] = {name: [] for name in records.DOCUMENT_TABLES + ("errors",)}
    docs: dict[str, Doc] = {}
    for path, doc_id in zip(files, ids):
        doc, tables = process_one(path, doc_id, options, keep_doc=keep_docs)
        for name, table_rows in tables.items():
            rows[name].extend(table_rows)
        if doc is not None:
            docs[doc_id] = doc
    frames = records.to_frames(rows)
    if compare:
        frames.update(compare_frames(frames))
    return Corpus(frames, docs)


def compare_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The corpus-level tables (similarities, alignments, reuse, profile_changes)."""
    if frames["documents"]["doc_id"].nunique() < 2:
        return {name: records.to_frame(name, []) for name in records.CORPUS_TABLES}
    from .compare import compare_corpus

    result = compare_corpus(
        frames["segments"],
        documents=frames["documents"],
        entities=frames.get("entities"),
        commitments=frames.get("commitments"),
        domain_profiles=frames.get("domain_profiles"),
    )
    return {
        name: records.ordered(name, df) if name in records.COLUMNS else df
        for name, df in result.items()
    }


def write(corpus: Corpus, out_dir: str | Path, fmt: str = "parquet", report: bool = True) -> Path:
    """Save a Corpus: the tables, each document's clean text and Doc, the SQLite file, the report.

    ``text/<doc_id>.txt`` is the text every char_start/char_end indexes; ``docs/<doc_id>.spacy``
    is the Doc as a DocBin (with its extension attributes) for the exports.
    """
    from spacy.tokens import DocBin

    from . import store

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for doc_id, doc in corpus.docs.items():
        store.write_text(out / "text" / f"{doc_id}.txt", doc.text)
        with store.atomic_path(out / "docs" / f"{doc_id}.spacy") as tmp:
            DocBin(docs=[doc], store_user_data=True).to_disk(tmp)
    store.write_tables(corpus.tables, out, fmt)
    store.write_sqlite(corpus.tables, out)
    if report:
        from .report import write_report

        write_report(corpus, out / "report.html")
    return out
