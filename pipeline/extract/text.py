"""Plain text: decoding, and text dumps of PDFs (form feeds as page breaks, hard-wrapped lines).

The layout rules live in :mod:`pipeline.extract.blocks`; this module turns the characters into
:class:`~pipeline.extract.Line` objects with the evidence a text dump offers: the room
left on a line (in characters, against the text's wrap width) and blank lines where a page uses
them only between paragraphs.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.extract.assemble import assemble, normalise_spaces
from pipeline.extract.blocks import Line, RawBlock, build_blocks, looks_wrapped
from pipeline.extract.envelope import strip_envelope
from pipeline.extract.footnotes import (
    SUPERSCRIPT_DIGITS,
    is_referenced,
    normalise_mark,
    note_continuation,
    note_unfinished,
    remove_footnote_refs,
)
from pipeline.extract.furniture import (
    furniture_key,
    furniture_lines,
    is_page_number,
    repeated_furniture,
)
from pipeline.extract.hyphenation import join_line_texts
from pipeline.extract.markers import split_marker
from pipeline.extract.words import DocumentWords, first_word
from pipeline.types import ExtractedText, InputError

# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte is NUL, as in mostly-Latin UTF-16."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def looks_binary(text: str) -> bool:
    """Control characters other than whitespace and form feeds betray a binary file."""
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return "\x00" in sample or bad / len(sample) > 0.01


def decode(data: bytes, path: str | Path = "") -> tuple[str, list[str]]:
    """Bytes -> (text, warnings).  UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16
    without BOM, and otherwise charset-normalizer's guess (cp1252 for Western European
    single-byte text, which also reads latin-1)."""
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(
                    path, "extract", f"invalid {encoding} text after byte order mark ({err.reason})"
                ) from None
            return text.lstrip("\ufeff"), warnings
    encoding = _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None and not looks_binary(text):
            return text, [f"decoded as {encoding} (no byte order mark)"]
    if b"\x00" in data[:8192]:
        raise InputError(path, "extract", "binary file, not text")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    # Declarations are Western European text: prefer cp1252 (a superset of latin-1's printable
    # range) whenever it reads the bytes, unless the detector is sure of something else.
    encoding = "cp1252"
    if guess and guess not in (
        "cp1252",
        "latin_1",
        "iso8859_15",
        "iso8859_1",
        "cp1250",
        "mac_roman",
    ):
        encoding = guess
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = guess or "latin-1"
        text = data.decode(encoding, errors="replace")
    if looks_binary(text):
        raise InputError(path, "extract", "binary file, not text")
    warnings.append(f"decoded as {encoding}")
    return text, warnings


# --------------------------------------------------------------------------------------------
# The character budget, while reading
# --------------------------------------------------------------------------------------------

READ_CHUNK = 1 << 20  # bytes decoded at a time while counting
# a run of spaces or tabs is one space in the clean text, as are layout dumps' padded columns
_SPACE_RUNS = re.compile(r"[ \t]+")


def more_characters_than(path: str | Path, limit: int) -> bool:
    """Whether the text file holds more than ``limit`` characters, counted as the clean text
    keeps them (a run of spaces or tabs as one), read and decoded a megabyte at a time and
    stopped as soon as it does: a file far beyond the budget is refused after about ``limit``
    characters, never held whole (a 190 MB file once took 4.4 GiB before it was refused).
    Decoded as the BOM or the UTF-16 pattern says, else as UTF-8 with a replacement character
    per undecodable byte: a count, not the text, so a single-byte charset counts the same."""
    with open(path, "rb") as f:
        head = f.read(4096)
        encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
        encoding = encoding or _utf16_without_bom(head) or "utf-8"
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        count, chunk = 0, head
        while chunk:
            count += len(_SPACE_RUNS.sub(" ", decoder.decode(chunk)))
            if count > limit:
                return True
            chunk = f.read(READ_CHUNK)
    return False


# --------------------------------------------------------------------------------------------
# Lines with layout evidence
# --------------------------------------------------------------------------------------------

_SEPARATOR_RE = re.compile(r"^(?:\s{10,}|\s*[_\-—─=]{5,}\s*)$")


def is_separator(raw_line: str) -> bool:
    """The rule above the footnotes: a long whitespace-only line (how pdftotext and pdfplumber
    render the rule) or a run of underscores/dashes."""
    return raw_line != "" and _SEPARATOR_RE.match(raw_line.rstrip("\r\n")) is not None


def wrap_width(lengths: list[int]) -> float:
    """The width the text was wrapped at: the 90th percentile of line lengths."""
    if not lengths:
        return 0.0
    ordered = sorted(lengths)
    return float(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))])


def blank_lines_separate_paragraphs(page: list[str]) -> bool | None:
    """Does this page put blank lines only between paragraphs?  Some dumps put a blank line
    after every printed line; then blank lines say nothing.  Judged on line pairs that clearly
    belong together (the second starts in lower case or the first ends in a broken word)."""
    together = with_blank = separated = 0
    previous, blank_between = None, False
    for raw in page:
        line = raw.strip()
        if not line:
            blank_between = True
            continue
        if previous is not None:
            separated += blank_between
            word = first_word(line)
            if (word[:1].islower() and not split_marker(line)[0]) or previous.endswith("-"):
                together += 1
                with_blank += blank_between
        previous, blank_between = line, False
    if together < 3 or not separated:
        return None  # too little evidence, or no blank lines at all
    return with_blank / together < 0.1


def mark_headings(lines: list[Line], width: float) -> None:
    """A heading between paragraphs: a short line, capitalised, without closing punctuation,
    after a line that closed a sentence and before a list item or a capitalised line.  A dump
    shows no bold and no spacing, but a paragraph's own last line ends with punctuation."""
    for i in range(1, len(lines) - 1):
        prev, line, nxt = lines[i - 1], lines[i], lines[i + 1]
        if (
            line.break_before is None
            and len(line.text) < 0.6 * width
            and first_word(line.text)[:1].isupper()
            and not split_marker(line.text)[0]
            and not re.search(r"[.!?:;,]$", line.text)
            and re.search(r"[.!?:;]$", prev.text)
            and (split_marker(nxt.text)[0] or first_word(nxt.text)[:1].isupper())
        ):
            line.break_before = True


