"""Hostile input, measured (issue #20): every case is generated at run time in a temporary
folder (benchmarks/hostile_files.py, the generators the tests use too), put in a batch with
two good documents and run as one ``python -m pipeline run`` with the default options (one
worker, the report included). Per case: the run's seconds, the seconds of the bad document
itself (the runner's "processed/failed FILE in S" log line), the peak resident memory of the
whole process tree (the sum over the run and its workers, sampled every 0.1 s), the one line
it printed, each against its goal (30 s for the bad document, 2,048 MB for the run), and
PASS/FAIL (FAIL also when the bad file is not one line and one ``errors`` row in words, or a
silent case comes out without its text or its warning).

    python -m benchmarks hostile                          # every case but the 10,000 files
    BENCH_HOSTILE_TINY=10000 python -m benchmarks hostile  # also 10,000 tiny files (minutes)
    BENCH_HOSTILE_CASES=text-190mb,pdf-stream-4gib python -m benchmarks hostile   # some cases
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import hostile_files as make
from benchmarks.batch import SEED, make_corpus, run_measured

DOCUMENT_SECONDS = 30.0
RUN_MB = 2048.0

# the command line with the runner's INFO lines ("processed/failed FILE in S") on stderr;
# --debug would also switch on every library's debug log (pdfminer's is slow)
COMMAND = """
import logging, sys
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
logging.getLogger("pipeline").setLevel(logging.INFO)
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""
TIMING = re.compile(r"INFO pipeline: (?:processed|failed) (.+) in ([\d.]+)s$")


@dataclass
class Case:
    """One hostile input: ``make(folder)`` writes it and returns its path; ``reason``: the one
    line expected (a refusal), or None for input that must come out right, with ``text`` in
    its segments and ``warning`` among its warnings."""

    name: str
    make: Callable[[Path], Path]
    reason: str | None = None
    text: str | None = None
    warning: str | None = None


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return write


def _docx(name: str, megabytes: int, compression: int = zipfile.ZIP_DEFLATED):
    return lambda folder: make.docx(folder / name, make.empty_paragraphs(megabytes), compression)


def _pdf(name: str, pages):
    return lambda folder: make.pdf(folder / name, pages())


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")  # reading it would wait for ever
    return folder / "pipe.txt"


def _long_text(folder: Path) -> Path:
    paragraph = " ".join(SEED.read_text(encoding="utf-8").split()[:120])
    return make.long_text(folder / "long.txt", 190, paragraph)


CONTROLS = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\n\r")
XML = "the Word file expands to more than 64 MB of XML"
CASES = [
    Case("docx-200mb-empty-paragraphs", _docx("paragraphs.docx", 200), XML),
    Case("docx-inflating-4gib", _docx("bomb.docx", 4096), XML),
    Case("docx-stored-65mb", _docx("stored.docx", 65, zipfile.ZIP_STORED), XML),
    Case(
        "docx-ratio-684x",
        _docx("ratio.docx", 20),
        "the Word file is a decompression bomb: word/document.xml expands 684 times, to 20 MB",
    ),
    Case(
        "pdf-stream-1gib",
        _pdf("stream1g.pdf", lambda: [make.inflating_stream(1024)]),
        "the PDF holds a stream that expands to more than 64 MB",
    ),
    Case(
        "pdf-stream-4gib",
        _pdf("stream4g.pdf", lambda: [make.inflating_stream(4096)]),
        "the PDF holds a stream that expands to more than 64 MB",
    ),
    Case(
        "pdf-tiny-text-operators",
        _pdf("tiny.pdf", lambda: [make.tiny_text(150_000)]),
        "page 1 of the PDF holds more than 2 MB of drawing instructions",
    ),
    Case(
        "pdf-control-glyphs",
        _pdf("glyphs.pdf", lambda: [make.text_page([CONTROLS] * 3)]),
        "the text layer is mostly glyphs without letters",
    ),
    Case(
        "pdf-one-line-a-page",
        _pdf("oneline.pdf", lambda: [make.text_page([line]) for line in make.ONE_LINE_PAGES]),
        text=make.ONE_LINE_PAGES[-1],
    ),
    Case(
        "html-100k-nested-divs",
        _write("deep.html", make.nested_divs(100_000)),
        "the web page nests elements more than 256 deep",
    ),
    Case(
        "html-random-400kb",
        _write("random.html", make.random_bytes(400_000)),
        "not a web page (binary data)",
    ),
    Case(
        "html-cp1252-declared-utf8",
        _write("cp1252.html", make.WRONG_CHARSET.encode("cp1252")),
        text="met € 9 miljoen",
        warning="the page declares utf-8 but its bytes are not in it; decoded as cp1252",
    ),
    Case(
        "text-190mb",
        _long_text,
        "more than 5,000,000 characters of text; raise --max-chars",
    ),
    Case("fifo", _fifo, "not a regular file but a FIFO (named pipe)"),
    Case(
        "name-of-255-bytes",
        lambda folder: shutil.copyfile(folder / "decl-00000.txt", folder / ("v" * 251 + ".txt")),
        text="Sofia",
    ),
]


