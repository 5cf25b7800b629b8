"""DOCX (python-docx): paragraphs in body order, list numbering as markers, footnotes.

- Every non-empty paragraph is a block (a manual line break inside one starts a new block, as
  it starts a new printed line); tables are read cell by cell.
- List numbering comes from the paragraph's ``w:numPr`` or its style's (e.g. "List Number"):
  the level's format in numbering.xml ("%1." decimal, "a)" lowerLetter, bullet glyphs ...)
  and a counter per list give the marker, so "3." is found although it is not typed.
- Footnotes: Word footnotes (footnotes.xml) become footnote blocks numbered in reference
  order; their reference runs disappear from the text.  Superscript marks typed by hand
  ("Kosovo" + superscript "*") are removed too, and paragraphs at the end that open with such
  a mark are taken as the notes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from pipeline.escapes import printable
from pipeline.extract.assemble import assemble, normalise_spaces
from pipeline.extract.blocks import Line, RawBlock, build_blocks
from pipeline.extract.footnotes import SUPERSCRIPT_DIGITS, normalise_mark
from pipeline.types import ExtractedText, InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MARK_RE = re.compile(rf"^\s*(\*{{1,3}}|\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]+)\s*$")
_NOTE_START_RE = re.compile(rf"^\s*(\*{{1,3}}|\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]+)\s+(?=\S)")
# Symbol/Wingdings private-use bullets as Word writes them -> the glyph a reader sees
_BULLET_GLYPHS = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf0d8": "➢",
    "\uf076": "❖",
    "\uf0fc": "✓",
    "\uf02d": "-",
    "\uf0be": "—",
    "": "•",
}


def _attr(el, name: str) -> str | None:
    return None if el is None else el.get(W + name)


# --------------------------------------------------------------------------------------------
# Numbering
# --------------------------------------------------------------------------------------------


def _roman(n: int) -> str:
    out = ""
    for value, sym in [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]:
        while n >= value:
            out, n = out + sym, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class Numbering:
    """Turns (numId, ilvl) of successive list paragraphs into markers like Word shows them."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # -> (fmt, lvlText, start)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {_attr(a, "abstractNumId"): a for a in root.iter(W + "abstractNum")}
        for num in root.iter(W + "num"):
            num_id = _attr(num, "numId")
            definition = abstract.get(_attr(num.find(W + "abstractNumId"), "val"))
            if definition is None:
                continue
            overrides = {_attr(o, "ilvl"): o for o in num.iter(W + "lvlOverride")}
            for lvl in definition.iter(W + "lvl"):
                ilvl = int(_attr(lvl, "ilvl") or 0)
                fmt = _attr(lvl.find(W + "numFmt"), "val") or "decimal"
                text = _attr(lvl.find(W + "lvlText"), "val") or ""
                start = int(_attr(lvl.find(W + "start"), "val") or 1)
                override = overrides.get(str(ilvl))
                if override is not None and override.find(W + "startOverride") is not None:
                    start = int(_attr(override.find(W + "startOverride"), "val") or start)
                self.levels[(num_id, ilvl)] = (fmt, text, start)

    def marker(self, num_id: str, ilvl: int) -> str | None:
        level = self.levels.get((num_id, ilvl))
        if level is None or num_id == "0":
            return None
        fmt, text, start = level
        if fmt == "none":
            return None
        if fmt == "bullet":
            glyph = text.strip()
            return _BULLET_GLYPHS.get(glyph, glyph or "•")
        counts = self.counters.setdefault(num_id, [])
        while len(counts) <= ilvl:
            counts.append(0)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        del counts[ilvl + 1 :]  # a higher level restarts the deeper ones

        def level_value(match: re.Match) -> str:
            i = int(match.group(1)) - 1
            lvl = self.levels.get((num_id, i), ("decimal", "", 1))
            value = counts[i] if i < len(counts) and counts[i] else lvl[2]
            return _format_number(value, lvl[0])

        return re.sub(r"%(\d)", level_value, text).strip() or None


