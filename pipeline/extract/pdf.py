"""PDF with a text layer (pdfplumber): words with positions -> lines -> blocks.

Per page (each page is closed after use, so memory stays flat over hundreds of pages):

1. ``page.extract_words`` with the font size of each word (a size change splits a word, so a
   superscript "*" after "Kosovo" is a word of its own).
2. Columns: a vertical gutter in the middle of the page that (almost) no word crosses, with
   enough lines on both sides, makes two columns; lines crossing it (a title) span both and
   interrupt the column flow.  Reading order: per band between spanning lines, the left column
   then the right one.
3. Lines: words clustered by baseline; a small raised word is a superscript.  Superscript
   note marks ("*", "1", "¹") are removed and remembered as references.

After all pages:

4. Page furniture: lines in the top or bottom zone of the page that repeat (digits ignored) on
   at least half of the pages, and bare page numbers there, are dropped.
5. Footnotes: lines below a short horizontal rule at the page foot, or a run of smaller-font
   lines at the foot opening with a referenced mark, become footnote blocks (with their page).
6. Layout evidence for :mod:`pipeline.extract.blocks`: room left to the column's right margin,
   vertical gaps larger than the line spacing, first-line indents and outdents.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import PDFObjRef

from pipeline.extract import pdfstreams
from pipeline.extract.assemble import assemble, normalise_spaces
from pipeline.extract.blocks import Line, build_blocks
from pipeline.extract.footnotes import (
    SUPERSCRIPT_DIGITS,
    is_referenced,
    normalise_mark,
    remove_footnote_refs,
)
from pipeline.extract.furniture import furniture_key, is_page_number, repeats_title
from pipeline.extract.markers import split_marker
from pipeline.extract.words import SENTENCE_END, DocumentWords, has_lower, is_capitals
from pipeline.types import ExtractedText, InputError

_NOTE_MARK_RE = re.compile(rf"^(\*{{1,3}}|\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}})$")

TOP_ZONE = 0.12  # share of the page height where running headers live
BOTTOM_ZONE = 0.12


@dataclass
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    font: str = ""


@dataclass
class PdfLine:
    """A printed line with its geometry (points, origin top-left)."""

    words: list[Word]
    page: int
    column: int = 0  # 0 = full width / single column, 1 = left, 2 = right
    refs: list[str] = field(default_factory=list)  # superscript marks (maybe note references)
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    font: str = ""  # the font most of the line is set in
    content_x0: float = 0.0  # where the text after a list marker starts

    def finish(self) -> PdfLine:
        words = self.words
        self.x0 = words[0].x0
        self.x1 = words[-1].x1
        self.top = min(w.top for w in words)
        self.bottom = max(w.bottom for w in words)
        sizes: Counter = Counter()
        fonts: Counter = Counter()
        for w in words:
            sizes[round(w.size, 1)] += len(w.text)
            fonts[w.font] += len(w.text)
        self.size = sizes.most_common(1)[0][0]
        self.font = fonts.most_common(1)[0][0]
        parts: list[str] = []
        prev: Word | None = None
        for w in words:
            if prev is not None:
                # words split only by a font change (no gap) belong together
                parts.append("" if w.x0 - prev.x1 < 0.12 * self.size else " ")
            parts.append(w.text)
            prev = w
        self.text = normalise_spaces("".join(parts))
        marker, _kind, _rest = split_marker(self.text)
        self.content_x0 = self.x0
        if marker and len(words) > 1:
            # the first word that is not part of the marker ("1." or "•")
            consumed = 0
            for w in words:
                consumed += len(w.text)
                if consumed >= len(marker):
                    break
            idx = words.index(w) + 1
            if idx < len(words):
                self.content_x0 = words[idx].x0
        return self


# --------------------------------------------------------------------------------------------
# One page
# --------------------------------------------------------------------------------------------


def _words(page) -> list[Word]:
    raw = page.extract_words(
        keep_blank_chars=False, use_text_flow=False, extra_attrs=["size", "fontname"]
    )
    return [
        Word(w["x0"], w["x1"], w["top"], w["bottom"], w["size"], w["text"], w["fontname"])
        for w in raw
        if w.get("upright", True)
    ]


def smaller(size: float, than: float) -> bool:
    """Is a font size clearly smaller (a superscript: 8.5 of 10.5 pt, 11.5 of 13.5 pt)?"""
    return size < than - max(1.0, 0.1 * than)


def _cluster_lines(words: list[Word], page_number: int) -> list[PdfLine]:
    """Words -> lines by baseline; superscripts merged into the line they are raised above."""
    if not words:
        return []
    words = sorted(words, key=lambda w: (round(w.bottom, 1), w.x0))
    lines: list[list[Word]] = []
    bottoms: list[float] = []
    for w in words:
        if lines and abs(w.bottom - bottoms[-1]) <= 0.25 * max(w.size, 1.0):
            lines[-1].append(w)
        else:
            lines.append([w])
            bottoms.append(w.bottom)
    # a line of small words that sits inside the band of a bigger-font line next to it is made
    # of superscripts (or subscripts) of that line
    merged: list[list[Word]] = []
    for i, group in enumerate(lines):
        size = max(w.size for w in group)
        host = None
        for j in (i + 1, i - 1):
            if 0 <= j < len(lines):
                other = lines[j]
                other_size = max(w.size for w in other)
                o_top, o_bottom = min(w.top for w in other), max(w.bottom for w in other)
                mid = (min(w.top for w in group) + max(w.bottom for w in group)) / 2
                if smaller(size, other_size) and o_top - 0.2 * other_size <= mid <= o_bottom:
                    host = j
                    break
        if host is None:
            merged.append(group)
        else:
            lines[host].extend(group)
            if host < i:  # host already emitted
                merged[-1] = lines[host]
    result = []
    seen: set[int] = set()
    for group in merged:
        if id(group) in seen:
            continue
        seen.add(id(group))
        group.sort(key=lambda w: w.x0)
        result.append(_strip_superscripts(PdfLine(group, page_number)))
    return [line for line in result if line.words]


# A superscript that may be a note reference is kept between these two private-use characters
# until the notes are known (see ``resolve_superscripts``).  Dutch ordinals ("1e") are letters
# and never wrapped.
SUP_OPEN, SUP_CLOSE = "\ue000", "\ue001"
_SUP_RE = re.compile(f"{SUP_OPEN}([^{SUP_CLOSE}]*){SUP_CLOSE}")


def resolve_superscripts(text: str, note_marks: set[str], unmatched: set[str]) -> str:
    """Remove the superscript marks from a line.  Marks without a note on any page are
    collected in ``unmatched`` (the caller warns): in declarations a raised "*" or digit after
    a word is a note reference even when its note is out of reach (endnotes, a lost page),
    far more often than an exponent."""
    if SUP_OPEN not in text:
        return text

    def drop(m: re.Match) -> str:
        mark = normalise_mark(m.group(1))
        if mark not in note_marks:
            unmatched.add(mark)
        return ""

    return _SUP_RE.sub(drop, text)


def _strip_superscripts(line: PdfLine) -> PdfLine:
    """Mark raised small "*", digits and superscript digits after a word as possible note
    references (see ``SUP_OPEN``), remembering them in ``line.refs``."""
    main = Counter()
    for w in line.words:
        main[round(w.size, 1)] += len(w.text)
    size = main.most_common(1)[0][0]
    baseline = median(w.bottom for w in line.words if round(w.size, 1) == size)
    kept: list[Word] = []
    for i, w in enumerate(line.words):
        raised = smaller(w.size, size) and w.bottom < baseline - 0.15 * size
        if raised and _NOTE_MARK_RE.match(w.text) and i > 0:
            line.refs.append(normalise_mark(w.text))
            w = Word(w.x0, w.x1, w.top, w.bottom, w.size, SUP_OPEN + w.text + SUP_CLOSE, w.font)
        kept.append(w)
    line.words = kept
    if kept:
        line.finish()
    return line


def _find_gutter(words: list[Word], width: float, height: float) -> tuple[float, float] | None:
    """A vertical gap between two text columns: an x range in the middle of the page that no
    more than a few words cross, with plenty of words on both sides."""
    body = [w for w in words if TOP_ZONE * height < w.top and w.bottom < (1 - BOTTOM_ZONE) * height]
    if len(body) < 40:
        return None
    lo, hi = int(width * 0.3), int(width * 0.7)
    cover = [0] * (hi - lo)
    for w in body:
        a, b = max(int(w.x0), lo), min(int(w.x1) + 1, hi)
        for x in range(a, b):
            cover[x - lo] += 1
    # a gap no word crosses, with text on both sides over several lines
    best = _widest_run(cover, 0, lo)
    if best is not None:
        left_rows = {round(w.bottom) for w in body if w.x1 <= best[0]}
        right_rows = {round(w.bottom) for w in body if w.x0 >= best[1]}
        if len(left_rows) >= 3 and len(right_rows) >= 3:
            return best
    # else tolerate a few crossings (a footnote or a title across the page), as few as
    # possible: the least-crossed run is the gutter, not a wider one over the indented
    # numbers of the right column
    best = None
    for level in sorted({c for c in cover if 0 < c <= max(1, len(body) // 100)}):
        best = _widest_run(cover, level, lo)
        if best is not None:
            break
    if best is None:
        return None
    left = sum(1 for w in body if w.x1 <= best[0])
    right = sum(1 for w in body if w.x0 >= best[1])
    if left < 0.2 * len(body) or right < 0.2 * len(body):
        return None
    return best


def _widest_run(
    cover: list[int], allowed: int, offset: int, min_width: int = 6
) -> tuple[int, int] | None:
    best, run_start, best_width = None, None, 0
    for i, c in enumerate(cover + [allowed + 1]):
        if c <= allowed:
            if run_start is None:
                run_start = i
        elif run_start is not None:
            if i - run_start > best_width:
                best_width, best = i - run_start, (offset + run_start, offset + i)
            run_start = None
    return best if best_width >= min_width else None


def _gutter_still_free(words: list[Word], gutter: tuple[float, float]) -> bool:
    """Does a gutter found on an earlier page hold here too?  Text on both sides of it, and
    the words that cross it only in lines of their own (headers, a title, footnotes across
    the page), never in a line that also has a column beside it."""
    mid = (gutter[0] + gutter[1]) / 2
    rows: dict[int, list[int]] = {}  # rounded baseline -> [left, right, crossing] counts
    for w in words:
        row = rows.setdefault(round(w.bottom), [0, 0, 0])
        row[0 if w.x1 <= mid else 1 if w.x0 >= mid else 2] += 1
    left = sum(1 for r in rows.values() if r[0] and not r[2])
    right = sum(1 for r in rows.values() if r[1] and not r[2])
    return left >= 1 and right >= 1


def read_page(
    page, page_number: int, gutter_hint: tuple[float, float] | None = None
) -> tuple[list[PdfLine], tuple[float, float] | None]:
    """The lines of one page in reading order (columns resolved), and the column gutter found
    on it.  ``gutter_hint`` is the gutter of an earlier page: a last page with a short right
    column does not show its gutter clearly, but documents keep their layout."""
    words = _words(page)
    if not words:
        return [], None
    gutter = _find_gutter(words, float(page.width), float(page.height))
    found = gutter
    if gutter is None and gutter_hint is not None and _gutter_still_free(words, gutter_hint):
        gutter = gutter_hint
    if gutter is None:
        return _cluster_lines(words, page_number), None
    # words are on the side of the gutter's middle they stand on; words across the middle
    # belong to a line across both columns
    mid = (gutter[0] + gutter[1]) / 2
    left = [w for w in words if w.x1 <= mid]
    right = [w for w in words if w.x0 >= mid]
    spanning = [w for w in words if w.x0 < mid < w.x1]
    lines_left = _cluster_lines(left, page_number)
    lines_right = _cluster_lines(right, page_number)
    lines_span = _cluster_lines(spanning, page_number)
    # a line that only a word space parts at the gutter's middle ("Santa Marta, | 15 juni
    # 2029", centred under a title) runs across both columns: columns stand a gutter apart
    for left_line in list(lines_left):
        for right_line in lines_right:
            if abs(
                right_line.bottom - left_line.bottom
            ) <= 0.25 * left_line.size and right_line.x0 - left_line.x1 < 0.6 * min(
                left_line.size, right_line.size
            ):
                lines_left.remove(left_line)
                lines_right.remove(right_line)
                joined = PdfLine(left_line.words + right_line.words, page_number)
                joined.refs = left_line.refs + right_line.refs
                lines_span.append(joined)
                break
    # a "spanning" line may have words on both sides too: pull those words into it
    for line in lines_span:
        for side in (lines_left, lines_right):
            for other in list(side):
                if abs(other.bottom - line.bottom) <= 0.25 * line.size:
                    line.words.extend(other.words)
                    side.remove(other)
        line.words.sort(key=lambda w: w.x0)
        line.finish()
    for line in lines_left:
        line.column = 1
    for line in lines_right:
        line.column = 2
    # bands between spanning lines: left column, then right column, then the spanning line
    ordered: list[PdfLine] = []
    cuts = sorted(lines_span, key=lambda ln: ln.top)
    tops = [ln.top for ln in cuts]
    bands: list[list[PdfLine]] = [[] for _ in range(len(cuts) + 1)]
    for line in lines_left + lines_right:
        bands[bisect_left(tops, line.top)].append(line)
    for i, band in enumerate(bands):
        ordered.extend(sorted((ln for ln in band if ln.column == 1), key=lambda ln: ln.top))
        ordered.extend(sorted((ln for ln in band if ln.column == 2), key=lambda ln: ln.top))
        if i < len(cuts):
            ordered.append(cuts[i])
    return ordered, found


def _rules(page) -> list[float]:
    """y positions of short horizontal rules (the line above footnotes)."""
    ys = []
    width = float(page.width)
    for obj in list(page.lines) + list(page.rects):
        w = obj["x1"] - obj["x0"]
        h = abs(obj["bottom"] - obj["top"])
        if h <= 2 and 20 <= w <= 0.6 * width:
            ys.append(obj["top"])
    return ys


# --------------------------------------------------------------------------------------------
# The whole document
# --------------------------------------------------------------------------------------------


@dataclass
class PageInfo:
    number: int
    height: float
    lines: list[PdfLine]
    rules: list[float]


def _drop_furniture(pages: list[PageInfo]) -> None:
    """Remove running headers/footers (repeated in the top/bottom zone) and page numbers."""

    def zone_lines(page: PageInfo) -> list[PdfLine]:
        by_y = sorted(page.lines, key=lambda ln: ln.top)
        top = [ln for ln in by_y[:2] if ln.bottom <= TOP_ZONE * page.height]
        bottom = [ln for ln in by_y[-2:] if ln.top >= (1 - BOTTOM_ZONE) * page.height]
        return top + bottom

    def key(ln: PdfLine) -> tuple[float, str]:
        # the type size too: a running header that repeats the title is set smaller than the
        # title it repeats, so the title on the first page is no furniture
        return (round(ln.size), furniture_key(ln.text))

    counts: Counter = Counter()
    for page in pages:
        counts.update({key(ln) for ln in zone_lines(page)})
    threshold = max(2, (len(pages) + 1) // 2)
    drops = [
        {
            id(ln)
            for ln in zone_lines(page)
            if is_page_number(ln.text) or (len(pages) > 1 and counts[key(ln)] >= threshold)
        }
        for page in pages
    ]
    # a page's only text is furniture only when it repeats a header or footer that stands
    # beside text on other pages (a blank page with its running header); a document whose
    # every page has one line at the top keeps those lines
    headers = {
        key(ln)
        for page, drop in zip(pages, drops)
        if len(drop) < len(page.lines)
        for ln in page.lines
        if id(ln) in drop
    }
    # the title is the first page's first lines that are not furniture: a line at the top of a
    # later page that repeats it, or begins it, is a running header, however rarely it comes
    first = [ln for ln in sorted(pages[0].lines, key=lambda ln: ln.top) if id(ln) not in drops[0]]
    title = " ".join(ln.text for ln in first[:3])
    for page, drop in zip(pages[1:], drops[1:]):
        by_y = sorted(page.lines, key=lambda ln: ln.top)
        drop.update(
            id(ln)
            for ln in by_y[:2]
            if ln.bottom <= TOP_ZONE * page.height and repeats_title(ln.text, title)
        )
    for page, drop in zip(pages, drops):
        if drop and len(drop) == len(page.lines):
            drop = {id(ln) for ln in page.lines if is_page_number(ln.text) or key(ln) in headers}
        if drop:
            page.lines = [ln for ln in page.lines if id(ln) not in drop]


def _split_footnotes(page: PageInfo, body_size: float, refs: set[str]) -> list[PdfLine]:
    """Take the footnote lines off the page's foot; returns them (in order)."""
    if not page.lines:
        return []
    by_y = sorted(page.lines, key=lambda ln: ln.top)
    lowest_rule = max((y for y in page.rules if y > 0.4 * page.height), default=None)
    if lowest_rule is not None:
        notes = [ln for ln in by_y if ln.top > lowest_rule]
        body = [ln for ln in by_y if ln.top <= lowest_rule]
        mark = notes[0].words[0].text if notes else ""
        # below a rule: a line opening with a mark, in a smaller font or referred to above
        # (not the numbered rows of a table drawn with rules)
        if (
            notes
            and notes[0].size <= body_size
            and _NOTE_MARK_RE.match(mark)
            and (
                notes[0].size < 0.92 * body_size
                or normalise_mark(mark) in refs
                or any(is_referenced(mark, ln.text) for ln in body)
            )
        ):
            page.lines = [ln for ln in page.lines if ln.top <= lowest_rule]  # reading order
            return notes
    # no rule: a run of smaller lines at the foot (the end of the reading order, so the
    # foot of the last column) that opens with a referenced mark
    run: list[PdfLine] = []
    for ln in reversed(page.lines):
        if ln.size < 0.92 * body_size:
            run.insert(0, ln)
        else:
            break
    for i, ln in enumerate(run):
        mark = ln.words[0].text
        if _NOTE_MARK_RE.match(mark) and normalise_mark(mark) in refs:
            notes = run[i:]
            keep = {id(n) for n in notes}
            page.lines = [x for x in page.lines if id(x) not in keep]
            return notes
    return []


