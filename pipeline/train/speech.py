"""Train and evaluate the speech-act classifier; evaluate the commitment extractor.

Data: the seed gold (corpus/gold/sofia-2018-nl.gold.json, always train) and the team's
annotated documents in corpus/annotated/ (``<doc_id>.gold.json`` with a top-level
"split": "train" | "heldout", and ``<doc_id>.txt``). Documents are never split: every sentence
of a held-out document is held out, and held-out documents are used for nothing but the
final scores.

Training examples come from the same path as prediction: the document's text is segmented and
run through the pipeline's syntax (and entity) components, and each pipeline sentence is paired
with its gold sentence by sentence id (``<segment_id>.s<K>``) or, failing that, by its text.
Where the pipeline cannot segment a text (or is not assembled yet), the gold segmentation is
used instead, and the meta says so.

    python -m pipeline train speech [--out models/speech_acts] [--C 4.0]

prints per-class scores on the held-out documents next to a majority-class and a
cue-lexicon-only baseline, and the commitment figures; writes models/speech_acts/model.skops and
meta.json.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import corrections
from ..classify import commitments as cm
from ..classify import speech as sp
from ..extract.text import read_text
from ..gold import (
    SEED_GOLD,
    GoldDocument,
    GoldSentence,
    align_sentences,
    annotated_paths,
    gold_doc,
    load_gold,
)
from ..nlp import STAGES, build_nlp
from ..segment import segment

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]

SEED_TEXT = REPO / "corpus" / "sofia-2018-nl.txt"
ANNOTATED = REPO / "corpus" / "annotated"
DEFAULT_MODELS = REPO / "models"


# --------------------------------------------------------------------------------------------
# gold documents


@dataclass
class GoldDoc:
    doc_id: str
    split: str
    gold: GoldDocument
    text: str | None


def gold_documents(annotated: Path = ANNOTATED) -> list[GoldDoc]:
    """The training and held-out documents (``pipeline.gold.annotated_paths``: the seed is
    training data, every other file names its split, blind files are left out), each with
    its source text where there is one."""
    docs = []
    for split in ("train", "heldout"):
        for path in annotated_paths(split, annotated):
            gold = load_gold(path)
            txt = SEED_TEXT if path == SEED_GOLD else path.with_name(f"{gold.doc_id}.txt")
            text = txt.read_text(encoding="utf-8") if txt.exists() else None
            docs.append(GoldDoc(gold.doc_id, split, gold, text))
    return docs


# --------------------------------------------------------------------------------------------
# Docs: through the pipeline's segmentation, or from the gold itself


def _text_beside(gold: GoldDocument) -> str | None:
    """The text import-annotations writes beside a corrected gold file, where there is one."""
    txt = Path(gold.path).with_name(f"{gold.doc_id}.txt")
    return txt.read_text(encoding="utf-8") if txt.exists() else None


def syntax_nlp(models_dir: Path = DEFAULT_MODELS, with_entities: bool = True) -> Language:
    """The pipeline up to (not including) the speech acts: tokenizer, syntax, entities."""
    exclude = ("speech_acts", "commitments", "domains") + (() if with_entities else ("entities",))
    return build_nlp(models_dir, exclude=exclude)


def has_entity_stage(nlp: Language) -> bool:
    return any(n in nlp.pipe_names for n in ("entity_ruler", "ner", "actor_linker"))


def pipeline_doc(text: str, doc_id: str, nlp: Language) -> Doc | None:
    """Segment ``text`` as `run` does and run ``nlp`` over it; None when segmentation fails."""
    try:
        doc = segment(read_text(text, source_path=f"<{doc_id}>"), nlp, doc_id)
    except Exception as err:
        log.warning("%s: segmentation unavailable (%s: %s)", doc_id, type(err).__name__, err)
        return None
    return nlp(doc)


def doc_from_gold(gold: GoldDocument, nlp: Language, with_entities: bool = True) -> Doc:
    """``gold_doc`` (the Doc laid out as the gold), then ``nlp``'s components (not the entity
    ones when the gold entities are set)."""
    doc = gold_doc(gold, nlp, with_entities)
    for name, proc in nlp.pipeline:
        if with_entities and name in ("entity_ruler", "ner", "acronyms", "actor_linker"):
            continue
        doc = proc(doc)
    return doc


def align(doc: Doc, gold: GoldDocument) -> list[tuple[Span, GoldSentence]]:
    """Pipeline sentences paired with gold sentences (``align_sentences``), the found ones."""
    return [(span, sent) for sent, span in align_sentences(doc, gold) if span is not None]


@dataclass
class Prepared:
    doc_id: str
    split: str
    doc: Doc
    pairs: list[tuple[Span, GoldSentence]]
    source: str  # "pipeline" or "gold segmentation"
    n_gold: int = 0
    records: list[dict] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [sorted(g.speech_acts, key=_label_rank)[0] for _s, g in self.pairs]

    @property
    def gold_sets(self) -> list[set[str]]:
        return [g.speech_acts for _s, g in self.pairs]


def _label_rank(label: str) -> int:
    return sp.LABELS.index(label) if label in sp.LABELS else 99


def prepare(gd: GoldDoc, nlp: Language, min_aligned: float = 0.9) -> Prepared:
    """The Doc for one gold document and its aligned sentences, with classifier inputs."""
    n_gold = sum(1 for _ in gd.gold.sentences())
    doc, source = None, "gold segmentation"
    if gd.text is not None:
        doc = pipeline_doc(gd.text, gd.doc_id, nlp)
        if doc is not None and len(align(doc, gd.gold)) < min_aligned * n_gold:
            log.warning(
                "%s: pipeline segmentation aligns %d/%d gold sentences: using the "
                "gold segmentation",
                gd.doc_id,
                len(align(doc, gd.gold)),
                n_gold,
            )
            doc = None
        elif doc is not None:
            source = "pipeline"
    if doc is None:
        doc = doc_from_gold(gd.gold, nlp, with_entities=not has_entity_stage(nlp))
    pairs = align(doc, gd.gold)
    contexts = dict(
        zip((s._.sentence_id for s in doc.spans["sentences"]), sp.sentence_contexts(doc))
    )
    records = [sp.sentence_record(s, contexts[s._.sentence_id]) for s, _g in pairs]
    return Prepared(gd.doc_id, gd.split, doc, pairs, source, n_gold, records)


# --------------------------------------------------------------------------------------------
# speech acts


def frame(prepared: Sequence[Prepared]) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The classifier's X, y and groups (document ids) of some prepared documents."""
    records = [r for p in prepared for r in p.records]
    labels = [lab for p in prepared for lab in p.labels]
    groups = [p.doc_id for p in prepared for _ in p.records]
    return sp.records_frame(records), labels, groups


