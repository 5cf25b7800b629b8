"""How good are the commitment records? Scored against gold records, per document.

A gold record and a predicted record can only correspond inside one sentence (the gold
sentence and the predicted sentence span paired by ``pipeline.gold.align_sentences``).
Within a sentence, gold and predicted records are *matched* one to one by the assignment that
maximises the summed agreement (scipy's ``linear_sum_assignment``), where the agreement of a
pair is

    2 x (same action lemma) + 1 x (same actor set) + object token F1      (0 .. 4)

and a pair that agrees on nothing (0) stays unmatched. So a sentence with two pledges pairs
each gold record with the prediction of its own verb, whatever the order of the records.

Per gold record, against its matched prediction (an unmatched gold record fails them all):

- ``actor_exact``: the set of actor keys is the gold set;
- ``action``: the action lemma is the gold lemma (a light-verb phrase whole);
- ``object_f1``: token F1 of the object's words (lowercased word tokens, as multisets) against
  the gold object; both empty is 1;
- ``deadline``: the set of deadlines is the gold set (whitespace and case aside), over the gold
  records whose file annotates deadlines (a list, possibly empty; older gold files have none);
- ``usable``: actor_exact and action and object_f1 >= 0.6 (what a researcher can use as it is);
- ``actor_linked`` and ``usable_linked``: the same with predicted keys read through the
  document's *key links* (``link_keys``): ANNOTATION.md asks of keys only that the mentions of
  one gold key get one predicted key and different gold keys different ones, so a body no
  gazetteer lists may carry the key its name gives it (``netwerk_van_getijdensteden``) where
  the annotator invented another (``tidal_cities_network``). A link needs the two keys on the
  same mention, one to one, in the document's entities; a key without a mention (a group
  the annotator named) is never linked. ``actor_exact`` stays the strict figure that issue
  goals are measured by.

The shares are over gold records (recall-like); ``precision`` is the share of predicted records
matched to a gold record. The speech-act macro-F1 of the same sentences comes beside them.

Whole gold documents are run through the pipeline and scored by documents.py
(``python -m pipeline.classify.commitments``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..speech import score_speech_acts

USABLE_OBJECT_F1 = 0.6
WORD = re.compile(r"\w+", re.UNICODE)


def _as_dict(record) -> Mapping:
    # a record instance (is_dataclass is true of the class too, which is never passed)
    return asdict(record) if is_dataclass(record) and not isinstance(record, type) else record


def object_tokens(text: str | None) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")]


def token_f1(gold: str | None, predicted: str | None) -> float:
    """F1 of the word tokens of two texts (multisets, lowercased); two empty texts agree."""
    g, p = Counter(object_tokens(gold)), Counter(object_tokens(predicted))
    if not g and not p:
        return 1.0
    overlap = sum((g & p).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class RecordScore:
    actor_exact: bool
    action: bool
    object_f1: float
    deadline: bool | None  # None: the gold record does not annotate deadlines
    actor_linked: bool = False

    @property
    def usable(self) -> bool:
        return self.actor_exact and self.action and self.object_f1 >= USABLE_OBJECT_F1

    @property
    def usable_linked(self) -> bool:
        return self.actor_linked and self.action and self.object_f1 >= USABLE_OBJECT_F1


def link_keys(mentions: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Predicted key -> gold key, from (gold key, predicted key) pairs of the same mentions of
    one document: a link where every mention of the predicted key carries the gold key and
    every mention of the gold key got the predicted key (one to one, as ANNOTATION.md asks)."""
    gold_to_pred: dict[str, set[str]] = {}
    pred_to_gold: dict[str, set[str]] = {}
    for gold_key, predicted_key in mentions:
        gold_to_pred.setdefault(gold_key, set()).add(predicted_key)
        pred_to_gold.setdefault(predicted_key, set()).add(gold_key)
    links = {}
    for predicted_key, gold_keys in pred_to_gold.items():
        if len(gold_keys) == 1:
            (gold_key,) = gold_keys
            if gold_to_pred[gold_key] == {predicted_key}:
                links[predicted_key] = gold_key
    return links


