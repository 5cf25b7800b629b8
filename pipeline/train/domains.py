"""Train the policy-domain classifier in models/domains (skops file + meta.json).

Data (ANNOTATION.md section 4 labels on points, headings and bullets):

- the seed gold ``../shared/gold/sofia-2018-nl.gold.json``: always training data;
- the team-written documents ``pipeline/data/annotated/*.gold.json``: training or held-out as
  ``splits.json`` there says, else as the file's top-level ``"split"``; a file with neither is
  left out (an unsplit file could be a held-out one);
- ``pipeline/data/domains/extra_segments.jsonl``: segments written for the project to widen
  the vocabulary of the domains the documents cover thinly; grouped into small pseudo-documents
  by their ``group`` field, trained on in every cross-validation fold but never scored.

Model selection, the per-domain thresholds and the heading rule's ``heading_relax`` are all
chosen by cross-validation over the training documents, grouped by document (no document is
split across folds). Held-out documents are only scored, once, at the end, next to the
lexicon-only baseline.

    python -m pipeline train domains [--annotated DIR] [--seed-gold PATH] [--extra PATH]
                                     [--out DIR] [--folds N]
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

from ..classify.domains import (CAP_MAPPING_PATH, CLASSIFIED_KINDS, DATA_DIR, LEXICON_PATH,
                                META_FILE, MODEL_DIR_NAME, MODEL_FILE, DomainClassifier,
                                Segment, decide, domain_keys, lexicon_baseline, load_lexicon,
                                score_domains)
from ..gold import GoldDocument, load_gold

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SEED_GOLD = REPO.parent / "shared" / "gold" / "sofia-2018-nl.gold.json"
DEFAULT_ANNOTATED = REPO / "pipeline" / "data" / "annotated"
DEFAULT_EXTRA = DATA_DIR / "extra_segments.jsonl"
DEFAULT_OUT = REPO / "models" / MODEL_DIR_NAME

# small on purpose: a few hundred segments, two cores shared with other work
GRID = {"C": (1.0, 10.0, 100.0), "char_ngrams": (True, False)}
THRESHOLD_GRID = np.round(np.arange(0.10, 0.91, 0.05), 2)
RELAX_GRID = (1.0, 0.8, 0.6, 0.5, 0.4, 0.3)
MIN_POSITIVES_TO_TUNE = 3  # fewer out-of-fold positives than this: keep the 0.5 default


@dataclass
class LabelledDocument:
    """One document's segments with their gold domains."""

    doc_id: str
    segments: list[Segment]
    labels: list[list[str]]
    source: str = ""

    def classified(self) -> list[int]:
        return [i for i, s in enumerate(self.segments) if s.kind in CLASSIFIED_KINDS]


def from_gold(gold: GoldDocument) -> LabelledDocument:
    segments = [Segment(s.id, s.kind, s.text, s.heading) for s in gold.segments]
    return LabelledDocument(gold.doc_id, segments, [list(s.domains) for s in gold.segments],
                            gold.meta.get("source", gold.path))


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
        doc = groups.setdefault(row["group"], LabelledDocument(
            f"extra:{row['group']}", [], [], row.get("source", "written for the project")))
        doc.segments.append(Segment(row["id"], row["kind"], row["text"], row.get("heading")))
        doc.labels.append(list(row["domains"]))
    return list(groups.values())


def load_split(annotated: Path, seed_gold: Path | None
               ) -> tuple[list[LabelledDocument], list[LabelledDocument]]:
    """(training documents, held-out documents)."""
    splits_file = annotated / "splits.json"
    splits = json.loads(splits_file.read_text(encoding="utf-8")) if splits_file.is_file() else {}
    by_split = {doc_id: name for name in ("train", "heldout") for doc_id in splits.get(name, [])}
    train, heldout, seen = [], [], set()
    if seed_gold is not None and seed_gold.is_file():
        seed = load_gold(seed_gold)
        train.append(from_gold(seed))
        seen.add(seed.doc_id)
    elif seed_gold is not None:
        log.warning("seed gold %s not found; training without it", seed_gold)
    for path in sorted(annotated.glob("*.gold.json")):
        gold = load_gold(path)
        if gold.doc_id in seen:
            continue
        split = by_split.get(gold.doc_id, gold.meta.get("split"))
        if split == "train":
            train.append(from_gold(gold))
        elif split == "heldout":
            heldout.append(from_gold(gold))
        else:
            log.warning("%s has no split (splits.json or \"split\"); left out", path.name)
            continue
        seen.add(gold.doc_id)
    return train, heldout


# --------------------------------------------------------------------------------------------
# cross-validation


def document_folds(n_docs: int, n_folds: int, seed: int = 0) -> list[list[int]]:
    """Documents dealt into n_folds folds (grouped by document: a document is never split)."""
    order = np.random.default_rng(seed).permutation(n_docs)
    return [sorted(order[k::n_folds].tolist()) for k in range(n_folds)]