def run_batch(folder: Path, out: Path, *extra: str) -> tuple[float, float, str, int]:
    args = [sys.executable, "-c", COMMAND, "--quiet", "run", str(folder), *extra]
    return run_measured([*args, "--out", str(out)])


def check(case: Case, bad: Path, out: Path, err: str, status: int) -> tuple[bool, str]:
    """Whether the bad file came out as it must, and what it printed (or what is wrong)."""
    from pipeline import store  # pandas: after the timed runs have started their own
    from pipeline.types import Corpus

    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    mine = [ln for ln in lines if str(bad) in ln]
    if status not in (0, 1) or len(lines) != len(mine):
        return False, f"exit {status}: {(lines or err.strip().splitlines() or [''])[-1][:160]}"
    errors = store.read_table(out, "errors")
    rows = errors[errors["source_path"].astype(str) == str(bad)]
    if case.reason is not None:
        if len(mine) != 1 or len(rows) != 1:
            return False, f"{len(mine)} line(s), {len(rows)} errors row(s)"
        return case.reason in rows["message"].iloc[0] and case.reason in mine[0], mine[0]
    if mine or len(rows):
        return False, (mine or list(rows["message"]))[0]
    corpus = Corpus.read(out)
    doc_id = bad.stem
    text = " ".join(corpus.segments[corpus.segments["doc_id"] == doc_id]["text"])
    if case.text and case.text not in text:
        return False, f"its text is not in the segments: {case.text!r}"
    if case.warning:
        warnings = corpus.documents.set_index("doc_id")["warnings"].get(doc_id, [])
        if case.warning not in list(warnings):
            return False, f"no warning {case.warning!r}"
        return True, f"(warning) {case.warning}"
    return True, "(processed, no error)"


def _row(name: str, run_s: float, doc_s: float | None, peak: float, ok: bool, line: str) -> None:
    doc = f"{doc_s:7.1f}" if doc_s is not None else "      -"
    verdict = ok and (doc_s is None or doc_s <= DOCUMENT_SECONDS) and peak <= RUN_MB
    print(
        f"{name:<28} {run_s:7.1f} {doc} {peak:8.0f}  {'PASS' if verdict else 'FAIL'}  {line}",
        flush=True,
    )


def run() -> None:
    chosen = {c for c in os.environ.get("BENCH_HOSTILE_CASES", "").split(",") if c}
    tiny = int(os.environ.get("BENCH_HOSTILE_TINY", "0"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    print(
        f"\n== hostile input (issue #20): each case with two good documents, default options; "
        f"goals: the bad document <= {DOCUMENT_SECONDS:.0f} s, the whole run <= {RUN_MB:,.0f} "
        "MB resident ==\n"
        f"{'case':<28} {'run s':>7} {'doc s':>7} {'peak MB':>8}  verdict  the line it printed"
    )
    try:
        for case in CASES:
            if chosen and case.name not in chosen:
                continue
            folder = tmp / case.name / "in"
            make_corpus(folder, 2, max_paragraphs=5)
            bad = case.make(folder)
            run_s, peak, err, status = run_batch(folder, tmp / case.name / "out")
            ok, line = check(case, bad, tmp / case.name / "out", err, status)
            times = {Path(m[1]).name: float(m[2]) for m in map(TIMING.match, err.splitlines()) if m}
            _row(case.name, run_s, times.get(bad.name), peak, ok, line.replace(str(folder), "IN"))
            shutil.rmtree(tmp / case.name, ignore_errors=True)  # gigabytes for the bombs
        if not chosen or "dev-zero" in chosen:
            folder = tmp / "dev-zero" / "in"
            make_corpus(folder, 2, max_paragraphs=5)
            run_s, peak, err, status = run_batch(folder, tmp / "dev-zero" / "out", "/dev/zero")
            case = Case("dev-zero", lambda _: Path("/dev/zero"), "a character device")
            ok, line = check(case, Path("/dev/zero"), tmp / "dev-zero" / "out", err, status)
            _row(case.name, run_s, None, peak, ok, line)
        if tiny:
            tiny_files(tmp, tiny)
        else:
            print(
                "10,000 tiny files with the report: skipped (minutes); "
                "BENCH_HOSTILE_TINY=10000 python -m benchmarks hostile runs it"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tiny_files(tmp: Path, n: int) -> None:
    """``n`` tiny files and two good documents, the report included (was: 4 min, 5.0 GiB)."""
    folder = make.tiny_files(tmp / "tiny" / "in", n)
    make_corpus(folder, 2, max_paragraphs=5)
    run_s, peak, err, status = run_batch(folder, tmp / "tiny" / "out")
    from pipeline import store

    errors = store.read_table(tmp / "tiny" / "out", "errors")
    documents = store.read_table(tmp / "tiny" / "out", "documents")
    report = (tmp / "tiny" / "out" / "report.html").exists()
    ok = status == 0 and errors.empty and len(documents) == n + 2 and report
    line = f"{len(documents):,} documents, {len(errors)} errors, report {'written' if report else 'missing'}"
    _row(f"{n:,} tiny files + report", run_s, None, peak, ok, line)


if __name__ == "__main__":
    run()