def _num_pr(paragraph):
    """(numId, ilvl) from the paragraph or, failing that, its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        s_pr = style.element.pPr
        num_pr = s_pr.numPr if s_pr is not None else None
        style = style.base_style
    if num_pr is None:
        return None
    num_id = num_pr.numId.val if num_pr.numId is not None else None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return (str(num_id), int(ilvl)) if num_id is not None else None


# --------------------------------------------------------------------------------------------
# Text of a paragraph
# --------------------------------------------------------------------------------------------


def _is_superscript(run) -> bool:
    if run.font.superscript:
        return True
    style = run.style
    while style is not None:
        if style.font.superscript:
            return True
        style = style.base_style
    return False


def _opens_with_mark(paragraph) -> bool:
    """Does the paragraph open with a superscript note mark (a note typed by hand)?"""
    for run in paragraph.runs:
        if run.text.strip():
            return _is_superscript(run) and bool(_MARK_RE.match(run.text))
    return False


def _is_list_style(paragraph) -> bool:
    """A paragraph in one of Word's list styles ("List Paragraph", "List Bullet 2", "Lijst-
    alinea"): an item, whether or not its numbering shows a glyph."""
    style = paragraph.style
    name = (style.name if style is not None else "") or ""
    return name.lower().startswith(("list", "lijst"))


def _paragraph_text(paragraph, note_ids: dict[str, str], refs: list[str]) -> str:
    """The paragraph's text without footnote references (recorded in ``refs``)."""
    parts: list[str] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]
        for run in runs:
            ref = run._r.find(W + "footnoteReference")
            if ref is not None:
                mark = note_ids.setdefault(_attr(ref, "id"), str(len(note_ids) + 1))
                refs.append(mark)
                continue
            text = run.text
            if text and _is_superscript(run) and _MARK_RE.match(text) and parts:
                refs.append(normalise_mark(text.strip()))
                continue
            parts.append(text)
    return "".join(parts).replace("\t", " ")


def _iter_paragraphs(document):
    """Body paragraphs in order, with table cells' paragraphs where the table stands."""

    def walk(container_element, parent):
        for child in container_element.iterchildren():
            if child.tag == W + "p":
                yield Paragraph(child, parent)
            elif child.tag == W + "tbl":
                table = Table(child, parent)
                for row in table.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        yield from walk(cell._tc, cell)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from walk(content, parent)

    yield from walk(document.element.body, document)


def _word_footnotes(document) -> dict[str, str]:
    """Word footnote id -> text, from footnotes.xml (separators left out)."""

    notes: dict[str, str] = {}
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(W + "footnote"):
                if _attr(note, "type") in (
                    "separator",
                    "continuationSeparator",
                    "continuationNotice",
                ):
                    continue
                paragraphs = []
                for p in note.iter(W + "p"):
                    texts = [t.text or "" for t in p.iter(W + "t")]
                    paragraphs.append("".join(texts))
                text = normalise_spaces(" ".join(paragraphs))
                if text:
                    notes[_attr(note, "id")] = text
    return notes


# What the parts of a Word file may expand to, judged from the zip's own directory before
# anything is inflated (zipfile stops an entry at the size the directory gives, so a lying
# directory cannot make it more).  The XML is parsed whole (lxml holds about 20 bytes per
# byte of empty paragraphs): 64 MB of it stays under about 1.5 GB; a declaration's
# document.xml is well under 5 MB.  Other parts (images) are held as they are.
MAX_XML_BYTES = 64 * 2**20
MAX_PACKAGE_BYTES = 256 * 2**20
# Word's XML compresses 5 to 20 times; a part inflating 100 times or more (and to more than
# a megabyte) is a decompression bomb, e.g. 200 MB of empty paragraphs in a 330 KB file
MAX_RATIO = 100
RATIO_FROM_BYTES = 2**20