def out_of_fold_scores(docs: Sequence[LabelledDocument], make_model, folds: list[list[int]],
                       always_train: Sequence[LabelledDocument] = ()) -> list[np.ndarray]:
    """Per document, the scores a model trained on the other folds gives its segments.

    ``always_train`` documents (the extra segments) are in every fold's training part and
    never scored: written to fill gaps, they would flatter the cross-validated figures.
    """
    template = make_model()
    feats = [template.features(d.segments) for d in docs]
    extra_X, extra_Y = [], []
    for d in always_train:
        for f, gold in zip(template.features(d.segments), d.labels):
            if f is not None:
                extra_X.append(f)
                extra_Y.append(gold)
    scores = [np.zeros((len(d.segments), len(template.domains))) for d in docs]
    for fold in folds:
        held = set(fold)
        X, Y = list(extra_X), list(extra_Y)
        for k, d in enumerate(docs):
            if k not in held:
                for f, gold in zip(feats[k], d.labels):
                    if f is not None:
                        X.append(f)
                        Y.append(gold)
        model = make_model().fit_features(X, Y)
        for k in fold:
            idx = docs[k].classified()
            if idx:
                scores[k][idx] = model.proba_features([feats[k][i] for i in idx])
    return scores


def tune_thresholds(docs: Sequence[LabelledDocument], scores: Sequence[np.ndarray],
                    domains: Sequence[str]) -> np.ndarray:
    """Per domain, the threshold that maximises its out-of-fold F1 (plain, no heading rule).

    Of equally good thresholds the middle one is taken, so a lucky edge is not chosen.
    """
    gold = np.array([[d in doc.labels[i] for d in domains]
                     for doc in docs for i in doc.classified()], dtype=bool)
    probs = np.vstack([s[doc.classified()] for doc, s in zip(docs, scores)])
    thresholds = np.full(len(domains), 0.5)
    for j in range(len(domains)):
        if gold[:, j].sum() < MIN_POSITIVES_TO_TUNE:
            continue
        f1s = []
        for t in THRESHOLD_GRID:
            pred = probs[:, j] >= t
            tp = (pred & gold[:, j]).sum()
            f1s.append(2 * tp / (pred.sum() + gold[:, j].sum()))
        best = np.flatnonzero(np.isclose(f1s, max(f1s)))
        thresholds[j] = THRESHOLD_GRID[best[len(best) // 2]]
    return thresholds


def decide_all(docs: Sequence[LabelledDocument], scores: Sequence[np.ndarray],
               domains: Sequence[str], thresholds: np.ndarray, relax: float, fallback: bool
               ) -> tuple[list[list[str]], list[list[str]]]:
    """(gold, predicted) domains of every classified segment of the documents."""
    gold, pred = [], []
    for doc, s in zip(docs, scores):
        decided = decide(s, doc.segments, domains, thresholds, relax, fallback)
        for i in doc.classified():
            gold.append(doc.labels[i])
            pred.append(decided[i])
    return gold, pred


def tune_heading_rule(docs, scores, domains, thresholds) -> tuple[float, bool, float]:
    """(heading_relax, fallback, micro-F1) maximising out-of-fold micro-F1."""
    best = (1.0, False, -1.0)
    for relax, fallback in itertools.product(RELAX_GRID, (False, True)):
        f1 = score_domains(*decide_all(docs, scores, domains, thresholds, relax, fallback),
                           domains)["micro"]["f1"]
        if f1 > best[2] + 1e-9:
            best = (relax, fallback, f1)
    return best


def select_model(docs: Sequence[LabelledDocument], domains: Sequence[str], lexicon,
                 n_folds: int, extra: Sequence[LabelledDocument] = ()
                 ) -> tuple[dict, np.ndarray, float, bool, dict]:
    """Grid search by grouped cross-validation: (params, thresholds, relax, fallback, cv)."""
    folds = document_folds(len(docs), min(n_folds, len(docs)))
    results = []
    for C, char in itertools.product(GRID["C"], GRID["char_ngrams"]):
        params = {"C": C, "char_ngrams": char}

        def make_model(params=params):
            return DomainClassifier(domains, lexicon, **params)

        scores = out_of_fold_scores(docs, make_model, folds, extra)
        thresholds = tune_thresholds(docs, scores, domains)
        relax, fallback, f1 = tune_heading_rule(docs, scores, domains, thresholds)
        cv = score_domains(*decide_all(docs, scores, domains, thresholds, relax, fallback),
                           domains)
        log.info("C=%g char=%s: cv micro-F1 %.3f macro-F1 %.3f (relax %.1f, fallback %s)",
                 C, char, cv["micro"]["f1"], cv["macro_f1"], relax, fallback)
        results.append((cv["micro"]["f1"], cv["macro_f1"], params, thresholds, relax,
                        fallback, cv))
    # ties go to the smaller C (more regularised) and to fewer features, by grid order
    best = max(results, key=lambda r: (round(r[0], 6), round(r[1], 6)))
    return best[2], best[3], best[4], best[5], best[6]


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
    baseline = lexicon_baseline(texts, model.lexicon, model.domains)
    return {"model": score_domains(gold, pred, model.domains),
            "lexicon_baseline": score_domains(gold, baseline, model.domains)}


def format_comparison(result: dict, title: str) -> str:
    """Per domain P/R/F1 of the model next to the lexicon baseline's F1."""
    m, b = result["model"], result["lexicon_baseline"]
    lines = [title, f"{'domain':<20} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}   {'lexicon F1':>10}"]
    for d, v in m["per_domain"].items():
        lines.append(f"{d:<20} {v['support']:>4} {v['precision']:>6.3f} {v['recall']:>6.3f} "
                     f"{v['f1']:>6.3f}   {b['per_domain'][d]['f1']:>10.3f}")
    lines.append(f"{'micro':<20} {m['n_segments']:>4} {m['micro']['precision']:>6.3f} "
                 f"{m['micro']['recall']:>6.3f} {m['micro']['f1']:>6.3f}   "
                 f"{b['micro']['f1']:>10.3f}")
    lines.append(f"{'macro F1':<20} {'':>4} {'':>6} {'':>6} {m['macro_f1']:>6.3f}   "
                 f"{b['macro_f1']:>10.3f}")
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def domain_counts(docs: Sequence[LabelledDocument]) -> dict[str, int]:
    counts = Counter(d for doc in docs for i in doc.classified() for d in doc.labels[i])
    return {d: counts.get(d, 0) for d in domain_keys()}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(prog="python -m pipeline train domains",
                                description=__doc__.splitlines()[0])
    p.add_argument("--annotated", type=Path, default=DEFAULT_ANNOTATED)
    p.add_argument("--seed-gold", type=Path, default=DEFAULT_SEED_GOLD)
    p.add_argument("--extra", type=Path, default=DEFAULT_EXTRA)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--folds", type=int, default=5)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    domains = domain_keys()
    lexicon = load_lexicon(domains=domains)
    train, heldout = load_split(args.annotated, args.seed_gold)
    extra = load_extra(args.extra, domains)
    if len(train) < 2:
        raise SystemExit("need at least two training documents to cross-validate")
    counts = domain_counts(train)
    extra_counts = domain_counts(extra)
    print(f"training: {len(train)} documents ({sum(len(d.classified()) for d in train)} "
          f"segments) + {sum(len(d.classified()) for d in extra)} extra segments; "
          f"held-out: {len(heldout)} documents")
    print("training segments per domain (documents + extra): " + ", ".join(
        f"{d} {n}+{extra_counts[d]}" for d, n in counts.items()))

    params, thresholds, relax, fallback, cv = select_model(train, domains, lexicon, args.folds,
                                                           extra)
    model = DomainClassifier(domains, lexicon, **params)
    everything = train + extra
    model.fit([d.segments for d in everything], [d.labels for d in everything])
    model.thresholds, model.heading_relax, model.fallback = thresholds, relax, fallback

    args.out.mkdir(parents=True, exist_ok=True)
    model.save(args.out / MODEL_FILE)
    cv_result = {"model": cv, "lexicon_baseline": _baseline_on(train, model)}
    print(format_comparison(cv_result, f"\ncross-validation over {len(train)} training "
                                       f"documents (grouped by document; extra segments only "
                                       f"ever trained on)"))
    held = evaluate(model, heldout) if heldout else None
    if held:
        print(format_comparison(held, f"\nheld-out: {', '.join(d.doc_id for d in heldout)}"))

    import sklearn

    meta = {
        "name": "domains",
        "description": "Policy domains (ANNOTATION.md section 4) of points, headings and "
                       "bullets: one-vs-rest logistic regression over lemma n-grams, lemma "
                       "character n-grams and domain-lexicon counts, with the heading rule.",
        "created": dt.date.today().isoformat(),
        "scikit_learn": sklearn.__version__,
        "params": params,
        "thresholds": {d: float(t) for d, t in zip(domains, thresholds)},
        "heading_relax": relax,
        "fallback": fallback,
        "training_documents": [{"doc_id": d.doc_id, "source": d.source,
                                "segments": len(d.classified())} for d in train],
        "extra_segments": {"file": str(args.extra.relative_to(REPO))
                           if args.extra.is_relative_to(REPO) else str(args.extra),
                           "segments": sum(len(d.classified()) for d in extra),
                           "source": "written for the project (CC BY 4.0)"},
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
    (args.out / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    print(f"\nwrote {args.out / MODEL_FILE} and {args.out / META_FILE}")
    return meta


def _baseline_on(docs: Sequence[LabelledDocument], model: DomainClassifier) -> dict:
    gold = [doc.labels[i] for doc in docs for i in doc.classified()]
    texts = [doc.segments[i].text for doc in docs for i in doc.classified()]
    return score_domains(gold, lexicon_baseline(texts, model.lexicon, model.domains),
                         model.domains)


if __name__ == "__main__":
    main()
