"""Layout-randomised renderings of gold documents, and how well structure survives them.

A seeded generator prints every gold document in many layouts (:mod:`.layout`) and in all four
input formats: text dumps of PDFs (:mod:`.text`), typeset PDFs (:mod:`.pdf`, reportlab), Word
files (:mod:`.docx`, python-docx) and web pages (:mod:`.html`).  Each rendering knows the
segments a reader should give back (:mod:`.items`); :mod:`.evaluate` reads the files with the
pipeline's own readers and segmenter and scores them: a segment counts when its id and its
text match.

    python -m pipeline.layouts --docs train --per-doc 4      # 19 documents x 4 formats x 4

Needs the test extras (reportlab, pyphen).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from pipeline.gold import GoldDocument
from pipeline.layouts.docx import render_docx
from pipeline.layouts.html import render_html
from pipeline.layouts.items import Expected, expected_segments, items_for
from pipeline.layouts.layout import FORMATS, Layout, draw_layout
from pipeline.layouts.pdf import render_pdf
from pipeline.layouts.text import render_text


@dataclass
class Rendering:
    path: Path
    layout: Layout
    expected: list[Expected]


def render(gold: GoldDocument, layout: Layout, folder: str | Path) -> Rendering:
    """Write ``gold`` in ``layout`` into ``folder`` (the file is named after the document)."""
    items = items_for(gold, layout)
    rng = random.Random(layout.seed)
    path = Path(folder) / f"{gold.doc_id}.{layout.format}"
    if layout.format == "txt":
        path.write_bytes(render_text(items, layout, rng).encode("utf-8"))
    elif layout.format == "html":
        path.write_text(render_html(items, layout, rng), encoding="utf-8")
    elif layout.format == "docx":
        render_docx(items, layout, rng, path)
    elif layout.format == "pdf":
        render_pdf(items, layout, rng, path)
    else:
        raise ValueError(f"unknown format {layout.format!r}; expected one of {FORMATS}")
    return Rendering(path, layout, expected_segments(items))


__all__ = ["FORMATS", "Layout", "Rendering", "draw_layout", "render"]
