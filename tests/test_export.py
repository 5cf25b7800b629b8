"""Exports for annotation and NLP tools, and corrected brat/WebAnno files back to gold JSON.

The run folder here holds the seed declaration, segmented by the pipeline and annotated from its
gold file, written by ``pipeline.api.write`` exactly as ``run`` writes its output.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from spacy.tokens import DocBin
from spacy.training.converters import conll_ner_to_docs
from spacy.vocab import Vocab

from pipeline import export as ex
from pipeline import records
from pipeline.api import Corpus, write
from pipeline.cli import main
from pipeline.gold import load_gold
from pipeline.nlp import blank_nlp

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"
from gold_layers import annotated_doc  # noqa: E402

DOC_ID = "sofia-2018-nl"


@pytest.fixture(scope="module")
def doc():
    return annotated_doc(SEED.read_text(encoding="utf-8"), DOC_ID)


@pytest.fixture(scope="module")
def run_dir(doc, tmp_path_factory) -> Path:
    """An output folder as ``run`` writes it: tables, text/, docs/."""
    frames = records.to_frames({**records.doc_tables(doc), "errors": []})
    return write(Corpus(frames, {DOC_ID: doc}), tmp_path_factory.mktemp("run"), report=False)


def expected_sentences(doc) -> list[tuple[str, str, list[tuple]]]:
    """(sentence id, speech act, entities) of the Doc, entities as (text, label, actor key)."""
    out = []
    for sent in doc.spans["sentences"]:
        ents = [
            (e.text, e.label_, e.kb_id_ if e.label_ in ex.ACTOR_LABELS and e.kb_id_ else None)
            for e in doc.ents
            if sent.start <= e.start and e.end <= sent.end
        ]
        out.append((sent._.sentence_id, sent._.speech_act, ents))
    return out


def gold_sentences(gold: dict) -> list[tuple[str, str, list[tuple]]]:
    return [
        (
            f"{seg['id']}.s{k}",
            s.get("speech_act"),
            [(e["text"], e["label"], e.get("key")) for e in s["entities"]],
        )
        for seg in gold["segments"]
        for k, s in enumerate(seg["sentences"], start=1)
    ]


# --- IOB, CoNLL-U, DocBin, JSONL ----------------------------------------------------------------


def test_iob_has_one_token_per_line_with_bio_tags(run_dir, tmp_path, doc):
    assert ex.export(run_dir, "iob", tmp_path) == 1
    text = (tmp_path / f"{DOC_ID}.iob").read_text(encoding="utf-8")
    blocks = text.strip("\n").split("\n\n")
    assert len(blocks) == len(doc.spans["sentences"])  # a blank line between sentences
    lines = [line for block in blocks for line in block.split("\n")]
    assert all(re.fullmatch(r"\S+\t(O|[BI]-[A-Z]+)", line) for line in lines)
    tags = [line.split("\t")[1] for line in lines]
    assert tags.count("B-ORG") == sum(e.label_ == "ORG" for e in doc.ents)
    # an I- tag only continues an entity of its own type
    assert all(t == "O" or t.startswith("B-") or p[2:] == t[2:] for p, t in zip(["O"] + tags, tags))
    # spaCy's CoNLL NER converter reads it back with the same entities (token by token)
    read_back = [
        ([t.text for t in e], e.label_)
        for d in conll_ner_to_docs(text, n_sents=1, no_print=True)
        for e in d.ents
    ]
    assert read_back == [([t.text for t in e], e.label_) for e in doc.ents]


def test_conllu_carries_entities_in_misc_and_sentence_comments(run_dir, tmp_path, doc):
    ex.export(run_dir, "conllu", tmp_path)
    text = (tmp_path / f"{DOC_ID}.conllu").read_text(encoding="utf-8")
    assert text.startswith(f"# newdoc id = {DOC_ID}\n")
    sentences = [b for b in text.strip("\n").split("\n\n")]
    assert len(sentences) == len(doc.spans["sentences"])
    sent_ids = re.findall(r"^# sent_id = (.+)$", text, re.M)
    assert len(sent_ids) == len(set(sent_ids)) == len(sentences)
    for block in sentences:
        comments = dict(
            line[2:].split(" = ", 1)
            for line in block.split("\n")
            if line.startswith("# ") and " = " in line
        )
        rows = [line.split("\t") for line in block.split("\n") if not line.startswith("#")]
        assert all(len(row) == 10 for row in rows)
        assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1))
        # the text comment is the tokens joined by their SpaceAfter
        joined = "".join(row[1] + ("" if "SpaceAfter=No" in row[9] else " ") for row in rows)
        assert joined.strip() == comments["text"]
        assert comments["segment_id"] and comments["speech_act"]
    b_tags = re.findall(r"NER=B-([A-Z]+)", text)
    assert len(b_tags) == len(doc.ents)
    assert "NER=B-ORG|Key=eu" in text


def test_docbin_loads_in_spacy_with_entities_and_spans(run_dir, tmp_path, doc):
    ex.export(run_dir, "docbin", tmp_path)
    (loaded,) = DocBin().from_disk(tmp_path / "declarations.spacy").get_docs(Vocab())
    assert loaded.text == doc.text
    assert [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in loaded.ents] == [
        (e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents
    ]
    assert loaded._.doc_id == DOC_ID
    assert [s._.segment_id for s in loaded.spans["segments"]] == [
        s._.segment_id for s in doc.spans["segments"]
    ]
    assert [s._.speech_act for s in loaded.spans["sentences"]] == [
        s._.speech_act for s in doc.spans["sentences"]
    ]


def test_jsonl_has_one_prodigy_task_per_sentence(run_dir, tmp_path, doc):
    ex.export(run_dir, "jsonl", tmp_path)
    tasks = [
        json.loads(line)
        for line in (tmp_path / "declarations.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(tasks) == len(doc.spans["sentences"])
    spans = [(t["text"][s["start"] : s["end"]], s["label"]) for t in tasks for s in t["spans"]]
    assert spans == [(e.text, e.label_) for e in doc.ents]
    for task in tasks:
        for span in task["spans"]:
            first, last = task["tokens"][span["token_start"]], task["tokens"][span["token_end"]]
            assert (first["start"], last["end"]) == (span["start"], span["end"])
    assert tasks[1]["meta"] == {
        "doc_id": DOC_ID,
        "sentence_id": "preamble.s1",
        "segment_id": "preamble",
        "speech_act": "OTHER",
    }


# --- brat ----------------------------------------------------------------------------------------


def test_brat_export_then_import_gives_back_the_same_annotation(run_dir, tmp_path, doc):
    ex.export(run_dir, "brat", tmp_path / "brat")
    folder = tmp_path / "brat"
    assert {"annotation.conf", "visual.conf", f"{DOC_ID}.txt", f"{DOC_ID}.ann"} <= {
        p.name for p in folder.iterdir()
    }
    text = (folder / f"{DOC_ID}.txt").read_text(encoding="utf-8")
    assert text == doc.text
    for line in (folder / f"{DOC_ID}.ann").read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):  # every T line quotes exactly the text it points at
            _, kind_offsets, quoted = line.split("\t")
            pieces = [tuple(map(int, p.split())) for p in kind_offsets.split(" ", 1)[1].split(";")]
            assert " ".join(text[s:e] for s, e in pieces) == quoted

    written = ex.import_annotations([folder], "brat", tmp_path / "gold")
    assert written == [tmp_path / "gold" / f"{DOC_ID}.gold.json"]
    gold = json.loads(written[0].read_text(encoding="utf-8"))
    assert gold["doc_id"] == DOC_ID
    assert gold_sentences(gold) == expected_sentences(doc)
    assert [(s["id"], s["kind"], s["domains"]) for s in gold["segments"]] == [
        (s._.segment_id, s._.kind, s._.domains) for s in doc.spans["segments"]
    ]
    commitments = [
        c for seg in gold["segments"] for s in seg["sentences"] for c in s["commitments"]
    ]
    assert commitments == [c for s in doc.spans["sentences"] for c in s._.commitments]
    # and the gold loader reads it: every entity found in its sentence
    loaded = load_gold(written[0])
    assert sum(len(s.entities) for _, _, s in loaded.sentences()) == len(doc.ents)


def test_brat_corrections_reach_the_gold_file(run_dir, tmp_path):
    folder = tmp_path / "brat"
    ex.export(run_dir, "brat", folder)
    ann = folder / f"{DOC_ID}.ann"
    text = (folder / f"{DOC_ID}.txt").read_text(encoding="utf-8")
    lines = ann.read_text(encoding="utf-8").splitlines()
    # the annotator: relabels "top van Thessaloniki", deletes the first "Westelijke Balkan"
    # (and its note), adds "Sofia" in the title as a GPE with a key, flips a speech act
    top = next(line for line in lines if line.endswith("\ttop van Thessaloniki"))
    wb = next(line for line in lines if line.endswith("\tWestelijke Balkan"))
    wb_id = wb.split("\t")[0]
    lines = [
        line.replace("EVENT", "LOC") if line == top else line
        for line in lines
        if line != wb and not line.endswith(f"AnnotatorNotes {wb_id}\twestern_balkans")
    ]
    start = text.index("Sofia")
    lines += [f"T900\tGPE {start} {start + 5}\tSofia", "#900\tAnnotatorNotes T900\tcity:sofia"]
    title_act = next(
        i for i, line in enumerate(lines) if line.startswith("A") and "SpeechAct" in line
    )
    lines[title_act] = re.sub(r" OTHER$", " ASSESSMENT", lines[title_act])
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")

    (path,) = ex.import_annotations([ann], "brat", tmp_path / "gold")
    gold = json.loads(path.read_text(encoding="utf-8"))
    title = gold["segments"][0]["sentences"][0]
    assert {"text": "Sofia", "label": "GPE", "key": "city:sofia"} in title["entities"]
    assert title["speech_act"] == "ASSESSMENT"
    preamble = gold["segments"][1]["sentences"][0]
    assert [e["text"] for e in preamble["entities"]] == ["Europese Unie", "EU"]
    p2 = next(s for s in gold["segments"] if s["id"] == "p2")
    assert {"text": "top van Thessaloniki", "label": "LOC"} in p2["sentences"][0]["entities"]


def test_brat_import_without_sidecar_uses_the_annotations_alone(run_dir, tmp_path, doc):
    folder = tmp_path / "brat"
    ex.export(run_dir, "brat", folder)
    (folder / f"{DOC_ID}{ex.SIDECAR_SUFFIX}").unlink()
    (path,) = ex.import_annotations([folder / f"{DOC_ID}.ann"], "brat", tmp_path / "gold")
    gold = json.loads(path.read_text(encoding="utf-8"))
    # segments, kinds, domains, sentences and speech acts all travel in the .ann file
    assert gold_sentences(gold) == expected_sentences(doc)
    point = next(s for s in gold["segments"] if s["id"] == "p3")
    assert point["kind"] == "point" and point["number"] == "3"
    bullet = next(s for s in gold["segments"] if s["id"] == "h1.b1")
    assert bullet["heading"] == "h1"


# --- WebAnno TSV --------------------------------------------------------------------------------


def test_webanno_tsv_follows_the_3_3_layout(run_dir, tmp_path, doc):
    ex.export(run_dir, "webanno", tmp_path)
    text = (tmp_path / f"{DOC_ID}.tsv").read_text(encoding="utf-8")
    assert text.startswith(
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api."
        "ner.type.NamedEntity|identifier|value\n\n\n#Sentence.id=title.s1\n"
        "#Text=Verklaring van Sofia, 17 mei 2018\n"
    )
    rows = [line.split("\t") for line in text.splitlines() if re.match(r"\d+-\d+\t", line)]
    assert all(len(row) == 6 and row[5] == "" for row in rows)  # trailing tab
    for row in rows:  # offsets index the document text
        begin, end = map(int, row[1].split("-"))
        assert doc.text[begin:end] == row[2]
    europese = next(r for r in rows if r[2] == "Europese")
    assert re.fullmatch(r"eu\[\d+\]", europese[3]) and re.fullmatch(r"ORG\[\d+\]", europese[4])
    eu = next(r for r in rows if r[2] == "EU")
    assert (eu[3], eu[4]) == ("eu", "ORG")  # one token: no disambiguation id


def test_webanno_export_then_import_gives_back_the_same_entities(run_dir, tmp_path, doc):
    ex.export(run_dir, "webanno", tmp_path / "tsv")
    (path,) = ex.import_annotations([tmp_path / "tsv"], "webanno", tmp_path / "gold")
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert gold_sentences(gold) == expected_sentences(doc)
    assert [s["id"] for s in gold["segments"]] == [s._.segment_id for s in doc.spans["segments"]]


def test_webanno_import_of_an_inception_project_export(run_dir, tmp_path, doc):
    """INCEpTION exports a document's annotations as annotation/<document>/<user>.tsv."""
    ex.export(run_dir, "webanno", tmp_path / "tsv")
    user_file = tmp_path / "project" / "annotation" / f"{DOC_ID}.tsv" / "annotator1.tsv"
    user_file.parent.mkdir(parents=True)
    shutil.move(tmp_path / "tsv" / f"{DOC_ID}.tsv", user_file)
    (path,) = ex.import_annotations(
        [tmp_path / "project", tmp_path / "tsv"], "webanno", tmp_path / "gold"
    )
    assert path.name == f"{DOC_ID}.gold.json"
    assert gold_sentences(json.loads(path.read_text())) == expected_sentences(doc)


