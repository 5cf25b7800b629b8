"""The report: an index, one page per document and per compared pair, and a browser that can
search and filter it and finds no error.

Content tests use the seed declaration and a revised, later copy of it, segmented by the
pipeline and annotated from the seed's gold file (entities, speech acts, commitments, domains),
so that the report is tested on realistic tables without depending on the trained models. The
browser tests drive headless Chromium over a real run of three documents: the seed and two
edited, later copies of it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.browser import Browser, chromium_binary, console_errors
from pipeline import records, report
from pipeline.api import Corpus
from pipeline.report import html as report_html
from pipeline.report.figures import shade

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"
from gold_layers import annotated_doc  # noqa: E402

OLDER, NEWER = "sofia-2018-nl", "sofia-revised"


def revised(text: str) -> str:
    """A later version of the seed: one point reworded, one country changed."""
    text = text.replace("De EU is vastbesloten", "De EU is vast van plan")
    return text.replace("Kroatië", "Bulgarije")


def alignment_rows(segments: pd.DataFrame, newer: str, older: str) -> list[dict]:
    """A stand-in for the compare stage: segments matched by id, identical or revised; doc_a is
    the newer document, as compare.py writes it."""
    a = segments[segments["doc_id"] == newer].set_index("segment_id")["text"]
    b = segments[segments["doc_id"] == older].set_index("segment_id")["text"]
    rows = []
    for sid in a.index:
        same = sid in b.index and a[sid] == b[sid]
        rows.append(
            {
                "doc_a": newer,
                "segment_a": sid,
                "doc_b": older,
                "segment_b": sid if sid in b.index else None,
                "score": 1.0 if same else 0.8,
                "relation": "identical" if same else "revised" if sid in b.index else "new",
            }
        )
    return rows


def two_document_tables() -> dict[str, pd.DataFrame]:
    text = SEED.read_text(encoding="utf-8")
    docs = [annotated_doc(text, OLDER), annotated_doc(revised(text), NEWER)]
    rows: dict[str, list[dict]] = {}
    for doc in docs:
        for name, table_rows in records.doc_tables(doc).items():
            rows.setdefault(name, []).extend(table_rows)
    rows["errors"] = [
        records.error_row("corpus/broken.pdf", "broken", "extract", "not a PDF <really>")
    ]
    frames = records.to_frames(rows)
    # listed newer first: the index orders by date
    frames["documents"] = (
        frames["documents"]
        .assign(date=frames["documents"]["doc_id"].map({OLDER: "2018-05-17", NEWER: "2019-05-09"}))
        .iloc[::-1]
    )
    frames["alignments"] = records.to_frame(
        "alignments", alignment_rows(frames["segments"], NEWER, OLDER)
    )
    frames["similarities"] = records.to_frame(
        "similarities",
        [{"doc_a": NEWER, "doc_b": OLDER, "score": 0.97, "method": "tfidf_cosine"}],
    )
    frames["reuse"] = records.to_frame("reuse", [])
    return frames


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return two_document_tables()


@pytest.fixture(scope="module")
def out(tables, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    report.write_report(Corpus(tables, {}), folder / "report.html")
    return folder


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def doc_page(out: Path, doc_id: str) -> str:
    return read(out / report_html.document_href(doc_id))


def pair_page(out: Path, newer: str, older: str) -> str:
    return read(out / report_html.pair_href(newer, older))


# --- the index ----------------------------------------------------------------------------------


def test_the_index_lists_the_documents_by_date_and_links_their_pages(out):
    index = read(out / "report.html")
    links = re.findall(r"<a href='report/doc/([^']+)\.html'>", index)
    assert links == [OLDER, NEWER]  # 2018 before 2019, although listed the other way round
    for doc_id in links:
        assert (out / "report" / "doc" / f"{doc_id}.html").exists()
    assert "<td>security, economy, rule_of_law</td>" in index  # main domains
    assert f"href='report/pair/{NEWER}~~{OLDER}.html'" in index


def test_the_index_has_a_search_box_over_every_sentence(out, tables):
    index = read(out / "report.html")
    shards = re.search(r"data-shards='([^']*)'", index).group(1).split()
    assert shards and all((out / s).exists() for s in shards)
    loaded = json.loads(
        "".join(read(out / s) for s in shards)
        .replace("DeclarationsReport.addSentences(", "")
        .rstrip(";\n)")
    )
    assert sum(len(d[2]) for d in loaded) == len(tables["sentences"])
    assert {d[0] for d in loaded} == {OLDER, NEWER}


def test_the_heatmap_spans_the_observed_range_and_shows_values(tmp_path, tables):
    frames = dict(tables)
    third = frames["documents"].iloc[[0]].assign(doc_id="sofia-2020", date="2020-01-01")
    frames["documents"] = pd.concat([frames["documents"], third])
    frames["similarities"] = records.to_frame(
        "similarities",
        [
            {"doc_a": NEWER, "doc_b": OLDER, "score": 0.97, "method": "tfidf_cosine"},
            {"doc_a": "sofia-2020", "doc_b": OLDER, "score": 0.99, "method": "tfidf_cosine"},
            {"doc_a": "sofia-2020", "doc_b": NEWER, "score": 0.98, "method": "tfidf_cosine"},
        ],
    )
    index = read(report.write_report(frames, tmp_path / "report.html"))
    svg = index[index.index("<svg") : index.index("</svg>")]
    for value in ("0.970", "0.980", "0.990"):
        assert f">{value}</text>" in svg
    # the lowest score gets the palette's lightest colour, the highest its darkest
    assert f"fill='{shade(0.0)}'" in svg and f"fill='{shade(1.0)}'" in svg
    assert shade(0.0) != shade(1.0)


def test_reuse_is_one_row_per_passage_with_the_documents_that_share_it(tmp_path, tables):
    passage = "de EU en de partners van de Westelijke Balkan bevestigen opnieuw"
    frames = dict(tables)
    frames["reuse"] = records.to_frame(
        "reuse",
        [
            {
                "doc_a": a,
                "segment_a": "p1",
                "doc_b": b,
                "segment_b": "p1",
                "text": passage,
                "n_words": 11,
            }
            for a, b in (("c", "b"), ("c", "a"), ("b", "a"))
        ],
    )
    report.write_report(frames, tmp_path / "report.html")
    page = read(tmp_path / "report" / "reuse.html")
    rows = re.findall(r"<tr><td>(.*?)</td><td class='num'>11</td><td class='num'>(\d+)</td>", page)
    assert rows == [(passage, "3")]
    assert "1 passage(s)" in read(tmp_path / "report.html")


def test_the_index_lists_errors_and_escapes_text(out):
    index = read(out / "report.html")
    assert "1 input(s) failed" in index
    assert "not a PDF &lt;really&gt;" in index and "<really>" not in index


# --- a document's page --------------------------------------------------------------------------


def test_a_document_page_marks_every_entity_in_its_text(out, tables):
    page = doc_page(out, OLDER)
    text = page[page.index("<ul class='structure'>") :]
    marks = re.findall(
        r"<mark class='entity' data-label='([A-Z]+)'>(.*?)<span class='label'>", text
    )
    entities = tables["entities"][tables["entities"]["doc_id"] == OLDER]
    assert len(marks) == len(entities)
    assert ("ORG", "Europese Unie") in marks and ("EVENT", "top van Thessaloniki") in marks
    assert "<span class='key'>western_balkans</span>" in text  # the canonical key beside it


def test_a_document_page_has_its_structure_commitments_and_domain_chart(out, tables):
    page = doc_page(out, OLDER)
    # the nested structure: bullets inside their heading's list item
    assert re.search(r"<li class='seg' id='seg-h1'>.*?<ul><li class='seg' id='seg-h1\.b1'>", page)
    n = int((tables["commitments"]["doc_id"] == OLDER).sum())
    assert f"<h2 id='commitments'>Commitments ({n})</h2>" in page
    assert "<span class='strength-strong'>strong</span>" in page
    assert "<span class='act' data-act='COMMITMENT'>COMMITMENT</span>" in page
    chart = page[page.index("<svg") : page.index("</svg>")]  # the domain profile, inline SVG
    assert ">security</text>" in chart and ">16</text>" in chart


def test_filterable_items_carry_actor_domain_speech_act_and_confidence(out):
    page = doc_page(out, OLDER)
    facets = re.findall(r"<div class='facet' data-facet='(\w+)'>", page)
    assert facets == ["act", "actor", "domain"]
    assert "<input type='range' id='min-confidence'" in page
    sentence = re.search(r"<div id='s-p3\.s1' class='sentence filterable'([^>]*)>", page).group(1)
    assert "data-kind='sentences'" in sentence and "data-act='COMMITMENT'" in sentence
    assert "eu" in re.search(r"data-actor='([^']*)'", sentence).group(1).split()
    assert re.search(r"data-domain='[^']*\w", sentence)
    assert re.search(r"<tr class='filterable' data-kind='commitments'", page)
    assert re.search(r"<tr class='filterable' data-kind='entities'", page)


def test_a_commitment_shows_its_action_and_object_in_the_sentence():
    text = "De EU zal haar steun aan de regio verhogen."
    rows = {
        "documents": [{"doc_id": "d", "title": "t"}],
        "sentences": [
            {
                "sentence_id": "p1.s1",
                "segment_id": "p1",
                "text": text,
                "char_start": 100,
                "speech_act": "commitment",
                "speech_act_score": 0.9,
            }
        ],
        "commitments": [
            {
                "segment_id": "p1",
                "sentence_id": "p1.s1",
                "actors": ["eu"],
                "action": "verhogen",
                "object": "haar steun aan de regio",
                "strength": "strong",
                "confidence": 0.74,
                "action_start": 100 + text.index("verhogen"),
                "action_end": 100 + len(text) - 1,
                "object_start": 100 + text.index("haar"),
                "object_end": 100 + text.index(" verh"),
            }
        ],
    }
    page = report.document_page(rows)
    assert (
        "<mark class='object'>haar steun aan de regio</mark> <mark class='action'>verhogen</mark>."
    ) in page
    assert "data-confidence='0.740'" in page and "<td>0.74</td>" in page


def test_a_document_page_is_a_function_of_the_document_rows(tables):
    rows = {
        name: frame[frame["doc_id"] == NEWER].to_dict("records")
        for name, frame in tables.items()
        if name in records.DOCUMENT_TABLES
    }
    files = report.document_files(rows)
    assert set(files) == {"report.html", "sentences.json"}
    assert files["report.html"] == report.document_page(rows)
    assert json.loads(files["sentences.json"])[:2] == [NEWER, f"report/doc/{NEWER}.html"]
    assert report.document_files({"errors": [{"doc_id": "x"}]}) == {}  # a failed document


def test_list_cells_read_back_from_csv_are_lists(tables, tmp_path):
    frames = dict(tables)
    frames["commitments"] = frames["commitments"].assign(
        actors=frames["commitments"]["actors"].map(json.dumps)
    )
    report.write_report(frames, tmp_path / "report.html")
    assert "<td>eu, wb_partners</td>" in doc_page(tmp_path, OLDER)


# --- a pair's page ------------------------------------------------------------------------------


def test_a_pair_page_puts_the_older_text_left_and_marks_what_the_newer_added(out):
    page = pair_page(out, NEWER, OLDER)
    assert "Alignment (64 identical, 2 revised)" in page
    assert f"<th>{OLDER} (older)</th><th>relation</th><th>{NEWER} (newer)</th>" in page
    row = re.search(
        r"<tr class='revised'><td class='side older'>(.*?)</td>.*?"
        r"<td class='side newer'>(.*?)</td></tr>",
        page,
    )
    older, newer = row.groups()
    assert "<del>vastbesloten</del>" in older and "<ins>vast van plan</ins>" in newer
    assert "<ins>" not in older and "<del>" not in newer
    assert "<del>Kroatië</del>" in page and "<ins>Bulgarije</ins>" in page


def test_a_pair_page_shows_the_commitment_tracking(tmp_path, tables):
    frames = dict(tables)
    frames["commitment_tracking"] = pd.DataFrame(
        [
            {
                "doc_a": NEWER,
                "doc_b": OLDER,
                "commitment_b": "p3.s1.c1",
                "segment_b": "p3",
                "action_b": "versterken",
                "status": "revised",
                "commitment_a": "p3.s1.c1",
                "segment_a": "p3",
                "changes": ["strength"],
                "score": 0.9,
                "evidence": "p3",
            },
            {
                "doc_a": NEWER,
                "doc_b": OLDER,
                "commitment_b": "p20.s1.c1",
                "segment_b": "p20",
                "action_b": "steunen",
                "status": "dropped",
                "commitment_a": None,
                "segment_a": None,
                "changes": [],
                "score": None,
                "evidence": None,
            },
        ]
    )
    report.write_report(frames, tmp_path / "report.html")
    page = pair_page(tmp_path, NEWER, OLDER)
    assert f"Commitments of {OLDER} followed up (1 revised, 1 dropped)" in page
    assert "<span class='change'>strength</span>" in page
    tracked = page[page.index("id='tracking'") : page.index("id='alignment'")]
    assert "<del>vastbesloten</del>" in tracked and "<ins>vast van plan</ins>" in tracked


def test_without_tracking_a_pair_page_has_no_tracking_section(out):
    assert "id='tracking'" not in pair_page(out, NEWER, OLDER)


# --- self-contained, and robust -----------------------------------------------------------------


def every_page(out: Path) -> list[Path]:
    return [out / "report.html", *sorted((out / "report").rglob("*.html"))]


def test_every_page_is_self_contained_under_a_strict_policy(out):
    pages = every_page(out)
    assert len(pages) == 5  # index, two documents, one pair, the list of pairs
    for path in pages:
        page = read(path)
        assert f'content="{report.CSP}"' in page
        assert "'unsafe-inline'" not in report.CSP and "default-src 'none'" in report.CSP
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
        assert not re.search(r"<style|\sstyle=", page)  # no inline style
        assert not re.search(r"\son[a-z]+=", page)  # no inline event handler
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
        assert "@import" not in page and "url(" not in page
        for target in re.findall(r"<(?:script|link)[^>]*(?:src|href)='([^']+)'", page):
            assert (path.parent / target).resolve().exists(), (path, target)


def test_the_report_survives_empty_and_missing_tables(tmp_path):
    documents = records.to_frame(
        "documents", [{"doc_id": "empty", "title": None, "warnings": ["no numbered points found"]}]
    )
    report.write_report(Corpus({"documents": documents}), tmp_path / "a" / "report.html")
    page = doc_page(tmp_path / "a", "empty")
    assert "No commitments were found." in page
    assert "No policy domains were assigned." in page
    assert "no numbered points found" in page
    # nothing at all, or every contract table present but empty
    for frames in ({}, {name: records.to_frame(name, []) for name in records.COLUMNS}):
        index = read(report.write_report(frames, tmp_path / "b" / "report.html"))
        assert "No document was processed." in index


def test_a_document_id_of_any_characters_gets_its_own_file():
    assert report_html.file_stem("sofia-2018_nl.v2") == "sofia-2018_nl.v2"
    assert report_html.file_stem("top van Praag/2024") == "top~20van~20Praag~2F2024"
    assert report_html.file_stem("ä") != report_html.file_stem("a")


# --- a run of three documents, in a browser -----------------------------------------------------


def three_declarations(folder: Path) -> None:
    """The seed and two later, edited copies (each with its own date)."""
    seed = SEED.read_text(encoding="utf-8")
    later = seed.replace("17 mei 2018", "9 mei 2019").replace(
        "De EU is vastbesloten", "De EU is vast van plan"
    )
    latest = later.replace("9 mei 2019", "6 mei 2020").replace("Kroatië", "Bulgarije")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("sofia-2018", seed), ("sofia-2019", later), ("sofia-2020", latest)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def three_run(tmp_path_factory) -> Path:
    from pipeline.api import run

    tmp = tmp_path_factory.mktemp("three")
    three_declarations(tmp / "corpus")
    run([tmp / "corpus"], tmp / "out", progress=False)
    return tmp / "out"


@pytest.mark.slow
def test_the_run_copies_each_page_its_worker_made_into_the_report(three_run):
    from pipeline import cache

    cached = sorted((three_run / cache.CACHE_DIR).glob("*/report.html"))
    assert len(cached) == 3
    written = {p.read_bytes() for p in (three_run / "report" / "doc").glob("*.html")}
    assert {p.read_bytes() for p in cached} == written
    index = read(three_run / "report.html")
    assert re.findall(r"<a href='report/doc/([^']+)\.html'>", index) == [
        "sofia-2018",
        "sofia-2019",
        "sofia-2020",
    ]
    assert len(list((three_run / "report" / "pair").glob("*.html"))) == 3


needs_chromium = pytest.mark.skipif(
    chromium_binary() is None and os.environ.get("CI", "").lower() != "true",
    reason="chromium is not installed (CI installs it: apt-get install chromium)",
)
VISIBLE = "[...document.querySelectorAll('{}')].filter(e => e.offsetParent !== null)"


@needs_chromium
def test_chromium_sees_errors_when_there_are_some(tmp_path):
    """The checks below can fail: a page that logs an error, runs an inline script and reaches
    for the network, under the report's policy."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{report.CSP}\"></head><body>"
        "<img src='https://example.org/logo.png'><script>console.error('boom')</script>"
        "<p style='color:red' onclick='x()'>inline</p></body></html>",
        encoding="utf-8",
    )
    errors = console_errors(page.as_uri())
    assert any("example.org" in e for e in errors)  # blocked by the policy, and reported
    assert any("script" in e.lower() for e in errors)  # inline script blocked as well
    assert any("style" in e.lower() for e in errors)  # and the inline style


