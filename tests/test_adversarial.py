"""Hostile and broken inputs in a batch with good documents (issue #20): each ends in one line
and one ``errors`` row naming the file and the reason in words, and the good documents come out
as when they are run alone; what would be silently wrong is right or warned about.

Every case is generated here, at test time, small."""

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import psutil
import pytest

from benchmarks import hostile_files
from benchmarks.batch import make_corpus
from pipeline import cache, extract, runner, store, tables
from pipeline.cli import main
from pipeline.extract import pdfstreams
from pipeline.extract.text import more_characters_than
from pipeline.report import html as report_html
from pipeline.resources import UntrustedModel, load_model
from pipeline.runner import document
from pipeline.types import Corpus, InputError, Options

ROOT = Path(__file__).resolve().parents[1]
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="patches reach workers by fork")


def _run(inputs, out, **kwargs):
    return runner.run(inputs, out, report=False, progress=False, compare=False, **kwargs)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """Two good documents, and their tables when run alone."""
    folder = tmp_path_factory.mktemp("good")
    make_corpus(folder, 2, max_paragraphs=5)
    alone = _run([folder], tmp_path_factory.mktemp("alone"), use_cache=False)
    return folder, {name: alone.tables[name] for name in tables.DOCUMENT_TABLES}


def _batch(good, tmp_path) -> Path:
    """A copy of the good documents to add bad ones to."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in good[0].iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _same_good_tables(good, corpus) -> None:
    for name, alone in good[1].items():
        together = corpus.tables[name]
        together = together[together["doc_id"].isin(alone["doc_id"])].reset_index(drop=True)
        where = [c for c in together.columns if c != "source_path"]  # the copies are elsewhere
        pd.testing.assert_frame_equal(together[where], alone[where], obj=name)


def _errors(corpus) -> dict[str, str]:
    return {Path(p).name: m for p, m in zip(corpus.errors["source_path"], corpus.errors["message"])}


# --- per-document isolation -----------------------------------------------------------------


@pytest.mark.slow
def test_an_unreadable_file_and_folder_are_one_error_row_each(good, tmp_path, monkeypatch):
    batch = _batch(good, tmp_path)
    (batch / "locked.txt").write_text("1. De EU zal helpen.\n", encoding="utf-8")
    (batch / "closed").mkdir()
    (batch / "closed" / "inside.txt").write_text("1. De EU zal helpen.\n", encoding="utf-8")
    # the tests run as root, whom no permission stops: the OS's answer for a mode-000 file
    # and folder is given here
    real_key, real_scandir = cache.entry_key, os.scandir

    def entry_key(path, *args):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_key(path, *args)

    def scandir(path="."):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(cache, "entry_key", entry_key)
    monkeypatch.setattr(os, "scandir", scandir)
    corpus = _run([batch], tmp_path / "out")
    errors = _errors(corpus)
    assert errors == {
        "locked.txt": "cannot read the file (permission denied)",
        "closed": "cannot list the folder (permission denied)",
    }
    _same_good_tables(good, corpus)


@pytest.mark.slow
def test_fifos_and_devices_are_refused_without_being_opened(good, tmp_path):
    batch = _batch(good, tmp_path)
    os.mkfifo(batch / "pipe.txt")  # reading it would wait for ever
    corpus = _run([batch, "/dev/zero"], tmp_path / "out")
    errors = _errors(corpus)
    assert errors["pipe.txt"] == "not a regular file but a FIFO (named pipe)"
    assert errors["zero"] == "not a regular file but a character device"
    _same_good_tables(good, corpus)


@pytest.mark.slow
def test_a_link_out_of_the_input_folder_is_refused_unless_asked_for(good, tmp_path):
    batch = _batch(good, tmp_path)
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Geheim\n\n1. De EU zal dit nooit zeggen.\n", encoding="utf-8")
    (batch / "secret.txt").symlink_to(secret)
    (batch / "inside.txt").symlink_to(batch / "decl-00000.txt")  # stays inside: fine, a twin
    corpus = _run([batch], tmp_path / "out")
    assert "outside the input folder; give --follow-links" in _errors(corpus)["secret.txt"]
    assert "inside" in set(corpus.documents["doc_id"])
    followed = _run([batch], tmp_path / "followed", follow_links=True)
    assert "secret" in set(followed.documents["doc_id"])


@linux_only
@pytest.mark.slow
def test_a_killed_worker_fails_only_its_document(good, tmp_path, monkeypatch):
    batch = _batch(good, tmp_path)
    (batch / "killer.txt").write_text("Titel\n\n1. De EU zal helpen.\n", encoding="utf-8")
    real = document.process_file

    def process_file(path, doc_id=None, **kwargs):
        if doc_id == "killer":  # what the kernel's OOM killer does
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, doc_id, **kwargs)

    monkeypatch.setattr(document, "process_file", process_file)
    corpus = _run([batch], tmp_path / "out", workers=2)
    assert list(corpus.errors["doc_id"]) == ["killer"]
    assert "worker processing it stopped" in corpus.errors["message"].iloc[0]
    _same_good_tables(good, corpus)


@linux_only
@pytest.mark.slow
def test_a_document_beyond_the_memory_limit_fails_alone(good, tmp_path, monkeypatch):
    batch = _batch(good, tmp_path)
    (batch / "greedy.txt").write_text("Titel\n\n1. De EU zal helpen.\n", encoding="utf-8")
    real = document.process_file

    def process_file(path, doc_id=None, **kwargs):
        if doc_id == "greedy":  # what a decompression bomb does
            bytearray(4 * 2**30)
        return real(path, doc_id, **kwargs)

    monkeypatch.setattr(document, "process_file", process_file)
    # the workers are forks of this process: the limit counts from what they start with
    start = psutil.Process().memory_info().vms // 2**20
    corpus = _run([batch], tmp_path / "out", workers=2, options=Options(max_memory=start + 1500))
    assert _errors(corpus) == {"greedy.txt": "ran out of memory"}
    _same_good_tables(good, corpus)


WORKERS_OF_A_KILLED_RUN = """
import os, sys, time
from pipeline.runner import document
import pipeline