def fit(prepared: list[Prepared], C: float):
    X, y, _groups = frame(prepared)
    return sp.make_estimator(C=C).fit(X, y)


def fit_for_saving(prepared: Sequence[Prepared], C: float):
    """``fit``, refitted with its vocabularies fixed in plain ints (``sp.fixed_vocabularies``):
    the same model, a model file a quarter the size that loads eight times faster."""
    X, y, _groups = frame(prepared)
    estimator = sp.make_estimator(C=C).fit(X, y)
    return clone(estimator).set_params(**sp.fixed_vocabularies(estimator)).fit(X, y)


def predict(estimator, prepared: list[Prepared]) -> list[str]:
    X, _y, _groups = frame(prepared)
    return list(estimator.predict(X)) if len(X) else []


def evaluate_speech(model, train: list[Prepared], test: list[Prepared]) -> dict:
    """The classifier (trained on ``train``) and the two baselines, scored on ``test``."""
    X_train, y_train, _ = frame(train)
    X_test, _y, _ = frame(test)
    gold_sets = [g for p in test for g in p.gold_sets]
    majority = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)
    return {
        "classifier": sp.score_speech_acts(gold_sets, predict(model, test)),
        "majority_baseline": sp.score_speech_acts(gold_sets, list(majority.predict(X_test))),
        "cue_baseline": sp.score_speech_acts(
            gold_sets, list(sp.CueBaseline().fit(X_train, y_train).predict(X_test))
        ),
    }


def leave_one_document_out(train: list[Prepared], C: float) -> dict:
    """Development scores: each training document predicted by a model of the others."""
    X, y, groups = frame(train)
    predicted = cross_val_predict(
        sp.make_estimator(C=C), X, y, groups=groups, cv=LeaveOneGroupOut()
    )
    return sp.score_speech_acts([g for p in train for g in p.gold_sets], list(predicted))


# --------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------
# commitments


def commitment_extractor():
    """The commitments component as pipeline/nlp/config.cfg configures it."""
    return build_nlp(exclude=tuple(s for s in STAGES if s != "commitments")).get_pipe("commitments")


def commitment_pairs(
    prepared: list[Prepared], estimator=None, use_gold_acts: bool = False
) -> list[tuple[list[dict], list[dict]]]:
    """Run the extractor over each document (speech acts predicted by ``estimator``, or the
    gold ones) and pair predicted with gold records sentence by sentence."""
    tagger = sp.SpeechActTagger(estimator)
    extractor = commitment_extractor()
    pairs = []
    for p in prepared:
        doc = tagger(p.doc)
        if use_gold_acts:
            for span, g in p.pairs:
                span._.speech_act = sorted(g.speech_acts, key=_label_rank)[0]
        doc = extractor(doc)
        for span, g in p.pairs:
            pairs.append((g.commitments, span._.commitments or []))
    return pairs


