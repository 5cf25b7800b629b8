"""Speech acts: what each sentence of a declaration does (ANNOTATION.md section 3).

COMMITMENT, ENDORSEMENT, REAFFIRMATION, CALL, ASSESSMENT or OTHER, one per sentence, predicted by
a scikit-learn ``Pipeline``: a ``ColumnTransformer`` of

- lemma uni- and bigrams (TF-IDF over the sentence's lemmas),
- character 3-5-grams within words (TF-IDF over the lowercase text; robust to inflection and
  to compounds such as "terrorismebestrijding"),
- cue, modal and structural features (``DictVectorizer``): which cue phrases of
  pipeline/data/cues/speech_act_cues.tsv occur, which modal classes (modals.tsv), first-person
  words, the segment kind (bullet, heading ...), the sentence's place in its segment, a
  lead-in colon, a verb-final infinitive (annex style),

and a multinomial ``LogisticRegression``. The model lives in models/speech_acts/model.skops
(skops, not pickle) with meta.json beside it; ``python -m pipeline train speech`` rebuilds it.

The spaCy component ``speech_acts`` sets ``span._.speech_act`` and ``span._.speech_act_score``
(the probability of the predicted label) on every span of ``doc.spans["sentences"]``.
"""

from __future__ import annotations

import functools
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.pipeline import Pipeline
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from .. import doc as _doc  # noqa: F401  (registers the extension attributes)
from ..doc import span_text
from ..resources import dump_model
from ..resources import load_model as load_model_file
from ..scheme import SPEECH_ACTS as LABELS
from ..syntax import has_tags, lemma
from .cues import (
    CUES_DIR,
    cue_matcher,
    find_cues,
    read_table,
)
from .ngrams import WordNgrams

log = logging.getLogger(__name__)

MODEL_DIR = "speech_acts"
MODEL_FILE = "model.skops"
FIRST_PERSON = frozenset({"wij", "we", "ons", "onze"})


# --------------------------------------------------------------------------------------------
# cue lexicons


@functools.lru_cache(maxsize=1)
def load_modals() -> dict[str, str]:
    return {row[0]: row[1] for row in read_table(CUES_DIR / "modals.tsv")}


def token_keys(tokens: Sequence) -> list[tuple[str, str]]:
    """(lowercase text, lemma) per token: what cue items are matched against."""
    return [(t.lower_, lemma(t)) for t in tokens]


# --------------------------------------------------------------------------------------------
# features


@dataclass
class SentenceContext:
    """Where a sentence stands: its segment's kind, its index there, the structure around it."""

    kind: str = "point"
    index: int = 0  # 0-based index of the sentence in its segment
    n_in_segment: int = 1
    in_annex: bool = False
    lead_in: bool = False  # the segment is followed by its own list items


def sentence_contexts(doc: Doc) -> list[SentenceContext]:
    """One SentenceContext per span of doc.spans["sentences"], from doc.spans["segments"]."""
    segments = list(doc.spans["segments"]) if "segments" in doc.spans else []
    by_id = {s._.segment_id: s for s in segments}
    annex_from = next((s.start for s in segments if s._.kind == "annex_title"), None)
    has_items = {sid.rsplit(".b", 1)[0] for sid in by_id if ".b" in (sid or "")}
    sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
    per_segment = Counter(s._.segment_id for s in sentences)
    seen: Counter = Counter()
    contexts = []
    for sent in sentences:
        seg_id = sent._.segment_id
        seg = by_id.get(seg_id)
        kind = seg._.kind if seg is not None else "point"
        contexts.append(
            SentenceContext(
                kind=kind or "point",
                index=seen[seg_id],
                n_in_segment=per_segment[seg_id],
                in_annex=annex_from is not None and sent.start >= annex_from,
                lead_in=seg_id in has_items,
            )
        )
        seen[seg_id] += 1
    return contexts


def _final_infinitive(tokens: Sequence) -> bool:
    """The clause before the first comma ends in an infinitive: the annex action-item style
    ("De steun ... versterken, met inbegrip van ...")."""
    words = []
    for t in tokens:
        if t.text in (",", ";", "(", "–"):
            break
        if not t.is_punct:
            words.append(t)
    if not words:
        return False
    last = words[-1]
    if has_tags(last.doc):
        return last.pos_ == "VERB" and "Inf" in last.morph.get("VerbForm")
    return last.lower_.endswith("en") and last.is_lower


