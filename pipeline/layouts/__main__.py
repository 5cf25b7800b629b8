"""python -m pipeline.layouts: structure accuracy over layout-randomised renderings.

    python -m pipeline.layouts --docs train --per-doc 4            # 304 renderings
    python -m pipeline.layouts --docs blind --per-doc 13 --sources  # held-out, once, at the end
    python -m pipeline.layouts --docs tune --per-doc 2 --show-failures   # while tuning rules

Prints overall, per-format, per-feature and per-document accuracy; ``--out`` writes them (and
every rendering's result) as JSON.  ``--show-failures`` prints the segments a rendering got
wrong, and is refused for held-out sets: their errors are not looked at.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipeline.gold import load_gold
from pipeline.layouts import render
from pipeline.layouts.evaluate import (
    documents,
    evaluate_rendering,
    predicted_segments,
    run,
    source_tasks,
    squash,
    tasks_for,
)
from pipeline.layouts.layout import FORMATS, draw_layout


def _table(title: str, rows: dict, out) -> None:
    print(f"\n{title}\n", file=out)
    print("| group | accuracy | segments | renderings |", file=out)
    print("| --- | ---: | ---: | ---: |", file=out)
    for group, row in rows.items():
        print(
            f"| {group} | {row['accuracy']:.3f} | {row['segments']} | {row['renderings']} |",
            file=out,
        )


def _show_failures(tasks, out) -> None:
    for _kind, (gold_path, fmt, seed) in tasks:
        result = evaluate_rendering(gold_path, fmt, seed)
        if result.correct == result.total and not result.error:
            continue
        gold = load_gold(gold_path)
        layout = draw_layout(fmt, seed)
        with tempfile.TemporaryDirectory() as folder:
            rendering = render(gold, layout, folder)
            expected = [(e.segment_id, squash(e.text)) for e in rendering.expected]
            predicted = predicted_segments(rendering.path, gold.doc_id) if not result.error else []
        print(f"\n## {gold.doc_id} {fmt} seed={seed} {result.correct}/{result.total}", file=out)
        print("   " + " ".join(layout.features()), file=out)
        if result.error:
            print(f"   error: {result.error}", file=out)
        for pair in expected:
            if pair not in predicted:
                print(f"   - {pair[0]}: {pair[1][:150]}", file=out)
        for pair in predicted:
            if pair not in expected:
                print(f"   + {pair[0]}: {pair[1][:150]}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.layouts", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--docs",
        default="train",
        help="train, tune, dev, heldout, blind (this round's) or seen (earlier rounds' blind)",
    )
    parser.add_argument("--per-doc", type=int, default=4, help="layouts per document and format")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=14, help="base seed of the layouts")
    parser.add_argument(
        "--sources", action="store_true", help="also the documents' own source files"
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the figures and every result as JSON")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args(argv)
    gold_paths = documents(args.docs)
    if not gold_paths:
        print(f"error: no gold documents in set {args.docs!r}", file=sys.stderr)
        return 2
    formats = tuple(f for f in args.formats.split(",") if f)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        print(f"error: unknown format(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    tasks = tasks_for(gold_paths, args.per_doc, formats, args.seed)
    if args.show_failures:
        if args.docs in ("heldout", "blind"):
            print("error: --show-failures is for training and seen documents only", file=sys.stderr)
            return 2
        _show_failures(tasks, sys.stdout)
        return 0
    if args.sources:
        tasks += source_tasks(gold_paths)
    report = run(tasks, args.workers)
    summary = report.summary()
    renderings = [r for r in report.results if r.seed is not None]
    print(
        f"{len(renderings)} renderings of {len(gold_paths)} documents ({args.docs}), "
        f"{len(report.results) - len(renderings)} source files; {summary['errors']} unreadable"
    )
    overall = summary["overall"]
    print(f"overall: {overall['accuracy']:.3f} over {overall['segments']} segments")
    _table("per format", summary["per_format"], sys.stdout)
    _table("per layout feature", summary["per_feature"], sys.stdout)
    _table("per document", summary["per_document"], sys.stdout)
    if args.out:
        args.out.write_text(report.to_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