# --------------------------------------------------------------------------------------------
# Footnotes in a text dump
# --------------------------------------------------------------------------------------------

_NOTE_START_RE = re.compile(
    rf"^(\*{{1,3}}|\d{{1,3}}(?=[ \t]*[^\W\d_])|[{SUPERSCRIPT_DIGITS}]{{1,3}})[ \t]*(?=\S)"
)


def note_mark(line: str) -> tuple[str, str] | None:
    """(mark, text) for a line that opens like a footnote: "* Deze ...", "12 Zie ...", "¹ Zie"."""
    m = _NOTE_START_RE.match(line)
    if not m:
        return None
    return m.group(1), line[m.end() :]


def split_footnotes(
    page: list[str], body_text: str, *, last_page: bool = False, star_bullets: bool = False
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Split a page's raw lines into body lines and footnotes [(mark, lines)].

    A footnote region starts after a separator line, or else at the last run of lines at the
    page's end that opens with a mark; the first note's mark must be referenced in the body
    ("Kosovo*", "lidstaten1"), so a bullet written "*" or a number at a line start is not
    taken for a note.  One exception: a "*" paragraph closing the document whose mark has no
    reference (text rendered from gold annotations, where marks are already removed) is a note
    unless "*" also starts other lines (a "*" bullet list).
    """
    star_lines = sum(1 for raw in page if raw.lstrip().startswith("*"))
    sep = max((i for i, raw in enumerate(page) if is_separator(raw)), default=None)
    candidates: list[int]
    if sep is not None:
        candidates = [sep + 1]
    else:
        nonblank = [i for i, raw in enumerate(page) if raw.strip()]
        # notes sit in the last quarter of the page's lines (the last half of the last page,
        # where notes set at the end follow a short last paragraph)
        share = 0.5 if last_page else 0.75
        tail_from = nonblank[int(len(nonblank) * share)] if nonblank else len(page)
        candidates = [i for i in nonblank if i >= tail_from and note_mark(page[i].strip())]
        if nonblank and note_mark(page[nonblank[0]].strip()) and not star_bullets:
            # a page that opens with a note: the notes printed after the last page number
            candidates.insert(0, nonblank[0])
        if star_bullets:  # "*" bullets: only the last "*" line of the document opens a note
            stars = [i for i in nonblank if page[i].lstrip().startswith("*")]
            last_star = stars[-1] if stars and last_page else None
            candidates = [
                i for i in candidates if not page[i].lstrip().startswith("*") or i == last_star
            ]
    for start in candidates:
        rest = [raw.strip() for raw in page[start:] if raw.strip() and not is_separator(raw)]
        if not rest:
            continue
        first = note_mark(rest[0])
        if first is None:
            continue
        unreferenced_star_note = (
            last_page and set(first[0]) == {"*"} and star_lines == 1 and len(rest) == 1
        )
        if not is_referenced(first[0], body_text) and not unreferenced_star_note:
            continue
        notes: list[tuple[str, list[str]]] = []
        for line in rest:
            found = note_mark(line)
            if found and (not notes or is_referenced(found[0], body_text)):
                notes.append((found[0], [found[1]]))
            else:
                notes[-1][1].append(line)
        return page[:start], notes
    return page, []


_MARK_ONLY_RE = re.compile(rf"^\s*(\*{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}})\s*$")
_STRAY_MARK_RE = re.compile(r"(?<=\S)[ \t]+(\*{1,3})(?=[ \t]|[,.;:)]|$)")


def strip_stray_marks(page: list[str], found: set[str]) -> list[str]:
    """Remove note marks a PDF-to-text tool set apart from their word: a raised "*" printed
    on a line of its own, or as a lone token ("Belarus * ," / "beschermen. *").  A lone "*"
    is never a word, so it is a reference; ``found`` collects the marks."""
    out = []
    for raw in page:
        m = _MARK_ONLY_RE.match(raw)
        if m:
            found.add(normalise_mark(m.group(1)))
            continue
        if "*" in raw:
            for mark in _STRAY_MARK_RE.findall(raw):
                found.add(mark)
            raw = _STRAY_MARK_RE.sub("", raw)
        out.append(raw)
    return out


# --------------------------------------------------------------------------------------------
# Page furniture, and the pages it marks
# --------------------------------------------------------------------------------------------

_CLOSING = (".", ":", ";", ",", "!", "?")


def cut_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Remove running headers, footers and page numbers; return the pages they delimit.

    With form feeds, the first and last lines of a page that repeat on many pages are
    furniture (:func:`furniture_lines`).  Anywhere in the text, so also in a dump without form
    feeds, page numbers that count up and short lines repeated a page apart are furniture too
    (:func:`repeated_furniture`); where they stand between body lines a page ends, so notes
    are looked for at its foot and a blank line left by the furniture is no paragraph break.
    """
    spots = [(p, i) for p, page in enumerate(pages) for i, ln in enumerate(page) if ln.strip()]
    texts = [normalise_spaces(pages[p][i]) for p, i in spots]
    drop: set[tuple[int, int]] = set()
    if len(pages) > 1:
        by_page: dict[int, list[int]] = {}
        for p, i in spots:
            by_page.setdefault(p, []).append(i)
        nonblank = [[pages[p][i].strip() for i in by_page.get(p, [])] for p in range(len(pages))]
        for p, found in enumerate(furniture_lines(nonblank)):
            drop.update((p, by_page[p][d]) for d in found)
        # a running header that equals the title stands above it on the first page: the
        # second of two equal lines there is the title
        top = by_page.get(0, [])[:3]
        for a, b in zip(top, top[1:]):
            same = furniture_key(pages[0][a]) == furniture_key(pages[0][b])
            if same and (0, a) in drop and (0, b) in drop:
                drop.discard((0, b))
    width = wrap_width([len(t) for t in texts])

    def short(text: str) -> bool:
        return 0 < len(text) < 0.6 * width and split_marker(text)[0] is None

    def title_like(following: list[str]) -> bool:
        """Do these lines open with a title: a block (up to its first short line) that ends
        without a full stop or colon, unlike the preamble ("... het volgende besloten:")?"""
        for text in following:
            if text.endswith(_CLOSING):
                return False
            if short(text):
                return True
        return False

    first_line = spots[0][1] if spots else 0
    if (
        spots
        and spots[0] in drop
        and not is_page_number(texts[0])
        and first_line + 1 < len(pages[0])
        and pages[0][first_line + 1].strip()
    ):
        # the later pages' header repeats the first page's first line, and the text follows
        # that line without the gap a header leaves: it is the title, unless a title follows
        # it (then the header was printed above the title there too)
        nxt = texts[1] if len(texts) > 1 else ""
        above = furniture_key(nxt) == furniture_key(texts[0]) or nxt.startswith(texts[0])
        if not above and not title_like(texts[1:6]):
            drop.discard(spots[0])

    starts = frozenset(
        k for k in range(1, len(spots)) if spots[k][0] != spots[k - 1][0]
    )  # the first line of every page after the first
    drop.update(spots[k] for k in repeated_furniture(texts, title_like, short, starts))
    if not drop:
        return pages
    out: list[list[str]] = []
    for p, page in enumerate(pages):
        current: list[str] = []
        cut = False  # furniture seen since the last body line
        for i, raw in enumerate(page):
            if (p, i) in drop:
                cut = True
                continue
            if cut and raw.strip():
                if any(ln.strip() for ln in current):
                    out.append(current)
                    current = []
                cut = False
            if raw.strip() or any(ln.strip() for ln in current):  # no blank lines at the top
                current.append(raw)
        out.append(current)
    return [page for page in out if any(ln.strip() for ln in page)] or [[]]


# --------------------------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------------------------


def read_text(
    text: str, *, source_path: str = "", source_sha256: str = "", warnings: list[str] | None = None
) -> ExtractedText:
    """Clean text from a decoded string (a text file or a PDF text dump)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(strip_envelope(text.split("\n")))  # a declaration sent as an e-mail
    raw_pages = text.split("\f")
    if raw_pages and not raw_pages[-1].strip() and len(raw_pages) > 1:
        raw_pages.pop()  # a trailing form feed ends the last page
    pages = [page.split("\n") for page in raw_pages]

    pages = cut_furniture(pages)

    stray_marks: set[str] = set()
    pages = [strip_stray_marks(page, stray_marks) for page in pages]
    body_text = "\n".join(ln for page in pages for ln in page)
    body_text += "\n" + " ".join(f"x{mark}" for mark in stray_marks)  # they were references
    body_pages: list[list[str]] = []
    notes: list[tuple[int, str, list[str]]] = []
    # "*" opening several lines is this document's bullet glyph, not a note's mark
    star_bullets = sum(ln.lstrip().startswith("* ") for page in pages for ln in page) >= 3
    for number, page in enumerate(pages, start=1):
        if notes and notes[-1][0] == number - 1 and note_unfinished(notes[-1][2]):
            # a note cut off at the previous page's foot goes on at this one's
            if blank_lines_separate_paragraphs(page) is not False:
                page, rest = note_continuation(
                    page,
                    is_separator,
                    lambda t: split_marker(t)[0] is not None,
                    normalise_spaces(notes[-1][2][-1]),
                )
                notes[-1][2].extend(rest)
        body, page_notes = split_footnotes(
            page, body_text, last_page=number == len(pages), star_bullets=star_bullets
        )
        body_pages.append(body)
        notes.extend((number, mark, lines) for mark, lines in page_notes)

    # each body line's text with its spaces normalised; None for a blank line or a separator
    page_texts = [
        [normalise_spaces(raw) if raw.strip() and not is_separator(raw) else None for raw in page]
        for page in body_pages
    ]
    width = wrap_width([len(t) for texts in page_texts for t in texts if t is not None])
    # leave 10% slack: proportional fonts fit more or fewer characters on a line
    usable = 0.9 * width
    lines: list[Line] = []
    for number, (page, texts) in enumerate(zip(body_pages, page_texts), start=1):
        blanks_matter = blank_lines_separate_paragraphs(page)
        blank_before = False
        for raw, line_text in zip(page, texts):
            if line_text is None:
                blank_before = True
                continue
            lines.append(
                Line(
                    text=line_text,
                    indent=len(raw.expandtabs(8)) - len(raw.expandtabs(8).lstrip()),
                    page=number,
                    room=usable - len(line_text),
                    full=len(line_text) >= width,
                    short=len(line_text) < 0.5 * width,
                    word_width=len(line_text.split(None, 1)[0]),
                    break_before=(blank_before if blanks_matter else None) if lines else None,
                )
            )
            blank_before = False
    mark_headings(lines, width)
    words = DocumentWords.from_lines(
        [ln.text for ln in lines]
        + [normalise_spaces(t) for _, _, note_lines in notes for t in note_lines]
    )
    wrapped = looks_wrapped([ln.text for ln in lines])
    blocks = build_blocks(lines, words=words, wrapped=wrapped)
    for page_number, mark, note_lines in notes:
        note = [Line(normalise_spaces(t), page_number, role="footnote") for t in note_lines]
        block = RawBlock(
            join_line_texts(note, words),
            role="footnote",
            footnote_mark=normalise_mark(mark),
        )
        blocks.append(block)
    remove_footnote_refs(blocks, [mark for _, mark, _ in notes])
    return assemble(
        blocks,
        n_pages=len(pages),
        source_path=source_path,
        source_sha256=source_sha256,
        warnings=warnings,
    )


def read(path: str | Path, data: bytes, sha256: str) -> ExtractedText:
    text, warnings = decode(data, path)
    if not text.strip():
        raise InputError(path, "extract", "empty file (only whitespace)")
    return read_text(text, source_path=str(path), source_sha256=sha256, warnings=warnings)
