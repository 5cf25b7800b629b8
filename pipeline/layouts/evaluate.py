"""Structure accuracy over layout-randomised renderings (and over documents' own source files).

A segment counts when a predicted segment has its id and its text (whitespace squashed); a
rendering's accuracy is the count of such segments over the larger of the number of expected
and predicted segments, so a segment made of page chrome counts against it.  Figures are
pooled over segments: overall, per format, per layout feature, per document.

Document sets: ``train`` (the seed and the annotated documents of split "train"), its fixed
halves ``tune`` and ``dev`` (rules are tuned on ``tune`` and checked on ``dev``), ``heldout``
(the older held-out team documents), ``blind`` (the ``blind-*`` documents, read only when
asked for).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.extract import read
from pipeline.gold import ANNOTATED_DIR, BLIND_PREFIX, BLIND_SETS, SEED_GOLD, blind_paths, load_gold
from pipeline.layouts import render
from pipeline.layouts.layout import FORMATS, draw_layout
from pipeline.nlp import blank_nlp
from pipeline.segment import segment
from pipeline.types import InputError

SOURCE_SUFFIXES = (".txt", ".pdf", ".html", ".docx")


def documents(which: str) -> list[Path]:
    """Gold files of a document set.  Blind files are never opened unless ``which`` is
    "blind": their names alone keep them out of every other set."""
    if which in BLIND_SETS:
        return blind_paths(which)
    if which in ("train", "tune", "dev"):
        paths = [SEED_GOLD] + _split("train")
        if which == "train":
            return paths
        dev = {p for i, p in enumerate(paths) if i % 4 == 3}
        return [p for p in paths if (p in dev) == (which == "dev")]
    if which == "heldout":
        return _split("heldout")
    raise ValueError(
        f"unknown document set {which!r}; expected train, tune, dev, heldout, blind, seen"
    )


def _split(split: str) -> list[Path]:
    out = []
    for path in sorted(ANNOTATED_DIR.glob("*.gold.json")):
        if path.name.startswith(BLIND_PREFIX):
            continue
        if json.loads(path.read_text(encoding="utf-8")).get("split", "train") == split:
            out.append(path)
    return out


def source_files(gold_path: Path) -> list[Path]:
    """A gold document's own source files beside it (``<stem>.txt``, ``.pdf``, ...)."""
    stem = gold_path.name[: -len(".gold.json")]
    return sorted(
        p
        for p in gold_path.parent.iterdir()
        if p.name.startswith(stem + ".") and p.suffix.lower() in SOURCE_SUFFIXES
    )


@dataclass
class Result:
    doc_id: str
    format: str
    seed: int | None  # None for a document's own source file
    features: list[str]
    correct: int
    total: int
    error: str | None = None
    source: str | None = None

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def squash(text: str) -> str:
    return " ".join(text.split())


def score(expected: list[tuple[str, str]], predicted: list[tuple[str, str]]) -> tuple[int, int]:
    """(segments right, denominator): (id, text) pairs found in both, over the larger count."""
    left: defaultdict[tuple[str, str], int] = defaultdict(int)
    for pair in expected:
        left[pair] += 1
    correct = 0
    for pair in predicted:
        if left[pair] > 0:
            left[pair] -= 1
            correct += 1
    return correct, max(len(expected), len(predicted))


_NLP = None


def _nlp():
    global _NLP
    if _NLP is None:
        _NLP = blank_nlp()
    return _NLP


def predicted_segments(path: Path, doc_id: str) -> list[tuple[str, str]]:
    doc = segment(read(path), _nlp(), doc_id)
    return [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]


def _seed(doc_id: str, fmt: str, k: int, base: int) -> int:
    digest = hashlib.sha256(f"{base}:{doc_id}:{fmt}:{k}".encode()).hexdigest()
    return int(digest[:12], 16)


def evaluate_rendering(gold_path: str, fmt: str, seed: int) -> Result:
    gold = load_gold(gold_path)
    layout = draw_layout(fmt, seed)
    with tempfile.TemporaryDirectory(prefix="layouts-") as folder:
        rendering = render(gold, layout, folder)
        expected = [(e.segment_id, squash(e.text)) for e in rendering.expected]
        try:
            predicted = predicted_segments(rendering.path, gold.doc_id)
        except InputError as err:
            return Result(gold.doc_id, fmt, seed, layout.features(), 0, len(expected), err.reason)
    correct, total = score(expected, predicted)
    return Result(gold.doc_id, fmt, seed, layout.features(), correct, total)


def evaluate_source(gold_path: str, source: str) -> Result:
    """A document's own source file, read as it was written."""
    gold = load_gold(gold_path)
    fmt = Path(source).suffix.lower().lstrip(".")
    expected = [(g.id, squash(g.text)) for g in gold.segments]
    features = [f"format={fmt}", "source=as-written"]
    try:
        predicted = predicted_segments(Path(source), gold.doc_id)
    except InputError as err:
        return Result(gold.doc_id, fmt, None, features, 0, len(expected), err.reason, source)
    correct, total = score(expected, predicted)
    return Result(gold.doc_id, fmt, None, features, correct, total, None, Path(source).name)


def _call(task):
    kind, args = task
    return evaluate_rendering(*args) if kind == "rendering" else evaluate_source(*args)


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def pooled(self, key) -> dict[str, tuple[int, int, int]]:
        """group -> (segments right, denominator, renderings)."""
        groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in self.results:
            for g in key(r):
                groups[g][0] += r.correct
                groups[g][1] += r.total
                groups[g][2] += 1
        return {g: (v[0], v[1], v[2]) for g, v in sorted(groups.items())}

    def summary(self) -> dict:
        def table(key):
            return {
                g: {"accuracy": round(c / t, 4) if t else None, "segments": t, "renderings": n}
                for g, (c, t, n) in self.pooled(key).items()
            }

        return {
            "overall": table(lambda r: ["all"])["all"] if self.results else None,
            "per_format": table(lambda r: [r.format]),
            "per_feature": table(lambda r: [f for f in r.features if not f.startswith("format=")]),
            "per_format_feature": table(lambda r: [f"{r.format} {f}" for f in r.features]),
            "per_document": table(lambda r: [r.doc_id]),
            "per_document_format": table(lambda r: [f"{r.doc_id} {r.format}"]),
            "errors": sum(1 for r in self.results if r.error),
        }

    def to_json(self) -> str:
        return json.dumps(
            {"summary": self.summary(), "results": [asdict(r) for r in self.results]},
            ensure_ascii=False,
            indent=1,
        )


def tasks_for(
    gold_paths: list[Path], per_doc: int, formats=FORMATS, base_seed: int = 14
) -> list[tuple[str, tuple]]:
    tasks = []
    for path in gold_paths:
        doc_id = path.name[: -len(".gold.json")]
        for fmt in formats:
            for k in range(per_doc):
                tasks.append(("rendering", (str(path), fmt, _seed(doc_id, fmt, k, base_seed))))
    return tasks


def source_tasks(gold_paths: list[Path]) -> list[tuple[str, tuple]]:
    return [("source", (str(p), str(s))) for p in gold_paths for s in source_files(p)]


def run(tasks: list[tuple[str, tuple]], workers: int = 1) -> Report:
    if workers <= 1:
        return Report([_call(t) for t in tasks])
    with ProcessPoolExecutor(workers) as pool:
        return Report(list(pool.map(_call, tasks, chunksize=2)))
