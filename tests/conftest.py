"""Shared fixtures: the seed declaration, its gold annotation, and renderings of it.

The renderings (tests/renderings.py) are written once per test session into a temporary
directory, never into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "corpus" / "sofia-2018-nl.txt"
from pipeline.gold import SEED_GOLD  # noqa: E402  (corpus/gold/, in the repository)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed declaration as researchers have it: a raw text dump of the PDF."""
    return SEED_TEXT


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory) -> Path:
    """The output folder of ``run`` over the seed (no report), made once per session for the
    tests that only read a run's outputs (tables, SQLite, keyword in context): do not write
    into it; copy it (``shutil.copytree``) to change it."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("seed-run")
    assert main(["--quiet", "run", str(SEED_TEXT), "--out", str(out), "--no-report"]) == 0
    return out


@pytest.fixture(scope="session")
def seed_gold():
    from pipeline.gold import load_gold

    return load_gold(SEED_GOLD)


@pytest.fixture(scope="session")
def rendered(seed_gold, tmp_path_factory):
    """The seed rendered as PDF (one and two columns), DOCX and HTML: name -> Rendering."""
    import renderings

    folder = tmp_path_factory.mktemp("renderings")
    return {
        "pdf": renderings.render_pdf(seed_gold, folder / "sofia.pdf"),
        "pdf-2col": renderings.render_pdf(seed_gold, folder / "sofia-2col.pdf", columns=2),
        "docx": renderings.render_docx(seed_gold, folder / "sofia.docx"),
        "html": renderings.render_html(seed_gold, folder / "sofia.html"),
    }
