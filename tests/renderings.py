"""Test documents generated from a gold annotation: the same declaration as PDF, DOCX and HTML.

Every renderer returns a :class:`Rendering`: the file it wrote and the blocks a reader should
find in it, in order, each with the clean text the gold file gives and (for PDF) the pages the
renderer actually drew it on.  So a test can say "reading this file gives these blocks" without
typing any of the declaration's text.

>>> gold = load_gold(SEED_GOLD)      # doctest: +SKIP
>>> rendering = render_pdf(gold, tmp_path / "sofia.pdf")                # doctest: +SKIP
>>> rendering.blocks[2].marker, rendering.blocks[2].page_start          # doctest: +SKIP
('1.', 1)

Also used by ``python -m benchmarks`` (the 200-page benchmark PDF); needs the test extras
(reportlab, pyphen, python-docx).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.gold import GoldDocument
from pipeline.layouts.pdf import fonts as pdf_fonts
from pipeline.layouts.pdf import hyphenator

RUNNING_HEADER = "Verklaring van Sofia — Raad van de Europese Unie"
BULLET = "•"


@dataclass
class ExpectedBlock:
    """One block as a reader should return it."""

    text: str  # clean content, without marker
    marker: str | None = None  # "1.", "•" or None
    role: str = "body"
    footnote_mark: str | None = None
    kind: str = ""  # the gold segment kind it comes from
    segment_id: str = ""
    pages: set[int] = field(default_factory=set)  # filled by the PDF renderer

    @property
    def page_start(self) -> int:
        return min(self.pages) if self.pages else 1

    @property
    def page_end(self) -> int:
        return max(self.pages) if self.pages else 1


@dataclass
class Rendering:
    path: Path
    blocks: list[ExpectedBlock]
    n_pages: int = 1

    @property
    def body(self) -> list[ExpectedBlock]:
        return [b for b in self.blocks if b.role == "body"]

    @property
    def text(self) -> str:
        """The clean text a reader should produce: one block per line, footnotes last."""
        ordered = self.body + [b for b in self.blocks if b.role != "body"]
        return "\n".join(
            (b.marker + " " + b.text) if b.marker and b.marker != BULLET else b.text
            for b in ordered
        )


def expected_blocks(gold: GoldDocument) -> list[ExpectedBlock]:
    """The blocks of a declaration, in reading order, footnotes last.

    A title, annex title or heading with several sentences stands on the page as one line per
    sentence ("Bijlage bij de verklaring" / "Prioriteitenagenda van Sofia"), so one block each.
    """
    body: list[ExpectedBlock] = []
    notes: list[ExpectedBlock] = []
    for seg in gold.segments:
        if seg.kind == "footnote":
            notes.append(ExpectedBlock(seg.text, None, "footnote", "*", seg.kind, seg.id))
        elif seg.kind in ("title", "annex_title", "heading"):
            body.extend(
                ExpectedBlock(s.text, None, "body", None, seg.kind, seg.id) for s in seg.sentences
            )
        elif seg.kind == "point":
            body.append(ExpectedBlock(seg.text, f"{seg.number}.", "body", None, seg.kind, seg.id))
        elif seg.kind == "bullet":
            body.append(ExpectedBlock(seg.text, BULLET, "body", None, seg.kind, seg.id))
        else:
            body.append(ExpectedBlock(seg.text, None, "body", None, seg.kind, seg.id))
    return body + notes


def footnote_anchors(gold: GoldDocument) -> dict[str, tuple[str, str]]:
    """Where each footnote is referenced: footnote id -> (segment id, word after which the mark
    stands).  Gold files keep no marks, so the anchor is the first body mention of a name the
    footnote is about (the seed's note on Kosovo hangs on "Kosovo* Specialist Chambers")."""
    anchors: dict[str, tuple[str, str]] = {}
    body = [s for s in gold.segments if s.kind != "footnote"]
    for note in (s for s in gold.segments if s.kind == "footnote"):
        names = [e.text for sent in note.sentences for e in sent.entities if e.key]
        for name in names:
            seg = next((s for s in body if re.search(rf"\b{re.escape(name)}\b", s.text)), None)
            if seg is not None:
                anchors[note.id] = (seg.id, name)
                break
    return anchors


# --------------------------------------------------------------------------------------------
# PDF (reportlab): the font and the Dutch hyphenation of pipeline.layouts.pdf, the typesetter
# of the layout-randomised renderings; here one fixed layout with the pages of every block
# --------------------------------------------------------------------------------------------


def _pdf_styles(font_size: float = 11.0, spacing: float = 1.0):
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    fonts = pdf_fonts()

    leading = font_size * 1.3
    body = ParagraphStyle(
        "body",
        fontName=fonts["regular"],
        fontSize=font_size,
        leading=leading,
        alignment=TA_JUSTIFY,
        spaceBefore=font_size * 0.6 * spacing,
        hyphenationLang=hyphenator,
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
        allowWidows=0,
        allowOrphans=0,
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts["bold"],
            fontSize=font_size + 3,
            leading=(font_size + 3) * 1.3,
            alignment=TA_CENTER,
            spaceBefore=0,
            spaceAfter=font_size,
            hyphenationLang="",
        ),
        "annex_title": ParagraphStyle(
            "annex_title",
            parent=body,
            fontName=fonts["bold"],
            alignment=TA_CENTER,
            hyphenationLang="",
            spaceBefore=font_size * 0.3,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=fonts["bold"],
            alignment=0,
            spaceBefore=font_size * spacing,
            hyphenationLang="",
        ),
        "point": ParagraphStyle(
            "point",
            parent=body,
            leftIndent=font_size * 2,
            bulletIndent=0,
            bulletFontName=fonts["regular"],
        ),
        "bullet": ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=font_size * 1.6,
            bulletIndent=font_size * 0.3,
            bulletFontName=fonts["regular"],
            spaceBefore=font_size * 0.4 * spacing,
        ),
        "footnote": ParagraphStyle(
            "footnote",
            parent=body,
            fontSize=font_size - 2.5,
            leading=(font_size - 2.5) * 1.25,
            spaceBefore=0,
        ),
    }


