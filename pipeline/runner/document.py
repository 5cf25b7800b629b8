"""One document, straight down: ``extract.read`` -> ``segment.segment`` -> ``nlp`` (metadata,
entities, speech acts, commitments, domains) -> ``records.doc_tables`` -> a cache entry.

``make_entry`` is the task every engine runs, in this process or in a worker: it never raises
for a bad document, whose entry then holds its error row.
"""

from __future__ import annotations

import bisect
import ctypes
import logging
import os
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import cast

try:
    import resource  # POSIX: the workers' memory limit
except ImportError:  # Windows: no limit
    resource = None

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    LEMMA,
    MORPH,
    NORM,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, DocBin
from thinc.types import Ints2d

from .. import cache, extract, records, report
from ..doc import doc_text
from ..extract.text import more_characters_than, read_text
from ..nlp import load_nlp
from ..segment import segment
from ..types import ExtractedText, InputError, Options

log = logging.getLogger("pipeline")

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


# beyond this many characters the trained components run section by section: their working
# memory grows with the text (spaCy's max_length, 1,000,000, guards it). Over 1,000,000
# characters of a long declaration the encoders, tagger, lemmatiser and parser peak at 1,909 MB
# with 1,000,000-character sections, 954 MB with 200,000 and 716 MB with 100,000, in the same
# 23 s (measured for the commit that set it: its message has the command)
SECTION_CHARS = 100_000
# tokens of context a section's trained components see on either side of it, beyond the
# encoders' reach (a few tokens), so that its own tokens get the tags and entities a run over
# the whole text gives them; widened to whole sentences
CONTEXT_TOKENS = 64
# the token annotations trained components read (NORM: the tokenizer's own for
# "o.a.") and set, copied between the document and its sections
_TOKEN_ATTRS = (NORM, TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START)
_ENTITY_ATTRS = (ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID)


def annotate(
    extracted: ExtractedText, nlp: Language, doc_id: str, section_chars: int = SECTION_CHARS
) -> Doc:
    """ExtractedText -> fully processed Doc (segments, sentences, metadata, entities, classes).

    A text longer than ``section_chars`` (SECTION_CHARS) stays one Doc, but its trained components (encoders,
    tagger, lemmatiser, parser, recogniser: spaCy's ``TrainablePipe``) run section by section
    (``sections``); the rule components run over the whole Doc as always, so what they know of
    the whole document (acronym definitions, declaring parties, the annex, headings) and every
    id and offset are those of a run over the whole text.
    """
    doc = segment(extracted, nlp, doc_id)
    if len(doc_text(doc)) <= section_chars:
        return nlp(doc)
    cuts = sections(doc, section_chars)
    log.info("%s: %d sections of at most %s characters", doc_id, len(cuts), f"{section_chars:,}")
    group: list[TrainablePipe] = []
    for _name, proc in nlp.pipeline:
        if isinstance(proc, TrainablePipe):
            group.append(proc)
            continue
        if group:
            _by_section(doc, group, cuts)
            group = []
        doc = proc(doc)
    if group:
        _by_section(doc, group, cuts)
    return doc


def sections(doc: Doc, budget: int) -> list[tuple[int, int]]:
    """Token ranges that cover the Doc, each at most ``budget`` characters long where it can
    be: cut where a segment starts, inside a segment longer than the budget where a sentence
    starts, inside a sentence longer than that after a space."""
    text = doc_text(doc)
    idx = doc.to_array("IDX").tolist()
    by_char = {c: i for i, c in enumerate(idx)}
    segment_starts = sorted({s.start_char for s in doc.spans["segments"]} - {0})
    sentence_starts = sorted({s.start_char for s in doc.spans["sentences"]} - {0})
    token_starts = [c for c in idx[1:] if text[c - 1].isspace()]
    ranges, start = [], 0
    while len(text) - start > budget:
        cut = None
        for starts in (segment_starts, sentence_starts, token_starts):
            i = bisect.bisect_right(starts, start + budget) - 1
            if i >= 0 and starts[i] > start:
                cut = starts[i]
                break
        if cut is None:  # not one space in the budget: cut at the next token
            cut = next((c for c in idx if c > start), len(text))
            if cut == len(text):
                break
        ranges.append((by_char[start], by_char[cut]))
        start = cut
    ranges.append((by_char[start], len(doc)))
    return ranges


