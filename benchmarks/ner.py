"""Entity stage speed: words per second on one core, next to a tokenizer-only pass.

    python -m benchmarks.ner               # ~60,000 words
    BENCH_NER_WORDS=200000 python -m benchmarks.ner

The text: the seed declaration and the team-written declarations (``corpus/annotated``),
repeated in turn until the word count is reached, one Doc per declaration. Both passes run in
this process, one after the other, over the same texts, with BLAS threads limited to one:

- tokenizer: ``nlp.tokenizer.pipe`` of the project's tokenizer;
- entities: the same tokenizer, then entity_ruler, ner, entity_resolver, acronyms and
  actor_linker (the entity stage of pipeline/nlp/config.cfg), through ``nlp.pipe``.

The stage's own rate is the word count over (entities time - tokenizer time). A warm-up
document is processed before timing, so loading is not counted (load time is printed apart).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_DIRS = (ROOT / "corpus", ROOT / "corpus" / "annotated")
DEFAULT_WORDS = 60_000
TARGET_WORDS_PER_SECOND = 10_000


def bench_texts(n_words: int) -> list[str]:
    sources = [p.read_text(encoding="utf-8") for d in TEXT_DIRS for p in sorted(d.glob("*.txt"))]
    if not sources:
        raise SystemExit("no declaration texts found in corpus/ or corpus/annotated/")
    texts, words, i = [], 0, 0
    while words < n_words:
        text = sources[i % len(sources)]
        texts.append(text)
        words += len(text.split())
        i += 1
    return texts


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run() -> None:
    from threadpoolctl import threadpool_limits

    from pipeline import MODELS_DIR
    from pipeline.nlp import build_nlp

    n_words = int(os.environ.get("BENCH_NER_WORDS", DEFAULT_WORDS))
    texts = bench_texts(n_words)
    words = sum(len(t.split()) for t in texts)
    with threadpool_limits(limits=1):
        built = []
        load = _timed(
            lambda: built.append(
                build_nlp(MODELS_DIR, exclude=("syntax", "speech_acts", "commitments", "domains"))
            )
        )
        nlp = built[0]
        nlp(texts[0])  # warm-up
        for _ in nlp.tokenizer.pipe(texts[:1]):
            pass
        tokenizer = _timed(lambda: [None for _ in nlp.tokenizer.pipe(texts)])
        full = _timed(lambda: [None for _ in nlp.pipe(texts, batch_size=16)])
    stage = max(full - tokenizer, 1e-9)
    print("== entities (one process, one BLAS thread) ==")
    print(f"components: {', '.join(nlp.pipe_names)} (loaded in {load:.2f} s)")
    print(f"text: {len(texts)} declarations, {words:,} words")
    print(f"tokenizer only           {words / tokenizer:>12,.0f} words/s  ({tokenizer:.2f} s)")
    print(f"tokenizer + entities     {words / full:>12,.0f} words/s  ({full:.2f} s)")
    verdict = "ok" if words / stage >= TARGET_WORDS_PER_SECOND else "BELOW TARGET"
    print(
        f"entity stage alone       {words / stage:>12,.0f} words/s  "
        f"(target >= {TARGET_WORDS_PER_SECOND:,}: {verdict})"
    )


if __name__ == "__main__":
    run()