def render_pdf(
    gold: GoldDocument,
    path: str | Path,
    *,
    repeat: int = 1,
    columns: int = 1,
    font_size: float = 10.5,
    paragraph_spacing: float = 1.0,
    max_pages: int | None = None,
) -> Rendering:
    """A4 PDF of the declaration: justified, hyphenated with Dutch patterns (pyphen nl_NL),
    numbered points and "•" bullets with hanging indents, a running header and page numbers,
    the annex on a new page, and each footnote at the foot of the page that references it
    with a superscript "*".  ``repeat`` copies the declaration (page break between copies);
    ``paragraph_spacing`` scales the space between paragraphs (0: none, as in many PDFs);
    ``max_pages`` stops the story once that many pages are full (for the benchmark)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph

    path = Path(path)
    styles = _pdf_styles(font_size, paragraph_spacing)
    fonts = pdf_fonts()
    width, height = A4
    margin = 25 * mm
    footer_zone = 18 * mm  # page number
    note_zone = 22 * mm  # reserved on every page, so the layout does not depend on the notes
    drawn_on: dict[int, set[int]] = {}  # expected-block index -> pages
    notes_on_page: dict[int, list[int]] = {}  # page -> expected-block indices of notes

    class RecordingParagraph(Paragraph):
        """A paragraph that records the pages it is drawn on (its split parts too)."""

        block_index = -1
        notes: tuple[int, ...] = ()

        def split(self, availWidth, availHeight):
            parts = super().split(availWidth, availHeight)
            for part in parts:
                # a note belongs to the page where its mark is printed
                part.block_index = self.block_index
                part.notes = self.notes if "*" in part.getPlainText() else ()
            return parts

        def draw(self):
            page = self.canv.getPageNumber()
            drawn_on.setdefault(self.block_index, set()).add(page)
            for note in self.notes:
                if note not in notes_on_page.setdefault(page, []):
                    notes_on_page[page].append(note)
                    drawn_on.setdefault(note, set()).add(page)
            super().draw()

    one_copy = expected_blocks(gold)
    anchors = footnote_anchors(gold)
    blocks: list[ExpectedBlock] = []
    note_blocks: dict[tuple, ExpectedBlock] = {}  # ("note", copy, footnote id) -> block
    story = []
    for copy in range(repeat):
        if copy:
            story.append(PageBreak())
        annex_started = False
        for block in one_copy:
            block = ExpectedBlock(
                block.text,
                block.marker,
                block.role,
                block.footnote_mark,
                block.kind,
                block.segment_id,
            )
            if block.role == "footnote":  # drawn at the foot of the page that refers to it
                note_blocks[("note", copy, block.segment_id)] = block
                continue
            markup = html.escape(block.text, quote=False)
            refs = []
            for note_id, (seg_id, word) in anchors.items():
                if seg_id == block.segment_id:
                    markup = re.sub(
                        rf"\b{re.escape(html.escape(word, quote=False))}\b",
                        lambda m: m.group(0) + "<super>*</super>",
                        markup,
                        count=1,
                    )
                    refs.append(("note", copy, note_id))
            if block.kind == "annex_title" and not annex_started:
                story.append(PageBreak())
                annex_started = True
            style = styles.get(block.kind, styles["body"])
            bullet = block.marker if block.kind in ("point", "bullet") else None
            para = RecordingParagraph(markup, style, bulletText=bullet)
            para.block_index = len(blocks)
            para.notes = tuple(refs)
            story.append(para)
            blocks.append(block)

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts["italic"], font_size - 2)
        canvas.drawCentredString(width / 2, height - margin + 6 * mm, RUNNING_HEADER)
        canvas.setFont(fonts["regular"], font_size - 1)
        canvas.drawCentredString(width / 2, margin - 2 * mm, str(doc.page))
        canvas.restoreState()

    def on_page_end(canvas, doc):
        keys = notes_on_page.get(doc.page, [])
        if not keys:
            return
        canvas.saveState()
        y = margin + footer_zone - 4 * mm + note_zone
        canvas.setLineWidth(0.5)
        canvas.line(margin, y, margin + 50 * mm, y)
        y -= 2 * mm
        for key in keys:
            note = note_blocks[key]
            para = Paragraph("* " + html.escape(note.text, quote=False), styles["footnote"])
            _, h = para.wrapOn(canvas, width - 2 * margin, note_zone)
            para.drawOn(canvas, margin, y - h)
            y -= h + 1 * mm
        canvas.restoreState()

    gutter = 8 * mm
    frame_bottom = margin + footer_zone + note_zone
    frame_height = height - 2 * margin - footer_zone - note_zone
    frame_width = (width - 2 * margin - gutter * (columns - 1)) / columns
    frames = [
        Frame(
            margin + c * (frame_width + gutter),
            frame_bottom,
            frame_width,
            frame_height,
            id=f"col{c}",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        for c in range(columns)
    ]

    class Doc(BaseDocTemplate):
        def handle_pageBegin(self):
            if max_pages is not None and self.page >= max_pages:
                # the benchmark wants exactly max_pages pages: drop the rest of the story
                raise _StopRendering
            super().handle_pageBegin()

    doc = Doc(
        str(path),
        pagesize=A4,
        title="Verklaring",
        author="tests/renderings.py",
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=frames, onPage=on_page, onPageEnd=on_page_end)]
    )
    try:
        doc.build(story)
    except _StopRendering:
        doc.canv.save()  # type: ignore[union-attr]
    for index, pages in drawn_on.items():
        if isinstance(index, int):
            blocks[index].pages = pages
    for key, pages in drawn_on.items():
        if isinstance(key, tuple) and key in note_blocks:
            note_blocks[key].pages = pages
    body = [b for b in blocks if b.pages]
    notes = sorted((b for b in note_blocks.values() if b.pages), key=lambda b: min(b.pages))
    ordered = body + notes
    drawn = ordered
    n_pages = max((max(b.pages) for b in drawn), default=1)
    return Rendering(path, ordered, n_pages)


class _StopRendering(Exception):
    pass


# --------------------------------------------------------------------------------------------
# DOCX (python-docx)
# --------------------------------------------------------------------------------------------


def render_docx(gold: GoldDocument, path: str | Path) -> Rendering:
    """Word document: points as a numbered list ("List Number"), bullets as "List Bullet"
    paragraphs (numbering from numbering.xml, not typed), headings as "Heading 2", the
    footnote as a final small paragraph "* ..." after the body (python-docx writes no real
    footnotes) with the reference mark as superscript."""
    import docx
    from docx.shared import Pt

    path = Path(path)
    document = docx.Document()
    blocks = expected_blocks(gold)
    anchors = footnote_anchors(gold)
    styles = {
        "title": "Title",
        "annex_title": "Heading 1",
        "heading": "Heading 2",
        "point": "List Number",
        "bullet": "List Bullet",
    }
    for block in blocks:
        if block.role == "footnote":
            para = document.add_paragraph()
            run = para.add_run("*")
            run.font.superscript = True
            para.add_run(" " + block.text).font.size = Pt(8)
            continue
        para = document.add_paragraph(style=styles.get(block.kind, "Normal"))
        text = block.text
        for _note, (seg_id, word) in anchors.items():
            if seg_id == block.segment_id and word in text:
                i = text.index(word) + len(word)
                para.add_run(text[:i])
                run = para.add_run("*")
                run.font.superscript = True
                text = text[i:]
        para.add_run(text)
    document.save(str(path))
    return Rendering(path, blocks)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def render_html(gold: GoldDocument, path: str | Path) -> Rendering:
    """A web page as councils publish them: <header>, <nav>, cookie notice and <footer> around
    an <article> with <h1>, <p>, an <ol> of points (numbers from the list, not typed), <ul>s of
    annex bullets under <h3> headings, and the footnote as <sup> reference + footnote section."""
    path = Path(path)
    blocks = expected_blocks(gold)
    anchors = footnote_anchors(gold)
    esc = lambda s: html.escape(s, quote=False)  # noqa: E731
    out: list[str] = []
    open_list: str | None = None

    def close_list():
        nonlocal open_list
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None

    for block in blocks:
        text = esc(block.text)
        for note_id, (seg_id, word) in anchors.items():
            if seg_id == block.segment_id:
                text = text.replace(
                    esc(word),
                    f'{esc(word)}<sup><a href="#{note_id}" id="ref-{note_id}">*</a></sup>',
                    1,
                )
        if block.role == "footnote":
            continue
        if block.kind == "point":
            if open_list != "ol":
                close_list()
                out.append(f'<ol start="{block.marker.rstrip(".")}">')
                open_list = "ol"
            out.append(f"<li>{text}</li>")
        elif block.kind == "bullet":
            if open_list != "ul":
                close_list()
                out.append("<ul>")
                open_list = "ul"
            out.append(f"<li>\n  {text}\n</li>")
        else:
            close_list()
            tag = {"title": "h1", "annex_title": "h2", "heading": "h3"}.get(block.kind, "p")
            out.append(f"<{tag}>{text}</{tag}>")
    close_list()
    notes = "".join(
        f'<li id="{b.segment_id}"><a href="#ref-{b.segment_id}">*</a> {esc(b.text)}</li>'
        for b in blocks
        if b.role == "footnote"
    )
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Verklaring van Sofia - Consilium</title>
<style>body {{ font-family: serif; }}</style>
<script>window.dataLayer = [{{"page": "press release"}}];</script></head>
<body>
<header><div class="logo">Raad van de Europese Unie</div>
<nav><ul><li><a href="/nl/">Home</a></li><li><a href="/nl/press/">Pers</a></li>
<li><a href="/nl/meetings/">Vergaderingen</a></li></ul></nav></header>
<div class="cookie-banner">Deze website maakt gebruik van cookies. <button>Akkoord</button></div>
<nav class="breadcrumb"><a href="/">Home</a> &gt; <a href="/nl/press/">Persberichten</a></nav>
<main><article>
{chr(10).join(out)}
<section class="footnotes"><hr><ol class="notes">{notes}</ol></section>
</article>
<aside><h4>Gerelateerde inhoud</h4><ul><li><a href="/x">Top EU-Westelijke Balkan, Sofia</a></li></ul></aside>
</main>
<footer><p>Raad van de Europese Unie, Wetstraat 175, Brussel</p><ul><li><a href="/privacy">Privacy</a></li></ul></footer>
<script>console.log("analytics");</script>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return Rendering(path, blocks)
