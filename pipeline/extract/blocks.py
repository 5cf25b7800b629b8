"""Lines -> blocks, with the same rules for every reader.

A reader (text, pdf, html, docx) turns its input into :class:`Line` objects, one per printed
line, carrying whatever layout evidence the format offers (room left before the right margin,
a vertical gap or blank line before it, the page).  This module decides where a block
(paragraph, numbered point, bullet item, heading) starts; the rest of the shared layout logic
lives beside it: :mod:`~pipeline.extract.markers`, :mod:`~pipeline.extract.words`,
:mod:`~pipeline.extract.hyphenation`, :mod:`~pipeline.extract.footnotes`,
:mod:`~pipeline.extract.furniture` and :mod:`~pipeline.extract.assemble`.

Block boundaries.  A new block starts at a line that

1. opens with a marker ("1.", "a)", "(i)", "•" ...; see :func:`split_marker`) that fits its
   list (in sequence, or after a closed sentence: "3. lid" inside a sentence is no marker), or
2. follows a line that ended a paragraph.  The evidence, strongest first:

   - the reader's layout evidence (``Line.break_before``: a blank line where the page uses
     them only between paragraphs, a vertical gap, a change of font or size, a centred title
     ending, a return to the margin after a hanging indent);
   - a word broken at the line end, or a next line in lower case: the sentence goes on;
   - a full stop ending a list item that opened in lower case, before a capitalised line:
     the item ended (the point's text goes on after its list);
   - a line ending in an article or preposition ("de", "van": the most frequent words in
     wordfreq) never ends a heading;
   - a capitalised first word that this document writes mostly in lower case ("Deze",
     "Meer") after a line without closing punctuation: a heading or list item ended;
   - a capitalised first word after a line ending in a name ("Middellandse / Zeegebied"):
     the name goes on unless the line is clearly short;
   - otherwise the *fit test*: if the next line's first word would have fitted in the room
     left on this line, the typesetter would have put it there, so the line ended its
     paragraph.

Blank lines alone are not trusted: some dumps put one after every printed line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.lang.nl.stop_words import STOP_WORDS as DUTCH_STOP_WORDS

from pipeline.extract.hyphenation import broken_range, broken_word, join_line_texts
from pipeline.extract.markers import DASHES, marker_style, marker_value, split_marker
from pipeline.extract.words import (
    SENTENCE_END,
    DocumentWords,
    ends_capitalised,
    ends_with_function_word,
    first_word,
    has_lower,
    is_capitals,
)


@dataclass
class Line:
    """One printed line as a reader saw it.

    ``room`` is the space left between the line's end and the wrap width and ``word_width``
    the width of the line's first word, both in one unit the reader chooses (characters for
    text dumps, points for PDF); ``space_width`` is the width of a space in that unit.
    ``break_before`` is layout evidence: True (blank line, vertical gap, first-line indent),
    False (the layout says the paragraph goes on), None (no evidence).
    """

    text: str
    page: int = 1
    room: float | None = None
    word_width: float = 0.0
    space_width: float = 1.0
    break_before: bool | None = None
    full: bool = False  # the line reaches the wrap width / right margin
    short: bool | None = None  # clearly short of the wrap width (text dumps: under half)
    hard_break: bool = False  # the reader knows a new block starts here (HTML <p>, DOCX)
    marker: str | None = None  # a marker the reader already knows (HTML <ol>, DOCX numbering)
    role: str = "body"
    footnote_mark: str | None = None
    indent: float | None = None  # where the line starts, in the reader's unit (None: unknown)


@dataclass
class RawBlock:
    """A block before assembly: its text as (piece, page) parts, so page breaks survive."""

    pieces: list[tuple[str, int]]
    marker: str | None = None
    marker_kind: str | None = None  # "number", "roman", "letter", "bullet"
    role: str = "body"
    footnote_mark: str | None = None

    @property
    def text(self) -> str:
        return "".join(p for p, _ in self.pieces)


def _fits(prev: Line, line: Line) -> bool | None:
    """Would this line's first word have fitted at the end of the previous line?"""
    if prev.room is None:
        return None
    return prev.room >= prev.space_width + line.word_width


# a capital and a full stop opening a line: a heading "A. Infrastructuur", or an initial
_CAPITAL_MARKER_RE = re.compile(r"^([A-Z])\.\s+(?=\S)")
_GLYPH_RE = re.compile(r"^([*o–—-])\s+(?=\S)")
# a line ending in a spaced dash, whose second part is on the next line
_OPEN_DASH_RE = re.compile(r"\S\s+[–—-]$")
# a glyph that opens this many lines of a document is that document's bullet
GLYPH_LINES = 3
# a full stop after a word (not an initial "J." or "art."-like short token)
_FULL_STOP_RE = re.compile(r"[^\W\d_]{2,}[.!?][\"'”’)\]]*$|\d{4}[.!?]$|\)[.!?]$")


