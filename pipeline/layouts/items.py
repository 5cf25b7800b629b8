"""A gold document as the printed items every renderer lays out, and the segments a reader
should give back.

An :class:`Item` is one printed paragraph: a title line, the preamble, a point with its number,
a heading, a bullet, a footnote.  Its ``text`` is the text as printed (a heading in CAPITALS
is printed in capitals, so that is what the reader must find), ``marker`` what stands before
it ("3.", "•", "a)", "II."), and ``refs`` the words after which a footnote mark is printed.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from pipeline.gold import GoldDocument
from pipeline.layouts.layout import Layout

CONTINUATION = re.compile(r"\.c\d+$")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")


@dataclass
class Item:
    segment_id: str
    kind: str  # the gold segment kind
    text: str  # as printed, without marker and footnote marks
    marker: str | None = None  # "3.", "•", "a)", "II.", "A." or None
    role: str = "body"  # "body" or "footnote"
    mark: str | None = None  # a footnote's mark ("*", "1")
    refs: list[tuple[str, str]] = field(default_factory=list)  # (word, mark) to print after

    def printed(self, mark_format=lambda mark: mark) -> str:
        """The text with its footnote marks after their words (``mark_format`` styles them)."""
        text = self.text
        for word, mark in self.refs:
            found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
            if found:
                text = text[: found.end()] + mark_format(mark) + text[found.end() :]
        return text


@dataclass
class Expected:
    segment_id: str
    kind: str
    text: str


def _anchors(gold: GoldDocument) -> dict[str, tuple[str, str]]:
    """Where each footnote's mark is printed: footnote id -> (segment id, word).  Gold files
    keep no marks: the mark goes after the first body mention of a name the note is about,
    else after the last word of the first sentence of the preamble (or first segment)."""
    body = [s for s in gold.segments if s.kind != "footnote"]
    anchors: dict[str, tuple[str, str]] = {}
    for note in (s for s in gold.segments if s.kind == "footnote"):
        names = [e.text for sent in note.sentences for e in sent.entities if e.key]
        for name in names:
            seg = next(
                (s for s in body if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", s.text)), None
            )
            if seg is not None:
                anchors[note.id] = (seg.id, name)
                break
        else:
            host = next((s for s in body if s.kind in ("preamble", "point")), body[0])
            words = re.findall(r"[^\W\d_]{3,}", host.sentences[0].text)
            anchors[note.id] = (host.id, words[-1])
    return anchors


def _heading_marker(style: str, number: str | None, index: int, in_annex: bool) -> str | None:
    if number:  # a numbered heading keeps its numeral
        return f"{number}."
    if style == "letter":
        return f"{string.ascii_uppercase[index % 26]}."
    if style == "roman":
        return f"{ROMAN[index % len(ROMAN)]}."
    if style == "number" and in_annex:
        return f"{index + 1}."
    return None


def items_for(gold: GoldDocument, layout: Layout) -> list[Item]:
    """The printed items of one document in reading order, footnotes last."""
    anchors = _anchors(gold)
    marks = {}
    for n, seg in enumerate((s for s in gold.segments if s.kind == "footnote"), start=1):
        marks[seg.id] = seg.number or ("*" * n if n <= 3 else str(n))
    items: list[Item] = []
    notes: list[Item] = []
    in_annex = False
    headings_seen = 0
    for seg in gold.segments:
        refs = [(word, marks[fn]) for fn, (sid, word) in anchors.items() if sid == seg.id]
        if seg.kind == "footnote":
            notes.append(Item(seg.id, seg.kind, seg.text, None, "footnote", marks[seg.id]))
            continue
        if seg.kind == "annex_title":
            in_annex = True
            headings_seen = 0
        if seg.kind in ("title", "annex_title"):
            # each title line carries the marks of its own words ("Enschede, 11 september
            # 2028" the mark of a note about Enschede), each mark once
            placed: set[tuple[str, str]] = set()
            for sent in seg.sentences:
                own = [
                    ref
                    for ref in refs
                    if ref not in placed
                    and re.search(rf"(?<!\w){re.escape(ref[0])}(?!\w)", sent.text)
                ]
                placed.update(own)
                items.append(Item(seg.id, seg.kind, sent.text, refs=own))
        elif seg.kind == "heading":
            text = seg.text.upper() if layout.heading == "caps" else seg.text
            marker = _heading_marker(layout.heading, seg.number, headings_seen, in_annex)
            headings_seen += 1
            items.append(Item(seg.id, seg.kind, text, marker, refs=refs))
        elif seg.kind == "point":
            # a point's continuation after its list (p8.c1) is printed as a plain paragraph:
            # only the point itself carries the number
            marker = None if CONTINUATION.search(seg.id) else f"{seg.number}."
            items.append(Item(seg.id, seg.kind, seg.text, marker, refs=refs))
        elif seg.kind == "bullet":
            if seg.number:  # a lettered item: "a)"
                marker = f"{seg.number})"
            else:
                marker = None if layout.bullet == "none" else layout.bullet
            items.append(Item(seg.id, seg.kind, seg.text, marker, refs=refs))
        else:
            items.append(Item(seg.id, seg.kind, seg.text, refs=refs))
    return items + notes


def expected_segments(items: list[Item]) -> list[Expected]:
    """The segments a reader should give back: one per gold segment, text as printed."""
    out: list[Expected] = []
    for item in items:
        if out and out[-1].segment_id == item.segment_id:
            out[-1].text += " " + item.text
        else:
            out.append(Expected(item.segment_id, item.kind, item.text))
    return out
