"""Property-based tests: extraction and segmentation never crash, offsets are always valid."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.text import decode, read_text
from pipeline.nlp import blank_nlp
from pipeline.segment import segment

SEED = (Path(__file__).resolve().parents[1] / "corpus" / "sofia-2018-nl.txt").read_text(
    encoding="utf-8"
)
SEED_LINES = SEED.splitlines()
NLP = blank_nlp()

# text that looks like declarations: markers, glyphs, hyphens, stars, digits, form feeds
pieces = st.sampled_from(
    [
        "1. ",
        "2) ",
        "(3) ",
        "a) ",
        "• ",
        "– ",
        "- ",
        "* ",
        "¹",
        "I. ",
        "Bijlage",
        "\n",
        "\n\n",
        "\f",
        "-\n",
        " ",
        ".",
        "EU-",
        "Kosovo*",
        "o.a. ",
        "in 2003. ",
        "De Raad ",
        "zal ",
        "versterken",
        "ver-\nsterken",
    ]
)
declaration_like = st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=60).map("".join)


def check(text: str) -> None:
    extracted = read_text(text, source_path="<hypothesis>")
    clean = extracted.text
    for block in extracted.blocks:
        assert 0 <= block.start <= block.content_start <= block.end <= len(clean)
        assert "\n" not in clean[block.start : block.end]
    doc = segment(extracted, NLP, "h")
    for span in list(doc.spans["segments"]) + list(doc.spans["sentences"]):
        assert clean[span.start_char : span.end_char] == span.text
        assert span._.segment_id
    ids = [s._.segment_id for s in doc.spans["segments"]]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declaration_like)
def test_random_declaration_like_text(text):
    check(text)


@pytest.mark.slow  # a few seconds: make test runs it, make test-fast does not
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SEED_LINES) - 1), st.sampled_from(["drop", "dup", "cut", "glue"])
        ),
        max_size=25,
    )
)
def test_mangled_seed(edits):
    lines = list(SEED_LINES)
    for index, edit in edits:
        index %= max(len(lines), 1)
        if not lines:
            break
        if edit == "drop":
            del lines[index]
        elif edit == "dup":
            lines.insert(index, lines[index])
        elif edit == "cut":
            lines[index] = lines[index][: len(lines[index]) // 2]
        elif index + 1 < len(lines):
            lines[index : index + 2] = [lines[index] + lines[index + 1]]
    check("\n".join(lines))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_fail_with_a_clear_reason(data):
    from pipeline.types import InputError

    try:
        text, warnings = decode(data, "random.txt")
    except InputError as err:
        assert "\n" not in str(err) and err.reason
    else:
        assert isinstance(text, str)
