"""Train the policy-domain classifier in models/domains (skops file + meta.json).

Data (ANNOTATION.md section 4 labels on points, headings and bullets):

- the seed gold ``corpus/gold/sofia-2018-nl.gold.json``: always training data;
- the team-written documents ``corpus/annotated/*.gold.json``: training or held-out by the
  file's top-level ``"split"`` (``pipeline.gold.annotated_paths``: a file without one is an
  error; ``blind-*`` files are held out for the final evaluation and not read here);
- ``pipeline/data/domains/extra_segments.jsonl``: segments written for the project to widen
  the vocabulary of the domains the documents cover thinly; grouped into small pseudo-documents
  by their ``group`` field, trained on in every cross-validation fold but never scored.

Everything is chosen by cross-validation over the training documents, scikit-learn's
``GroupKFold`` by document (no document is split across folds; the extra segments train in
every fold and are never scored):

1. the regularisation C and whether to use character n-grams, by ``GridSearchCV`` on the
   estimator's own score (micro-F1 of its decisions, mean over folds);
2. per domain, the threshold that maximises its out-of-fold F1, pulled back towards 0.5 by
   k / (positives + k), with k chosen by nested cross-validation (thresholds tuned on some
   documents, scored on others: with a dozen positives a tuned threshold can be noise);
3. the heading rule's ``heading_relax`` and ``fallback``, by out-of-fold micro-F1.

Held-out documents are only scored, at the end, next to the lexicon-only baseline.

    python -m pipeline train domains [--annotated DIR] [--extra PATH] [--out DIR] [--folds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import (
    BaseCrossValidator,
    GridSearchCV,
    GroupKFold,
    cross_validate,
)

from ..api import process_text
from ..classify.domains import (
    CAP_MAPPING_PATH,
    CLASSIFIED_KINDS,
    DATA_DIR,
    LEXICON_PATH,
    META_FILE,
    MODEL_DIR_NAME,
    MODEL_FILE,
    DomainClassifier,
    Segment,
    SegmentInput,
    decide,
    domain_keys,
    lexicon_baseline,
    load_lexicon,
    score_domains,
    segment_inputs,
)
from ..gold import GoldDocument, annotated_paths, load_gold, render_text

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]

DEFAULT_ANNOTATED = REPO / "corpus" / "annotated"
DEFAULT_EXTRA = DATA_DIR / "extra_segments.jsonl"
DEFAULT_OUT = REPO / "models" / MODEL_DIR_NAME

# small on purpose: a few hundred segments, two cores shared with other work
GRID = {"C": (1.0, 10.0, 100.0), "char_ngrams": (True, False)}
THRESHOLD_GRID = np.round(np.arange(0.10, 0.91, 0.05), 2)
RELAX_GRID = (1.0, 0.8, 0.6, 0.5, 0.4, 0.3)
MIN_POSITIVES_TO_TUNE = 3  # fewer out-of-fold positives than this: keep the 0.5 default
# how far a tuned threshold is pulled back to 0.5: by k / (n_positives + k); inf = always 0.5
SHRINKAGE_GRID = (0.0, 10.0, 30.0, float("inf"))


@dataclass
class LabelledDocument:
    """One document's segments with their gold domains."""

    doc_id: str
    segments: list[Segment]
    labels: list[list[str]]
    source: str = ""
    path: str = ""  # the gold file, for documents that have one

    def classified(self) -> list[int]:
        return [i for i, s in enumerate(self.segments) if s.kind in CLASSIFIED_KINDS]


def from_gold(gold: GoldDocument) -> LabelledDocument:
    segments = [Segment(s.id, s.kind, s.text, s.heading) for s in gold.segments]
    return LabelledDocument(
        gold.doc_id,
        segments,
        [list(s.domains) for s in gold.segments],
        gold.meta.get("source", gold.path),
        gold.path,
    )


def load_extra(path: Path, domains: Sequence[str]) -> list[LabelledDocument]:
    """extra_segments.jsonl: one segment a line, {group, id, kind, text, heading?, domains}."""
    if not path.is_file():
        return []
    groups: dict[str, LabelledDocument] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        unknown = set(row["domains"]) - set(domains)
        if unknown:
            raise ValueError(f"{path}:{n}: unknown domains {sorted(unknown)}")
        doc = groups.setdefault(
            row["group"],
            LabelledDocument(
                f"extra:{row['group']}", [], [], row.get("source", "written for the project")
            ),
        )
        doc.segments.append(Segment(row["id"], row["kind"], row["text"], row.get("heading")))
        doc.labels.append(list(row["domains"]))
    return list(groups.values())