def _by_section(doc: Doc, pipes: list[TrainablePipe], cuts: list[tuple[int, int]]) -> None:
    """Run consecutive trained components over each section of ``doc`` (with its context)
    and write what they set on the section's own tokens back into ``doc``."""
    attrs = _present(doc)
    array = doc.to_array(attrs)
    strings = doc.vocab.strings
    # read as arrays: a Token object per token of a long document would be made for nothing
    words = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
    spaces = [bool(space) for space in doc.to_array(SPACY).tolist()]
    starts = _sentence_starts(doc)
    out_attrs: list[int | str] | None = None
    out: numpy.ndarray | None = None
    for start, end in cuts:
        # context: whole sentences, so that the parser sees every sentence it parses whole
        before = starts[max(0, bisect.bisect_right(starts, start - CONTEXT_TOKENS) - 1)]
        after_i = bisect.bisect_left(starts, end + CONTEXT_TOKENS)
        after = starts[after_i] if after_i < len(starts) else len(doc)
        before, after = min(before, start), max(after, end)
        section = Doc(doc.vocab, words=words[before:after], spaces=spaces[before:after])
        section.from_array(attrs, cast(Ints2d, array[before:after]))
        for proc in pipes:
            section = proc(section)
        if out_attrs is None:
            out_attrs = _present(section)
            out = numpy.zeros((len(doc), len(out_attrs)), dtype="uint64")
        assert out is not None
        out[start:end] = section.to_array(out_attrs)[start - before : end - before]
    if out_attrs is not None and out is not None:
        doc.from_array(out_attrs, cast(Ints2d, out))


def _present(doc: Doc) -> list[int | str]:
    """The token annotations ``doc`` holds, as spaCy's from_array takes them (sentence starts
    come from the parse where there is one)."""
    attrs: list[int | str] = [a for a in _TOKEN_ATTRS if doc.has_annotation(a)]
    if HEAD in attrs:
        attrs = [a for a in attrs if a != SENT_START]
        if DEP not in attrs:
            attrs.append(DEP)
    if doc.has_annotation("ENT_IOB"):
        attrs += _ENTITY_ATTRS
    return attrs


def _sentence_starts(doc: Doc) -> list[int]:
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return [0]
    flags = doc.to_array(SENT_START).tolist()
    return [i for i, flag in enumerate(flags) if flag == 1 or i == 0]


def over_size_limit(path: Path, options: Options) -> bool:
    """Whether ``--max-bytes`` refuses the file."""
    return path.is_file() and path.stat().st_size > options.max_bytes


class RunLimit(InputError):
    """A document refused for a limit of the run (--max-bytes, --max-chars, --timeout), not
    for what it is: the next run tries it again, perhaps with a higher limit."""


def process_file(
    path: str | Path,
    doc_id: str | None = None,
    nlp: Language | None = None,
    options: Options | None = None,
) -> Doc:
    """Read and process one file; raises InputError when the file cannot be read."""
    options = options or Options()
    nlp = nlp or load_nlp(options.models_dir, user_data=options.user_data())
    path = Path(path)
    if over_size_limit(path, options):
        raise RunLimit(
            path,
            "input",
            f"file is {path.stat().st_size:,} bytes, more than --max-bytes {options.max_bytes:,}",
        )
    if extract.READERS.get(path.suffix.lower()) == "text" and more_characters_than(
        path, options.max_chars
    ):  # counted while reading, before the file is held whole
        raise RunLimit(
            path, "input", f"more than {options.max_chars:,} characters of text; raise --max-chars"
        )
    extracted = extract.read(
        path, password=options.password, ocr=options.ocr, max_pages=options.max_pages
    )
    if len(extracted.text) > options.max_chars:
        raise RunLimit(
            path,
            "input",
            f"more than {options.max_chars:,} characters of text ({len(extracted.text):,}); "
            "raise --max-chars",
        )
    # --max-chars is the limit, not spaCy's own (a safeguard of 1,000,000 characters by
    # default): the text is tokenised whole, and its trained components, whose memory spaCy's
    # limit guards, run section by section beyond SECTION_CHARS (annotate)
    nlp.max_length = max(nlp.max_length, options.max_chars)
    return annotate(extracted, nlp, doc_id or path.stem)


def process_text(text: str, doc_id: str = "text", nlp: Language | None = None) -> Doc:
    """Process a declaration given as a string (as if read from a .txt file)."""
    nlp = nlp or load_nlp()
    return annotate(read_text(text, source_path=f"<{doc_id}>"), nlp, doc_id)


# failures that are not the document's fault, in words; anything else is "an unexpected
# problem", with the library's detail in the --debug log only
_IN_WORDS = (
    (MemoryError, "ran out of memory"),
    (RecursionError, "is nested too deeply to process"),
    (UnicodeError, "holds text that cannot be decoded or encoded"),
)


def reason_in_words(err: BaseException) -> str:
    for kind, words in _IN_WORDS:
        if isinstance(err, kind):
            return words
    if isinstance(err, OSError):
        return f"cannot be read or written ({(err.strerror or 'input/output error').lower()})"
    return "could not be processed (an unexpected problem; --debug shows the details)"


# "(PackageNotFoundError: Package not found at ...)": what a library said, in its words
_LIBRARY_DETAIL = re.compile(r"\s*\((?:[\w.]+(?:Error|Exception|Warning|File)|\[E\d+\])\b[^)]*\)")


def without_library_detail(reason: str) -> str:
    """A reader's reason without the library's own words in brackets (``--debug`` logs them)."""
    return _LIBRARY_DETAIL.sub("", reason).strip() or reason


class DocumentTimeout(BaseException):
    """The per-document time limit ran out: an interruption like KeyboardInterrupt, so that
    the stages' own ``except Exception`` handlers do not swallow it."""


