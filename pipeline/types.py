"""The typed objects that pass between the stages.

extract  -> ExtractedText  (clean text, blocks, page map)
segment  -> spacy.tokens.Doc (segments and sentences as spans, see pipeline/doc.py)
records  -> Tables           (pandas DataFrames named as in CONTRACT.md)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of the clean text, as laid out on the page.

    ``text[start:end]`` of the owning ExtractedText is the block including its marker
    ("1. De EU ...", "a) ..."); ``content_start`` is where the text after the marker begins.
    Bullet glyphs (•, –, ▪ ...) are not part of the clean text: ``marker`` records them.
    """

    start: int
    end: int
    content_start: int
    marker: str | None = None  # "1.", "(2)", "a)", "•", "-", "I." ... or None
    role: str = "body"  # "body" or "footnote"
    footnote_mark: str | None = None  # "*", "1" ... for role == "footnote"
    page_start: int = 1
    page_end: int = 1


@dataclass
class ExtractedText:
    """What every reader (pdf, text, html, docx) returns.

    ``text`` is the clean text: page furniture and footnote marks removed, broken words rejoined,
    one block per line (blocks separated by a single "\\n"), footnotes after the body text.
    ``page_spans`` maps character ranges of ``text`` to 1-based page numbers; for inputs without
    pages (plain text without form feeds, HTML, DOCX) everything is page 1.
    """

    text: str
    blocks: list[Block]
    page_spans: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, page)
    n_pages: int = 1
    source_path: str = ""
    source_sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    title_hint: str | None = None  # e.g. the PDF's or HTML's own title metadata

    def pages_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last page that the range [start, end) touches."""
        pages = [p for s, e, p in self.page_spans if s < max(end, start + 1) and e > start]
        if not pages:
            return (1, 1)
        return (min(pages), max(pages))


class InputError(Exception):
    """A document that cannot be read; the message is one line naming the reason."""

    def __init__(self, path: str | Path, stage: str, reason: str):
        self.path = str(path)
        self.stage = stage
        self.reason = reason
        super().__init__(f"{self.path}: {stage}: {reason}")
