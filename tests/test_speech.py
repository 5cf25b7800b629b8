"""Speech acts: cue matching, scoring with "A|B" gold, baselines, the estimator and the spaCy
component."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import spacy
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.classify import speech as sp
from pipeline.classify import speech_agreement  # noqa: F401  (registers speech_act_agreement)
from pipeline.classify.ngrams import WordNgrams
from pipeline.gold import load_gold
from pipeline.nlp import build_nlp
from pipeline.train.speech import doc_from_gold

MODELS = Path(__file__).resolve().parents[1] / "models"
SEED_TEXT = MODELS.parent / "corpus" / "sofia-2018-nl.txt"


def test_score_accepts_either_label_of_a_double_gold():
    gold = [{"COMMITMENT", "REAFFIRMATION"}, {"CALL"}, {"OTHER"}]
    scores = sp.score_speech_acts(gold, ["REAFFIRMATION", "CALL", "OTHER"])
    assert scores["accuracy"] == 1.0
    assert scores["macro_f1"] == 1.0
    assert scores["per_class"]["REAFFIRMATION"]["support"] == 1


def test_score_per_class_values():
    gold = [{"CALL"}, {"CALL"}, {"ASSESSMENT"}, {"ASSESSMENT"}]
    scores = sp.score_speech_acts(gold, ["CALL", "ASSESSMENT", "ASSESSMENT", "ASSESSMENT"])
    call, assessment = scores["per_class"]["CALL"], scores["per_class"]["ASSESSMENT"]
    assert call["precision"] == 1.0 and call["recall"] == 0.5
    assert assessment["precision"] == pytest.approx(2 / 3) and assessment["recall"] == 1.0
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)


def test_cue_baseline_takes_the_first_cue_else_the_majority():
    X = pd.DataFrame({"features": [{"first_cue_act=CALL": 1.0}, {}]})
    assert list(sp.CueBaseline().fit(X, ["OTHER", "OTHER"]).predict(X)) == ["CALL", "OTHER"]


GOLD = {
    "doc_id": "test-speech",
    "language": "nl",
    "segments": [
        {
            "id": "title",
            "kind": "title",
            "number": None,
            "heading": None,
            "domains": [],
            "sentences": [{"text": "Verklaring van Teststad", "speech_act": "OTHER"}],
        },
        {
            "id": "p1",
            "kind": "point",
            "number": "1",
            "heading": None,
            "domains": [],
            "sentences": [
                {
                    "text": "De EU zal haar steun voor de hervormingen aanzienlijk opvoeren.",
                    "speech_act": "COMMITMENT",
                },
                {
                    "text": "De EU roept alle partners op hun hervormingen voort te zetten.",
                    "speech_act": "CALL",
                },
                {
                    "text": "De EU is ingenomen met de vooruitgang van de partners.",
                    "speech_act": "ENDORSEMENT",
                },
                {
                    "text": "De EU bevestigt haar steun voor het Europese perspectief.",
                    "speech_act": "REAFFIRMATION",
                },
                {
                    "text": "Corruptie vormt een ernstige bedreiging voor de rechtsstaat.",
                    "speech_act": "ASSESSMENT",
                },
            ],
        },
    ],
}


@pytest.fixture(scope="module")
def gold_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "test-speech.gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    gold = load_gold(path)
    return gold, doc_from_gold(gold, spacy.blank("nl"), with_entities=False)


def test_structural_context_from_segments(gold_doc):
    _gold, doc = gold_doc
    contexts = sp.sentence_contexts(doc)
    assert [c.kind for c in contexts] == ["title"] + ["point"] * 5
    assert [c.index for c in contexts[1:]] == [0, 1, 2, 3, 4]
    feats = sp.sentence_features(doc.spans["sentences"][2], contexts[2])
    assert feats["cue_act=CALL"] >= 1 and feats["kind=point"] == 1.0


def test_estimator_and_component_set_label_and_score(gold_doc, tmp_path):
    gold, doc = gold_doc
    records = sp.doc_records(doc)
    labels = [s.speech_act for _seg, _i, s in gold.sentences()]
    estimator = sp.make_estimator().fit(sp.records_frame(records), labels)
    path = tmp_path / "model.skops"
    sp.save_model(estimator, path, {"note": "test"})
    loaded = sp.load_model(path)  # skops, only sklearn/numpy/scipy types trusted
    tagger = sp.SpeechActTagger(loaded)
    tagger(doc)
    for sent, label in zip(doc.spans["sentences"], labels):
        assert sent._.speech_act == label  # the training sentences themselves
        assert 0.0 < sent._.speech_act_score <= 1.0
    assert json.loads((tmp_path / "meta.json").read_text())["note"] == "test"


def test_component_without_model_falls_back_on_cues(gold_doc):
    _gold, doc = gold_doc
    sp.SpeechActTagger(None)(doc)
    acts = [s._.speech_act for s in doc.spans["sentences"]]
    assert acts[1:4] == ["COMMITMENT", "CALL", "ENDORSEMENT"]
    assert all(s._.speech_act_score is None for s in doc.spans["sentences"])


@pytest.mark.skipif(
    not (MODELS / "speech_acts" / "model.skops").exists(), reason="run `make train` (train speech)"
)
def test_trained_model_in_pipeline_component():
    nlp = build_nlp(MODELS, exclude=("entities", "commitments", "domains"))
    assert "speech_acts" in nlp.pipe_names
    assert nlp.get_pipe("speech_acts").estimator is not None
    meta = json.loads((MODELS / "speech_acts" / "meta.json").read_text(encoding="utf-8"))
    assert meta["heldout"]["classifier"]["macro_f1"] > meta["heldout"]["cue_baseline"]["macro_f1"]
    assert not set(meta["train_documents"]) & set(meta["heldout_documents"])


def test_word_ngrams_are_scikit_learns_char_wb_ngrams():
    """The analyzer= callable stands in for analyzer="char_wb": the same n-grams, so the same
    features, only each word's computed once."""
    texts = [line for line in SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["", "  EU-Westelijke   Balkan\t2018 ", "ÉÉN één — “quote”", "a", "ab abc abcde"]
    char_wb = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2).fit(texts)
    ours = TfidfVectorizer(analyzer=WordNgrams((3, 5)), min_df=2).fit(texts)
    reference = char_wb.build_analyzer()
    analyzer = WordNgrams((3, 5))
    for text in texts + texts:  # cold and warm word cache
        assert analyzer(text) == reference(text)
    assert ours.vocabulary_ == char_wb.vocabulary_
    assert (abs(ours.transform(texts) - char_wb.transform(texts)) > 1e-12).nnz == 0