@pytest.mark.slow
@needs_chromium
def test_typing_in_the_search_box_lists_the_sentences_that_hold_the_words(three_run):
    with Browser() as browser:
        browser.open((three_run / "report.html").as_uri())
        assert browser.evaluate("document.querySelectorAll('#hits li').length") == 0
        browser.type_into("#search", "vast van plan")
        browser.wait_until("document.querySelectorAll('#hits li').length > 0")
        hits = browser.evaluate(
            "[...document.querySelectorAll('#hits li')].map(li => "
            "[li.querySelector('a').textContent, li.querySelector('mark.hit').textContent])"
        )
        # the words came in 2019 and stayed in 2020
        assert sorted(where.split()[0] for where, _ in hits) == ["sofia-2019", "sofia-2020"]
        assert {hit for _, hit in hits} == {"vast van plan"}
        status = browser.evaluate("document.getElementById('search-status').textContent")
        assert status.startswith("2 sentence(s) in 2 document(s)")
        # a hit leads to its sentence on the document's page
        href = browser.evaluate("document.querySelector('#hits a').href")
        browser.open(href)
        assert browser.evaluate("location.hash").startswith("#s-p")
        assert browser.evaluate("document.getElementById(location.hash.slice(1)) !== null")
        assert browser.errors() == []


