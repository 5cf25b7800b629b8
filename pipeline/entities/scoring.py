"""Scoring predicted entities against gold sentences (ANNOTATION.md section 2).

- Mentions: exact match of character offsets and label; a gold label "A|B" accepts either.
  Precision, recall and F1 per label and micro-averaged over all labels. A gold "A|B" mention
  counts for the label the prediction chose when matched, and for "A" when missed.
- Actors: "mentions with one gold key get one predicted key, and different gold keys different
  predicted keys". Over the mentions found with the right offsets, ``key_purity`` is the share of
  gold keys whose mentions all received one and the same predicted key, ``key_exclusivity`` the
  share of predicted keys whose mentions all carry one gold key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from spacy.tokens import Span

from ..gold import GoldSentence


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "support": tp + fn,
    }


def predicted_entities(sentence: Span) -> list[tuple[int, int, str, str]]:
    """(start, end, label, key) of the entities inside a sentence span, offsets in the sentence."""
    base = sentence.start_char
    return [
        (ent.start_char - base, ent.end_char - base, ent.label_, ent.kb_id_)
        for ent in sentence.doc.ents
        if ent.start_char >= base and ent.end_char <= sentence.end_char
    ]


def score_entities(pairs: Iterable[tuple[GoldSentence, Span]]) -> dict:
    """Scores of predicted entities over (gold sentence, predicted sentence span) pairs.

    Returns ``{"micro": {p, r, f, tp, fp, fn, support}, "per_label": {label: {...}},
    "keys": {"key_purity", "key_exclusivity", "n_gold_keys", "n_predicted_keys"}, "errors": [...]}``.
    Keys are compared across all pairs, so pairs from several documents test that an actor keeps
    its key from one document to the next.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    gold_to_pred: dict[str, set[str]] = defaultdict(set)
    pred_to_gold: dict[str, set[str]] = defaultdict(set)
    errors: list[dict] = []
    for gold, span in pairs:
        predicted = {(s, e): (label, key) for s, e, label, key in predicted_entities(span)}
        matched: set[tuple[int, int]] = set()
        for ent in gold.entities:
            hit = predicted.get((ent.start, ent.end))
            if hit is not None and hit[0] in ent.labels and (ent.start, ent.end) not in matched:
                matched.add((ent.start, ent.end))
                counts[hit[0]]["tp"] += 1
                if ent.key and hit[1]:
                    gold_to_pred[ent.key].add(hit[1])
                    pred_to_gold[hit[1]].add(ent.key)
            else:
                counts[ent.label.split("|")[0]]["fn"] += 1
                errors.append(
                    {
                        "kind": "missed",
                        "text": ent.text,
                        "label": ent.label,
                        "predicted": hit[0] if hit else None,
                        "sentence": gold.text,
                    }
                )
        for (s, e), (label, _key) in predicted.items():
            if (s, e) not in matched:
                counts[label]["fp"] += 1
                errors.append(
                    {
                        "kind": "spurious",
                        "text": gold.text[s:e],
                        "label": label,
                        "sentence": gold.text,
                    }
                )
    per_label = {label: _prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(counts.items())}
    total: Counter = Counter()
    for c in counts.values():
        total.update(c)
    keys = {
        "key_purity": round(_share(len(v) == 1 for v in gold_to_pred.values()), 4),
        "key_exclusivity": round(_share(len(v) == 1 for v in pred_to_gold.values()), 4),
        "n_gold_keys": len(gold_to_pred),
        "n_predicted_keys": len(pred_to_gold),
    }
    return {
        "micro": _prf(total["tp"], total["fp"], total["fn"]),
        "per_label": per_label,
        "keys": keys,
        "errors": errors,
    }


def _share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 1.0


def format_entity_scores(scores: dict) -> str:
    """A small fixed-width table of ``score_entities``'s result."""
    lines = [f"{'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}"]
    rows = list(scores["per_label"].items()) + [("micro", scores["micro"])]
    for label, s in rows:
        lines.append(f"{label:<10} {s['p']:>6.3f} {s['r']:>6.3f} {s['f']:>6.3f} {s['support']:>8d}")
    k = scores["keys"]
    lines.append(
        f"keys: purity {k['key_purity']:.3f} over {k['n_gold_keys']} gold keys, "
        f"exclusivity {k['key_exclusivity']:.3f} over {k['n_predicted_keys']} predicted keys"
    )
    return "\n".join(lines)
