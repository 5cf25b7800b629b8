"""Exports for annotation and NLP tools, and corrected brat/WebAnno files back to gold JSON.

The run folder here holds the seed declaration, segmented by the pipeline and annotated from its
gold file, written by ``pipeline.api.write`` exactly as ``run`` writes its output.
"""

from __future__ import annotations

import json
import re
import shutil
import time
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

    written = ex.import_annotations([folder], "brat", tmp_path / "gold").written
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
    # (and its note) and the title's "Verklaring van Sofia", marks "Sofia" in the title as a
    # GPE with a key instead, flips a speech act
    top = next(line for line in lines if line.endswith("\ttop van Thessaloniki"))
    wb = next(line for line in lines if line.endswith("\tWestelijke Balkan"))
    law = next(line for line in lines if line.endswith("\tVerklaring van Sofia"))
    wb_id = wb.split("\t")[0]
    lines = [
        line.replace("EVENT", "LOC") if line == top else line
        for line in lines
        if line not in (wb, law) and not line.endswith(f"AnnotatorNotes {wb_id}\twestern_balkans")
    ]
    start = text.index("Sofia")
    lines += [f"T900\tGPE {start} {start + 5}\tSofia", "#900\tAnnotatorNotes T900\tcity:sofia"]
    title_act = next(
        i for i, line in enumerate(lines) if line.startswith("A") and "SpeechAct" in line
    )
    lines[title_act] = re.sub(r" OTHER$", " ASSESSMENT", lines[title_act])
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")

    (path,) = ex.import_annotations([ann], "brat", tmp_path / "gold").written
    gold = json.loads(path.read_text(encoding="utf-8"))
    title = gold["segments"][0]["sentences"][0]
    assert {
        "text": "Sofia",
        "label": "GPE",
        "key": "city:sofia",
        "start": start,
        "end": start + 5,
    } in title["entities"]
    assert title["speech_act"] == "ASSESSMENT"
    preamble = gold["segments"][1]["sentences"][0]
    assert [e["text"] for e in preamble["entities"]] == ["Europese Unie", "EU"]
    p2 = next(s for s in gold["segments"] if s["id"] == "p2")
    assert {"text": "top van Thessaloniki", "label": "LOC"} in [
        {"text": e["text"], "label": e["label"]} for e in p2["sentences"][0]["entities"]
    ]


def test_brat_import_without_sidecar_uses_the_annotations_alone(run_dir, tmp_path, doc):
    folder = tmp_path / "brat"
    ex.export(run_dir, "brat", folder)
    (folder / f"{DOC_ID}{ex.SIDECAR_SUFFIX}").unlink()
    (path,) = ex.import_annotations([folder / f"{DOC_ID}.ann"], "brat", tmp_path / "gold").written
    gold = json.loads(path.read_text(encoding="utf-8"))
    # segments, kinds, domains, sentences and speech acts all travel in the .ann file
    assert gold_sentences(gold) == expected_sentences(doc)
    point = next(s for s in gold["segments"] if s["id"] == "p3")
    assert point["kind"] == "point" and point["number"] == "3"
    bullet = next(s for s in gold["segments"] if s["id"] == "h1.b1")
    assert bullet["heading"] == "h1"


def records_of(gold: dict) -> list[dict]:
    return [c for seg in gold["segments"] for s in seg["sentences"] for c in s["commitments"]]


def edit_croatias_pledge(folder: Path) -> str:
    """As an annotator would in brat: move the Actor of Croatia's pledge to the EU mention of
    its sentence, make it weak and conditional. Returns the event's id."""
    ann = folder / f"{DOC_ID}.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    spans = {line.split("\t")[0]: line for line in lines if line.startswith("T")}
    notes = {
        line.split("\t")[1].split()[1]: line.split("\t")[2]
        for line in lines
        if line.startswith("#") and "AnnotatorNotes" in line
    }
    k, event = next(
        (k, line)
        for k, line in enumerate(lines)
        if line.startswith("E") and "Actor:" in line and "optreden" in notes[line.split("\t")[0]]
    )
    actor = re.search(r"Actor:(T\d+)", event).group(1)
    assert notes[actor] == "HRV" and spans[actor].endswith("\tKroatië")
    # the EU mention of the same sentence ("De EU is ingenomen met ...")
    trigger_start = int(spans[re.search(r"Commitment:(T\d+)", event).group(1)].split()[2])
    eu = next(
        tid
        for tid, line in spans.items()
        if notes.get(tid) == "eu" and abs(int(line.split()[2]) - trigger_start) < 200
    )
    event_id = event.split("\t")[0]
    lines[k] = event.replace(f"Actor:{actor}", f"Actor:{eu}")
    lines = [re.sub(rf"^(A\d+\tStrength {event_id}) \w+$", r"\1 weak", line) for line in lines]
    lines.append(f"A999\tConditional {event_id}")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return event_id


