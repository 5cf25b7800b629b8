"""notebooks/analysis.ipynb runs, top to bottom, on the output of a real run over two documents."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline import api, store

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "analysis.ipynb"
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.fixture(scope="module")
def run_output(tmp_path_factory) -> Path:
    """``run`` over the seed and a revised copy of it (one point reworded, one added)."""
    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copy(SEED, inputs / SEED.name)
    text = SEED.read_text(encoding="utf-8")
    revised = text.replace("De EU is vastbesloten", "De EU is vast van plan")
    annex = " Bijlage bij de verklaring"
    assert annex in revised  # the seed is what this test expects
    revised = revised.replace(
        annex,
        "18. De EU zal de uitvoering van deze verklaring jaarlijks evalueren. \n\n" + annex,
        1,
    )
    (inputs / "sofia-2018-nl-revised.txt").write_text(revised, encoding="utf-8")
    out = tmp_path_factory.mktemp("outputs")
    corpus = api.run([inputs], out_dir=out, progress=False, use_cache=False)
    assert corpus.tables["errors"].empty, corpus.tables["errors"].to_dict("records")
    assert (out / "report.html").exists()
    return out


@pytest.mark.slow
def test_notebook_runs_on_a_run_of_two_documents(run_output, monkeypatch):
    monkeypatch.setenv("DECLARATIONS_OUTPUT", str(run_output))
    # the kernel imports `pipeline` from this checkout, installed or not
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    )
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # "python3" is ipykernel's own kernel: jupyter_client starts it with this interpreter
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(
        o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    assert "sofia-2018-nl" in text and "sofia-2018-nl-revised" in text
    # a figure for every table that has rows: domain profiles, commitments, similarities, the
    # pledges of a series by status
    tables = store.read_tables(run_output)
    shown = ("domain_profiles", "commitments", "similarities", "commitment_tracking")
    expected = sum(len(tables.get(name, ())) > 0 for name in shown)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == expected
    if len(tables.get("alignments", ())):
        assert (
            "sofia-2018-nl <-> sofia-2018-nl-revised" in text
            or "sofia-2018-nl-revised <-> sofia-2018-nl" in text
        )