def test_webanno_offsets_count_utf16_units(tmp_path):
    """Characters beyond the BMP count twice in WebAnno offsets (Java strings)."""
    nlp = blank_nlp()
    doc = nlp.make_doc("De EU 🇪🇺 steunt Kroatië.")
    doc._.doc_id = "emoji"
    sentence = doc[:]
    sentence._.sentence_id, sentence._.segment_id = "p1.s1", "p1"
    doc.spans["sentences"] = [sentence]
    doc.spans["segments"] = []
    doc.ents = [
        doc.char_span(3, 5, label="ORG", kb_id="eu"),
        doc.char_span(
            doc.text.index("Kroatië"), doc.text.index("Kroatië") + 7, label="GPE", kb_id="HRV"
        ),
    ]
    tsv = ex.to_webanno(doc)
    row = next(line for line in tsv.splitlines() if "\tKroatië\t" in line)
    start = doc.text.index("Kroatië")
    assert row.split("\t")[1] == f"{start + 2}-{start + 9}"  # two flags, two units each
    (tmp_path / "emoji.tsv").write_text(tsv, encoding="utf-8")
    annotated = ex.read_webanno(tmp_path / "emoji.tsv")
    assert [
        (annotated.text[e["start"] : e["end"]], e["label"], e["key"]) for e in annotated.entities
    ] == [("EU", "ORG", "eu"), ("Kroatië", "GPE", "HRV")]