def sentence_features(
    sent: Span,
    ctx: SentenceContext,
    tokens: Sequence | None = None,
    keys: Sequence[tuple[str, str]] | None = None,
) -> dict:
    """Cue, modal and structural features of one sentence (for the DictVectorizer);
    ``tokens`` (its non-space tokens) and ``keys`` (their token_keys) when already read."""
    if tokens is None:
        tokens = [t for t in sent if not t.is_space]
    if keys is None:
        keys = token_keys(tokens)
    feats: dict[str, float] = {
        f"kind={ctx.kind}": 1.0,
        "first_in_segment": float(ctx.index == 0),
        "later_in_segment": float(ctx.index > 0),
        "only_sentence": float(ctx.n_in_segment == 1),
        "in_annex": float(ctx.in_annex),
        "lead_in": float(ctx.lead_in),
        "ends_colon": float(bool(tokens) and tokens[-1].text == ":"),
        "no_final_stop": float(bool(tokens) and tokens[-1].text not in (".", ":", ";", "!", "?")),
        "final_infinitive": float(_final_infinitive(tokens)),
        f"length={min(len(tokens) // 10, 5)}": 1.0,
    }
    first_words = {k[0] for k in keys[:3]}
    if first_words & FIRST_PERSON:
        feats["first_person_start"] = 1.0
    if any(k[0] in FIRST_PERSON for k in keys):
        feats["first_person"] = 1.0
    modals = load_modals()
    for k in keys:
        cls = modals.get(k[1])
        if cls:
            feats[f"modal={cls}"] = feats.get(f"modal={cls}", 0.0) + 1.0
    hits = find_cues(tokens, cue_matcher())
    for _i, cue in hits:
        feats[f"cue={cue.name}"] = 1.0
        feats[f"cue_act={cue.label}"] = feats.get(f"cue_act={cue.label}", 0.0) + 1.0
    if hits:
        feats[f"first_cue_act={hits[0][1].label}"] = 1.0
    return feats


def sentence_record(sent: Span, ctx: SentenceContext) -> dict:
    """The classifier's input for one sentence: lemma string, text, feature dict."""
    tokens = [t for t in sent if not t.is_space]
    keys = token_keys(tokens)
    return {
        "lemmas": " ".join(k[1] for t, k in zip(tokens, keys) if not t.is_punct),
        "text": span_text(sent).lower(),
        "features": sentence_features(sent, ctx, tokens, keys),
    }


def doc_records(doc: Doc) -> list[dict]:
    sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
    return [sentence_record(s, c) for s, c in zip(sentences, sentence_contexts(doc))]


def records_frame(records: Sequence[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lemmas": [r["lemmas"] for r in records],
            "text": [r["text"] for r in records],
            "features": [r["features"] for r in records],
        }
    )


# --------------------------------------------------------------------------------------------
# the estimator


def make_estimator(C: float = 4.0, seed: int = 0) -> Pipeline:
    """Features + multinomial logistic regression, as one scikit-learn Pipeline."""
    features = ColumnTransformer(
        [
            # Vocabularies capped at 5,000 n-grams seen in two sentences or more: the same
            # leave-one-document-out macro-F1 on the training documents as uncapped ones (0.90 vs
            # 0.89), a model file a tenth the size; char 3-5 rather than 2-5: same scores, a
            # quarter less time per sentence.
            (
                "lemma_ngrams",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    min_df=2,
                    max_features=5000,
                    sublinear_tf=True,
                    token_pattern=r"[^ ]+",
                ),
                "lemmas",
            ),
            (
                "char_ngrams",
                TfidfVectorizer(
                    analyzer=WordNgrams((3, 5)),  # char_wb's n-grams, each word's once
                    min_df=2,
                    sublinear_tf=True,
                    max_features=5000,
                ),
                "text",
            ),
            ("cues", DictVectorizer(), "features"),
        ]
    )
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("model", model)])


def fixed_vocabularies(estimator: Pipeline) -> dict[str, dict[str, int]]:
    """``set_params`` arguments that fix each fitted text vectorizer's vocabulary to the one it
    chose, as plain ints.

    skops writes every numpy integer of a fitted ``vocabulary_`` as a file of its own (2 MB and
    1.6 s to load, against 0.5 MB and 0.2 s); a vocabulary given as the ``vocabulary``
    parameter keeps the ints it was given. Refitted with them, the pipeline builds the same
    columns with the same document frequencies, so the same model.
    """
    params = {}
    for name, transformer, _columns in estimator.named_steps["features"].transformers_:
        if isinstance(transformer, TfidfVectorizer):
            vocabulary = transformer.vocabulary_
            params[f"features__{name}__vocabulary"] = {t: int(i) for t, i in vocabulary.items()}
    return params