def process_file(path, doc_id=None, **kwargs):
    open(os.path.join(sys.argv[2], str(os.getpid())), "w").close()
    time.sleep(120)

document.process_file = process_file
pipeline.process([sys.argv[1]], workers=2, compare=False)
"""


@linux_only
@pytest.mark.slow
def test_workers_die_with_their_parent(good, tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKERS_OF_A_KILLED_RUN, str(good[0]), str(pids)], cwd=ROOT
    )
    deadline = time.monotonic() + 120
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2
    parent.kill()  # what `kill -9` of a run does
    parent.wait()
    deadline = time.monotonic() + 30

    def alive(pid):
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)


@pytest.mark.slow
@pytest.mark.parametrize("engine,workers", [("local", 2), ("dask", 1)])
def test_the_timeout_holds_on_every_engine(good, tmp_path, engine, workers):
    corpus = _run(
        [good[0]], tmp_path / "out", engine=engine, workers=workers, options=Options(timeout=0.001)
    )
    assert len(corpus.errors) == 2
    assert all(m.endswith("(--timeout)") for m in corpus.errors["message"])


@pytest.mark.slow
def test_a_text_beyond_the_character_budget_is_refused_with_the_limit(good, tmp_path):
    batch = _batch(good, tmp_path)
    (batch / "long.txt").write_text("Titel\n\n" + "1. De EU zal helpen. " * 200, encoding="utf-8")
    points = "".join(f"<p>{i}. De EU zal helpen.</p>" for i in range(200))
    (batch / "lang.html").write_text(f"<html><body>{points}</body></html>", encoding="utf-8")
    corpus = _run([batch], tmp_path / "out", options=Options(max_chars=3000))
    errors = _errors(corpus)
    # a text file is counted while it is read, and refused before it is held whole
    assert errors["long.txt"] == "more than 3,000 characters of text; raise --max-chars"
    # other formats once their clean text is known, which it says
    assert re.fullmatch(
        r"more than 3,000 characters of text \([\d,]+\); raise --max-chars", errors["lang.html"]
    )
    _same_good_tables(good, corpus)
    again = _run([batch], tmp_path / "out", options=Options(max_chars=10_000))  # tried again
    assert {"long", "lang"} <= set(again.documents["doc_id"]) and again.errors.empty


def test_an_endless_text_is_refused_after_reading_about_its_budget(tmp_path):
    endless = tmp_path / "endless.txt"
    os.mkfifo(endless)  # a text that never ends: only a reader that stops can answer
    written = []

    def write_for_ever():
        with open(endless, "wb") as pipe:
            try:
                while True:
                    pipe.write(b"1. De EU zal helpen. " * 50_000)
                    written.append(1)
            except BrokenPipeError:  # the reader has stopped
                pass

    writer = threading.Thread(target=write_for_ever, daemon=True)
    writer.start()
    assert more_characters_than(endless, 3_000_000)
    writer.join(timeout=60)
    assert not writer.is_alive() and len(written) < 10  # about 3 MB of 1 MB writes


def test_the_budget_counts_characters_as_the_clean_text_keeps_them(tmp_path):
    padded = tmp_path / "padded.txt"
    padded.write_text("Titel" + " " * 100_000 + "\t" * 100_000 + "tekst\n", encoding="utf-8")
    assert not more_characters_than(padded, 20)  # a run of spaces is one space
    assert more_characters_than(padded, 10)
    wide = tmp_path / "utf16.txt"
    wide.write_text("één " * 1000, encoding="utf-16")  # 4,000 characters in 8,002 bytes
    assert more_characters_than(wide, 3_999) and not more_characters_than(wide, 4_000)


# --- output folders that cannot lie ---------------------------------------------------------


@pytest.mark.slow
def test_a_run_into_an_earlier_runs_folder_describes_itself_alone(good, tmp_path):
    batch = _batch(good, tmp_path)
    (batch / "extra.txt").write_bytes((batch / "decl-00000.txt").read_bytes() + b"\nExtra.\n")
    out = tmp_path / "out"
    runner.run([batch], out, progress=False)  # parquet, three documents, with a report
    (batch / "extra.txt").unlink()
    corpus = runner.run([batch], out, fmt="csv", progress=False, report=False)
    assert not list(out.glob("*.parquet")) and not (out / "report.html").exists()
    assert not (out / "report").exists()
    assert sorted(p.name for p in (out / "text").iterdir()) == [
        "decl-00000.txt",
        "decl-00001.txt",
    ]
    assert sorted(corpus.docs) == sorted(corpus.documents["doc_id"]) == ["decl-00000", "decl-00001"]
    assert sorted(corpus.tables) == sorted(tables.COLUMNS)
    assert len(store.read_table(out, "documents")) == 2


@pytest.mark.slow
def test_a_second_run_on_the_same_folder_refuses_with_one_line(good, tmp_path, capsys):
    out = tmp_path / "out"
    with cache.OutputLock(out):  # a run that is writing the folder
        with pytest.raises(cache.FolderInUse):
            _run([good[0]], out)
        assert main(["--quiet", "run", str(good[0]), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: run: {out} is being written by another run; wait for it to end "
        "or choose another --out"
    ]
    assert len(_run([good[0]], out).documents) == 2  # the lock is released with its holder


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["flip a byte of the tables", "cut the text short"])
def test_a_damaged_cache_entry_is_made_again_with_one_warning(good, tmp_path, caplog, damage):
    out = tmp_path / "out"
    first = _run([good[0]], out)
    entry = next(p for p in (out / ".cache").iterdir() if (p / cache.TEXT_NAME).exists())
    if damage.startswith("flip"):
        data = bytearray((entry / cache.TABLES_NAME).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (entry / cache.TABLES_NAME).write_bytes(bytes(data))
    else:
        text = (entry / cache.TEXT_NAME).read_bytes()
        (entry / cache.TEXT_NAME).write_bytes(text[: len(text) // 2])
    (out / cache.CACHE_DIR / cache.RECORD_NAME).unlink()  # as after an interrupted run
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        again = _run([good[0]], out)
    assert len([r for r in caplog.records if "cache entry was damaged" in r.message]) == 1
    for name in tables.DOCUMENT_TABLES:
        pd.testing.assert_frame_equal(first.tables[name], again.tables[name], obj=name)
    cache.verify_entry(entry)  # made again, whole


# --- names are data -------------------------------------------------------------------------


def test_doc_id_cannot_write_outside_out(tmp_path, capsys):
    out = tmp_path / "deep" / "out"
    make_corpus(tmp_path / "in", 1, max_paragraphs=5)  # refused before it is read
    single = tmp_path / "in" / "decl-00000.txt"
    for doc_id in ("../../x", str(tmp_path / "x"), "a\nb", ".."):
        assert main(["--quiet", "run", str(single), "--out", str(out), "--doc-id", doc_id]) == 2
        with pytest.raises(ValueError):
            _run([single], out, doc_id=doc_id)
    assert not list(tmp_path.rglob("x*")) and not out.exists()
    assert capsys.readouterr().err.count("\n") == 4  # one line each


@pytest.mark.slow
def test_names_that_look_the_same_are_one_name(good, tmp_path):
    batch = _batch(good, tmp_path)
    text = (good[0] / "decl-00000.txt").read_bytes()
    (batch / "verklaring-caf\u00e9.txt").write_bytes(text)  # é as one code point (NFC)
    (batch / "verklaring-cafe\u0301.txt").write_bytes(text)  # e + combining accent (NFD)
    corpus = _run([batch], tmp_path / "out")
    assert len(corpus.errors) == 1
    assert "the same name in another Unicode form" in corpus.errors["message"].iloc[0]


@pytest.mark.slow
def test_long_and_strange_file_names_are_processed_and_printed_on_one_line(good, tmp_path):
    batch = _batch(good, tmp_path)
    long_name = "v" * 251 + ".txt"  # 255 bytes, the most a file system allows
    (batch / long_name).write_bytes((good[0] / "decl-00000.txt").read_bytes())
    forged = "empty\nerror: fake.txt: extract: forged\u202e.txt"
    (batch / forged).write_bytes(b"")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "--quiet",
            "run",
            str(batch),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "\\nerror: fake.txt" in lines[0] and "\\u202e" in lines[0]
    corpus = Corpus.read(tmp_path / "out")
    assert "v" * 251 in set(corpus.documents["doc_id"])
    assert corpus.docs["v" * 251]._.doc_id == "v" * 251
    names = [p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*")]
    assert all(len(p.name.encode()) <= 255 for p in names)  # what a file system allows
    # a document's own files are bounded more tightly; a pair's page joins two names
    assert all(len(p.name.encode()) <= 130 for p in names if p.parts[:2] != ("report", "pair"))


# --- models that cannot run code ------------------------------------------------------------


def test_a_model_file_that_would_call_eval_is_refused(tmp_path):
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    crafted = tmp_path / "model.skops"
    sio.dump(FunctionTransformer(func=eval), crafted)
    with pytest.raises(UntrustedModel, match="builtins.eval"):
        load_model(crafted)
    assert load_model(ROOT / "models" / "speech_acts" / "model.skops") is not None


# --- reasons in words -----------------------------------------------------------------------

# a Python exception class name: "ValueError", "PdfminerException", "BadZipFile", "E088"
EXCEPTION_NAME = re.compile(
    r"\b[A-Z][A-Za-z]+(Error|Exception|Warning|Interrupt|File)\b|\[E\d{3}\]"
)


@pytest.mark.slow
def test_one_line_per_failure_in_words_without_exception_names(good, tmp_path):
    batch = _batch(good, tmp_path)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (batch / "not-a-pdf.pdf").write_text("Dit is geen PDF.", encoding="utf-8")
    (batch / "not-a-docx.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (batch / "tiny.html").write_bytes(b"<html><body></body></html>")
    os.mkfifo(batch / "pipe.txt")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "--quiet",
            "run",
            str(batch),
            "--out",
            str(tmp_path / "out"),
            "--no-report",
            "--max-chars",
            "100000",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    errors = store.read_table(tmp_path / "out", "errors")
    assert len(errors) == 6
    # outside a terminal stderr also has the plain progress lines (n/N documents, elapsed)
    progress = re.compile(r"\d+ documents to process; loading models|\d+/\d+ documents, .*")
    failures = [
        line for line in proc.stderr.splitlines() if line.strip() and not progress.fullmatch(line)
    ]
    assert len(failures) == len(errors)  # no WARNING line beside each error line
    assert all(line.startswith("error: ") for line in failures)
    for message in errors["message"]:
        assert not EXCEPTION_NAME.search(message), message
    assert all(not EXCEPTION_NAME.search(line) for line in failures)


@pytest.mark.slow
def test_an_unexpected_failure_is_described_in_words_with_the_detail_under_debug(
    good, tmp_path, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setattr(document, "annotate", broken)
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        corpus = _run([good[0] / "decl-00000.txt"], tmp_path / "out")
    assert corpus.errors["message"].iloc[0] == (
        "could not be processed (an unexpected problem; --debug shows the details)"
    )
    assert "internal detail" in caplog.text  # the library's detail, in the debug log only


def test_report_pages_of_long_names_fit_a_file_name():
    long_names = ["v" * 251, "ä" * 120, "v" * 250 + "w"]
    stems = [report_html.file_stem(name) for name in long_names]
    assert len(set(stems)) == 3  # still one page per document
    assert all(len(stem.encode()) <= report_html.MAX_STEM_BYTES for stem in stems)
    page = Path(report_html.pair_href(long_names[0], long_names[1])).name
    assert len(page.encode()) <= 255
    assert report_html.file_stem("sofia-2018-nl") == "sofia-2018-nl"  # short ones as they were


def test_plain_names_stay_the_file_names():
    assert store.file_name("sofia-2018-nl") == "sofia-2018-nl"
    assert "/" not in store.file_name("../../x") and not store.file_name("..").startswith(".")
    assert store.file_name("a/b") != store.file_name("a_b")  # made unique
    assert len(store.file_name("x" * 1000).encode()) <= store.MAX_NAME_BYTES


# --- limits before work: bombs, deep pages, pages of tiny text, wrong charsets -------------

# each hostile file -> the one line its failure is, in words
HOSTILE_FAILURES = {
    "bomb-word.docx": "the Word file expands to more than 64 MB of XML",
    "stored.docx": "the Word file expands to more than 64 MB of XML",
    "ratio.docx": "the Word file is a decompression bomb: word/document.xml expands 684 times, "
    "to 20 MB",
    "bomb-pdf.pdf": "the PDF holds a stream that expands to more than 64 MB",
    "tiny.pdf": "page 1 of the PDF holds more than 2 MB of drawing instructions (a page of text "
    "holds well under 1 MB)",
    "glyphs.pdf": "the text layer is mostly glyphs without letters (control or private-use "
    "characters, unmapped font codes); needs OCR (--ocr)",
    "deep.html": "the web page nests elements more than 256 deep",
    "random.html": "not a web page (binary data)",
}
ONE_LINE_PAGES = hostile_files.ONE_LINE_PAGES
WRONG_CHARSET = hostile_files.WRONG_CHARSET


@pytest.fixture(scope="module")
def hostile(good, tmp_path_factory):
    """The good documents with every hostile file beside them, run once from the command line
    with tight limits (two workers of 1,500 MB each, 30 s a document): what it printed, its
    exit status and what it wrote."""
    folder = tmp_path_factory.mktemp("hostile")
    for path in good[0].iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    hostile_files.docx(folder / "bomb-word.docx", hostile_files.empty_paragraphs(200))
    hostile_files.docx(  # 65 MB of XML kept as it is: no ratio gives it away
        folder / "stored.docx", hostile_files.empty_paragraphs(65), zipfile.ZIP_STORED
    )
    hostile_files.docx(folder / "ratio.docx", hostile_files.empty_paragraphs(20))
    hostile_files.pdf(folder / "bomb-pdf.pdf", [hostile_files.inflating_stream(1024)])
    hostile_files.pdf(folder / "tiny.pdf", [hostile_files.tiny_text(150_000)])
    controls = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\n\r")
    hostile_files.pdf(folder / "glyphs.pdf", [hostile_files.text_page([controls] * 3)])
    hostile_files.pdf(
        folder / "oneline.pdf", [hostile_files.text_page([line]) for line in ONE_LINE_PAGES]
    )
    (folder / "deep.html").write_bytes(hostile_files.nested_divs(100_000))
    (folder / "random.html").write_bytes(hostile_files.random_bytes(400_000))
    (folder / "cp1252.html").write_bytes(WRONG_CHARSET.encode("cp1252"))
    out = tmp_path_factory.mktemp("hostile-out")
    limits = ["--workers", "2", "--max-memory", "1500", "--timeout", "30", "--no-report"]
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "--quiet", "run", str(folder), "--out", str(out)]
        + limits,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return proc, folder, Corpus.read(out)


@pytest.mark.slow
def test_each_hostile_file_is_one_line_and_one_row_in_words(hostile):
    proc, folder, corpus = hostile
    assert proc.returncode == 1  # some inputs failed, the others were written
    progress = re.compile(r"\d+ documents to process; loading models|\d+/\d+ documents, .*")
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and not progress.fullmatch(ln)]
    assert sorted(lines) == sorted(
        f"error: {folder / name}: extract: {reason}" for name, reason in HOSTILE_FAILURES.items()
    )
    assert _errors(corpus) == HOSTILE_FAILURES  # within the limits: none ran out of them
    assert not any(EXCEPTION_NAME.search(line) for line in lines)


@pytest.mark.slow
def test_good_documents_beside_hostile_ones_come_out_as_alone(good, hostile):
    _same_good_tables(good, hostile[2])


@pytest.mark.slow
def test_a_page_in_another_charset_than_declared_is_decoded_with_a_warning(hostile):
    corpus = hostile[2]
    warnings = corpus.documents.set_index("doc_id")["warnings"]["cp1252"]
    assert list(warnings) == [
        "the page declares utf-8 but its bytes are not in it; decoded as cp1252"
    ]
    text = " ".join(corpus.segments[corpus.segments["doc_id"] == "cp1252"]["text"])
    assert "Kroatië en Servië “nu” met € 9 miljoen – één keer." in text
    assert "\ufffd" not in text


@pytest.mark.slow
def test_a_pdf_of_one_line_a_page_keeps_its_text(hostile):
    segments = hostile[2].segments
    text = " ".join(segments[segments["doc_id"] == "oneline"]["text"])
    assert all(line in text for line in ONE_LINE_PAGES)


@pytest.mark.slow  # a few seconds: make test runs it, make test-fast does not
def test_a_deep_page_is_refused_in_one_walk(tmp_path):
    page = tmp_path / "deep.html"
    page.write_bytes(hostile_files.nested_divs(100_000))
    with pytest.raises(InputError, match="nests elements more than 256 deep"):
        extract.read(page)
    page.write_bytes(hostile_files.nested_divs(200))  # deep, but not beyond the limit
    assert extract.read(page).text == "Diep."


def test_chained_compression_is_counted_without_inflating_it_whole():
    once = zlib.compress(b"\0" * 2**24)
    twice = zlib.compress(once)
    assert pdfstreams.inflated_size(twice, 1, 2**30) == len(once)
    assert pdfstreams.inflated_size(twice, 2, 2**30) == 2**24
    assert pdfstreams.inflated_size(twice, 2, 2**20) <= 2**20 + pdfstreams.CHUNK


def test_report_cells_show_control_and_direction_characters_as_escapes():
    row = report_html.cells(["De EU steunt \u202ettesorK.", "twee\x1bregels", "a\nb"])
    assert "\u202e" not in row and "\\u202e" in row and "\\x1b" in row
    assert "a\nb" in row  # HTML shows a newline as a space: nothing to escape