def test_brat_round_trip_of_an_edited_commitment(run_dir, tmp_path, doc):
    """The annotator moves the Actor of Croatia's pledge to the EU mention, makes it weak and
    conditional: the gold file has the change, every other record as exported."""
    folder = tmp_path / "brat"
    ex.export(run_dir, "brat", folder)
    edit_croatias_pledge(folder)

    (path,) = ex.import_annotations([folder], "brat", tmp_path / "gold").written
    gold = json.loads(path.read_text(encoding="utf-8"))
    expected = [dict(c) for s in doc.spans["sentences"] for c in s._.commitments]
    edited = next(c for c in expected if c["action"] == "optreden" and c["actors"] == ["HRV"])
    edited.update(actors=["eu"], strength="weak", conditional=True)
    assert records_of(gold) == expected
    # and the gold loader reads the record with the EU as its actor
    loaded = load_gold(path)
    (record,) = [
        c
        for _, _, s in loaded.sentences()
        for c in s.commitments
        if c["actors"] == ["eu"] and c["action"] == "optreden"
    ]
    assert record["deadlines"] == ["2020"]


TINY_HELDOUT = [  # (segment id, kind, sentence, speech act, entities)
    ("title", "title", "Verklaring van Tirana, 6 december 2022", "OTHER", []),
    (
        "p1",
        "point",
        "De EU zal haar steun aan de regio verhogen.",
        "COMMITMENT",
        [("EU", "ORG", "eu")],
    ),
    (
        "p2",
        "point",
        "De EU is ingenomen met de hervormingen van Albanië.",
        "ENDORSEMENT",
        [("EU", "ORG", "eu"), ("Albanië", "GPE", "ALB")],
    ),
    ("p3", "point", "Wij roepen de partners op de hervormingen voort te zetten.", "CALL", []),
    ("p4", "point", "De rechtsstaat blijft van essentieel belang.", "ASSESSMENT", []),
]


def write_tiny_heldout(folder: Path) -> None:
    """A small held-out declaration written for this test, and its text."""
    folder.mkdir(parents=True)
    segments = [
        {
            "id": seg_id,
            "kind": kind,
            "number": seg_id[1:] if kind == "point" else None,
            "heading": None,
            "domains": [],
            "sentences": [
                {
                    "text": text,
                    "speech_act": act,
                    "entities": [{"text": t, "label": lab, "key": key} for t, lab, key in ents],
                    "commitments": [],
                }
            ],
        }
        for seg_id, kind, text, act, ents in TINY_HELDOUT
    ]
    gold = {
        "doc_id": "tiny-tirana-2022",
        "language": "nl",
        "split": "heldout",
        "segments": segments,
    }
    (folder / "tiny-tirana-2022.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    text = "\n\n".join(
        (f"{seg_id[1:]}. {t}" if kind == "point" else t) for seg_id, kind, t, _, _ in TINY_HELDOUT
    )
    (folder / "tiny-tirana-2022.txt").write_text(text + "\n", encoding="utf-8")


