"""Extraction speed: our PDF reader next to a bare pdfplumber loop, on the same 200-page PDF.

    python -m benchmarks extraction
    BENCH_EXTRACTION_PAGES=50 BENCH_EXTRACTION_ROUNDS=1 python -m benchmarks extraction

The PDF is the seed declaration rendered by ``tests/renderings.py`` (justified, hyphenated,
running header, page numbers, footnote) and repeated up to 200 pages, written to a temporary
directory.  Each measurement runs in a fresh child process, alternating baseline and ours for
``BENCH_EXTRACTION_ROUNDS`` rounds (default 2; the best round of each counts, as timeit does,
because other work on the machine only ever adds time):

- baseline: ``for page in pdf.pages: page.extract_text(); page.close()``
- ours: ``pipeline.extract.read(path)`` (words, columns, furniture, footnotes, blocks,
  de-hyphenation, clean text)

Target: our cleaning adds at most 50% to pdfplumber's own time (ours <= 1.5 x baseline).
Times are the child's CPU time (``time.process_time``): the machines are shared, and wall time
there mostly measures the other processes (both are printed).  Pages/s are pages per CPU
second.  Peak RSS is each child's own maximum resident set size.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RENDERINGS = ROOT / "tests" / "renderings.py"
# The pipeline is imported inside the functions that need it, not here: the child processes
# import this module, and the bare pdfplumber child must not carry spaCy (pipeline.gold imports
# it: about 5 s and its memory) into the RSS it reports.

TARGET_RATIO = 1.5


def _renderings():
    """tests/renderings.py, the one generator of test documents (needs the test extras)."""
    if "renderings" in sys.modules:
        return sys.modules["renderings"]
    spec = importlib.util.spec_from_file_location("renderings", RENDERINGS)
    module = importlib.util.module_from_spec(spec)
    sys.modules["renderings"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _gold_path() -> Path:
    from pipeline.gold import SEED_GOLD

    if SEED_GOLD.exists():
        return SEED_GOLD
    raise SystemExit(f"extraction bench: the seed gold file {SEED_GOLD} is missing")


def make_pdf(path: Path, pages: int) -> int:
    """Render the seed declaration repeated until ``pages`` pages; returns the page count."""
    from pipeline.gold import load_gold

    gold = load_gold(_gold_path())
    one = _renderings().render_pdf(gold, path)
    copies = -(-pages // one.n_pages) + 1
    rendering = _renderings().render_pdf(gold, path, repeat=copies, max_pages=pages)
    return rendering.n_pages


def _child(mode: str, path: str) -> None:
    """Runs in the child process: one timed pass, JSON on stdout."""
    if mode == "bare":
        import pdfplumber

        started, wall = time.process_time(), time.perf_counter()
        with pdfplumber.open(path) as pdf:
            n_pages = len(pdf.pages)
            n_chars = 0
            for page in pdf.pages:
                n_chars += len(page.extract_text() or "")
                page.close()
        seconds, wall = time.process_time() - started, time.perf_counter() - wall
        extra = {"chars": n_chars}
    else:
        from pipeline.extract import read

        started, wall = time.process_time(), time.perf_counter()
        extracted = read(path)
        seconds, wall = time.process_time() - started, time.perf_counter() - wall
        n_pages = extracted.n_pages
        extra = {
            "chars": len(extracted.text),
            "blocks": len(extracted.blocks),
            "footnotes": sum(b.role == "footnote" for b in extracted.blocks),
        }
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps({"seconds": seconds, "wall": wall, "pages": n_pages, "rss_mb": rss_mb, **extra})
    )


def _measure(mode: str, path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.extraction", "--child", mode, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit(f"extraction bench: the {mode} child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run() -> None:
    pages = int(os.environ.get("BENCH_EXTRACTION_PAGES", "200"))
    rounds = max(1, int(os.environ.get("BENCH_EXTRACTION_ROUNDS", "2")))
    print(
        f"== extraction: {pages}-page PDF, pdfplumber extract_text() loop vs pipeline.extract.read()"
    )
    with tempfile.TemporaryDirectory(prefix="bench-extraction-") as tmp:
        path = Path(tmp) / "sofia-repeated.pdf"
        started = time.perf_counter()
        n_pages = make_pdf(path, pages)
        print(
            f"   rendered {n_pages} pages in {time.perf_counter() - started:.1f} s "
            f"({path.stat().st_size / 1e6:.1f} MB, tests/renderings.py)"
        )
        results: dict[str, list[dict]] = {"bare": [], "ours": []}
        for r in range(rounds):
            for mode in ("bare", "ours"):
                m = _measure(mode, path)
                results[mode].append(m)
                print(
                    f"   round {r + 1} {mode:4s}: {m['seconds']:6.1f} CPU s ({m['wall']:5.1f} s wall)  "
                    f"{m['pages'] / m['seconds']:5.1f} pages/s  peak RSS {m['rss_mb']:.0f} MB"
                )
    bare = min(results["bare"], key=lambda m: m["seconds"])
    ours = min(results["ours"], key=lambda m: m["seconds"])
    ratio = ours["seconds"] / bare["seconds"]
    print(
        f"   bare pdfplumber : {bare['pages'] / bare['seconds']:5.1f} pages/s  "
        f"peak RSS {max(m['rss_mb'] for m in results['bare']):.0f} MB"
    )
    print(
        f"   ours (read)     : {ours['pages'] / ours['seconds']:5.1f} pages/s  "
        f"peak RSS {max(m['rss_mb'] for m in results['ours']):.0f} MB  "
        f"({ours['blocks']} blocks, {ours['footnotes']} footnotes)"
    )
    wall_ratio = min(m["wall"] for m in results["ours"]) / min(m["wall"] for m in results["bare"])
    print(f"   wall-clock ratio {wall_ratio:.2f} (for reference; depends on the machine's load)")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"   {verdict}: ours / bare = {ratio:.2f} (target <= {TARGET_RATIO:.2f}; "
        f"our cleaning adds {100 * (ratio - 1):+.0f}% to pdfplumber's time)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        run()
