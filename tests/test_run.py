"""End to end: `python -m pipeline run` turns declarations into the tables of CONTRACT.md."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import runner, store
from pipeline.cli import main
from pipeline.records import COLUMNS
from pipeline.runner import document

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"


def test_run_writes_every_contract_table_with_its_columns(seed_run):
    for name in (
        "documents",
        "segments",
        "sentences",
        "entities",
        "commitments",
        "domain_profiles",
        "errors",
    ):
        frame = pd.read_parquet(seed_run / f"{name}.parquet")
        assert list(frame.columns[: len(COLUMNS[name])]) == COLUMNS[name], name
    documents = store.read_table(seed_run, "documents")
    row = documents.iloc[0]
    assert (row.doc_id, row.date, row.language) == ("sofia-2018-nl", "2018-05-17", "nl")
    assert (row.n_segments, row.n_sentences) == (66, 78)


def test_every_span_cuts_out_of_the_written_clean_text(seed_run):
    text = (seed_run / "text" / "sofia-2018-nl.txt").read_text(encoding="utf-8")
    for name in ("segments", "sentences", "entities"):
        frame = store.read_table(seed_run, name)
        assert len(frame), name
        for row in frame.itertuples():
            assert text[row.char_start : row.char_end] == row.text, (name, row)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_other_formats_hold_the_same_rows(seed_run, tmp_path, fmt):
    out = tmp_path / "out"
    shutil.copytree(seed_run, out)  # its cache: the same documents, written in another format
    assert (
        main(["--quiet", "run", str(SEED), "--out", str(out), "--format", fmt, "--no-report"]) == 0
    )
    assert not list(out.glob("*.parquet"))  # the earlier format's tables are removed
    parquet = store.read_table(seed_run, "segments")
    other = store.read_table(out, "segments")
    assert list(other["segment_id"]) == list(parquet["segment_id"])
    assert list(other["domains"].map(list)) == list(parquet["domains"].map(list))


def test_a_bad_file_is_an_error_row_and_the_rest_is_still_written(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "sofia.txt").write_text(  # a short declaration: what matters is the broken file
        "Verklaring van Sofia\n\n1. De EU zal haar steun voor de regio versterken.\n",
        encoding="utf-8",
    )
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a PDF")
    out = tmp_path / "out"
    assert main(["--quiet", "run", str(inputs), "--out", str(out), "--no-report"]) == 1
    errors = store.read_table(out, "errors")
    assert list(errors["doc_id"]) == ["broken"]
    assert "broken.pdf" in capsys.readouterr().err
    assert list(store.read_table(out, "documents")["doc_id"]) == ["sofia"]


def test_a_second_run_over_an_unchanged_corpus_comes_from_the_cache(
    seed_run, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    shutil.copytree(seed_run, out)  # the first run, with its cache
    calls = []
    monkeypatch.setattr(document, "document_result", lambda *a, **k: calls.append(a))
    second = runner.run([SEED], out, report=False, progress=False)
    assert calls == []
    first = store.read_table(seed_run, "sentences")
    pd.testing.assert_frame_equal(first, second.tables["sentences"], check_dtype=False)


def test_usage_errors_exit_2(capsys):
    assert main(["run"]) == 2
    assert main(["run", str(SEED), "--out", "x", "--format", "xls"]) == 2