def load_split(annotated: Path) -> tuple[list[LabelledDocument], list[LabelledDocument]]:
    """(training documents, held-out documents), by the gold files' own split
    (``pipeline.gold.annotated_paths``: the seed is training data, blind files are left out)."""
    return tuple(  # type: ignore[return-value]
        [from_gold(load_gold(p)) for p in annotated_paths(split, annotated)]
        for split in ("train", "heldout")
    )


# --------------------------------------------------------------------------------------------
# cross-validation: scikit-learn's GroupKFold over documents


@dataclass
class Samples:
    """The classified segments of some documents, stacked: the estimator's X, y and groups."""

    X: list[SegmentInput]
    y: list[list[str]]
    groups: list[str]

    @classmethod
    def of(cls, docs: Sequence[LabelledDocument]) -> Samples:
        X, y, groups = [], [], []
        for doc in docs:
            inputs = segment_inputs(doc.segments, doc.doc_id)
            for i in doc.classified():
                X.append(inputs[i])
                y.append(doc.labels[i])
                groups.append(doc.doc_id)
        return cls(X, y, groups)

    def __add__(self, other: Samples) -> Samples:
        return Samples(self.X + other.X, self.y + other.y, self.groups + other.groups)


class AlwaysTrain(BaseCrossValidator):
    """A document-grouped splitter whose folds also train, never test, on the samples from
    ``first`` on (the extra segments: written to fill gaps, scoring them would flatter the
    cross-validated figures)."""

    def __init__(self, cv: GroupKFold, first: int):
        self.cv = cv
        self.first = first

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.cv.get_n_splits(X, y, groups)

    def split(self, X, y=None, groups=None):
        extra = np.arange(self.first, len(X))
        scored = list(range(self.first))
        for train, test in self.cv.split(scored, groups=list(groups)[: self.first]):
            yield np.concatenate([train, extra]), test


def splitter(n_docs: int, n_folds: int, n_scored: int) -> AlwaysTrain:
    return AlwaysTrain(GroupKFold(n_splits=min(n_folds, n_docs)), n_scored)


def out_of_fold_scores(
    estimator: DomainClassifier, samples: Samples, cv: AlwaysTrain, n_scored: int
) -> np.ndarray:
    """Per scored sample, the probabilities a model trained on the other folds gives it."""
    result = cross_validate(
        estimator,
        samples.X,
        samples.y,
        groups=samples.groups,
        cv=cv,
        return_estimator=True,
        return_indices=True,
    )
    scores = np.zeros((n_scored, len(domain_keys())))
    for model, test in zip(result["estimator"], result["indices"]["test"]):
        scores[test] = model.predict_proba([samples.X[i] for i in test])
    return scores