def check_package(path: Path, data: bytes) -> None:
    """Refuse a Word file whose parts would expand beyond the budgets above."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise InputError(path, "extract", f"corrupt DOCX ({type(err).__name__}: {err})") from None
    xml = sum(e.file_size for e in entries if e.filename.endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise InputError(
            path,
            "extract",
            f"the Word file expands to more than {MAX_XML_BYTES // 2**20} MB of XML",
        )
    if sum(e.file_size for e in entries) > MAX_PACKAGE_BYTES:
        raise InputError(
            path, "extract", f"the Word file expands to more than {MAX_PACKAGE_BYTES // 2**20} MB"
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FROM_BYTES and ratio >= MAX_RATIO:
            raise InputError(
                path,
                "extract",
                f"the Word file is a decompression bomb: {printable(entry.filename)} expands "
                f"{ratio:,.0f} times, to {entry.file_size / 2**20:,.0f} MB",
            )


def read(path: str | Path, data: bytes, sha256: str) -> ExtractedText:

    path = Path(path)
    if not data.startswith(b"PK"):
        raise InputError(path, "extract", "not a DOCX (not a zip package)")
    check_package(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as err:  # "Text node too long", a broken tag ...
        raise InputError(
            path, "extract", f"corrupt DOCX: its XML is malformed ({type(err).__name__}: {err})"
        ) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as err:
        raise InputError(path, "extract", f"corrupt DOCX ({type(err).__name__}: {err})") from None
    except ValueError as err:  # e.g. a .docm/.dotx content type
        raise InputError(path, "extract", f"not a Word document ({err})") from None

    numbering = Numbering(document)
    note_ids: dict[str, str] = {}  # Word footnote id -> mark in reference order
    refs: list[str] = []
    paragraphs: list[tuple[str, str | None]] = []  # (text, marker)
    raised: set[int] = set()  # paragraphs that open with a superscript mark
    for paragraph in _iter_paragraphs(document):
        text = _paragraph_text(paragraph, note_ids, refs)
        if not text.strip():
            continue
        num = _num_pr(paragraph)
        marker = numbering.marker(*num) if num else None
        if marker is None and _is_list_style(paragraph):
            marker = "•"  # a list paragraph without numbering: an item set off by its indent
        if _opens_with_mark(paragraph):
            raised.add(len(paragraphs))
        for i, line in enumerate(text.split("\n")):
            line = normalise_spaces(line)
            if line:
                paragraphs.append((line, marker if i == 0 else None))

    # hand-made notes: trailing paragraphs opening with a mark the body refers to, or with
    # "*" when no other paragraph does (a "*" list would); a "*" typed in a list of them is
    # a bullet, a raised one a note
    star_paragraphs = sum(1 for text, _ in paragraphs if text.startswith("*"))
    notes: list[RawBlock] = []
    while paragraphs:
        text, marker = paragraphs[-1]
        m = _NOTE_START_RE.match(text)
        if marker or not m:
            break
        mark = normalise_mark(m.group(1))
        if mark not in refs and not (set(mark) == {"*"} and star_paragraphs == 1):
            break
        if set(mark) == {"*"} and star_paragraphs >= 3 and len(paragraphs) - 1 not in raised:
            break
        notes.insert(0, RawBlock([(text[m.end() :], 1)], role="footnote", footnote_mark=mark))
        paragraphs.pop()
    word_notes = _word_footnotes(document)
    for word_id, mark in sorted(note_ids.items(), key=lambda kv: int(kv[1])):
        if word_id in word_notes:
            notes.append(RawBlock([(word_notes[word_id], 1)], role="footnote", footnote_mark=mark))

    if not paragraphs and not notes:
        raise InputError(path, "extract", "no text in the document")
    lines = [Line(text, hard_break=True, marker=marker) for text, marker in paragraphs]
    blocks = build_blocks(lines, wrapped=False) + notes
    title = document.core_properties.title or None
    return assemble(blocks, source_path=str(path), source_sha256=sha256, title_hint=title)
