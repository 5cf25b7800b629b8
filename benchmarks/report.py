"""The report and the run end to end (issue #19), measured side by side in one go:

- a varied corpus: the training declarations (never the held-out ones), each rendered in all
  four input formats by the seeded layout generator (pipeline.layouts): text dumps, typeset
  PDFs, Word files and web pages;
- end to end with the report, 1 worker, next to spaCy's blank Dutch tokenizer over the same
  clean text in the same run; 2 workers against 1; a one-document cold run with start-up on
  its own;
- the report of 2,000 documents: each document's page as a worker makes it, then the serial
  end of the run (index, pair pages, search files; the document pages copied from the cache
  entries) with its memory; how fast the index opens in headless Chromium; the largest page;
  the comparison of the 2,000 documents on the way.

    python -m benchmarks report                        # everything
    BENCH_REPORT_DOCS=500 python -m benchmarks report  # the large report over fewer documents
    BENCH_REPORT_PARTS=large python -m benchmarks report   # only the 2,000-document report
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks.batch import measure

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("txt", "pdf", "docx", "html")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def varied_corpus(folder: Path, seed: int = 19) -> int:
    """Every training declaration in the four formats, one layout each (doc_id: name-format).
    Returns the number of files."""
    from pipeline.gold import load_gold
    from pipeline.layouts import draw_layout, render
    from pipeline.layouts.evaluate import documents

    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for k, gold_path in enumerate(documents("train")):
        gold = load_gold(gold_path)
        for j, fmt in enumerate(FORMATS):
            scratch = folder / f".{fmt}"
            scratch.mkdir(exist_ok=True)
            rendering = render(gold, draw_layout(fmt, seed * 1000 + k * 10 + j), scratch)
            rendering.path.rename(folder / f"{gold.doc_id}-{fmt}.{fmt}")
            n += 1
    for scratch in folder.glob(".*"):
        shutil.rmtree(scratch)
    return n


def run_args(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--quiet", "run", str(corpus), "--out", str(out)]


def words_of(out: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in (out / "text").glob("*.txt"))


def blank_tokenizer_seconds(out: Path) -> tuple[float, int]:
    """spaCy's blank Dutch pipeline (tokenizer only) over the run's clean texts, in a fresh
    process like the run (its imports counted the same way)."""
    code = (
        "import sys, time; t = time.perf_counter(); import spacy; from pathlib import Path; "
        "nlp = spacy.blank('nl'); texts = [p.read_text(encoding='utf-8') for p in "
        "sorted(Path(sys.argv[1]).glob('*.txt'))]; n = sum(len(d) for d in nlp.pipe(texts)); "
        "print(time.perf_counter() - t, n)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(out / "text")], capture_output=True, text=True, check=True
    )
    seconds, tokens = result.stdout.split()
    return float(seconds), int(tokens)


# the goals of issue #19, each figure next to its goal at the end of the section
GOALS: dict[str, tuple[str, str, bool]] = {}


def goal(name: str, figure: str, target: str, ok: bool) -> None:
    GOALS[name] = (figure, target, ok)


def print_goals() -> None:
    print("\n== issue #19: the goals side by side, this run ==")
    for name, (figure, target, ok) in GOALS.items():
        if target.startswith("("):  # a figure beside a goal, not a goal of its own
            print(f"{name:<44} {figure:>24}  {target}")
        else:
            print(f"{name:<44} {figure:>24}  goal {target:<12} {verdict(ok)}")
    print(f"(load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree) of one command: on a shared
    machine the CPU time is the steadier figure (the pool's workers are waited for by the
    run, so their time is counted)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, _peak = measure(args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def end_to_end(tmp: Path) -> None:
    corpus = tmp / "varied"
    n = varied_corpus(corpus)
    rounds = int(os.environ.get("BENCH_ROUNDS", "2"))
    t1, t2, cpu1 = [], [], []
    for _ in range(rounds):
        for workers, times in ((1, t1), (2, t2)):
            out = tmp / f"varied-out-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            seconds, cpu = timed(run_args(corpus, out) + ["--workers", str(workers), "--no-cache"])
            times.append(seconds)
            if workers == 1:
                cpu1.append(cpu)
    words = words_of(tmp / "varied-out-1")
    tok_seconds, tokens = blank_tokenizer_seconds(tmp / "varied-out-1")
    best1, best2 = min(t1), min(t2)
    print(
        f"\n== end to end, report included: {n} declarations ({len(FORMATS)} formats), "
        f"{words:,} words =="
    )
    print(
        f"1 worker: {best1:.1f} s, {words / best1:,.0f} words/s (goal >= 10,000) "
        f"{verdict(words / best1 >= 10_000)}   [runs: {', '.join(f'{t:.1f}' for t in t1)}]"
    )
    print(
        f"1 worker, CPU time: {min(cpu1):.1f} s, {words / min(cpu1):,.0f} words per CPU second "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"spaCy blank('nl') tokenizer, same text, own process: {tok_seconds:.1f} s, "
        f"{words / tok_seconds:,.0f} words/s ({tokens:,} tokens)"
    )
    print(
        f"2 workers: {best2:.1f} s, {best1 / best2:.2f}x of 1 worker (goal >= 1.8) "
        f"{verdict(best1 / best2 >= 1.8)}   [runs: {', '.join(f'{t:.1f}' for t in t2)}]"
    )
    # one document, cold, into a new folder; start-up on its own (imports, models)
    one = tmp / "one"
    one.mkdir()
    shutil.copy(ROOT / "corpus" / "sofia-2018-nl.txt", one)
    cold = min(
        measure(run_args(one, tmp / f"one-out-{k}") + ["--no-cache"])[0] for k in range(rounds)
    )
    startup = min(
        measure([sys.executable, "-c", "from pipeline.nlp import load_nlp; load_nlp()"])[0]
        for _ in range(rounds)
    )
    print(
        f"one-document cold run: {cold:.2f} s (goal <= 2.5) {verdict(cold <= 2.5)}; "
        f"of which start-up (imports and models, own process): {startup:.2f} s"
    )
    goal(
        "end to end with the report, 1 worker",
        f"{words / best1:,.0f} words/s",
        ">= 10,000",
        words / best1 >= 10_000,
    )
    goal(
        "  the same in CPU time",
        f"{words / min(cpu1):,.0f} words/CPU s",
        "(steadier)",
        True,
    )
    goal(
        "  spaCy blank('nl') tokenizer, same text",
        f"{words / tok_seconds:,.0f} words/s",
        "(baseline)",
        True,
    )
    goal(
        "2 workers against 1, report included",
        f"{best1 / best2:.2f}x",
        ">= 1.8x",
        best1 / best2 >= 1.8,
    )
    goal("one-document cold run (--no-cache)", f"{cold:.2f} s", "<= 2.5 s", cold <= 2.5)
    goal("  of which start-up on its own", f"{startup:.2f} s", "(part)", True)


class Sampler:
    """The largest resident memory of this process while a block runs (sampled every 20 ms)."""

    def __enter__(self):
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.done.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def seed_rows() -> dict[str, list[dict]]:
    """The seed declaration's table rows, from the pipeline itself (models included)."""
    import pipeline

    corpus = pipeline.process([ROOT / "corpus" / "sofia-2018-nl.txt"], compare=False)
    return {
        name: corpus.tables[name].to_dict("records")
        for name in (
            "documents",
            "segments",
            "sentences",
            "entities",
            "commitments",
            "domain_profiles",
        )
    }