def tune_thresholds(samples: Samples, scores: np.ndarray, domains: Sequence[str]) -> np.ndarray:
    """Per domain, the threshold that maximises its out-of-fold F1 (plain, no heading rule).

    Of equally good thresholds the middle one is taken, so a lucky edge is not chosen.
    """
    gold = np.array([[d in labels for d in domains] for labels in samples.y], dtype=bool)
    thresholds = np.full(len(domains), 0.5)
    for j in range(len(domains)):
        if gold[:, j].sum() < MIN_POSITIVES_TO_TUNE:
            continue
        f1s = [f1_score(gold[:, j], scores[:, j] >= t, zero_division=0) for t in THRESHOLD_GRID]
        best = np.flatnonzero(np.isclose(f1s, max(f1s)))
        thresholds[j] = THRESHOLD_GRID[best[len(best) // 2]]
    return thresholds


def shrink_thresholds(tuned: np.ndarray, positives: np.ndarray, k: float) -> np.ndarray:
    """Pull tuned thresholds towards 0.5, the more the fewer positives they were tuned on.

    With a handful of positives per domain the F1-best threshold is mostly noise (an edge of
    a flat plateau); class_weight="balanced" already puts a domain's natural boundary at 0.5.
    """
    if np.isinf(k):
        return np.full_like(tuned, 0.5)
    weight = positives / (positives + k) if k > 0 else np.ones_like(tuned)
    return np.round(0.5 + (tuned - 0.5) * weight, 3)


def positives(samples: Samples, domains: Sequence[str]) -> np.ndarray:
    return np.array([sum(d in labels for labels in samples.y) for d in domains], dtype=float)


def decided(
    samples: Samples, scores: np.ndarray, domains, thresholds, relax: float, fallback: bool
) -> list[list[str]]:
    """The domains ``decide`` gives every sample from its scores, document by document."""
    out: list[list[str]] = [[] for _ in samples.X]
    by_doc: dict[str, list[int]] = {}
    for i, doc_id in enumerate(samples.groups):
        by_doc.setdefault(doc_id, []).append(i)
    for idx in by_doc.values():
        chosen = decide(
            scores[idx], [samples.X[i] for i in idx], domains, thresholds, relax, fallback
        )
        for i, domains_of in zip(idx, chosen):
            out[i] = domains_of
    return out


def tune_heading_rule(samples, scores, domains, thresholds) -> tuple[float, bool, float]:
    """(heading_relax, fallback, micro-F1) maximising out-of-fold micro-F1."""
    best = (1.0, False, -1.0)
    for relax, fallback in itertools.product(RELAX_GRID, (False, True)):
        predicted = decided(samples, scores, domains, thresholds, relax, fallback)
        f1 = score_domains(samples.y, predicted, domains)["micro"]["f1"]
        if f1 > best[2] + 1e-9:
            best = (relax, fallback, f1)
    return best


def subset(samples: Samples, docs: set[str]) -> tuple[Samples, np.ndarray]:
    idx = [i for i, g in enumerate(samples.groups) if g in docs]
    picked = Samples(
        [samples.X[i] for i in idx], [samples.y[i] for i in idx], [samples.groups[i] for i in idx]
    )
    return picked, np.array(idx, dtype=int)


def choose_shrinkage(
    estimator: DomainClassifier,
    docs: Samples,
    extra: Samples,
    n_folds: int,
    domains: Sequence[str],
) -> tuple[float, dict[str, float]]:
    """The shrinkage whose thresholds do best on documents they were not tuned on.

    Nested cross-validation: for each outer fold, thresholds are tuned (and shrunk) on
    out-of-fold scores of the other documents only, then applied to the outer fold. Returns
    the best k (ties: the stronger shrinkage) and the micro-F1 of every k.
    """
    n_docs = len(set(docs.groups))
    outer_cv = splitter(n_docs, n_folds, len(docs.X))
    outer = out_of_fold_scores(estimator, docs + extra, outer_cv, len(docs.X))
    gold_pred: dict[float, tuple[list, list]] = {k: ([], []) for k in SHRINKAGE_GRID}
    for _train, test in outer_cv.split(docs.X + extra.X, groups=docs.groups + extra.groups):
        test_docs = {docs.groups[i] for i in test}
        inner_docs, _ = subset(docs, set(docs.groups) - test_docs)
        held, held_idx = subset(docs, test_docs)
        n_inner = len(set(inner_docs.groups))
        inner_cv = splitter(n_inner, min(n_folds - 1, n_inner), len(inner_docs.X))
        inner = out_of_fold_scores(estimator, inner_docs + extra, inner_cv, len(inner_docs.X))
        tuned = tune_thresholds(inner_docs, inner, domains)
        for k in SHRINKAGE_GRID:
            thresholds = shrink_thresholds(tuned, positives(inner_docs, domains), k)
            relax, fallback, _ = tune_heading_rule(inner_docs, inner, domains, thresholds)
            predicted = decided(held, outer[held_idx], domains, thresholds, relax, fallback)
            gold_pred[k][0].extend(held.y)
            gold_pred[k][1].extend(predicted)
    f1 = {k: score_domains(g, p, domains)["micro"]["f1"] for k, (g, p) in gold_pred.items()}
    best = max(SHRINKAGE_GRID[::-1], key=lambda k: round(f1[k], 6))
    return best, {str(k): v for k, v in f1.items()}


@dataclass
class Selection:
    """What cross-validation chose, and the out-of-fold figures it chose it by."""

    params: dict
    grid_scores: dict[str, float]
    thresholds: np.ndarray
    heading_relax: float
    fallback: bool
    shrinkage: float
    shrinkage_f1: dict[str, float]
    cv: dict  # score_domains of the out-of-fold decisions with the chosen settings
    cv_without_heading_rule: dict


def select_model(
    docs: Sequence[LabelledDocument],
    domains: Sequence[str],
    lexicon,
    n_folds: int,
    extra: Sequence[LabelledDocument] = (),
) -> Selection:
    """GridSearchCV over C and character n-grams with document-grouped folds (scored by the
    estimator's own micro-F1, thresholds 0.5 and the default heading rule), then threshold
    shrinkage by nested cross-validation, thresholds and heading rule on out-of-fold scores."""
    scored, extras = Samples.of(docs), Samples.of(extra)
    everything = scored + extras
    cv = splitter(len(docs), n_folds, len(scored.X))
    template = DomainClassifier(domains, lexicon)
    # ties go to the smaller C (more regularised) and to fewer features, by grid order
    search = GridSearchCV(template, GRID, cv=cv, refit=False).fit(
        everything.X, everything.y, groups=everything.groups
    )
    grid_scores = {
        f"C={p['C']:g} char_ngrams={p['char_ngrams']}": float(f)
        for p, f in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"])
    }
    for name, f in grid_scores.items():
        print(f"{name}: cv micro-F1 {f:.3f} (mean over folds)", flush=True)
    params = dict(search.best_params_)
    estimator = clone(template).set_params(**params)
    shrinkage, shrinkage_f1 = choose_shrinkage(estimator, scored, extras, n_folds, domains)
    print(
        f"threshold shrinkage k={shrinkage:g}; nested cv micro-F1 by k: "
        + ", ".join(f"{k} {f:.3f}" for k, f in shrinkage_f1.items()),
        flush=True,
    )
    scores = out_of_fold_scores(estimator, everything, cv, len(scored.X))
    thresholds = shrink_thresholds(
        tune_thresholds(scored, scores, domains), positives(scored, domains), shrinkage
    )
    relax, fallback, _ = tune_heading_rule(scored, scores, domains, thresholds)
    cv_scores = score_domains(
        scored.y, decided(scored, scores, domains, thresholds, relax, fallback), domains
    )
    plain = score_domains(
        scored.y, decided(scored, scores, domains, thresholds, 1.0, False), domains
    )
    return Selection(
        params,
        grid_scores,
        thresholds,
        relax,
        fallback,
        shrinkage,
        shrinkage_f1,
        cv_scores,
        plain,
    )


# --------------------------------------------------------------------------------------------
# evaluation and reporting


def evaluate(model: DomainClassifier, docs: Sequence[LabelledDocument]) -> dict:
    """The model and the lexicon-only baseline on the documents' gold segments."""
    gold, pred, texts = [], [], []
    for doc in docs:
        decided = model.classify(doc.segments)
        for i in doc.classified():
            gold.append(doc.labels[i])
            pred.append(decided[i][0])
            texts.append(doc.segments[i].text)
    baseline = lexicon_baseline(texts, model.lexicon_, model.domains_)
    return {
        "model": score_domains(gold, pred, model.domains_),
        "lexicon_baseline": score_domains(gold, baseline, model.domains_),
    }


def evaluate_end_to_end(docs: Sequence[LabelledDocument]) -> dict:
    """The whole pipeline on each gold document's rendered text, segments matched by id.

    Segmentation errors count here: a gold segment the pipeline did not find (by id) counts
    as predicted with no domain.
    """
    gold, pred = [], []
    for doc in docs:
        g = load_gold(doc.path)
        processed = process_text(render_text(g), g.doc_id)
        found = {s._.segment_id: list(s._.domains or []) for s in processed.spans["segments"]}
        for i in doc.classified():
            gold.append(doc.labels[i])
            pred.append(found.get(doc.segments[i].segment_id, []))
    return score_domains(gold, pred)


def format_comparison(result: dict, title: str) -> str:
    """Per domain P/R/F1 of the model next to the lexicon baseline's F1."""
    m, b = result["model"], result["lexicon_baseline"]
    lines = [title, f"{'domain':<20} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}   {'lexicon F1':>10}"]
    for d, v in m["per_domain"].items():
        lines.append(
            f"{d:<20} {v['support']:>4} {v['precision']:>6.3f} {v['recall']:>6.3f} "
            f"{v['f1']:>6.3f}   {b['per_domain'][d]['f1']:>10.3f}"
        )
    lines.append(
        f"{'micro':<20} {m['n_segments']:>4} {m['micro']['precision']:>6.3f} "
        f"{m['micro']['recall']:>6.3f} {m['micro']['f1']:>6.3f}   "
        f"{b['micro']['f1']:>10.3f}"
    )
    lines.append(
        f"{'macro F1':<20} {'':>4} {'':>6} {'':>6} {m['macro_f1']:>6.3f}   {b['macro_f1']:>10.3f}"
    )
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def domain_counts(docs: Sequence[LabelledDocument]) -> dict[str, int]:
    counts = Counter(d for doc in docs for i in doc.classified() for d in doc.labels[i])
    return {d: counts.get(d, 0) for d in domain_keys()}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(
        prog="python -m pipeline train domains", description=__doc__.splitlines()[0]
    )
    p.add_argument("--annotated", type=Path, default=DEFAULT_ANNOTATED)
    p.add_argument("--extra", type=Path, default=DEFAULT_EXTRA)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--folds", type=int, default=5)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    domains = domain_keys()
    lexicon = load_lexicon(domains=domains)
    train, heldout = load_split(args.annotated)
    extra = load_extra(args.extra, domains)
    if len(train) < 2:
        raise SystemExit("need at least two training documents to cross-validate")
    counts = domain_counts(train)
    extra_counts = domain_counts(extra)
    print(
        f"training: {len(train)} documents ({sum(len(d.classified()) for d in train)} "
        f"segments) + {sum(len(d.classified()) for d in extra)} extra segments; "
        f"held-out: {len(heldout)} documents"
    )
    print(
        "training segments per domain (documents + extra): "
        + ", ".join(f"{d} {n}+{extra_counts[d]}" for d, n in counts.items())
    )

    chosen = select_model(train, domains, lexicon, args.folds, extra)
    model = DomainClassifier(
        domains,
        lexicon,
        **chosen.params,
        thresholds=[float(t) for t in chosen.thresholds],
        heading_relax=chosen.heading_relax,
        fallback=chosen.fallback,
    )
    everything = Samples.of(train) + Samples.of(extra)
    model.fit(everything.X, everything.y)

    args.out.mkdir(parents=True, exist_ok=True)
    model.save(args.out / MODEL_FILE)
    cv_result = {
        "model": chosen.cv,
        "lexicon_baseline": _baseline_on(train, model),
        "model_without_heading_rule": chosen.cv_without_heading_rule,
    }
    print(
        format_comparison(
            cv_result,
            f"\ncross-validation over {len(train)} training "
            f"documents (grouped by document; extra segments only "
            f"ever trained on)",
        )
    )
    held = evaluate(model, heldout) if heldout else None
    if held:
        print(format_comparison(held, f"\nheld-out: {', '.join(d.doc_id for d in heldout)}"))
        if args.out.resolve() == DEFAULT_OUT.resolve():  # the pipeline loads models/ only
            e2e = evaluate_end_to_end(heldout)
            held["end_to_end_model"] = e2e
            print(
                f"held-out, whole pipeline on the rendered texts (segmentation included): "
                f"micro-F1 {e2e['micro']['f1']:.3f}, macro-F1 {e2e['macro_f1']:.3f}"
            )

    meta = {
        "name": "domains",
        "description": "Policy domains (ANNOTATION.md section 4) of points, headings and "
        "bullets: one-vs-rest logistic regression over lemma n-grams, lemma "
        "character n-grams and domain-lexicon counts, with the heading rule.",
        "created": dt.date.today().isoformat(),
        "scikit_learn": sklearn.__version__,
        "params": chosen.params,
        "grid_search_mean_cv_micro_f1": chosen.grid_scores,
        "thresholds": {d: float(t) for d, t in zip(domains, chosen.thresholds)},
        "threshold_shrinkage": {
            "k": None if np.isinf(chosen.shrinkage) else chosen.shrinkage,
            "meaning": "tuned thresholds pulled to 0.5 by k/(positives+k); null = all 0.5",
            "nested_cv_micro_f1_by_k": chosen.shrinkage_f1,
        },
        "heading_relax": chosen.heading_relax,
        "fallback": chosen.fallback,
        "training_documents": [
            {"doc_id": d.doc_id, "source": d.source, "segments": len(d.classified())} for d in train
        ],
        "extra_segments": {
            "file": str(args.extra.relative_to(REPO))
            if args.extra.is_relative_to(REPO)
            else str(args.extra),
            "segments": sum(len(d.classified()) for d in extra),
            "source": "written for the project (CC BY 4.0)",
        },
        "training_segments_per_domain": {d: counts[d] + extra_counts[d] for d in domains},
        "heldout_documents": [d.doc_id for d in heldout],
        "cross_validation": cv_result,
        "heldout": held,
        "lexicon_sha256": _sha256(LEXICON_PATH),
        "cap_mapping_sha256": _sha256(CAP_MAPPING_PATH),
        "attribution": "Trained on the project's seed gold (Sofia declaration, 2018) and "
        "team-written annotated documents and segments written for the project "
        "(CC BY 4.0).",
    }
    (args.out / META_FILE).write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.out / MODEL_FILE} and {args.out / META_FILE}")
    return meta


def _baseline_on(docs: Sequence[LabelledDocument], model: DomainClassifier) -> dict:
    gold = [doc.labels[i] for doc in docs for i in doc.classified()]
    texts = [doc.segments[i].text for doc in docs for i in doc.classified()]
    return score_domains(
        gold, lexicon_baseline(texts, model.lexicon_, model.domains_), model.domains_
    )


if __name__ == "__main__":
    main()