def commitment_errors(prepared: list[Prepared], estimator=None) -> list[str]:
    """Human-readable misses for development (train documents only)."""
    tagger, extractor = sp.SpeechActTagger(estimator), commitment_extractor()
    lines = []
    for p in prepared:
        extractor(tagger(p.doc))
        for span, g in p.pairs:
            pred = span._.commitments or []
            score = cm.score_commitments([(g.commitments, pred)])
            if (
                (score["found"] or 0) < 1
                or (score["strength"] or 0) < 1
                or len(pred) > len(g.commitments)
            ):
                lines.append(f"{p.doc_id} {span._.sentence_id} [{span._.speech_act}] {span.text}")
                for r in g.commitments:
                    lines.append(f"   gold {r['actors']} {r['action']} {r['strength']}")
                for r in pred:
                    lines.append(
                        f"   pred {r['actors']} {r['action']} {r['strength']} "
                        f"obj={r['object'][:50]!r}"
                    )
    return lines


# --------------------------------------------------------------------------------------------
# report


def format_commitments(figures: dict) -> str:
    """score_commitments' figures on one line (pipeline/classify/commitments/evaluation.py)."""
    return ", ".join(f"{name} {value}" for name, value in figures.items())


def format_table(scores: dict) -> str:
    """Per-class F1 of the classifier next to both baselines."""
    clf, maj, cue = (scores["classifier"], scores["majority_baseline"], scores["cue_baseline"])
    lines = [
        f"{'class':<14} {'support':>7} {'P':>6} {'R':>6} {'F1':>6}   {'majority F1':>11}"
        f" {'cue-only F1':>11}"
    ]
    for lab in sp.LABELS:
        c = clf["per_class"].get(lab)
        if c is None:
            continue
        f_maj = maj["per_class"].get(lab, {}).get("f1", 0.0)
        f_cue = cue["per_class"].get(lab, {}).get("f1", 0.0)
        lines.append(
            f"{lab:<14} {c['support']:>7} {c['precision']:>6.2f} {c['recall']:>6.2f} "
            f"{c['f1']:>6.2f}   {f_maj:>11.2f} {f_cue:>11.2f}"
        )
    lines.append(
        f"{'macro-F1':<14} {clf['n']:>7} {'':>6} {'':>6} {clf['macro_f1']:>6.2f}   "
        f"{maj['macro_f1']:>11.2f} {cue['macro_f1']:>11.2f}"
    )
    lines.append(
        f"{'accuracy':<14} {'':>7} {'':>6} {'':>6} {clf['accuracy']:>6.2f}   "
        f"{maj['accuracy']:>11.2f} {cue['accuracy']:>11.2f}"
    )
    return "\n".join(lines)


def _rounded(obj):
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


