"""Keyword in context over a run's output, from Python and from the command line."""

from pathlib import Path

import pytest

import pipeline
from pipeline import store
from pipeline.cli import main
from pipeline.concordance import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"


@pytest.fixture(scope="module")
def run(seed_run):
    """The seed's run output (conftest.py), shared with the other tests that read outputs."""
    return seed_run


def test_one_row_per_hit_with_its_context(run):
    hits = pipeline.kwic(run, "rechtsstaat", window=4)
    assert list(hits.columns) == COLUMNS
    sentences = store.read_table(run, "sentences")
    expected = sentences["text"].str.count(r"\b[Rr]echtsstaat\b").sum()
    assert len(hits) == expected > 0
    first = hits.iloc[0]
    assert (first.doc_id, first.segment_id, first.sentence_id) == ("sofia-2018-nl", "p3", "p3.s1")
    assert (first.pre, first.keyword) == ("het gebied van de", "rechtsstaat")
    assert first.post.startswith(", alsmede")


def test_a_phrase_in_any_case_and_a_wildcard(run):
    phrase = pipeline.kwic(run, "westelijke balkan")
    assert len(phrase) and set(phrase["keyword"]) == {"Westelijke Balkan"}
    wildcard = pipeline.kwic(run, "rechtsstaat*")
    assert len(wildcard) >= len(pipeline.kwic(run, "rechtsstaat"))
    assert all(k.lower().startswith("rechtsstaat") for k in wildcard["keyword"])


def test_the_context_stays_inside_the_segment(run):
    def letters(text: str) -> str:  # tokens are shown apart: "(EU)" as "( EU )"
        return "".join(text.split())

    segments = store.read_table(run, "segments").set_index("segment_id")["text"]
    for row in pipeline.kwic(run, "EU", window=50).itertuples():
        segment = letters(segments[row.segment_id])
        assert letters(row.pre + row.keyword + row.post) in segment
    # the preamble's first "EU" has fewer than 50 tokens before it: the title is not among them
    first = pipeline.kwic(run, "EU", window=50).iloc[0]
    assert first.segment_id == "preamble" and first.pre.startswith("Wij, de leiders")


def test_hits_by_speech_act_domain_and_actor(run):
    by_act = pipeline.kwic(run, "zullen", by="speech_act")
    sentences = store.read_table(run, "sentences").set_index("sentence_id")["speech_act"]
    assert list(by_act["speech_act"]) == sorted(by_act["speech_act"])
    assert all(sentences[r.sentence_id] == r.speech_act for r in by_act.itertuples())
    by_domain = pipeline.kwic(run, "energie*", by="domain")
    assert "energy" in set(by_domain["domain"])
    by_actor = pipeline.kwic(run, "steunt", by="actor")
    assert "eu" in set(by_actor["actor"])


def test_from_the_command_line(run, capsys):
    assert main(["kwic", str(run), "rechtsstaat", "--window", "3"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == len(pipeline.kwic(run, "rechtsstaat")) and "hit(s)" in err
    assert lines[0].startswith("sofia-2018-nl p3")
    assert lines[0].split("  ")[-1].strip() == "gebied van de | rechtsstaat | , alsmede inzake"
    # the terms line up: every line has its keyword at the same column
    assert len({line.index("| rechtsstaat |") for line in lines}) == 1


def test_usage_errors(run, capsys):
    assert main(["kwic", str(run), "EU", "--by", "colour"]) == 2
    assert "actor, domain, speech_act" in capsys.readouterr().err
    assert main(["kwic", str(run / "nope"), "EU"]) == 1
    assert "no such output folder" in capsys.readouterr().err
    with pytest.raises(ValueError, match="empty"):
        pipeline.kwic(run, "  ")