@pytest.mark.slow
def test_train_extra_runs_on_the_corrected_document(run_dir, tmp_path, capsys):
    """The corrected seed (the brat round trip above) replaces the seed in training; the report
    shows the held-out figure without and with it."""
    folder = tmp_path / "brat"
    ex.export(run_dir, "brat", folder)
    edit_croatias_pledge(folder)
    ex.import_annotations([folder], "brat", tmp_path / "corrected")
    write_tiny_heldout(tmp_path / "annotated")
    code = main(
        [
            "train",
            "speech",
            "--annotated",
            str(tmp_path / "annotated"),
            "--extra",
            str(tmp_path / "corrected"),
            "--no-save",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert re.search(
        r"held-out speech-act macro-F1: \d\.\d{3} without the 1 corrected document\(s\), "
        r"\d\.\d{3} with them \([+-]\d\.\d{3}\)",
        out,
    )


def test_brat_commitments_are_events_with_arguments_and_attributes(run_dir, tmp_path):
    ex.export(run_dir, "brat", tmp_path)
    ann = (tmp_path / f"{DOC_ID}.ann").read_text(encoding="utf-8")
    events = re.findall(r"^E\d+\tCommitment:T\d+.*$", ann, re.M)
    assert len(events) == sum(len(s["commitments"]) for s in load_json_gold())
    assert re.search(r"^E\d+\tCommitment:T\d+ Actor:T\d+ Object:T\d+ Deadline:T\d+$", ann, re.M)
    assert re.search(r"^A\d+\tStrength E\d+ (strong|moderate|weak)$", ann, re.M)
    assert re.search(r"^A\d+\tReported E\d+$", ann, re.M)
    assert re.search(r"^#\d+\tAnnotatorNotes E\d+\taction: versterken", ann, re.M)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "Commitment\tActor*:ORG|GPE|LOC, Object?:Object, Deadline*:DATE|Time" in conf
    assert "Strength\tArg:Commitment, Value:weak|moderate|strong" in conf


def load_json_gold() -> list[dict]:
    gold = json.loads((ROOT / "corpus" / "gold" / f"{DOC_ID}.gold.json").read_text())
    return [s for seg in gold["segments"] for s in seg["sentences"]]


# --- WebAnno TSV --------------------------------------------------------------------------------


@pytest.mark.slow  # a second or more: make test runs it, make test-fast does not
def test_webanno_tsv_follows_the_3_3_layout(run_dir, tmp_path, doc):
    ex.export(run_dir, "webanno", tmp_path)
    text = (tmp_path / f"{DOC_ID}.tsv").read_text(encoding="utf-8")
    assert text.startswith(
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api."
        "ner.type.NamedEntity|identifier|value\n#T_SP=webanno.custom.Commitment|action|actors|"
        "object|strength|conditional|reported|dates|deadlines\n\n\n#Sentence.id=title.s1\n"
        "#Text=Verklaring van Sofia, 17 mei 2018\n"
    )
    rows = [line.split("\t") for line in text.splitlines() if re.match(r"\d+-\d+\t", line)]
    assert all(len(row) == 14 and row[13] == "" for row in rows)  # trailing tab
    for row in rows:  # offsets index the document text
        begin, end = map(int, row[1].split("-"))
        assert doc.text[begin:end] == row[2]
    europese = next(r for r in rows if r[2] == "Europese")
    assert re.fullmatch(r"eu\[\d+\]", europese[3]) and re.fullmatch(r"ORG\[\d+\]", europese[4])
    eu = next(r for r in rows if r[2] == "EU")
    assert (eu[3], eu[4]) == ("eu", "ORG")  # one token: no disambiguation id


def test_webanno_export_then_import_gives_back_the_same_entities(run_dir, tmp_path, doc):
    ex.export(run_dir, "webanno", tmp_path / "tsv")
    (path,) = ex.import_annotations([tmp_path / "tsv"], "webanno", tmp_path / "gold").written
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert gold_sentences(gold) == expected_sentences(doc)
    assert [s["id"] for s in gold["segments"]] == [s._.segment_id for s in doc.spans["segments"]]
    # the Commitment layer brings every record back
    assert records_of(gold) == [c for s in doc.spans["sentences"] for c in s._.commitments]


def test_webanno_import_of_an_inception_project_export(run_dir, tmp_path, doc):
    """INCEpTION exports a document's annotations as annotation/<document>/<user>.tsv."""
    ex.export(run_dir, "webanno", tmp_path / "tsv")
    user_file = tmp_path / "project" / "annotation" / f"{DOC_ID}.tsv" / "annotator1.tsv"
    user_file.parent.mkdir(parents=True)
    shutil.move(tmp_path / "tsv" / f"{DOC_ID}.tsv", user_file)
    (path,) = ex.import_annotations(
        [tmp_path / "project", tmp_path / "tsv"], "webanno", tmp_path / "gold"
    ).written
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
    (path,) = ex.import_annotations([tmp_path / "brat"], "brat", tmp_path / "gold").written
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


# --- files that cannot be imported: one line each, the others go on --------------------------

GOOD_TEXT = "De EU steunt Kroatië.\n"
GOOD_ANN = "T1\tORG 3 5\tEU\n#1\tAnnotatorNotes T1\teu\nT2\tGPE 13 20\tKroatië\n"


def brat_file(folder: Path, name: str, ann: str | bytes, text: str | bytes | None = GOOD_TEXT):
    folder.mkdir(parents=True, exist_ok=True)
    write = Path.write_bytes if isinstance(ann, bytes) else Path.write_text
    write(folder / f"{name}.ann", ann)
    if text is not None:
        write = Path.write_bytes if isinstance(text, bytes) else Path.write_text
        write(folder / f"{name}.txt", text)


BAD_BRAT = {
    "overlapping-segment": (
        "T1\tSegment 0 12\tDe EU steunt\n#1\tAnnotatorNotes T1\tp1\n"
        "T2\tSegment 6 21\tsteunt Kroatië.\n#2\tAnnotatorNotes T2\tp2\n",
        "segment 'steunt Kroatië.' overlaps segment 'De EU steunt' (line 1)",
    ),
    "non-integer-offset": ("T1\tORG 3 five\tEU\n", "line 1: offsets '3 five' are not pairs"),
    "offset-beyond-text": (
        "T1\tORG 3 300000000\tEU\n",
        "line 1: offsets 3-300000000 are not a span",
    ),
    "non-utf8": (GOOD_ANN.encode("utf-8") + b"\xff\xfe\n", "is not UTF-8 text (byte 0xff"),
    "missing-txt": (GOOD_ANN, "its text file missing-txt.txt is missing"),
    "script-label": (
        "T1\t<script> 3 5\tEU\n",
        "entity label '<script>' ('EU' in segment par1) is not in the label scheme",
    ),
    "path-segment-id": (
        "T1\tSegment 0 21\tDe EU steunt Kroatië.\n#1\tAnnotatorNotes T1\t../../x\n",
        "segment id '../../x' is not an id of the annotation guide",
    ),
    "unknown-attribute": ("T1\tORG 3 5\tEU\nA1\tonclick T1\n", "attribute 'onclick' is not in"),
}


def test_each_bad_brat_file_is_one_line_and_the_import_goes_on(tmp_path):
    folder = tmp_path / "brat"
    brat_file(folder, "good", GOOD_ANN)
    for name, (ann, _) in BAD_BRAT.items():
        brat_file(folder, name, ann, None if name == "missing-txt" else GOOD_TEXT)

    imported = ex.import_annotations([folder], "brat", tmp_path / "gold")

    assert imported.written == [tmp_path / "gold" / "good.gold.json"]
    reasons = {Path(path).stem: reason for path, reason in imported.failed}
    assert set(reasons) == set(BAD_BRAT)
    for name, (_, expected) in BAD_BRAT.items():
        assert expected in reasons[name], name
        assert "\n" not in reasons[name] and "Error" not in reasons[name]
    (sentence,) = json.loads(imported.written[0].read_text())["segments"][0]["sentences"]
    assert sentence["entities"] == [
        {"text": "EU", "label": "ORG", "key": "eu", "start": 3, "end": 5},
        {"text": "Kroatië", "label": "GPE", "start": 13, "end": 20},
    ]
    assert not list((tmp_path / "gold").glob("*path*")) and not (tmp_path / "x.gold.json").exists()


def test_a_webanno_offset_far_beyond_the_file_is_refused_without_allocating_it(tmp_path):
    tsv = (
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
        "|identifier|value\n\n\n#Text=EU\n1-1\t300000000-300000002\tEU\teu\tORG\t\n"
    )
    (tmp_path / "huge.tsv").write_text(tsv, encoding="utf-8")
    (tmp_path / "words.tsv").write_text(tsv.replace("300000000-300000002", "x-y"), "utf-8")
    imported = ex.import_annotations([tmp_path], "webanno", tmp_path / "gold")
    assert dict(imported.failed) == {
        str(tmp_path / "huge.tsv"): "line 6: offsets 300000000-300000002 lie outside the text "
        "the file holds",
        str(tmp_path / "words.tsv"): "line 6: offsets are not two whole numbers",
    }


@pytest.mark.slow
def test_a_brat_file_of_many_lines_imports_in_linear_time(tmp_path):
    """120,000 annotation lines (the old, quadratic importer took 21 s for 40,000)."""
    n = 20_000
    sentence = "De EU steunt Kroatië. "
    text = sentence * n
    lines = []
    for k in range(n):
        at = k * len(sentence)
        lines += [
            f"T{4 * k + 1}\tORG {at + 3} {at + 5}\tEU",
            f"#{k + 1}\tAnnotatorNotes T{4 * k + 1}\teu",
            f"T{4 * k + 2}\tSentence {at} {at + 21}\t{sentence.strip()}",
            f"T{4 * k + 3}\tSegment {at} {at + 21}\t{sentence.strip()}",
            f"A{k + 1}\tKind T{4 * k + 3} point",
        ]
        lines.append(f"#{n + k + 1}\tAnnotatorNotes T{4 * k + 3}\tp{k + 1}")
    brat_file(tmp_path / "big", "big", "\n".join(lines) + "\n", text)
    started = time.perf_counter()
    (path,) = ex.import_annotations([tmp_path / "big"], "brat", tmp_path / "gold").written
    assert time.perf_counter() - started < 30
    gold = json.loads(path.read_text())
    assert (
        len(gold["segments"]) == n
        and gold["segments"][-1]["sentences"][0]["entities"][0]["key"] == "eu"
    )


def test_gold_files_escape_text_direction_marks(tmp_path):
    brat_file(tmp_path, "bidi", "T1\tORG 3 5\tEU\n", "De EU steunt \u202ettesorK.\n")
    (path,) = ex.import_annotations([tmp_path], "brat", tmp_path / "gold").written
    raw = path.read_text(encoding="utf-8")
    assert "\u202e" not in raw and "\\u202e" in raw
    assert json.loads(raw)["segments"][0]["sentences"][0]["text"] == "De EU steunt \u202ettesorK."


def test_command_line_import_prints_one_line_per_bad_file(tmp_path, capsys):
    brat_file(tmp_path / "in", "good", GOOD_ANN)
    brat_file(tmp_path / "in", "bad", "T1\tORG 3 five\tEU\n")
    code = main(
        [
            "import-annotations",
            str(tmp_path / "in"),
            "--format",
            "brat",
            "--dest",
            str(tmp_path / "g"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [
        f"error: {tmp_path / 'in' / 'bad.ann'}: line 1: offsets '3 five' are not pairs of whole numbers"
    ]
    assert "wrote 1 gold file(s), 1 file(s) could not be imported" in captured.out
    assert (tmp_path / "g" / "good.gold.json").exists()


# --- a workbook for spreadsheet users ------------------------------------------------------------


def test_xlsx_has_a_sheet_per_table_and_lists_as_text(run_dir, tmp_path, doc):
    # pinned in requirements.lock; a worktree whose environment predates it skips
    load_workbook = pytest.importorskip("openpyxl").load_workbook
    assert ex.export(run_dir, "xlsx", tmp_path) == 1
    book = load_workbook(tmp_path / "declarations.xlsx", read_only=True)
    assert {"documents", "segments", "sentences", "entities", "commitments"} <= set(book.sheetnames)
    rows = list(book["segments"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1]))
    assert header[:3] == ("doc_id", "segment_id", "kind") and first["doc_id"] == DOC_ID
    p3 = next(dict(zip(header, r)) for r in rows[1:] if r[1] == "p3")
    assert p3["domains"] == "; ".join(
        next(s for s in doc.spans["segments"] if s._.segment_id == "p3")._.domains
    )
    assert len(rows) - 1 == len(doc.spans["segments"])


def test_a_record_with_offsets_is_exported_where_the_extractor_found_it():
    doc = blank_nlp().make_doc("De partners zullen hun inspanningen op te voeren blijven.")
    doc._.doc_id = "offsets"
    sentence = doc[:]
    sentence._.sentence_id, sentence._.segment_id = "p1.s1", "p1"
    start = doc.text.index("op te voeren")
    sentence._.commitments = [
        {
            "actors": ["wb_partners"],
            "action": "opvoeren",
            "object": "hun inspanningen",
            "action_start": start,
            "action_end": start + len("op te voeren"),
            "object_start": doc.text.index("hun"),
            "object_end": doc.text.index("hun") + len("hun inspanningen"),
        }
    ]
    doc.spans["sentences"], doc.spans["segments"] = [sentence], []
    ann = ex.to_brat(doc)
    assert f"\tCommitment {start} {start + 12}\top te voeren" in ann
    assert "\tObject 19 35\thun inspanningen" in ann
    assert "AnnotatorNotes E1\taction: opvoeren | actors: wb_partners" in ann
