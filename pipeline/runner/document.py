"""One document, straight down: ``extract.read`` -> ``segment.segment`` -> ``nlp`` (metadata,
entities, speech acts, commitments, domains) -> ``records.doc_tables`` -> a cache entry.

``make_entry`` is the task every engine runs, in this process or in a worker: it never raises
for a bad document, whose entry then holds its error row.
"""

from __future__ import annotations

import logging
import signal
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .. import cache, extract, records, report
from ..extract.text import read_text
from ..nlp import load_nlp
from ..segment import segment
from ..types import ExtractedText, InputError, Options

log = logging.getLogger("pipeline")


def annotate(extracted: ExtractedText, nlp: Language, doc_id: str) -> Doc:
    """ExtractedText -> fully processed Doc (segments, sentences, metadata, entities, classes)."""
    return nlp(segment(extracted, nlp, doc_id))


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
    nlp = nlp or load_nlp()
    return annotate(read_text(text, source_path=f"<{doc_id}>"), nlp, doc_id)


def document_tables(path: Path, doc_id: str, options: Options) -> tuple[Doc | None, dict]:
    """One input to its Doc and table rows, or to an error row: never raises for a bad document."""
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
    log.info("processed %s in %.2fs", path, time.perf_counter() - start)
    return doc, records.doc_tables(doc)


class DocumentTimeout(BaseException):
    """The per-document time limit ran out: an interruption like KeyboardInterrupt, so that
    the stages' own ``except Exception`` handlers do not swallow it."""


def _alarm(signum, frame):
    raise DocumentTimeout()


def make_entry(path: str, doc_id: str, options: Options, entry: str) -> str:
    """The task of every engine: one document -> one cache entry. Returns the entry path.

    The nlp is built once per process. A document that fails gives an entry holding its error
    row, so failures are cached like results (a changed file gets a new key and is tried again).
    """
    use_alarm = options.timeout and hasattr(signal, "SIGALRM")
    if use_alarm:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, options.timeout)
        except ValueError:  # not the main thread (Dask's threaded workers): no alarm
            use_alarm = False
    # a document refused for a run limit (--timeout, --max-bytes) is retried by the next run,
    # which may set it higher; the limits are not part of the key, so as not to invalidate
    # every other entry
    retry = over_size_limit(Path(path), options)
    try:
        doc, tables = document_tables(Path(path), doc_id, options)
    except DocumentTimeout:
        retry = True
        doc, tables = (
            None,
            {
                "errors": [
                    records.error_row(
                        path,
                        doc_id,
                        "process",
                        f"took longer than {options.timeout:g} s (--timeout)",
                    )
                ]
            },
        )
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if doc is None:
        cache.write_entry(Path(entry), tables, None, None, retry)
    else:
        doc_bytes = DocBin(docs=[doc], store_user_data=True).to_bytes()
        # the document's report page is made here, in the worker, and cached with its rows
        files = report.document_files(tables)
        cache.write_entry(Path(entry), tables, doc.text, doc_bytes, retry, files)
    return entry


def load_worker(models_dir: str | None) -> None:
    """A worker's start: build the nlp once, before the first document."""
    load_nlp(models_dir)