def save_model(estimator, path: Path, meta: dict | None = None) -> None:
    dump_model(estimator, path)
    if meta is not None:
        (path.parent / "meta.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def load_model(path: Path):
    """Load a skops file (resources.load_model: only the types the project's models use)."""
    return load_model_file(path)


# --------------------------------------------------------------------------------------------
# scoring and baselines


def _effective_gold(gold: set[str], pred: str) -> str:
    """A gold "A|B" accepts either: the predicted one when it is allowed, else the first."""
    if pred in gold:
        return pred
    return sorted(gold, key=lambda g: LABELS.index(g) if g in LABELS else 99)[0]


def score_speech_acts(gold_labels: list[set[str]], predicted: list[str]) -> dict:
    """Per-class precision/recall/F1, accuracy and macro-F1 (over labels in gold or predicted)."""
    if len(gold_labels) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    gold = [_effective_gold(set(g), p) for g, p in zip(gold_labels, predicted)]
    labels = [lab for lab in LABELS if lab in gold or lab in predicted]
    per_class = {}
    if labels:
        precision, recall, f1, support = precision_recall_fscore_support(
            gold, predicted, labels=labels, zero_division=0
        )
        per_class = {
            lab: {
                "precision": float(p),
                "recall": float(r),
                "f1": float(f),
                "support": int(n),
            }
            for lab, p, r, f, n in zip(labels, precision, recall, f1, support)
        }
    return {
        "per_class": per_class,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(per_class) if per_class else 0.0,
        "accuracy": float(accuracy_score(gold, predicted)) if gold else 0.0,
        "n": len(gold),
    }


class CueBaseline(ClassifierMixin, BaseEstimator):
    """The cue lexicon alone: the act of the first cue in reading order; the majority label of
    the training data where no cue occurs. No structure, no learning beyond the fallback.
    (The majority-class baseline is scikit-learn's ``DummyClassifier``.)"""

    def fit(self, X: pd.DataFrame, y: Sequence[str]) -> CueBaseline:
        self.classes_ = np.unique(y)
        self.default_ = Counter(y).most_common(1)[0][0]
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        out = []
        for features in X["features"]:
            first = [k.split("=", 1)[1] for k in features if k.startswith("first_cue_act=")]
            out.append(first[0] if first else self.default_)
        return np.array(out, dtype=object)


def cue_act(sent: Span) -> str | None:
    """The act of the first cue in the sentence (the cue baseline for one span)."""
    tokens = [t for t in sent if not t.is_space]
    hits = find_cues(tokens, cue_matcher())
    return hits[0][1].label if hits else None


# --------------------------------------------------------------------------------------------
# the spaCy component


class SpeechActTagger:
    """Sets span._.speech_act / _.speech_act_score on doc.spans["sentences"].

    The estimator comes through ``initialize`` (``model_path``: a skops file) and is kept by
    ``to_disk``; without one, the cue lexicon decides and there is no score."""

    def __init__(self, estimator=None, fallback: str = "ASSESSMENT"):
        self.fallback = fallback
        self.estimator = estimator

    def initialize(self, get_examples=None, *, nlp=None, model_path: str | None = None):
        if model_path and Path(model_path).is_file():
            self.estimator = load_model(Path(model_path))
        else:
            if model_path:
                log.warning(
                    "no speech-act model at %s (run `python -m pipeline train speech`): "
                    "labelling sentences from the cue lexicon only",
                    model_path,
                )
            self.estimator = None

    def score(self, examples: Iterable[Example], **kwargs) -> dict[str, float]:
        """For ``nlp.evaluate``: macro-F1 and accuracy of the predicted sentences' speech acts
        against the reference's, sentences paired by their character offsets."""
        gold, predicted = [], []
        for example in examples:
            reference = {
                (s.start_char, s.end_char): s._.speech_act
                for s in example.reference.spans.get("sentences", [])
            }
            for sent in example.predicted.spans.get("sentences", []):
                label = reference.get((sent.start_char, sent.end_char))
                if label:
                    gold.append(set(label.split("|")))
                    predicted.append(sent._.speech_act)
        scores = score_speech_acts(gold, predicted)
        return {"speech_acts_macro_f": scores["macro_f1"], "speech_acts_acc": scores["accuracy"]}

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.estimator is not None:
            save_model(self.estimator, path / MODEL_FILE)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SpeechActTagger:
        model = Path(path) / MODEL_FILE
        self.estimator = load_model(model) if model.is_file() else None
        return self

    def __call__(self, doc: Doc) -> Doc:
        sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
        if not sentences:
            return doc
        records = doc_records(doc)
        if self.estimator is None:  # no trained model: the cue lexicon decides, no score
            for sent in sentences:
                sent._.speech_act = cue_act(sent) or self.fallback
                sent._.speech_act_score = None
            return doc
        proba = self.estimator.predict_proba(records_frame(records))
        classes = list(self.estimator.classes_)
        for sent, row in zip(sentences, proba):
            best = int(row.argmax())
            sent._.speech_act = classes[best]
            sent._.speech_act_score = float(row[best])
        return doc


@Language.factory(
    "speech_acts",
    assigns=["span._.speech_act", "span._.speech_act_score"],
    requires=["token.lemma"],
    default_config={"fallback": "ASSESSMENT"},
    default_score_weights={"speech_acts_macro_f": 1.0, "speech_acts_acc": 0.0},
)
def make_speech_act_tagger(nlp: Language, name: str, fallback: str) -> SpeechActTagger:
    return SpeechActTagger(fallback=fallback)