@dataclass
class DocumentMarkers:
    """What the whole document says about markers that are ambiguous on one line."""

    capital_headings: set[int] = field(default_factory=set)  # line indices
    glyphs: set[str] = field(default_factory=set)  # dashes, "*" or "o" used as bullets

    @classmethod
    def from_lines(cls, lines: list[Line]) -> DocumentMarkers:
        """ "A. ", "B. ", "C. " counting up through the document open headings (an initial
        does not count up), and so do the runs that start again at "A." under each part
        ("I." A. B. "II." A. B.) once one run has counted past "A."; a dash or "*" that
        opens three lines or more is a bullet glyph (a parenthetical dash at a line start is
        rare)."""
        capitals = [
            (i, m.group(1))
            for i, ln in enumerate(lines)
            if ln.role == "body" and not ln.marker and (m := _CAPITAL_MARKER_RE.match(ln.text))
        ]
        runs: list[list[int]] = []
        want = "A"
        for i, letter in capitals:
            if letter == "A":
                runs.append([i])
                want = "B"
            elif letter == want and runs:
                runs[-1].append(i)
                want = chr(ord(want) + 1)
        chain = [i for run in runs for i in run] if any(len(run) >= 2 for run in runs) else []
        glyphs: dict[str, int] = {}
        for ln in lines:
            m = _GLYPH_RE.match(ln.text) if ln.role == "body" and not ln.marker else None
            if m:
                glyphs[m.group(1)] = glyphs.get(m.group(1), 0) + 1
        return cls(
            set(chain) if len(chain) >= 2 else set(),
            {g for g, n in glyphs.items() if n >= GLYPH_LINES},
        )


def _accept_marker(
    kind: str,
    marker: str,
    prev: Line | None,
    prev_ended: bool | None,
    last_value: dict[str, int],
    prev_block: RawBlock | None,
    glyphs: set[str] = frozenset(),
) -> bool:
    """Is a marker at a line start really a list marker, not a word that happens to start a
    wrapped line ("- met name", "3. " in "artikel / 3. lid")?"""
    if prev is None or prev.hard_break:
        return True
    prev_closed = bool(SENTENCE_END.search(prev.text)) or prev_ended is True
    if kind == "bullet":
        if marker in DASHES and marker not in glyphs:
            # a dash starting a wrapped line is usually a parenthetical dash
            return prev_closed or (prev_block is not None and prev_block.marker == marker)
        return True
    value = marker_value(marker, kind)
    style = marker_style(marker, kind)
    in_sequence = value == 1 or last_value.get(style) == (value or 0) - 1
    if kind == "letter" and marker.endswith("."):
        return in_sequence and prev_closed
    return in_sequence or prev_closed


def _ended_paragraph(prev: Line, line: Line, words: DocumentWords, wrapped: bool) -> bool:
    """Did ``prev`` end its paragraph, given that ``line`` carries no marker?"""
    if line.hard_break:
        return True
    if not wrapped:
        return True  # one paragraph per line
    if broken_word(prev.text) and line.text[:1].islower():
        return False
    if broken_range(prev.text) and line.text[:1].isdigit():
        return False  # "voor de periode 2028-" / "2034 ..."
    if _OPEN_DASH_RE.search(prev.text):
        # a spaced dash joins two parts ("... (24 en 25 juni 2027) – / Conclusies"): nothing
        # ends on one, whatever gap or change of size a title set large leaves after it
        return False
    if line.break_before is True:
        return True
    if (is_capitals(prev.text) and has_lower(line.text)) or (
        is_capitals(line.text) and has_lower(prev.text)
    ):
        return True  # a heading in capitals is a block of its own
    word = first_word(line.text)
    if line.break_before is None and (word[:1].islower() or not word):
        return False
    closed = bool(SENTENCE_END.search(prev.text))
    if not closed and ends_with_function_word(prev.text):
        return False  # "... voortbouwend op de / Verklaring van Tirana": no heading ends so
    if (
        not closed
        and ends_capitalised(prev.text)
        and prev.short is False
        and _fits(prev, line) is False
        and word.lower() not in DUTCH_STOP_WORDS
        and line.short is False  # a short line after it is a heading ("Cyberveiligheid")
    ):
        # a name going on across the break on a long line its next word would not have fitted
        # ("... voor de Terugkeer van Oekraïense / Kinderen, waarvan ..."): wrapping explains
        # it; a function word ("Deze", "Wij") opens a sentence instead
        return False
    if not closed and not prev.full and words.starts_sentence(word):
        # a heading or list item without full stop ended short of the margin, and the next
        # line opens with a word this document capitalises only at a sentence start
        return True
    if not closed and word[:1].isupper() and prev.short is not None and ends_capitalised(prev.text):
        # a name going on across the break ("Middellandse / Zeegebied"), perhaps in a title set
        # in a bigger font (fewer characters a line), is far more common than a heading that
        # ends in a name right before a capitalised line: only a clearly short line ended
        return prev.short
    # otherwise only a line that could not have been wrapped here ended its paragraph
    return bool(_fits(prev, line))