def test_webanno_values_are_escaped():
    value = "a|b_[c]*"
    assert ex._unescape_value(ex._escape_value(value)) == value
    assert ex._split_stack(r"ORG[1]|x\|y[2]") == ["ORG[1]", r"x\|y[2]"]


# --- the folder and the command line ------------------------------------------------------------


def test_export_rebuilds_docs_from_the_tables_when_docs_are_missing(run_dir, tmp_path, doc):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    shutil.rmtree(copy / "docs")
    ex.export(copy, "brat", tmp_path / "brat")
    (path,) = ex.import_annotations([tmp_path / "brat"], "brat", tmp_path / "gold")
    assert gold_sentences(json.loads(path.read_text())) == expected_sentences(doc)


def test_command_line_export_and_import(run_dir, tmp_path, capsys):
    assert main(["export", str(run_dir), "--format", "brat", "--dest", str(tmp_path / "b")]) == 0
    assert "exported 1 document(s) as brat" in capsys.readouterr().out
    assert (
        main(
            [
                "import-annotations",
                str(tmp_path / "b"),
                "--format",
                "brat",
                "--dest",
                str(tmp_path / "g"),
            ]
        )
        == 0
    )
    assert (tmp_path / "g" / f"{DOC_ID}.gold.json").exists()
    # a folder that is no run output is a one-line error, exit status 1
    assert (
        main(
            ["export", str(tmp_path / "nothing"), "--format", "iob", "--dest", str(tmp_path / "x")]
        )
        == 1
    )
    assert "no such output folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert (
        main(["export", str(tmp_path / "empty"), "--format", "iob", "--dest", str(tmp_path / "x")])
        == 1
    )
    assert "holds no run output" in capsys.readouterr().err