def document_result(path: Path, doc_id: str, options: Options) -> tuple:
    """One input to its table rows, clean text, serialised Doc and report page, or to an error
    row; and whether the next run should try it again. Never raises for a bad document."""
    start = time.perf_counter()
    try:
        with time_limit(options.timeout):
            doc = process_file(path, doc_id, options=options)
            rows = records.doc_tables(doc)
            doc_bytes = DocBin(docs=[doc], store_user_data=True).to_bytes()
            # the document's report page is made here, in the worker, and cached with its rows
            files = report.document_files(rows)
    except DocumentTimeout:
        reason = f"took longer than {options.timeout:g} s (--timeout)"
        return _failed(path, doc_id, "process", reason, retry=True)
    except InputError as err:
        log.debug("%s: %s", path, err.reason)
        reason = without_library_detail(err.reason)
        return _failed(path, doc_id, err.stage, reason, retry=isinstance(err, RunLimit))
    except Exception as err:  # a bug or an unreadable corner case: report it, go on
        log.debug("%s: %s", path, err, exc_info=True)
        retry = isinstance(err, MemoryError)
        return _failed(path, doc_id, "process", reason_in_words(err), retry)
    log.info("processed %s in %.2fs", path, time.perf_counter() - start)
    return rows, doc.text, doc_bytes, files, False


def _failed(path, doc_id, stage: str, reason: str, retry: bool) -> tuple:
    return {"errors": [records.error_row(path, doc_id, stage, reason)]}, None, None, None, retry


def make_entry(path: str, doc_id: str, options: Options, entry: str) -> str:
    """The task of every engine: one document -> one cache entry. Returns the entry path.

    The nlp is built once per process. A document that fails gives an entry holding its error
    row, so failures are cached like results (a changed file gets a new key and is tried
    again); one refused for a run limit (--timeout, --max-bytes, --max-chars) is tried again
    by the next run, which may set it higher (the limits are not part of the key, so as not to
    invalidate every other entry).
    """
    start = time.perf_counter()
    rows, text, doc_bytes, files, retry = document_result(Path(path), doc_id, options)
    if text is None:  # as "processed ... in": how long a refusal took (benchmarks/hostile.py)
        log.info("failed %s in %.2fs", path, time.perf_counter() - start)
    cache.write_entry(Path(entry), rows, text, doc_bytes, retry, files)
    return entry


@contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeout in this thread when the block takes longer than ``seconds``.

    In a main thread a SIGALRM timer (it also interrupts a blocking read); in any other thread
    (Dask runs tasks in worker threads) a timer thread that raises the exception in this one
    with ``PyThreadState_SetAsyncExc``. Either way Python code is interrupted between two
    bytecodes, so a long call into a C library ends first.
    """
    if not seconds:
        yield
        return
    fired = threading.Event()
    if hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():

        def alarm(signum, frame):
            fired.set()
            raise DocumentTimeout()

        # again every 50 ms until the block has ended: an exception raised while Python runs a
        # callback (a garbage collector hook) is printed and dropped
        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if fired.is_set():  # every interruption was swallowed on the way: the limit holds
            raise DocumentTimeout()
        return
    thread_id, lock, stop = threading.get_ident(), threading.Lock(), threading.Event()

    def interrupt() -> None:
        if stop.wait(seconds):
            return
        fired.set()
        while True:  # again every 50 ms until the block has ended, as above
            with lock:
                if stop.is_set():
                    return
                _raise_in_thread(thread_id, DocumentTimeout)
            if stop.wait(0.05):
                return

    timer = threading.Thread(target=interrupt, daemon=True)
    timer.start()
    try:
        yield
    finally:
        with lock:
            stop.set()
            _raise_in_thread(thread_id, None)  # one raised but not yet delivered: dropped
        timer.join()
    if fired.is_set():  # every interruption was swallowed on the way: the limit still holds
        raise DocumentTimeout()


def _raise_in_thread(thread_id: int, exception) -> None:
    """CPython's documented way to raise an exception in another thread (None: clear it)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


def dead_worker_entry(path: str, doc_id: str, options: Options, entry: str) -> str:
    """The entry of a document whose worker died while processing it (tried again next run)."""
    reason = "the worker processing it stopped (killed by the system, perhaps for lack of memory)"
    cache.write_entry(
        Path(entry),
        {"errors": [records.error_row(path, doc_id, "process", reason)]},
        None,
        None,
        True,
    )
    return entry


def start_worker(
    models_dir: str | None, parent: int, user_data: tuple = (), max_memory: int | None = None
) -> None:
    """A worker's start: die with the parent, keep to ``max_memory`` megabytes (beyond it a
    document's allocation fails with MemoryError: that document's error row), then build the
    nlp once, before the first document (a worker outliving its run would hold its memory for
    nothing)."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    if max_memory and resource is not None:
        limit = max_memory * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # address space, as ulimit -v
    load_nlp(models_dir, user_data=user_data)
