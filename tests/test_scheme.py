"""The label scheme (pipeline/scheme.py) says what the shipped annotation guide says."""

import re
from pathlib import Path

import pytest

from pipeline import scheme

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE = (DOCS / "annotation.md").read_text(encoding="utf-8")
DECISIONS = (DOCS / "decisions.md").read_text(encoding="utf-8")


def guide_table(*header: str) -> list[tuple[str, ...]]:
    """The rows (cells stripped) of the one table of the guide with this header row."""
    tables: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    current = None
    for line in GUIDE.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            current = None
            continue
        cells = tuple(c.strip() for c in line.strip("|").split("|"))
        if current is None:
            assert cells not in tables, f"two guide tables headed {cells}"
            current = tables[cells] = []
        elif not all(set(c) <= set("- ") for c in cells):  # not the separator row
            current.append(cells)
    assert header in tables, f"no guide table headed {header}; found {list(tables)}"
    return tables[header]


def section(title: str) -> str:
    start = GUIDE.index(title)
    end = GUIDE.find("\n## ", start)
    return GUIDE[start : end if end > 0 else None]


def test_segment_kinds_are_the_guides_plus_the_decided_paragraph():
    rows = guide_table("kind", "what")
    assert [(k.name, k.definition) for k in scheme.SEGMENT_KIND_LABELS[: len(rows)]] == [
        (kind, what) for kind, what in rows
    ]
    extra = scheme.SEGMENT_KINDS[len(rows) :]
    assert extra == ("paragraph",)
    assert "`paragraph` segment" in DECISIONS


def test_domain_kinds_are_segment_kinds_named_in_section_4():
    assert set(scheme.DOMAIN_KINDS) <= set(scheme.SEGMENT_KINDS)
    assert "(multi-label, per point, heading and bullet)" in GUIDE


def test_entity_labels_with_definitions_and_examples():
    rows = guide_table("label", "what", "examples")
    assert rows == [tuple(label) for label in scheme.ENTITY_LABEL_DEFINITIONS]


def test_speech_acts_with_definitions_and_cues():
    rows = guide_table("label", "the sentence ...", "cue examples")
    assert rows == [tuple(label) for label in scheme.SPEECH_ACT_LABELS]


def test_actor_labels_are_the_keyed_ones_of_section_2():
    assert "Every ORG, GPE and LOC mention also gets a canonical key" in GUIDE
    assert scheme.ACTOR_LABELS == ("ORG", "GPE", "LOC")
    assert "`key` only for ORG, GPE, LOC" in GUIDE


def test_domains_come_from_the_cap_mapping_and_match_the_guide():
    rows = guide_table("key", "covers")
    assert [(d.name, d.definition) for d in scheme.DOMAIN_LABELS] == rows
    for domain in scheme.DOMAINS:
        assert scheme.DOMAIN_CAP[domain]
        assert set(scheme.DOMAIN_CAP[domain]) <= set(scheme.CAP_TOPICS)


def test_strengths_from_weakest_to_strongest():
    records = section("**Commitment records.**")
    assert re.findall(r"`(\w+)`: ", records) == list(reversed(scheme.STRENGTHS))


def test_tracking_statuses_and_change_kinds_of_section_6():
    tracking = section("## 6. Commitment tracking")
    assert tuple(re.findall(r"`(\w+)` \(", tracking)) == scheme.TRACKING_STATUSES
    changed = re.search(r"with a changed ([^;]+); say which in `changes`", tracking).group(1)
    words = re.split(r", | or ", changed)
    # the guide writes "condition", the table's value names the column it changed
    assert [w.replace("condition", "conditional") for w in words] == list(scheme.CHANGE_KINDS)


def test_every_label_set_has_unique_names():
    for values in (
        scheme.SEGMENT_KINDS,
        scheme.ENTITY_LABELS,
        scheme.SPEECH_ACTS,
        scheme.DOMAINS,
        scheme.STRENGTHS,
        scheme.RELATIONS,
        scheme.TRACKING_STATUSES,
        scheme.CHANGE_KINDS,
        scheme.ACTOR_SOURCES,
        scheme.ENTITY_SOURCES,
    ):
        assert len(set(values)) == len(values) > 1


def test_a_broken_cap_mapping_is_named_in_the_error(tmp_path):
    bad = tmp_path / "cap_mapping.json"
    bad.write_text('{"cap_major_topics": {"1": "Macroeconomics"}, "domains": {"x": {"cap": [99]}}}')
    with pytest.raises(ValueError, match=re.escape(str(bad)) + ".*'x'"):
        scheme.read_cap_mapping(bad)
