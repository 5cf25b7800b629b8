"""The layout generator and its scorer: every gold document in many layouts, four formats."""

from __future__ import annotations

import pytest

from pipeline.gold import SEED_GOLD, load_gold
from pipeline.layouts import FORMATS, draw_layout, render
from pipeline.layouts.evaluate import documents, score, tasks_for
from pipeline.layouts.items import items_for
from pipeline.layouts.text import hyphenation_points, render_text


@pytest.fixture(scope="module")
def seed_gold():
    return load_gold(SEED_GOLD)


def test_layouts_are_drawn_from_their_seed():
    assert draw_layout("txt", 7) == draw_layout("txt", 7)
    drawn = {draw_layout("txt", seed).bullet for seed in range(200)}
    assert drawn == {"•", "–", "-", "▪", "o", "*", "none"}
    assert all(draw_layout("html", s).heading not in ("bold", "large") for s in range(100))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_and_expects_the_gold_segments(seed_gold, tmp_path, fmt):
    rendering = render(seed_gold, draw_layout(fmt, 3), tmp_path)
    assert rendering.path.exists() and rendering.path.stat().st_size > 1000
    assert [e.segment_id for e in rendering.expected] == [g.id for g in seed_gold.segments]
    assert f"format={fmt}" in rendering.layout.features()


def test_headings_in_capitals_are_expected_in_capitals(seed_gold):
    layout = draw_layout("txt", 1)
    layout.heading = "caps"
    headings = [it for it in items_for(seed_gold, layout) if it.kind == "heading"]
    assert headings[0].text == "VERSTERKTE STEUN AAN DE RECHTSSTAAT EN GOED BESTUUR"


def test_text_dump_has_the_furniture_and_breaks_it_was_asked_for(seed_gold):
    import random

    layout = draw_layout("txt", 2)
    layout.header, layout.header_on_first_page = "title-start", True
    layout.footer, layout.form_feeds, layout.crlf = "pagina-x-van-y", False, True
    layout.page_breaks, layout.footnotes = ("bullet-heading",), "after-footer"
    text = render_text(items_for(seed_gold, layout), layout, random.Random(2))
    lines = text.split("\r\n")
    assert lines[0] == "Verklaring van Sofia" and "\f" not in text
    assert lines.count("Verklaring van Sofia") >= 3  # a running header on every page
    last_footer = max(i for i, ln in enumerate(lines) if ln.startswith("Pagina "))
    assert lines[last_footer + 2].startswith("* Deze benaming")  # the note after the footer
    assert "break=bullet-heading" in layout.features()


def test_compounds_break_at_their_own_hyphen_and_acronyms_never():
    assert hyphenation_points("sociaal-economische") == [("sociaal-", "economische")]
    assert hyphenation_points("EULEX") == []
    heads = [head for head, _ in hyphenation_points("ontwikkelingssamenwerking")]
    assert "ontwikkelingssamen-" in heads


def test_score_counts_id_and_text_and_charges_extra_segments():
    gold = [("title", "A"), ("p1", "B"), ("p2", "C")]
    assert score(gold, gold) == (3, 3)
    assert score(gold, [("title", "A"), ("p1", "B C")]) == (1, 3)
    assert score(gold, gold + [("closing1", "Download (pdf)")]) == (3, 4)


def test_document_sets_keep_blind_documents_out_and_dev_apart_from_tune():
    train, tune, dev = documents("train"), documents("tune"), documents("dev")
    assert SEED_GOLD in train and len(train) >= 19
    assert set(tune) | set(dev) == set(train) and not set(tune) & set(dev)
    for name in ("train", "heldout"):
        assert not any(p.name.startswith("blind-") for p in documents(name))
    assert len(tasks_for(train, 4)) >= 300  # the evaluation's renderings


# --------------------------------------------------------------------------------------------
# Fixed samples of the evaluation (python -m pipeline.layouts): the segmenter must keep
# recovering the structure on them.  Training documents only.
# --------------------------------------------------------------------------------------------


@pytest.mark.slow  # a second or more: make test runs it, make test-fast does not
def test_fixed_sample_of_seed_renderings_keeps_its_structure():
    from pipeline.layouts.evaluate import run

    report = run(tasks_for([SEED_GOLD], 1, base_seed=14))
    summary = report.summary()
    assert summary["errors"] == 0
    assert summary["overall"]["accuracy"] >= 0.95, summary["per_document_format"]
    assert all(row["accuracy"] >= 0.9 for row in summary["per_format"].values())


@pytest.mark.slow
def test_larger_sample_of_training_renderings():
    from pipeline.layouts.evaluate import run

    growth = [p for p in documents("train") if "growth-plan" in p.name]
    report = run(tasks_for([SEED_GOLD, *growth], 2, base_seed=14), workers=2)
    assert report.summary()["overall"]["accuracy"] >= 0.96


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_point_continued_after_its_list_is_printed_without_its_number(seed_gold, tmp_path, fmt):
    # "p8.c1" (text after a point's lettered list) is part of point 8: printing "8." before
    # it again would make a second point 8
    import copy
    import dataclasses

    gold = copy.deepcopy(seed_gold)
    at = next(i for i, s in enumerate(gold.segments) if s.kind == "point")
    point = gold.segments[at]
    gold.segments.insert(at + 1, dataclasses.replace(point, id=f"{point.id}.c1"))
    layout = draw_layout(fmt, 5)
    item = next(it for it in items_for(gold, layout) if it.segment_id == f"{point.id}.c1")
    assert item.marker is None and item.kind == "point"
    rendering = render(gold, layout, tmp_path)
    assert [e.segment_id for e in rendering.expected] == [g.id for g in gold.segments]


def test_a_note_about_a_name_in_a_title_line_after_the_first_keeps_its_mark(seed_gold):
    # the mark goes after the first mention of the name the note is about: here the title's
    # second line ("Tirana en Kosovo, ..."), which must print it, or the note is unmarked
    import copy
    import dataclasses

    gold = copy.deepcopy(seed_gold)
    title = gold.segments[0]
    second = dataclasses.replace(title.sentences[0], text="Tirana en Kosovo, 17 mei 2018")
    gold.segments[0] = dataclasses.replace(
        title, sentences=[dataclasses.replace(title.sentences[0], text="Verklaring"), second]
    )
    lines = [it for it in items_for(gold, draw_layout("txt", 1)) if it.kind == "title"]
    assert [it.printed() for it in lines] == ["Verklaring", "Tirana en Kosovo*, 17 mei 2018"]