@pytest.mark.slow
@needs_chromium
def test_clicking_a_filter_changes_what_a_document_page_shows(three_run):
    with Browser() as browser:
        browser.open((three_run / "report" / "doc" / "sofia-2020.html").as_uri())
        sentences = VISIBLE.format(".sentence.filterable")
        before = browser.evaluate(f"{sentences}.length")
        acts = browser.evaluate(f"{sentences}.map(e => e.dataset.act)")
        assert before > 10 and len(set(acts)) > 1
        chip = ".facet[data-facet=act] button.chip"
        act = browser.evaluate(f"document.querySelector('{chip}').dataset.value")
        browser.click(chip)
        assert (
            browser.evaluate(f"document.querySelector('{chip}').getAttribute('aria-pressed')")
            == "true"
        )
        after = browser.evaluate(f"{sentences}.map(e => e.dataset.act)")
        assert 0 < len(after) < before and set(after) == {act}
        rows = browser.evaluate(f"{VISIBLE.format('tr.filterable')}.map(e => e.dataset.act)")
        assert rows and set(rows) == {act}  # entities and commitments are filtered alike
        # an actor as well: both must hold
        browser.click(".facet[data-facet=actor] button.chip")
        actor = browser.evaluate(
            "document.querySelector('.facet[data-facet=actor] button.chip').dataset.value"
        )
        both = browser.evaluate(f"{sentences}.map(e => [e.dataset.act, e.dataset.actor])")
        assert len(both) <= len(after)
        assert all(a == act and actor in actors.split() for a, actors in both)
        browser.click("button.reset")
        assert browser.evaluate(f"{sentences}.length") == before
        assert browser.errors() == []


@pytest.mark.slow
@needs_chromium
def test_the_words_a_newer_declaration_added_are_insertions(three_run):
    with Browser() as browser:
        browser.open((three_run / "report" / "pair" / "sofia-2020~~sofia-2019.html").as_uri())
        inserted = browser.evaluate(
            "[...document.querySelectorAll('td.newer ins')].map(e => e.textContent)"
        )
        removed = browser.evaluate(
            "[...document.querySelectorAll('td.older del')].map(e => e.textContent)"
        )
        assert "Bulgarije" in inserted and "Kroatië" in removed
        assert (
            browser.evaluate("document.querySelectorAll('td.older ins, td.newer del').length") == 0
        )
        assert browser.errors() == []


@pytest.mark.slow
@needs_chromium
def test_every_page_of_the_run_opens_without_console_errors(three_run):
    for path in every_page(three_run):
        assert console_errors(path.as_uri()) == [], path