def _note_lines(notes: list[PdfLine], refs: set[str]) -> list[Line]:
    """The notes' lines; a line opens a new note with its mark, unless the mark is a number
    no reference in the text carries ("29 februari 2024" going on from the line before)."""
    out: list[Line] = []
    mark = None
    for ln in notes:
        first = ln.words[0].text
        text = ln.text
        start = False
        opens = not out or normalise_mark(first) in refs or set(first) == {"*"}
        if _NOTE_MARK_RE.match(first) and len(ln.words) > 1 and opens:
            mark = normalise_mark(first)
            text = ln.text[len(first) :].lstrip()
            start = True
        out.append(Line(text, ln.page, hard_break=start, role="footnote", footnote_mark=mark))
    return out


def _body_lines(lines: list[PdfLine], body_size: float) -> list[Line]:
    """PdfLines in reading order -> Lines with the layout evidence."""
    # margins of each column: the typical ends of its full lines
    right_edge: dict[int, float] = {}
    left_edge: dict[int, float] = {}
    for column in {ln.column for ln in lines}:
        ends = sorted(ln.x1 for ln in lines if ln.column == column)
        starts = sorted(ln.x0 for ln in lines if ln.column == column)
        right_edge[column] = ends[int(0.9 * (len(ends) - 1))]
        left_edge[column] = starts[int(0.1 * (len(starts) - 1))]

    # where lines usually start in each column: the margin and the indents of points and
    # bullets (a repeated title is not "usual" in a long document)
    starts = Counter((ln.column, round(ln.x0)) for ln in lines)
    per_column = Counter(ln.column for ln in lines)
    usual_starts: dict[int, list[int]] = {}
    for (column, x), n in starts.items():
        if n >= max(3, 0.02 * per_column[column]):
            usual_starts.setdefault(column, []).append(x)

    def margins(ln: PdfLine) -> tuple[float, float]:
        return ln.x0 - left_edge[ln.column], right_edge[ln.column] - ln.x1

    def full(ln: PdfLine) -> bool:
        """From margin to margin."""
        before, after = margins(ln)
        return before < 0.5 * ln.size and after < 0.5 * ln.size

    fonts: Counter = Counter()
    for ln in lines:
        fonts[(ln.font, ln.size)] += len(ln.text)
    body_font = fonts.most_common(1)[0][0] if fonts else None

    def centred(ln: PdfLine) -> bool:
        """Centred lines (titles) stand off both margins by the same amount (a justified line
        touches the right margin).  A body-text line that starts where lines usually start
        is not centred: the indented last line of a point can look centred by chance; nor is
        a bullet's first line ("• de mogelijkheden te verkennen", a short first line before
        a long word), as no title opens with a bullet glyph."""
        before, after = margins(ln)
        if not (before > 1.5 and after > 1.5 and abs(before - after) < max(2.0, 0.5 * ln.size)):
            return False
        if split_marker(ln.text)[1] == "bullet":
            return False
        return (ln.font, ln.size) != body_font or not any(
            abs(x - ln.x0) <= 1.0 for x in usual_starts.get(ln.column, ())
        )

    def room(ln: PdfLine) -> float:
        """Space left for another word; less a third of an em, as our measure of the margins
        and of a space is approximate and a wrong "it would have fitted" splits a paragraph."""
        if centred(ln):
            space = (right_edge[ln.column] - left_edge[ln.column]) - (ln.x1 - ln.x0)
        else:
            space = right_edge[ln.column] - ln.x1
        return space - 0.33 * ln.size

    # the normal distance from one line to the next, and whether paragraphs get extra space
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and a.column == b.column and 0 <= b.top - a.bottom < 3 * body_size
    ]
    line_gap = median(gaps) if gaps else 0.3 * body_size
    big = line_gap + 0.35 * body_size

    def marker_line(ln: PdfLine) -> bool:
        return split_marker(ln.text)[0] is not None

    spaced = [
        b.top - a.bottom > big
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and a.column == b.column and marker_line(b)
    ]
    gaps_separate = len(spaced) >= 3 and sum(spaced) / len(spaced) >= 0.8

    def hanging_indent(ln: PdfLine, nxt: PdfLine | None) -> bool:
        """Does ``nxt`` go on from ``ln`` further in, by a hanging indent?"""
        return (
            nxt is not None
            and nxt.page == ln.page
            and nxt.column == ln.column
            and 1.0 * ln.size <= nxt.x0 - ln.x0 <= 2.5 * ln.size
            and not marker_line(nxt)
            and not centred(nxt)
        )

    def at_margin(ln: PdfLine) -> bool:
        """A body line at the margin that opens without a marker, nor a glyph ("*", "o")
        that only the document's use of it makes a bullet (see blocks.DocumentMarkers)."""
        return (
            abs(ln.x0 - left_edge[ln.column]) < 0.5 * ln.size
            and (ln.font, ln.size) == body_font
            and not marker_line(ln)
            and len(ln.words[0].text) > 1
            and not centred(ln)
        )

    # items set without a glyph: the first line at the margin, the rest by a hanging indent
    # (the reader sees them as "•" items, as a web page's <ul>); a one-line item has no
    # indent of its own, so it counts when it follows an item that ended in ";"
    bare: set[int] = set()
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not at_margin(ln):
            continue
        if hanging_indent(ln, nxt):
            bare.add(i)
            continue
        prev = lines[i - 1] if i else None
        item_start = max((k for k in bare if k < i), default=None)
        if (
            prev is not None
            and item_start is not None
            and prev.text.rstrip().endswith(";")
            and all(hanging_indent(lines[item_start], lines[k]) for k in range(item_start + 1, i))
        ):
            bare.add(i)

    out: list[Line] = []
    for i, ln in enumerate(lines):
        prev = lines[i - 1] if i else None
        break_before: bool | None = None
        em = max(ln.size, 1.0)
        if prev is None:
            pass
        elif abs(ln.size - prev.size) > 0.15 * em or ln.font != prev.font:
            break_before = True  # a heading in another size or weight, or back to body text
        elif prev.page == ln.page and prev.column == ln.column and ln.top > prev.top:
            gap = ln.top - prev.bottom
            if gap > big:
                break_before = True
            elif (
                ln.x0 < prev.content_x0 - 0.8 * em
                and not centred(ln)
                and not centred(prev)
                and not (
                    not SENTENCE_END.search(prev.text)
                    and (
                        ln.text[:1].islower() or (is_capitals(prev.text) and not has_lower(ln.text))
                    )
                )
            ):
                # back at the margin after a hanging indent: the item ended (but a sentence
                # going on in lower case continues a heading whose numeral hangs: "IV. ...")
                break_before = True
            elif centred(prev) and not centred(ln) and not full(ln):
                break_before = True  # a centred title or heading ended (its next line may be full)
            elif centred(ln) and not centred(prev) and not full(prev):
                # a centred line after a left-aligned one (a wrapped centred title may start
                # with a full line)
                break_before = True
            elif gaps_separate:
                break_before = False
        first = ln.words[0]
        space = 0.28 * ln.size
        out.append(
            Line(
                text=ln.text,
                page=ln.page,
                room=room(ln),
                full=not centred(ln) and right_edge[ln.column] - ln.x1 < 0.5 * ln.size,
                word_width=first.x1 - first.x0,
                space_width=space,
                break_before=True if i in bare else break_before,
                marker="•" if i in bare else None,
            )
        )
    return out