def compare(
    gold: Mapping, predicted: Mapping, links: Mapping[str, str] | None = None
) -> RecordScore:
    gold_actors = frozenset(gold.get("actors") or [])
    predicted_actors = predicted.get("actors") or []
    links = links or {}
    return RecordScore(
        actor_exact=gold_actors == frozenset(predicted_actors),
        actor_linked=gold_actors == frozenset(links.get(k, k) for k in predicted_actors),
        action=_norm(gold.get("action") or "") == _norm(predicted.get("action") or ""),
        object_f1=token_f1(gold.get("object"), predicted.get("object")),
        deadline=None
        if gold.get("deadlines") is None
        else {_norm(d) for d in gold["deadlines"]}
        == {_norm(d) for d in predicted.get("deadlines") or []},
    )


def _agreement(score: RecordScore) -> float:
    return 2.0 * score.action + 1.0 * score.actor_exact + score.object_f1


def match_records(gold: Sequence, predicted: Sequence) -> list[tuple[int, int | None]]:
    """(gold index, predicted index or None) for every gold record of one sentence."""
    gold = [_as_dict(g) for g in gold]
    predicted = [_as_dict(p) for p in predicted]
    if not gold:
        return []
    if not predicted:
        return [(i, None) for i in range(len(gold))]
    weights = np.array([[_agreement(compare(g, p)) for p in predicted] for g in gold])
    rows, cols = linear_sum_assignment(weights, maximize=True)
    chosen = {int(r): int(c) for r, c in zip(rows, cols) if weights[r, c] > 0}
    return [(i, chosen.get(i)) for i in range(len(gold))]


@dataclass
class Tally:
    n_gold: int = 0
    n_predicted: int = 0
    matched: int = 0
    usable: int = 0
    actor_exact: int = 0
    usable_linked: int = 0
    actor_linked: int = 0
    action: int = 0
    deadline: int = 0
    n_deadline: int = 0  # gold records that annotate deadlines
    object_f1: float = 0.0
    strength: int = 0
    sentences_gold: list = field(default_factory=list)
    sentences_predicted: list = field(default_factory=list)

    def add_sentence(
        self, gold: Sequence, predicted: Sequence, links: Mapping[str, str] | None = None
    ) -> None:
        gold = [_as_dict(g) for g in gold]
        predicted = [_as_dict(p) for p in predicted]
        self.n_gold += len(gold)
        self.n_predicted += len(predicted)
        self.n_deadline += sum(g.get("deadlines") is not None for g in gold)
        for i, j in match_records(gold, predicted):
            if j is None:
                continue
            s = compare(gold[i], predicted[j], links)
            self.matched += 1
            self.usable += s.usable
            self.actor_exact += s.actor_exact
            self.usable_linked += s.usable_linked
            self.actor_linked += s.actor_linked
            self.action += s.action
            self.deadline += bool(s.deadline)
            self.object_f1 += s.object_f1
            self.strength += gold[i].get("strength") == predicted[j].get("strength")

    def figures(self) -> dict:
        def share(a, b):
            return round(a / b, 4) if b else None

        out = {
            "n_gold": self.n_gold,
            "n_predicted": self.n_predicted,
            "usable": share(self.usable, self.n_gold),
            "object_f1": share(self.object_f1, self.n_gold),
            "actor_exact": share(self.actor_exact, self.n_gold),
            "usable_linked": share(self.usable_linked, self.n_gold),
            "actor_linked": share(self.actor_linked, self.n_gold),
            "action": share(self.action, self.n_gold),
            "deadline_accuracy": share(self.deadline, self.n_deadline),
            "n_deadline_gold": self.n_deadline,
            "strength": share(self.strength, self.n_gold),
            "found": share(self.matched, self.n_gold),
            "precision": share(self.matched, self.n_predicted),
        }
        if self.sentences_gold:
            out["speech_act_macro_f1"] = round(
                score_speech_acts(self.sentences_gold, self.sentences_predicted)["macro_f1"], 4
            )
        return out


def score_commitments(pairs: Iterable[tuple[Sequence, Sequence]]) -> dict:
    """The figures (see the module docstring) over (gold records, predicted records) pairs,
    one pair per sentence."""
    tally = Tally()
    for gold, predicted in pairs:
        tally.add_sentence(gold, predicted)
    return tally.figures()
