"""A document longer than the section budget (spaCy's max_length by default) is one Doc whose
trained components run section by section; its tables are those of a run over the whole text.

The long document is made here: the seed's title and preamble, then its points repeated and
numbered on, with an acronym defined in the preamble ("Europese Unie (EU)") and used in every
section after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import records
from pipeline.cli import main
from pipeline.extract.text import read_text
from pipeline.nlp import load_nlp
from pipeline.runner.document import annotate, sections
from pipeline.segment import segment

SEED_TEXT = Path(__file__).resolve().parents[1] / "corpus" / "sofia-2018-nl.txt"


def long_declaration(n_points: int) -> str:
    """The seed's head, then ``n_points`` points taken from its own in turn, numbered 1..n."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    first = re.search(r"(?m)^1\. ", text)
    assert first is not None
    head, body = text[: first.start()], text[first.start() :]
    points = [re.sub(r"^\d+\. ", "", p) for p in re.split(r"(?m)^(?=\d+\. )", body) if p.strip()]
    # the seed's last point runs on into its annex: the annex stays at the end, once
    annex = re.search(r"(?m)^\s*Bijlage", points[-1])
    tail = points[-1][annex.start() :] if annex else ""
    if annex:
        points[-1] = points[-1][: annex.start()]
    numbered = [
        f"{n}. {points[(n - 1) % len(points)].rstrip()} \n\n" for n in range(1, n_points + 1)
    ]
    return head + "".join(numbered) + tail


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def long_text() -> str:
    return long_declaration(40)


def test_sections_cut_where_segments_start_and_keep_to_the_budget(nlp, long_text):
    doc = segment(read_text(long_text, source_path="<long>"), nlp, "long")
    cuts = sections(doc, 4_000)
    assert len(cuts) > 5
    assert cuts[0][0] == 0 and cuts[-1][1] == len(doc)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))  # no gap, no overlap
    segment_starts = {s.start for s in doc.spans["segments"]}
    for start, end in cuts:
        assert doc[start:end].end_char - doc[start].idx <= 4_000
        assert start in segment_starts or start == 0


def test_a_segment_longer_than_the_budget_is_cut_where_a_sentence_starts(nlp):
    text = SEED_TEXT.read_text(encoding="utf-8")
    doc = segment(read_text(text, source_path="<seed>"), nlp, "seed")
    # a budget every sentence fits in, but not every segment
    budget = max(s.end_char - s.start_char for s in doc.spans["sentences"]) + 1
    longer = [s for s in doc.spans["segments"] if s.end_char - s.start_char > budget]
    assert longer
    cuts = sections(doc, budget)
    sentence_starts = {s.start for s in doc.spans["sentences"]}
    inside = [a for a, _ in cuts for seg in longer if seg.start < a < seg.end]
    assert inside, "a segment longer than the budget is cut"
    assert all(a in sentence_starts for a in inside)


@pytest.mark.slow  # a few seconds: make test runs it, make test-fast does not
def test_tables_by_section_are_the_tables_of_the_whole_text(nlp, long_text):
    whole = annotate(read_text(long_text, source_path="<long>"), nlp, "long")
    by_section = annotate(
        read_text(long_text, source_path="<long>"), nlp, "long", section_chars=4_000
    )
    assert len(sections(by_section, 4_000)) > 5
    expected, got = records.doc_tables(whole), records.doc_tables(by_section)
    for table in expected:
        assert got[table] == expected[table], table
    # what the tables rest on: acronyms defined in the first section, commitments, parse
    assert by_section._.acronyms == whole._.acronyms and whole._.acronyms
    assert expected["commitments"] and expected["entities"]
    assert [t.dep_ for t in by_section] == [t.dep_ for t in whole]
    assert [t.head.i for t in by_section] == [t.head.i for t in whole]


def test_a_text_over_max_chars_is_refused_with_the_limit(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text(long_declaration(5), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--quiet", "run", str(path), "--out", str(out), "--max-chars", "2000"]) == 1
    message = capsys.readouterr().err
    assert re.search(r"long\.txt: .*more than 2,000 characters of text", message), message
    assert "raise --max-chars" in message