def _open(path: Path, data: bytes, password: str | None):
    head = data[:1024]
    if b"%PDF-" not in head:
        raise InputError(path, "extract", "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(path, "extract", "truncated PDF (no %%EOF at the end of the file)")
    sizes = pdfstreams.measure(path, data)  # before pdfminer inflates anything
    try:
        try:
            pdf = pdfplumber.open(path, password=password or "")
            n_pages = len(pdf.pages)
        except Exception as err:  # pdfplumber wraps pdfminer's errors: judge the original
            inner = err.args[0] if err.args and isinstance(err.args[0], Exception) else None
            raise inner or err  # noqa: B904  (re-raised as the original, judged below)
    except PDFPasswordIncorrect:
        reason = (
            "encrypted PDF: wrong password"
            if password
            else "encrypted PDF; give the password (--password)"
        )
        raise InputError(path, "extract", reason) from None
    except PDFEncryptionError as err:
        raise InputError(
            path, "extract", f"encrypted PDF with unsupported encryption ({err})"
        ) from None
    except PDFSyntaxError as err:
        raise InputError(path, "extract", f"corrupt PDF ({err})") from None
    except Exception as err:  # pdfminer raises many kinds of errors on broken files
        raise InputError(path, "extract", f"corrupt PDF ({type(err).__name__}: {err})") from None
    if n_pages == 0:
        pdf.close()
        raise InputError(path, "extract", "PDF without pages")
    return pdf, sizes


def _content_ids(page) -> list[int]:
    """The object numbers of a page's content streams."""
    contents = page.page_obj.attrs.get("Contents")
    refs = contents if isinstance(contents, list) else [contents]
    return [ref.objid for ref in refs if isinstance(ref, PDFObjRef)]


def read(
    path: str | Path,
    data: bytes,
    sha256: str,
    *,
    password: str | None = None,
    ocr: bool = False,
    max_pages: int | None = None,
) -> ExtractedText:
    path = Path(path)
    pdf, stream_sizes = _open(path, data, password)
    if max_pages and len(pdf.pages) > max_pages:
        n = len(pdf.pages)
        pdf.close()
        raise InputError(path, "extract", f"{n} pages, more than --max-pages {max_pages}")
    pages: list[PageInfo] = []
    warnings: list[str] = []
    try:
        title = (pdf.metadata or {}).get("Title")
        gutter = None  # the column gutter of the last page that showed one
        for number in range(1, len(pdf.pages) + 1):
            page = pdf.pages[number - 1]
            pdfstreams.check_page(path, number, _content_ids(page), stream_sizes)
            try:
                lines, found = read_page(page, number, gutter)
                gutter = found or gutter
                rules = _rules(page) if lines else []
                pages.append(PageInfo(number, float(page.height), lines, rules))
            except Exception as err:  # a broken content stream on one page
                raise InputError(
                    path, "extract", f"corrupt PDF, page {number} ({type(err).__name__}: {err})"
                ) from None
            finally:
                page.close()  # drop the page's parsed objects: memory stays flat
    finally:
        pdf.close()
    n_pages = len(pages)
    empty = [p.number for p in pages if not p.lines]
    if len(empty) == n_pages:
        if ocr:
            from .ocr import ocr_pdf

            return ocr_pdf(path, data, sha256, password)
        raise InputError(path, "extract", "no text layer; needs OCR (--ocr)")
    if empty:
        warnings.append(f"no text layer on page(s) {', '.join(map(str, empty))}; needs OCR (--ocr)")

    _drop_furniture(pages)
    sizes: Counter = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[ln.size] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    refs = {r for p in pages for ln in p.lines for r in ln.refs}
    note_groups: list[list[PdfLine]] = []
    for p in pages:
        notes = _split_footnotes(p, body_size, refs)
        if notes:
            note_groups.append(notes)
    note_marks = {normalise_mark(ln.words[0].text) for group in note_groups for ln in group}
    body = [ln for p in pages for ln in p.lines]
    unmatched: set[str] = set()
    for ln in body + [ln for group in note_groups for ln in group]:
        ln.text = resolve_superscripts(ln.text, note_marks, unmatched)
    if unmatched:
        warnings.append(f"superscript note mark(s) without a note: {', '.join(sorted(unmatched))}")
    lines = _body_lines(body, body_size)
    note_lines = [ln for group in note_groups for ln in _note_lines(group, refs)]
    words = DocumentWords.from_lines([ln.text for ln in lines + note_lines])
    blocks = build_blocks(lines, words=words)
    blocks += build_blocks(note_lines, words=words)
    marks = []
    for block in blocks:
        if block.role == "footnote" and block.footnote_mark not in marks:
            marks.append(block.footnote_mark)
    # marks printed as superscripts are gone already; look for the others in the text ("Kosovo*")
    remove_footnote_refs(blocks, [m for m in marks if m and m not in refs])
    if isinstance(title, bytes):
        title = title.decode("latin-1", errors="replace")
    extracted = assemble(
        blocks,
        n_pages=n_pages,
        source_path=str(path),
        source_sha256=sha256,
        warnings=warnings,
        title_hint=title or None,
    )
    if unreadable_share(extracted.text) > MAX_UNREADABLE:
        if ocr:
            from .ocr import ocr_pdf

            return ocr_pdf(path, data, sha256, password)
        raise InputError(
            path,
            "extract",
            "the text layer is mostly glyphs without letters (control or private-use "
            "characters, unmapped font codes); needs OCR (--ocr)",
        )
    return extracted


# a text layer whose glyphs are mostly unreadable is no text: a font without a Unicode map
# gives "(cid:12)" or control characters, a symbol font private-use code points
MAX_UNREADABLE = 0.5
_CID_RE = re.compile(r"\(cid:\d+\)")


def unreadable_share(text: str) -> float:
    """The share of the visible glyphs in ``text`` that are no characters a reader reads."""
    cids = len(_CID_RE.findall(text))
    rest = [ch for ch in _CID_RE.sub("", text) if not ch.isspace()]
    if not cids + len(rest):
        return 0.0
    bad = cids + sum(1 for ch in rest if unicodedata.category(ch) in ("Cc", "Co", "Cn"))
    return bad / (cids + len(rest))