def _closes_item(block: RawBlock | None, opening: str, prev: Line | None, line: Line) -> bool:
    """Did the list item ``block`` end at ``prev``?  An item that opens in lower case
    ("c) binnen twaalf maanden ... op te richten.") is one clause of its lead-in's sentence:
    after its full stop, a capitalised line ("Daarnaast zal de Raad ...") is the point's text
    going on after its list, however full the item's last line is."""
    if block is None or prev is None or block.marker_kind not in ("letter", "bullet"):
        return False
    word = first_word(line.text)
    return (
        first_word(opening.lstrip())[:1].islower()
        and word[:1].isupper()
        and word[1:2].islower()
        and bool(_FULL_STOP_RE.search(prev.text.rstrip()))
    )


def _sub_item(block: RawBlock | None, opening: Line | None, line: Line, marker: str) -> bool:
    """Is this bullet an item of a list nested in the list item ``block`` ("▪ ... via:" /
    "o het Noordzee-Vakcollege ...")?  A different glyph set deeper than the item's own: the
    nested items are the words of the item they hang from, not items of the point."""
    return (
        block is not None
        and opening is not None
        and block.marker_kind == "bullet"
        and block.marker != marker
        and opening.indent is not None
        and line.indent is not None
        and line.indent > opening.indent
    )


def build_blocks(
    lines: list[Line], *, words: DocumentWords | None = None, wrapped: bool = True
) -> list[RawBlock]:
    """Group lines into blocks (see the module docstring for the rules).

    ``wrapped=False`` says the text is not wrapped at a fixed width (one paragraph per line),
    so every line is a block.
    """
    if words is None:
        words = DocumentWords.from_lines([ln.text for ln in lines])
    blocks: list[RawBlock] = []
    groups: list[tuple[RawBlock, list[Line]]] = []
    last_value: dict[str, int] = {}
    prev: Line | None = None
    document = DocumentMarkers.from_lines(lines)
    for index, line in enumerate(lines):
        if line.marker:
            marker, kind, rest = line.marker, "known", line.text
        elif line.role == "footnote":
            marker, kind, rest = None, None, line.text  # a note's text is not a list
        elif index in document.capital_headings:
            m = _CAPITAL_MARKER_RE.match(line.text)
            marker, kind, rest = m.group(1) + ".", "heading", line.text[m.end() :]
        elif line.text[:2] in ("* ", "o ") and line.text[0] in document.glyphs:
            # "*" and Word's "o" open items only in a document that uses them so, whatever
            # the case of the item's first word ("o tegen 2030 ... sluiten;")
            marker, kind, rest = line.text[0], "bullet", line.text[2:].lstrip()
        else:
            marker, kind, rest = split_marker(line.text)
        current = groups[-1][0] if groups else None
        new_block = prev is None or line.role != prev.role
        nested = False
        if marker and not new_block and kind not in ("known", "heading"):
            ended = _ended_paragraph(prev, line, words, wrapped) if prev else True
            if not _accept_marker(kind, marker, prev, ended, last_value, current, document.glyphs):
                marker = None
            elif kind == "bullet" and _sub_item(current, groups[-1][1][0], line, marker):
                marker, nested = None, True  # its glyph goes, its words join the item
        if marker is None:
            rest = rest if nested else line.text
            if not new_block and not nested:
                new_block = _ended_paragraph(prev, line, words, wrapped) or _closes_item(
                    current, groups[-1][1][0].text, prev, line
                )
        else:
            new_block = True
        if new_block:
            if marker and kind == "known":  # from list numbering ("3.", "1.2.", "•"): its kind
                kind = split_marker(marker + " x")[1] or (
                    "number" if any(ch.isalnum() for ch in marker) else "bullet"
                )
                sequence_marker = split_marker(marker + " x")[0] == marker
            else:
                sequence_marker = True
            block = RawBlock([], marker, kind if marker else None, line.role, line.footnote_mark)
            if marker and kind not in ("bullet", "heading") and sequence_marker:
                last_value[marker_style(marker, kind)] = marker_value(marker, kind)
            groups.append((block, []))
        # dataclasses.replace is slow: copy only a line whose marker was split off
        groups[-1][1].append(line if rest == line.text else replace(line, text=rest))
        prev = line
    for block, block_lines in groups:
        block.pieces = join_line_texts(block_lines, words)
        blocks.append(block)
    return blocks


def looks_wrapped(lines: list[str]) -> bool:
    """Is this text wrapped at a fixed width (a paragraph over several lines), or one paragraph
    per line?  Wrapped text has lines that go on in the next one: a next line starting in lower
    case or a word broken with a hyphen."""
    pairs = continued = 0
    for a, b in zip(lines, lines[1:]):
        if not a.strip() or not b.strip():
            continue
        pairs += 1
        word = first_word(b.strip())
        if (word[:1].islower() and not split_marker(b.strip())[0]) or broken_word(a.rstrip()):
            continued += 1
    return pairs > 0 and continued / pairs >= 0.1
