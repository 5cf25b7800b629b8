"""Assembly: blocks -> :class:`~pipeline.types.ExtractedText` (clean text, blocks, page map)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.types import Block, ExtractedText

if TYPE_CHECKING:
    from pipeline.extract.blocks import RawBlock

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalise_spaces(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


def assemble(
    blocks: list[RawBlock],
    *,
    n_pages: int = 1,
    source_path: str = "",
    source_sha256: str = "",
    warnings: list[str] | None = None,
    title_hint: str | None = None,
) -> ExtractedText:
    """Blocks -> ExtractedText: body blocks, then footnotes; one block per line."""
    ordered = [b for b in blocks if b.role == "body"] + [b for b in blocks if b.role != "body"]
    parts: list[str] = []
    out_blocks: list[Block] = []
    spans: list[list[int]] = []  # [start, end, page]
    pos = 0

    def add_span(start: int, end: int, page: int) -> None:
        if end <= start:
            return
        if spans and spans[-1][2] == page and spans[-1][1] == start:
            spans[-1][1] = end
        else:
            spans.append([start, end, page])

    for block in ordered:
        pieces = _tidy_pieces(block.pieces)
        if not pieces:
            continue
        if out_blocks:
            parts.append("\n")
            add_span(pos, pos + 1, spans[-1][2] if spans else pieces[0][1])
            pos += 1
        start = pos
        content_start = start
        numbered_marker = block.marker if block.marker and block.marker_kind != "bullet" else None
        if numbered_marker:
            prefix = numbered_marker + " "
            parts.append(prefix)
            add_span(pos, pos + len(prefix), pieces[0][1])
            pos += len(prefix)
            content_start = pos
        pages = []
        for piece, page in pieces:
            parts.append(piece)
            add_span(pos, pos + len(piece), page)
            pages.append(page)
            pos += len(piece)
        out_blocks.append(
            Block(
                start=start,
                end=pos,
                content_start=content_start,
                marker=block.marker,
                role=block.role,
                footnote_mark=block.footnote_mark,
                page_start=min(pages),
                page_end=max(pages),
            )
        )
    return ExtractedText(
        text="".join(parts),
        blocks=out_blocks,
        page_spans=[tuple(s) for s in spans],
        n_pages=n_pages,
        source_path=source_path,
        source_sha256=source_sha256,
        warnings=list(warnings or []),
        title_hint=title_hint,
    )


def _tidy_pieces(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Collapse whitespace across pieces, strip the block's ends, drop empty pieces."""
    out: list[tuple[str, int]] = []
    prev_space = True  # strips leading whitespace
    for piece, page in pieces:
        piece = _SPACES_RE.sub(" ", piece.replace("\n", " "))
        piece = _CONTROL_RE.sub("", piece)
        if prev_space:
            piece = piece.lstrip(" ")
        if not piece:
            continue
        prev_space = piece.endswith(" ")
        out.append((piece, page))
    while out and out[-1][0].endswith(" "):
        text, page = out[-1]
        text = text.rstrip(" ")
        if text:
            out[-1] = (text, page)
            break
        out.pop()
    return out
