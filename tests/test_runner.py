"""One runner: ``pipeline.process``, ``pipeline.write`` and ``run`` into a folder, on every engine."""

import os
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from benchmarks.batch import make_corpus
from pipeline import store, tables
from pipeline.nlp import load_nlp
from pipeline.runner import document


@pytest.fixture(scope="module")
def four_documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("four")
    make_corpus(folder, 4, max_paragraphs=8)
    return folder


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="the patched reader reaches workers by fork")
def test_two_workers_are_two_processes(four_documents, tmp_path, monkeypatch):
    """Each document records the process that read it, and waits until a second process is
    reading one too: one process alone would never see a second one."""
    seen = tmp_path / "pids"
    seen.mkdir()
    real = document.process_file

    def reading_in_this_process(path, doc_id=None, **kwargs):
        (seen / str(doc_id)).write_text(str(os.getpid()))
        deadline = time.monotonic() + 120
        while len({p.read_text() for p in seen.iterdir()}) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        return real(path, doc_id, **kwargs)

    monkeypatch.setattr(document, "process_file", reading_in_this_process)
    corpus = pipeline.process([four_documents], workers=2, compare=False)
    pids = {p.name: int(p.read_text()) for p in seen.iterdir()}
    assert len(pids) == 4 and len(set(pids.values())) == 2
    assert os.getpid() not in pids.values()
    assert sorted(corpus.documents["doc_id"]) == sorted(pids)


@pytest.mark.slow
def test_serial_pool_and_dask_give_identical_tables(four_documents):
    serial = pipeline.process([four_documents])
    pool = pipeline.process([four_documents], workers=2)
    dask = pipeline.process([four_documents], workers=2, engine="dask")
    assert len(serial.documents) == 4 and len(serial.alignments)
    for name in tables.COLUMNS:
        pd.testing.assert_frame_equal(serial.tables[name], pool.tables[name], obj=name)
        pd.testing.assert_frame_equal(serial.tables[name], dask.tables[name], obj=name)
    assert sorted(serial.docs) == sorted(dask.docs) == sorted(serial.documents["doc_id"])


@pytest.mark.slow
def test_write_saves_what_a_run_writes(four_documents, tmp_path):
    """``pipeline.write(pipeline.process(...))`` and a run into a folder: the same outputs."""
    ran = tmp_path / "ran"
    pipeline.run([four_documents], ran, report=False, progress=False, use_cache=False)
    written = pipeline.write(pipeline.process([four_documents]), tmp_path / "written", report=False)
    for name in tables.COLUMNS:
        pd.testing.assert_frame_equal(
            store.read_table(ran, name), store.read_table(written, name), obj=name
        )
    for folder in ("text", "docs"):
        names = sorted(p.name for p in (ran / folder).iterdir())
        assert names == sorted(p.name for p in (written / folder).iterdir()) and names
    for text in (ran / "text").iterdir():
        assert text.read_bytes() == (written / "text" / text.name).read_bytes()


@pytest.mark.slow
def test_process_without_a_folder_leaves_nothing_behind(four_documents, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR is read again
    corpus = pipeline.process([four_documents / "decl-00001.txt"], compare=False)
    assert corpus.docs["decl-00001"]._.doc_id == "decl-00001"
    assert list(tmp_path.iterdir()) == []


def test_every_doc_the_pipeline_makes_carries_its_language_date_and_warnings():
    nlp = load_nlp()
    assert nlp.pipe_names[0] == "document_metadata"
    english = nlp("Sofia, 17 mei 2018. The EU welcomes the commitment of the partners to peace.")
    assert english._.language == "en" and english._.date == "2018-05-17"
    assert any("not Dutch" in w for w in english._.warnings)
    dutch = nlp(
        "Brussel, 3 juni 2020. De EU is vastbesloten haar steun aan de regio te versterken."
    )
    assert (dutch._.language, dutch._.date, dutch._.warnings) == ("nl", "2020-06-03", [])
    assert nlp(dutch)._.warnings == []  # processed twice, warned once


@pytest.mark.slow
def test_a_document_read_with_process_file_has_the_metadata_of_a_run(four_documents):
    doc = pipeline.process_file(four_documents / "decl-00002.txt")
    row = pipeline.process([four_documents / "decl-00002.txt"], compare=False).documents.iloc[0]
    assert (doc._.language, doc._.date, doc._.warnings) == (
        row.language,
        row.date,
        list(row.warnings),
    )
    assert Path(doc._.source_path).name == "decl-00002.txt"