def words_per_second(nlp_components, prepared: list[Prepared], repeat: int = 3) -> float:
    """Words/s of the given components over the prepared docs (best of ``repeat``)."""
    n_words = sum(len(p.doc) for p in prepared)
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        for p in prepared:
            doc = p.doc
            for component in nlp_components:
                doc = component(doc)
        best = max(best, n_words / (time.perf_counter() - start))
    return round(best)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m pipeline train speech", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "--models",
        type=Path,
        default=DEFAULT_MODELS,
        help="models folder (reads parser/, writes speech_acts/)",
    )
    ap.add_argument("--annotated", type=Path, default=ANNOTATED)
    ap.add_argument("--C", type=float, default=4.0, help="inverse regularisation strength")
    ap.add_argument(
        "--errors", action="store_true", help="list commitment misses on the training documents"
    )
    ap.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of corrected gold files (import-annotations) added to the training "
        "documents; the report shows the held-out figure without and with them",
    )
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument(
        "--dev",
        action="store_true",
        help="development run: train documents only, no held-out scores",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    nlp = syntax_nlp(args.models)
    gold_docs = gold_documents(args.annotated)
    prepared = [prepare(gd, nlp) for gd in gold_docs]
    train = [p for p in prepared if p.split == "train"]
    heldout = [p for p in prepared if p.split == "heldout" and not args.dev]
    for p in prepared:
        print(
            f"{p.doc_id:<34} {p.split:<8} {len(p.pairs):>3}/{p.n_gold:<3} sentences "
            f"aligned ({p.source})"
        )
    if not train:
        raise SystemExit("no training documents found")

    extra = [  # a researcher's corrected documents (pipeline/corrections.py)
        prepare(GoldDoc(g.doc_id, "train", g, _text_beside(g)), nlp)
        for g in corrections.extra_documents(args.extra, args.annotated)
    ]
    if extra and heldout:
        _, figures = corrections.before_after(
            lambda docs: fit_for_saving(docs, args.C),
            lambda m: evaluate_speech(m, train, heldout)["classifier"]["macro_f1"],
            train,
            extra,
            "speech-act macro-F1",
            key=lambda p: p.doc_id,
        )
        print(f"\n{figures.line()}")
    train = corrections.with_extra(train, extra, key=lambda p: p.doc_id)

    dev = leave_one_document_out(train, args.C) if len(train) > 1 else None
    if dev:
        print(
            f"\nleave-one-document-out on train ({len(train)} docs): "
            f"macro-F1 {dev['macro_f1']:.3f}, accuracy {dev['accuracy']:.3f}"
        )

    model = fit_for_saving(train, args.C)
    meta: dict = {
        "model": "speech-act classifier: lemma 1-2-gram TF-IDF + char_wb 3-5-gram TF-IDF + "
        "cue/modal/structure features (pipeline/data/cues) -> LogisticRegression",
        "labels": list(model.classes_),
        "C": args.C,
        "train_documents": {p.doc_id: len(p.pairs) for p in train},
        "heldout_documents": {p.doc_id: len(p.pairs) for p in heldout},
        "segmentation": {p.doc_id: p.source for p in prepared},
        "entities": "pipeline" if has_entity_stage(nlp) else "gold (oracle)",
        "syntax": list(nlp.pipe_names),
        "sklearn_pipeline": "Pipeline(ColumnTransformer(lemma_ngrams, char_ngrams, cues), "
        "LogisticRegression)",
    }
    if dev:
        meta["leave_one_document_out_train"] = dev
    if extra:
        meta["extra_documents"] = [p.doc_id for p in extra]
        if heldout:
            meta["heldout_without_and_with_extra"] = figures.as_meta()
    if heldout:
        scores = evaluate_speech(model, train, heldout)
        meta["heldout"] = scores
        n_sent = scores["classifier"]["n"]
        print(f"\nspeech acts on held-out documents ({len(heldout)} docs, {n_sent} sentences):")
        print(format_table(scores))
        for label, acts in (("predicted speech acts", False), ("gold speech acts", True)):
            c = cm.score_commitments(commitment_pairs(heldout, model, use_gold_acts=acts))
            meta.setdefault("commitments_heldout", {})[label] = c
            print(f"\ncommitments on held-out ({label}): {format_commitments(c)}")
    if heldout and has_entity_stage(nlp):
        # the same held-out documents with the gold entities and keys (and gold segmentation):
        # the extractor's own share of the errors, without the entity linker's
        syntax_only = syntax_nlp(args.models, with_entities=False)
        oracle = []
        for gd in gold_docs:
            if gd.split == "heldout":
                doc = doc_from_gold(gd.gold, syntax_only, with_entities=True)
                pairs = align(doc, gd.gold)
                contexts = dict(
                    zip(
                        (x._.sentence_id for x in doc.spans["sentences"]), sp.sentence_contexts(doc)
                    )
                )
                oracle.append(
                    Prepared(
                        gd.doc_id,
                        "heldout",
                        doc,
                        pairs,
                        "gold",
                        len(pairs),
                        [sp.sentence_record(x, contexts[x._.sentence_id]) for x, _g in pairs],
                    )
                )
        c = cm.score_commitments(commitment_pairs(oracle, model))
        meta.setdefault("commitments_heldout", {})["gold entities and segmentation"] = c
        print(
            "\ncommitments on held-out (gold entities and keys, predicted speech acts): "
            + format_commitments(c)
        )
    c_train = cm.score_commitments(commitment_pairs(train, model))
    meta["commitments_train"] = c_train
    print(
        "\ncommitments on train (rules were written looking at these): "
        + format_commitments(c_train)
    )
    if args.errors:
        print("\n".join(commitment_errors(train, model)))

    tagger, extractor = sp.SpeechActTagger(model), commitment_extractor()
    meta["words_per_second"] = {
        "speech_acts": words_per_second([tagger], prepared),
        "commitments": words_per_second([extractor], prepared),
    }
    print(
        f"\nwords/s (1 process): speech_acts {meta['words_per_second']['speech_acts']}, "
        f"commitments {meta['words_per_second']['commitments']}"
    )
    if not args.no_save:
        path = args.models / sp.MODEL_DIR / sp.MODEL_FILE
        sp.save_model(model, path, _rounded(meta))
        print(f"saved {path}")


if __name__ == "__main__":
    main()
