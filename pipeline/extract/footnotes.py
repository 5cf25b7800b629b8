"""Footnote marks: how a body text refers to a note ("Kosovo*", "lidstaten1", "staten¹"),
and removing those references once the notes are known."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.extract.words import ends_capitalised

if TYPE_CHECKING:
    from pipeline.extract.blocks import RawBlock

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TRANS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_SUPERSCRIPTS_RE = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")


def normalise_mark(mark: str) -> str:
    return mark.translate(_SUPERSCRIPT_TRANS)


def footnote_ref_pattern(mark: str) -> re.Pattern:
    """Where a body text refers to footnote ``mark``: "Kosovo*", "lidstaten1", "staten¹"."""
    mark = normalise_mark(mark)
    if set(mark) == {"*"}:
        return re.compile(rf"(?<=[^\s*])\*{{{len(mark)}}}(?!\*)")
    sup = mark.translate(str.maketrans("0123456789", SUPERSCRIPT_DIGITS))
    return re.compile(
        rf"{re.escape(sup)}(?![{SUPERSCRIPT_DIGITS}])|(?<=[^\W\d_]|[.,;:)])"
        rf"{re.escape(mark)}(?![\w])"
    )


def is_referenced(mark: str, body: str) -> bool:
    return footnote_ref_pattern(mark).search(body) is not None


def remove_footnote_refs(blocks: list[RawBlock], marks: list[str]) -> None:
    """Remove each footnote's reference mark from the body blocks, in place.

    "*" marks are removed wherever they follow a word (a declaration uses one "*" for one
    note, e.g. every "Kosovo*"); a numbered mark is removed once, at its first reference after
    the previous note's, since numbered notes are referenced in reading order.
    """
    position = (0, 0)  # (block index, piece index) of the last numbered reference
    for mark in marks:
        pattern = footnote_ref_pattern(mark)
        numbered = not set(normalise_mark(mark)) <= {"*"}
        done = False
        for bi, block in enumerate(blocks):
            if block.role != "body" or done:
                continue
            for pi, (piece, page) in enumerate(block.pieces):
                if numbered and (bi, pi) < position:
                    continue
                new, n = pattern.subn("", piece, count=1 if numbered else 0)
                if n:
                    block.pieces[pi] = (new, page)
                    if numbered:
                        position = (bi, pi)
                        done = True
                        break
    # superscript digits left in the body are note marks whose note we did not find
    for block in blocks:
        if block.role == "body":
            block.pieces = [(_SUPERSCRIPTS_RE.sub("", p), pg) for p, pg in block.pieces]


# a note's text ends a sentence (or a reference) here; a note cut off at a page's foot does not
_NOTE_END = (".", "!", "?", ")", "]", "”", "'", '"')


def note_unfinished(lines: list[str]) -> bool:
    """Does a footnote's text stop in mid-sentence (the rest printed at the next page's foot)?"""
    return bool(lines) and not lines[-1].rstrip().endswith(_NOTE_END)


def note_continuation(
    page: list[str], is_separator, starts_item, cut: str = ""
) -> tuple[list[str], list[str]]:
    """(body lines, continued note lines) of a page after one whose last note was cut off.

    The rest of the note is the page's last run of lines, after a separator rule or a blank
    line, when it goes on a sentence: it opens with neither a capital nor a list marker
    ("(EG) nr. 883/2004 bij ...", "en de lidstaten ...") and ends it.  A capital opens it
    only where the note was cut inside a name (``cut``, the note's last line so far, ends in
    a capitalised word: "... van het Europees" / "Parlement en de Raad ...")."""
    nonblank = [i for i, raw in enumerate(page) if raw.strip() and not is_separator(raw)]
    if not nonblank:
        return page, []
    end = nonblank[-1] + 1
    start = end - 1
    while start > 0 and page[start - 1].strip() and not is_separator(page[start - 1]):
        start -= 1
    if start == 0 or start == nonblank[0]:
        return page, []  # nothing above it: the page is the note or the body, not both
    run = [raw.strip() for raw in page[start:end]]
    first = run[0]
    if (
        (first[:1].isupper() and not ends_capitalised(cut))
        or starts_item(first)
        or note_unfinished(run)
    ):
        return page, []
    return page[:start], run
