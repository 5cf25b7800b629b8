"""Runs into an output folder: the run cache, incremental runs, interrupted runs."""

from pathlib import Path

import pandas as pd
import pytest

from benchmarks.batch import make_corpus
from pipeline import records, runner, store
from pipeline.runner import engines, output


@pytest.fixture(scope="module")
def four_documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("four")
    make_corpus(folder, 4)
    return folder


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: store.read_table(out, name) for name in records.DOCUMENT_TABLES}


@pytest.mark.slow
def test_adding_a_document_processes_only_that_one(four_documents, tmp_path, monkeypatch):
    out = tmp_path / "out"
    runner.run([four_documents], out, report=False, progress=False, compare=False)
    extra = tmp_path / "more"
    make_corpus(extra, 1, seed=99)
    (extra / "decl-00000.txt").rename(extra / "added.txt")
    processed = []
    real = engines.make_entry
    monkeypatch.setattr(
        engines,
        "make_entry",
        lambda path, *a: processed.append(Path(path).name) or real(path, *a),
    )
    corpus = runner.run([four_documents, extra], out, report=False, progress=False, compare=False)
    assert processed == ["added.txt"] and len(corpus.tables["documents"]) == 5


@pytest.mark.slow
def test_an_interrupted_run_leaves_no_partial_table(four_documents, tmp_path, monkeypatch):
    out = tmp_path / "out"
    runner.run([four_documents], out, report=False, progress=False, compare=False)
    before = (out / "segments.parquet").read_bytes()

    def crash(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.TableWriter, "close", crash)
    with pytest.raises(KeyboardInterrupt):  # a run that rewrites every table, interrupted
        runner.run(
            [four_documents], out, report=False, progress=False, compare=False, use_cache=False
        )
    assert (out / "segments.parquet").read_bytes() == before
    assert not (out / ".cache" / "run.json").exists()  # so the next run is not "up to date"


@pytest.mark.slow
def test_a_rerun_of_an_unchanged_corpus_does_no_nlp_and_no_comparison(
    four_documents, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    first = runner.run([four_documents], out, report=False, progress=False)

    def must_not_run(*args, **kwargs):
        raise AssertionError("recomputed although nothing changed")

    monkeypatch.setattr(engines, "make_entry", must_not_run)
    monkeypatch.setattr(output, "compare_frames", must_not_run)
    second = runner.run([four_documents], out, report=False, progress=False)
    for name in ("segments", "alignments", "similarities", "reuse"):
        pd.testing.assert_frame_equal(first.tables[name], second.tables[name], obj=name)


@pytest.mark.slow
def test_a_rerun_with_nothing_changed_leaves_the_outputs_alone(four_documents, tmp_path):
    out = tmp_path / "out"
    runner.run([four_documents], out, report=False, progress=False)
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    corpus = runner.run([four_documents], out, report=False, progress=False)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == written
    assert len(corpus.documents) == 4 and len(corpus.docs) == 4
    assert corpus.docs["decl-00002"]._.doc_id == "decl-00002"


@pytest.mark.slow
def test_a_rerun_rebuilds_an_output_that_was_deleted_or_changed(
    four_documents, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    runner.run([four_documents], out, report=False, progress=False, compare=False)
    before = (out / "sentences.parquet").read_bytes()
    (out / "sentences.parquet").unlink()
    (out / "text" / "decl-00001.txt").write_text("edited by hand", encoding="utf-8")
    monkeypatch.setattr(engines, "make_entry", lambda *a: pytest.fail("no NLP needed"))
    runner.run([four_documents], out, report=False, progress=False, compare=False)
    assert (out / "sentences.parquet").read_bytes() == before
    assert (out / "text" / "decl-00001.txt").read_text(encoding="utf-8") != "edited by hand"
