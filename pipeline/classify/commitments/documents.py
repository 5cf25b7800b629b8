"""The commitment records of whole gold documents, run through the pipeline and scored by
``evaluation.score_commitments`` (see evaluation.py for the figures):

    python -m pipeline.classify.commitments [GOLD.json ...] [--split train] [--json F]

Without files: ``--split train`` (the default) scores the seed and every annotated document
whose split is "train"; ``--split heldout`` the older held-out team documents; ``--split blind``
this round's blind documents (``corpus/annotated/blind-r6-*``), which are never read otherwise;
``--split seen`` the blind documents of earlier rounds (``pipeline.gold.blind_paths``).

Apart from evaluation.py because it runs the whole pipeline (``pipeline.nlp``), which itself
loads the commitments component: the scoring must stay importable without it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ...entities.scoring import predicted_entities
from ...evaluate import predicted_doc
from ...gold import (
    ANNOTATED_DIR,
    BLIND_SETS,
    SEED_GOLD,
    GoldDocument,
    align_sentences,
    blind_paths,
    is_blind,
    load_gold,
)
from ...nlp import load_nlp
from .evaluation import Tally, link_keys


def gold_paths(split: str) -> list[Path]:
    """The gold files of a split, by file name first: blind documents are opened only when
    asked for (``split="blind"``)."""
    if split in BLIND_SETS:
        return blind_paths(split)
    paths = [SEED_GOLD] if split == "train" else []
    for path in sorted(ANNOTATED_DIR.glob("*.gold.json")):
        if is_blind(path):
            continue
        if json.loads(path.read_text(encoding="utf-8")).get("split", "train") == split:
            paths.append(path)
    return paths


def score_document(gold: GoldDocument, nlp: Language | None = None) -> tuple[Tally, Doc]:
    """The figures of one gold document run through the whole pipeline."""
    doc = predicted_doc(gold, nlp)
    tally = Tally()
    pairs = align_sentences(doc, gold)
    links = link_keys(_same_mentions(pairs))
    for sent, span in pairs:
        predicted = list(span._.commitments or []) if span is not None else []
        tally.add_sentence(sent.commitments, predicted, links)
        tally.sentences_gold.append(sent.speech_acts)
        tally.sentences_predicted.append(span._.speech_act if span is not None else "OTHER")
    return tally, doc


def _same_mentions(pairs) -> list[tuple[str, str]]:
    """(gold key, predicted key) of every gold mention the pipeline found at the same offsets."""
    mentions = []
    for sent, span in pairs:
        if span is None:
            continue
        keys = {(s, e): key for s, e, _label, key in predicted_entities(span) if key}
        for ent in sent.entities:
            if ent.key and (ent.start, ent.end) in keys:
                mentions.append((ent.key, keys[(ent.start, ent.end)]))
    return mentions


def evaluate_files(paths: Sequence[Path], nlp: Language | None = None) -> dict:
    """Per document and over all documents together (records pooled)."""
    nlp = nlp or load_nlp()
    total = Tally()
    per_document = {}
    for path in paths:
        gold = load_gold(path)
        tally, _doc = score_document(gold, nlp)
        per_document[gold.doc_id] = tally.figures()
        for name in (
            "n_gold",
            "n_predicted",
            "matched",
            "usable",
            "actor_exact",
            "usable_linked",
            "actor_linked",
            "action",
        ):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
        total.deadline += tally.deadline
        total.n_deadline += tally.n_deadline
        total.object_f1 += tally.object_f1
        total.strength += tally.strength
        total.sentences_gold += tally.sentences_gold
        total.sentences_predicted += tally.sentences_predicted
    return {"documents": per_document, "all": total.figures()}


COLUMNS = (
    "n_gold",
    "n_predicted",
    "usable",
    "object_f1",
    "actor_exact",
    "usable_linked",
    "actor_linked",
    "action",
    "deadline_accuracy",
    "precision",
    "speech_act_macro_f1",
)


def format_table(result: dict) -> str:
    """A Markdown table: one row per document, then all documents."""
    lines = [
        "| document | " + " | ".join(COLUMNS) + " |",
        "| --- |" + " ---: |" * len(COLUMNS),
    ]
    rows = list(result["documents"].items()) + [("all (records pooled)", result["all"])]
    for name, figures in rows:
        cells = []
        for c in COLUMNS:
            v = figures.get(c)
            cells.append("" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v)))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m pipeline.classify.commitments",
        description="commitment records against gold, per document",
    )
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--split", default="train", choices=("train", "heldout", "blind", "seen"))
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    paths = args.gold or gold_paths(args.split)
    if not paths:
        print(f"error: no gold files for split {args.split!r}", file=sys.stderr)
        return 1
    result = evaluate_files(paths)
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