def variant_rows(seed: dict[str, list[dict]], i: int, rng: random.Random, keep: int) -> dict:
    """Declaration i: the seed's title and preamble and ``keep`` of its other segments, some
    with a word changed (their sentences alike), its own doc_id and date. The rows of a real
    document, without running the models 2,000 times."""
    segments = seed["segments"]
    head = [s for s in segments if s["kind"] in ("title", "preamble")]
    body = [s for s in segments if s not in head]
    kept = head + sorted(rng.sample(body, min(keep, len(body))), key=lambda s: s["char_start"])
    ids = {s["segment_id"] for s in kept}
    changed = {s["segment_id"] for s in kept[len(head) :] if rng.random() < 0.15}
    word = rng.choice(("versterken", "verdiepen", "uitbreiden", "bespoedigen"))
    doc_id = f"decl-{i:05d}"

    def edit(row: dict) -> dict:
        row = {**row, "doc_id": doc_id}
        if row.get("segment_id") in changed and "text" in row:
            row["text"] = row["text"].rstrip(".") + f" en {word} {i}."
        return row

    rows = {
        name: [edit(r) for r in seed[name] if r.get("segment_id") in ids]
        for name in ("segments", "sentences", "entities", "commitments")
    }
    document = {**seed["documents"][0], "doc_id": doc_id, "source_path": f"{doc_id}.txt"}
    document.update(
        date=f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        n_segments=len(rows["segments"]),
        n_sentences=len(rows["sentences"]),
    )
    rows["documents"] = [document]
    rows["domain_profiles"] = [{**r, "doc_id": doc_id} for r in seed["domain_profiles"]]
    return rows


def index_open_seconds(out: Path) -> float | None:
    """Seconds from navigation to the end of the load event (fastest of three)."""
    from benchmarks.browser import Browser, chromium_binary

    if chromium_binary() is None:
        return None
    with Browser() as browser:
        return min(browser.open((out / "report.html").as_uri(), settle=0.2) for _ in range(3))


