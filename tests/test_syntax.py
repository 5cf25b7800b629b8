"""Syntax components: tagger + lemmatiser (+ optional parser) from models/parser, lookup-first
lemmas, and the separable-verb helper the commitment rules use."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import spacy

from pipeline.syntax import add_syntax_components, particle_of, verb_lemma

MODELS = Path(__file__).resolve().parents[1] / "models"
HAS_PARSER_MODEL = (MODELS / "parser" / "config.cfg").exists()
needs_model = pytest.mark.skipif(not HAS_PARSER_MODEL, reason="run `make train` (train parser)")


def test_missing_model_warns_and_still_lemmatises(tmp_path, caplog):
    nlp = spacy.blank("nl")
    with caplog.at_level(logging.WARNING):
        add_syntax_components(nlp, tmp_path)
    assert "no syntax model" in caplog.text
    assert nlp.pipe_names == ["lookup_lemmas"]
    doc = nlp("De EU juicht de vooruitgang toe.")
    assert doc[2].lemma_ == "juichen"  # from spaCy's Dutch lookup table
    assert not doc.has_annotation("POS")


def test_particle_by_word_order_without_tags(tmp_path):
    nlp = spacy.blank("nl")
    add_syntax_components(nlp, tmp_path)
    doc = nlp("De partners beloven hun inspanningen op te voeren.")
    voeren = doc[7]
    assert particle_of(voeren).text == "op"
    assert verb_lemma(voeren) == "opvoeren"


@needs_model
def test_model_components_and_no_parser_by_default():
    nlp = spacy.blank("nl")
    add_syntax_components(nlp, MODELS)
    assert nlp.pipe_names == [
        "syntax_tok2vec",
        "morphologizer",
        "trainable_lemmatizer",
        "lookup_lemmas",
    ]
    with_parser = spacy.blank("nl")
    add_syntax_components(with_parser, MODELS, parser=True)
    assert "parser" in with_parser.pipe_names


@needs_model
def test_tags_lemmas_and_separable_verb():
    nlp = spacy.blank("nl")
    add_syntax_components(nlp, MODELS)
    doc = nlp("Tegen die achtergrond juicht de EU de inspanningen van de partners toe.")
    juicht = doc[3]
    assert juicht.pos_ == "VERB"
    assert juicht.lemma_ == "juichen"
    assert verb_lemma(juicht) == "toejuichen"
    assert doc[1].pos_ in ("DET", "PRON")


@needs_model
def test_parser_meta_reports_scores_and_attribution():
    meta = json.loads((MODELS / "parser" / "meta.json").read_text(encoding="utf-8"))
    for key in ("pos_acc", "lemma_acc", "dep_las", "dep_uas"):
        assert 0.5 < meta["scores_test"][key] <= 1.0
    assert meta["license"] == "CC BY-SA 4.0"
    assert "Bouma" in meta["attribution"] and "LassySmall" in meta["attribution"]
    assert set(meta["data"]["split"]) == {"train", "dev", "test"}
