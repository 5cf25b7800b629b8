"""The pipeline as spaCy sees it: built from config.cfg, checked, saved and loaded again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import spacy

from pipeline import api, records
from pipeline.nlp import STAGES, build_nlp, load_nlp, pipeline_config

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "corpus" / "sofia-2018-nl.txt"


def test_the_pipeline_follows_config_cfg():
    nlp = load_nlp()
    config, _weights = pipeline_config()
    assert nlp.component_names == config["nlp"]["pipeline"]
    assert nlp.disabled == config["nlp"]["disabled"]  # a config value, no environment variable
    assert [name for names in STAGES.values() for name in names] == config["nlp"]["pipeline"]


def test_analyze_pipes_finds_no_problem():
    analysis = load_nlp().analyze_pipes()
    assert all(not problems for problems in analysis["problems"].values())
    assert "span._.speech_act" in analysis["summary"]["speech_acts"]["assigns"]


def test_the_parser_is_a_config_value():
    nlp = build_nlp(exclude=("entities", "speech_acts", "commitments", "domains"), parser=True)
    assert "parser" in nlp.pipe_names and not nlp.disabled
    doc = nlp("De Europese Unie zal de steun verhogen.")
    assert any(token.dep_ for token in doc)


def test_missing_models_leave_their_components_out(tmp_path):
    nlp = build_nlp(tmp_path, exclude=("speech_acts", "domains"))
    assert "ner" not in nlp.pipe_names and "morphologizer" not in nlp.pipe_names
    assert "entity_ruler" in nlp.pipe_names and "lookup_lemmas" in nlp.pipe_names


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stages"):
        build_nlp(exclude=("sentiment",))


def _tables(doc) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(rows) for name, rows in records.doc_tables(doc).items()}


@pytest.mark.slow
def test_to_disk_then_spacy_load_gives_the_same_tables(tmp_path):
    nlp = load_nlp()
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.component_names == nlp.component_names
    assert loaded.disabled == nlp.disabled
    expected = _tables(api.process_file(SEED_TEXT, "sofia-2018-nl", nlp=nlp))
    got = _tables(api.process_file(SEED_TEXT, "sofia-2018-nl", nlp=loaded))
    assert expected.keys() == got.keys()
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)


def test_one_split_rule_for_gold_files(tmp_path):
    from pipeline.gold import annotated_paths

    for name, split in (("a", "train"), ("b", "heldout"), ("blind-c", "heldout")):
        (tmp_path / f"{name}.gold.json").write_text(f'{{"split": "{split}"}}', encoding="utf-8")
    assert [p.name for p in annotated_paths("heldout", tmp_path)] == ["b.gold.json"]
    with_blind = annotated_paths("heldout", tmp_path, blind=True)
    assert [p.name for p in with_blind] == ["b.gold.json", "blind-c.gold.json"]
    assert "a.gold.json" in [p.name for p in annotated_paths("train", tmp_path)]
    (tmp_path / "d.gold.json").write_text('{"doc_id": "d"}', encoding="utf-8")
    with pytest.raises(ValueError, match='d.gold.json: the "split" field'):
        annotated_paths("train", tmp_path)


def test_blind_documents_of_this_round_and_earlier_ones_by_name_alone(tmp_path):
    from pipeline.gold import blind_paths

    for name in ("team-a", "blind-b", "blind-r4-c", "blind-r5-d", "blind-r6-e"):
        # not JSON: a blind file is chosen by its name, never opened
        (tmp_path / f"{name}.gold.json").write_text("unreadable", encoding="utf-8")
    assert [p.name for p in blind_paths("blind", tmp_path)] == ["blind-r6-e.gold.json"]
    assert [p.name for p in blind_paths("seen", tmp_path)] == [
        "blind-b.gold.json",
        "blind-r4-c.gold.json",
        "blind-r5-d.gold.json",
    ]
    with pytest.raises(ValueError, match="unknown blind set"):
        blind_paths("train", tmp_path)