def large_report(tmp: Path, n: int) -> None:
    """The report of n declarations: each document's page as a worker makes it, then the
    serial end (index, pair pages, search files) from the cache entries, with its time and
    memory; the same for a quarter of the documents, to show memory stays flat; the largest
    page, and how fast the index opens in headless Chromium. The comparison of the n
    documents is timed on the way (its own goal)."""
    from pipeline import report, tables
    from pipeline.runner.output import compare_frames

    print(
        f"\n== report of {n:,} documents (the seed's rows, varied: title, preamble and 8 "
        "other segments each) =="
    )
    seed = seed_rows()
    figures = {}
    for size in (n // 4, n):
        rng = random.Random(size)
        out = tmp / f"large-{size}"
        entries_dir = out / ".cache"
        rows: dict[str, list[dict]] = {name: [] for name in tables.DOCUMENT_TABLES}
        entries = {}
        page_seconds = 0.0
        for i in range(size):
            doc = variant_rows(seed, i, rng, keep=8)
            start = time.perf_counter()
            files = report.document_files(doc)  # in a worker, during the run
            page_seconds += time.perf_counter() - start
            entry = entries_dir / f"e{i}"
            entry.mkdir(parents=True)
            for name, text in files.items():
                (entry / name).write_text(text, encoding="utf-8")
            entries[doc["documents"][0]["doc_id"]] = entry
            for name in rows:
                rows[name].extend(doc[name])
        frames = tables.to_frames(rows)
        frames["errors"] = tables.to_frame("errors", [])
        del rows
        start = time.perf_counter()
        compared = compare_frames(frames)
        compare_seconds = time.perf_counter() - start
        frames.update(compared)
        with Sampler() as memory:
            start, cpu = time.perf_counter(), time.process_time()
            report.write_report(frames, out / "report.html", entries)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        n_pairs = len(list((out / "report" / "pair").glob("*.html")))
        figures[size] = (seconds, memory.growth_mb, cpu)
        print(
            f"{size:,} documents: document pages {page_seconds:.1f} s in all "
            f"({1000 * page_seconds / size:.1f} ms each, in the workers); comparison "
            f"{compare_seconds:.1f} s; the serial end (index, {n_pairs:,} pair pages, "
            f"search files, pages copied) {seconds:.1f} s ({cpu:.1f} s of CPU), memory "
            f"+{memory.growth_mb:.0f} MB"
        )
    seconds, growth, cpu = figures[n]
    print(
        f"report of {n:,} documents written in {seconds:.1f} s (goal <= 20) "
        f"{verdict(seconds <= 20)}; {cpu:.1f} s of CPU (load average "
        f"{os.getloadavg()[0]:.1f}: on a shared machine CPU time is the steadier figure)"
    )
    print(
        f"comparison of {n:,} documents: {compare_seconds:.1f} s (goal <= 20) "
        f"{verdict(compare_seconds <= 20)}"
    )
    goal(f"report of {n:,} documents, serial end", f"{seconds:.1f} s", "<= 20 s", seconds <= 20)
    goal(
        f"comparison of {n:,} documents",
        f"{compare_seconds:.1f} s",
        "<= 20 s",
        compare_seconds <= 20,
    )
    small = figures[n // 4][1]
    print(
        f"memory of the report's serial end: +{small:.0f} MB for {n // 4:,} documents, "
        f"+{growth:.0f} MB for {n:,} (goal: flat, at most 4x for 4x the documents) "
        f"{verdict(growth <= max(4 * small, 64))}"
    )
    goal(
        f"report memory, {n // 4:,} -> {n:,} documents",
        f"+{small:.0f} -> +{growth:.0f} MB",
        "flat",
        growth <= max(4 * small, 64),
    )
    out = tmp / f"large-{n}"
    files = [p for p in [out / "report.html", *(out / "report").rglob("*")] if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    size_mb = largest.stat().st_size / 2**20
    print(
        f"largest file of the report: {largest.relative_to(out)} {size_mb:.2f} MB "
        f"(goal <= 2 MB) {verdict(size_mb <= 2)}; index "
        f"{(out / 'report.html').stat().st_size / 2**20:.2f} MB"
    )
    opened = index_open_seconds(out)
    if opened is None:
        print("index open time: chromium is not installed, not measured")
    else:
        print(
            f"index opens (load and parse, headless Chromium) in {opened:.2f} s "
            f"(goal < 2) {verdict(opened < 2)}"
        )


def run() -> None:
    parts = os.environ.get("BENCH_REPORT_PARTS", "end-to-end,large").split(",")
    n = int(os.environ.get("BENCH_REPORT_DOCS", "2000"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        if "end-to-end" in parts:
            end_to_end(tmp)
        if "large" in parts and n:
            large_report(tmp, n)
        print_goals()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run()
