"""Where a warm run's time goes, stage by stage, in CPU seconds (issue #19).

    python -m benchmarks.stages FOLDER [--rounds N] [--profile FILE]

One process, the pipeline built first (start-up apart), then every input of FOLDER as a run
takes it (``runner.plan.find_inputs``), each stage timed on its own with ``time.process_time``
(CPU: on a shared machine wall time is noise): extraction, segmentation with the tokenizer,
every spaCy component, the document's table rows, its serialised Doc and its report page.
``--rounds N`` repeats the whole pass and keeps each stage's fastest round; ``--profile FILE``
writes a cProfile of the last round instead (its figures inflated by the profiler).
Not a section of ``make bench`` (no ``run``): it takes the folder it is given, so that the
caller chooses which documents it reads (this round's blind documents, ``gold.CURRENT_BLIND_PREFIX``,
are always left out).
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from collections import defaultdict
from pathlib import Path


def stage_seconds(folder: Path) -> tuple[dict[str, float], int, int]:
    """CPU seconds per stage over every input of ``folder``; the documents and words read."""
    from spacy.tokens import DocBin

    from pipeline import extract, records, report
    from pipeline.doc import doc_text
    from pipeline.gold import CURRENT_BLIND_PREFIX
    from pipeline.nlp import load_nlp
    from pipeline.runner.plan import Plan, doc_ids_for, find_inputs
    from pipeline.segment import segment

    nlp = load_nlp()
    # never this round's held-out documents, whatever the folder holds
    files = [
        p for p in find_inputs([folder], Plan()) if not p.name.startswith(CURRENT_BLIND_PREFIX)
    ]
    seconds: dict[str, float] = defaultdict(float)
    words = 0

    def timed(stage: str, call, *args):
        start = time.process_time()
        result = call(*args)
        seconds[stage] += time.process_time() - start
        return result

    for path, doc_id in zip(files, doc_ids_for(files)):
        extracted = timed("extract", extract.read, path)
        doc = timed("segment and tokenise", segment, extracted, nlp, doc_id)
        words += len(doc_text(doc).split())  # as benchmarks/report.py counts them
        for name, proc in nlp.pipeline:
            doc = timed(name, proc, doc)
        rows = timed("table rows", records.doc_tables, doc)
        timed("Doc serialised", lambda d: DocBin(docs=[d], store_user_data=True).to_bytes(), doc)
        timed("report page", report.document_files, rows)
    return dict(seconds), len(files), words


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the last round here")
    args = parser.parse_args(argv)
    best: dict[str, float] = {}
    n_docs = n_words = 0
    for round_ in range(args.rounds):
        profiler = cProfile.Profile() if args.profile and round_ == args.rounds - 1 else None
        if profiler:
            profiler.enable()
        seconds, n_docs, n_words = stage_seconds(args.folder)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        best = {k: min(v, best.get(k, v)) for k, v in seconds.items()}
    total = sum(best.values())
    print(
        f"{n_docs} documents, {n_words:,} words; CPU seconds per stage (fastest of {args.rounds})"
    )
    for stage, value in best.items():
        print(f"  {stage:<24} {value:7.2f}  {100 * value / total:5.1f} %")
    print(f"  {'all':<24} {total:7.2f}  {n_words / total:,.0f} words per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
