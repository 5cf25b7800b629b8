"""A researcher's corrected documents as training data: ``train MODEL --extra DIR``.

``import-annotations`` writes corrected brat/WebAnno files as gold files (``<doc_id>.gold.json``
with their ``<doc_id>.txt``). ``extra_documents`` finds them in the folders given, and refuses,
one line each, what would make the reported figures untrue: a file that is no gold file, and a
document that is one of the held-out documents (the same doc_id, or the same sentences under
another name). ``before_after`` trains a model twice, without and with them (a correction of a training
document takes its place), and scores both on the same held-out documents, so the training
report shows what the corrections changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .gold import ANNOTATED_DIR, BLIND_PREFIX, GoldDocument, annotated_paths, is_blind, load_gold


class ExtraError(ValueError):
    """Corrected documents that cannot be used: one line per file, each naming it."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def fingerprint(gold: GoldDocument) -> str:
    """The document's sentences, spacing ignored: the same declaration under another name."""
    words = " ".join(" ".join(s.text.split()) for _, _, s in gold.sentences())
    return hashlib.sha256(words.lower().encode("utf-8")).hexdigest()


def _doc_id_of(path: Path) -> str:
    return path.name[: -len(".gold.json")]


def extra_documents(
    folders: Iterable[str | Path], annotated_dir: Path = ANNOTATED_DIR
) -> list[GoldDocument]:
    """The corrected gold documents of ``folders``, checked against the held-out documents of
    ``annotated_dir``. The blind held-out documents are compared by name only: they are read
    once, at the final evaluation, by nothing else."""
    held_out = annotated_paths("heldout", annotated_dir)  # blind ones left out
    held_ids = {load_gold(p).doc_id for p in held_out}
    for path in Path(annotated_dir).glob(f"{BLIND_PREFIX}*.gold.json"):
        held_ids |= {_doc_id_of(path), _doc_id_of(path)[len(BLIND_PREFIX) :]}
    held_prints = {fingerprint(load_gold(p)) for p in held_out}
    documents, problems = [], []
    for folder in map(Path, folders):
        if not folder.is_dir():
            problems.append(f"{folder}: no such folder")
            continue
        paths = sorted(folder.rglob("*.gold.json"))
        if not paths:
            problems.append(f"{folder}: holds no .gold.json files (import-annotations writes them)")
        for path in paths:
            if is_blind(path):
                problems.append(f"{path}: a blind held-out document is never training data")
                continue
            try:
                gold = load_gold(path)
                split = json.loads(path.read_text(encoding="utf-8")).get("split", "train")
            except (OSError, ValueError, KeyError, TypeError) as err:
                problems.append(f"{path}: not a gold file ({err})")
                continue
            if split != "train":
                problems.append(f'{path}: its split is "{split}", not "train"')
            elif gold.doc_id in held_ids:
                problems.append(
                    f"{path}: {gold.doc_id} is a held-out document: training on it would make "
                    "its held-out figure untrue"
                )
            elif fingerprint(gold) in held_prints:
                problems.append(
                    f"{path}: the same sentences as a held-out document: training on it would "
                    "make the held-out figure untrue"
                )
            else:
                documents.append(gold)
    if problems:
        raise ExtraError(problems)
    return documents


@dataclass
class BeforeAfter:
    """The held-out figure of a model trained without and with the corrected documents."""

    metric: str
    before: float
    after: float
    n_extra: int

    def line(self) -> str:
        return (
            f"held-out {self.metric}: {self.before:.3f} without the {self.n_extra} corrected "
            f"document(s), {self.after:.3f} with them ({self.after - self.before:+.3f})"
        )

    def as_meta(self) -> dict:
        return {
            "metric": self.metric,
            "without_extra": round(self.before, 4),
            "with_extra": round(self.after, 4),
            "n_extra_documents": self.n_extra,
        }


T = TypeVar("T")


def before_after(
    fit: Callable[[Sequence[T]], object],
    score: Callable[[object], float],
    train: Sequence[T],
    extra: Sequence[T],
    metric: str,
    key: Callable[[T], str] | None = None,
) -> tuple[object, BeforeAfter]:
    """Fit on ``train`` and on ``with_extra(train, extra, key)``; score both with ``score`` (on
    the held-out documents). Returns the model with the corrections, and the two figures."""
    without = fit(list(train))
    with_them = fit(with_extra(train, extra, key))
    return with_them, BeforeAfter(metric, score(without), score(with_them), len(extra))


def with_extra(
    train: Sequence[T], extra: Sequence[T], key: Callable[[T], str] | None = None
) -> list[T]:
    """The training documents with the corrected ones: a correction of a training document
    (the same ``key``, its doc_id) takes its place rather than training on it twice."""
    replaced = {key(e) for e in extra} if key else set()
    return [t for t in train if not key or key(t) not in replaced] + list(extra)