def test_the_estimator_follows_scikit_learns_contract():
    estimator = sp.make_estimator(C=2.0)
    assert estimator.get_params()["model__C"] == 2.0
    copy = clone(estimator).set_params(model__C=8.0)
    assert copy.get_params()["model__C"] == 8.0 and estimator.get_params()["model__C"] == 2.0
    assert "vocabulary_" not in vars(estimator.named_steps["features"].transformers[0][1])


def test_fixed_vocabularies_give_the_same_model(gold_doc, tmp_path):
    gold, doc = gold_doc
    X = sp.records_frame(sp.doc_records(doc))
    y = [s.speech_act for _seg, _i, s in gold.sentences()]
    estimator = sp.make_estimator().fit(X, y)
    fixed = clone(estimator).set_params(**sp.fixed_vocabularies(estimator)).fit(X, y)
    # the same model up to the order of floating-point sums (the columns' order in memory)
    assert abs(fixed.predict_proba(X) - estimator.predict_proba(X)).max() < 1e-12
    sp.save_model(fixed, tmp_path / "model.skops")
    loaded = sp.load_model(tmp_path / "model.skops")
    assert (loaded.predict_proba(X) == fixed.predict_proba(X)).all()
    assert all(type(i) is int for i in loaded[0].transformers_[0][1].vocabulary_.values())


def test_the_component_scores_examples_for_nlp_evaluate(gold_doc):
    from spacy.training import Example

    gold, reference = gold_doc
    labels = [s.speech_act for _seg, _i, s in gold.sentences()]
    for sent, label in zip(reference.spans["sentences"], labels):
        sent._.speech_act = label
    predicted = reference.copy()
    tagger = sp.SpeechActTagger(None)  # the cue lexicon: right on 4 of the 6 sentences here
    tagger(predicted)
    scores = tagger.score([Example(predicted, reference)])
    expected = sp.score_speech_acts(
        [{label} for label in labels], [s._.speech_act for s in predicted.spans["sentences"]]
    )
    assert scores["speech_acts_acc"] == expected["accuracy"]
    assert scores["speech_acts_macro_f"] == expected["macro_f1"]


def _labelled_sentences(text_acts: list[tuple[str, str, float | None, list[dict]]]):
    """A blank Dutch Doc whose sentences carry a model label, its probability and records, as
    the speech_acts and commitments components leave them."""
    nlp = spacy.blank("nl")
    doc = nlp(" ".join(text for text, _act, _score, _records in text_acts))
    spans, start = [], 0
    for text, act, score, records in text_acts:
        end = start + len(nlp(text))
        span = doc[start:end]
        span._.speech_act, span._.speech_act_score, span._.commitments = act, score, records
        spans.append(span)
        start = end
    doc.spans["sentences"] = spans
    return nlp, doc


def test_a_sentence_with_the_authors_pledge_becomes_a_commitment():
    nlp, doc = _labelled_sentences(
        [
            # the model took a present-tense pledge for an assessment, the rules found it
            (
                "België organiseert in 2031 een conferentie over de Schelde.",
                "ASSESSMENT",
                0.55,
                [{"actors": ["BEL"], "action": "organiseren", "reported": False}],
            ),
            # a reported pledge inside an endorsement: the sentence still welcomes it
            (
                "Wij verwelkomen de toezegging van Noorwegen om een fonds op te richten.",
                "ENDORSEMENT",
                0.6,
                [{"actors": ["NOR"], "action": "oprichten", "reported": True}],
            ),
            # a label the model is sure of stands
            (
                "De partners worden verzocht een plan in te dienen.",
                "CALL",
                0.97,
                [{"actors": ["eu"], "action": "indienen", "reported": False}],
            ),
            ("Wij stellen vast dat de handel groeit.", "ASSESSMENT", 0.5, []),
        ]
    )
    nlp.add_pipe("speech_act_agreement")(doc)
    sentences = doc.spans["sentences"]
    assert [s._.speech_act for s in sentences] == [
        "COMMITMENT",
        "ENDORSEMENT",
        "CALL",
        "ASSESSMENT",
    ]
    assert sentences[0]._.speech_act_model == "ASSESSMENT"
    assert sentences[0]._.speech_act_score == 0.55  # the model's probability, unchanged


def test_the_agreement_runs_after_the_commitments_component():
    nlp = build_nlp(MODELS, exclude=("syntax", "entities", "domains"))
    names = nlp.pipe_names
    assert names.index("commitments") < names.index("speech_act_agreement")
    assert "span._.commitments" in nlp.get_pipe_meta("speech_act_agreement").requires
