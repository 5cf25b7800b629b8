"""Typeset PDFs (reportlab): justified text in one or two columns at a narrow or wide measure,
Dutch hyphenation, headings in bold, larger type, capitals or with a letter or numeral,
bullets with the layout's glyph or a bare hanging indent, a running header and a footer on
every page, and footnotes at the foot of the page that refers to them or after the text.
"""

from __future__ import annotations

import html
import random
from functools import cache
from pathlib import Path

import matplotlib
import reportlab
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from pipeline.layouts.items import Item
from pipeline.layouts.layout import Layout, breaks_between_items
from pipeline.layouts.text import DOCUMENT_CODE, OTHER_HEADER, hyphenation_points, title_start

esc = lambda s: html.escape(s, quote=False)  # noqa: E731


@cache
def fonts() -> dict[str, str]:
    """An embedded TrueType font with a Unicode map, as real declarations have (the built-in
    Type 1 fonts lose "•" on extraction): DejaVu Sans as matplotlib ships it, else Bitstream
    Vera as reportlab ships it."""
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    vera = Path(reportlab.__file__).parent / "fonts"
    candidates = [
        {
            "regular": dejavu / "DejaVuSans.ttf",
            "bold": dejavu / "DejaVuSans-Bold.ttf",
            "italic": dejavu / "DejaVuSans-Oblique.ttf",
        },
        {"regular": vera / "Vera.ttf", "bold": vera / "VeraBd.ttf", "italic": vera / "VeraIt.ttf"},
    ]
    files = next(c for c in candidates if all(f.exists() for f in c.values()))
    names = {}
    for style, file in files.items():
        if file.stem not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(file.stem, str(file)))
        names[style] = file.stem
    return names


def hyphenator(word: str) -> list[tuple[str, str]]:
    """reportlab's hook: (head, tail) pairs without the hyphen, as pyphen gives them; a
    compound with its own hyphen is left to reportlab, which breaks it there."""
    if "-" in word:
        return []
    return [(head[:-1], tail) for head, tail in hyphenation_points(word)]


def _styles(layout: Layout, size: float):
    f = fonts()
    leading = size * (2.4 if layout.blank_lines == "every-line" else 1.3)
    space = {"none": 0, "paragraphs": size * 0.8, "every-line": 0}[layout.blank_lines]
    body = ParagraphStyle(
        "body",
        fontName=f["regular"],
        fontSize=size,
        leading=leading,
        alignment=TA_JUSTIFY,
        spaceBefore=space,
        hyphenationLang=hyphenator if layout.hyphenation else "",
        embeddedHyphenation=1,
        splitLongWords=0,  # a typesetter never breaks a word without a hyphen
        bulletFontName=f["regular"],
        allowWidows=0,
        allowOrphans=0,
    )
    heading_font = f["bold"] if layout.heading in ("bold", "large", "caps") else f["regular"]
    heading_size = size + 2 if layout.heading == "large" else size
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=f["bold"],
            fontSize=size + 3,
            leading=(size + 3) * 1.3,
            alignment=TA_CENTER,
            spaceAfter=size,
            hyphenationLang="",
        ),
        "annex_title": ParagraphStyle(
            "annex_title", parent=body, fontName=f["bold"], alignment=TA_CENTER, hyphenationLang=""
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=heading_font,
            fontSize=heading_size,
            leading=heading_size * 1.3,
            alignment=TA_LEFT,
            spaceBefore=max(space, size * 0.5),
            hyphenationLang="",
        ),
        "point": ParagraphStyle("point", parent=body, leftIndent=size * 2, bulletIndent=0),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=size * 1.6, bulletIndent=size * 0.3
        ),
        "bare": ParagraphStyle(  # an item without glyph: first line out, the rest indented
            "bare", parent=body, leftIndent=size * 1.6, firstLineIndent=-size * 1.6
        ),
        "footnote": ParagraphStyle(
            "footnote",
            parent=body,
            fontSize=size - 2.5,
            leading=(size - 2.5) * 1.25,
            spaceBefore=0,
            alignment=TA_LEFT,
        ),
    }


def _footer_text(style: str, page: int) -> str:
    # the total is not known while the pages are drawn; "van" totals are filled in a second pass
    return {
        "none": "",
        "number": str(page),
        "pagina-x-van-y": f"Pagina {page} van {{total}}",
        "x/y": f"{page}/{{total}}",
        "dash": f"- {page} -",
        "code": f"{DOCUMENT_CODE}    {page}",
    }[style]


def render_pdf(items: list[Item], layout: Layout, rng: random.Random, path: Path) -> None:
    """Typeset twice: the first pass counts the pages for "Pagina 3 van 7"."""
    total = _build(items, layout, rng, path, None)
    if layout.footer in ("pagina-x-van-y", "x/y"):
        _build(items, layout, random.Random(layout.seed), path, total)


def _build(items, layout: Layout, rng: random.Random, path: Path, total: int | None) -> int:
    size = rng.choice((10.0, 10.5, 11.0)) if layout.measure == "wide" else rng.choice((11.5, 12.5))
    styles = _styles(layout, size)
    f = fonts()
    width, height = A4
    margin = (20 if layout.measure == "wide" else 38) * mm
    body = [it for it in items if it.role == "body"]
    notes = [it for it in items if it.role == "footnote"]
    at_foot = layout.footnotes == "page-foot"
    note_zone = 26 * mm if at_foot and notes else 0
    notes_on_page: dict[int, list[Item]] = {}

    class NoteParagraph(Paragraph):
        """A paragraph that puts the notes it refers to on the page where it is drawn."""

        anchors: tuple[tuple[str, Item], ...] = ()  # (word + mark as printed, note)

        def split(self, availWidth, availHeight):
            parts = super().split(availWidth, availHeight)
            texts = [part.getPlainText() for part in parts]
            for part in parts:
                part.anchors = ()
            for printed, note in self.anchors:
                host = next((k for k, t in enumerate(texts) if printed in t), 0)
                if parts:
                    parts[host].anchors += ((printed, note),)
            return parts

        def draw(self):
            page = self.canv.getPageNumber()
            for _, note in self.anchors:
                if note not in notes_on_page.setdefault(page, []):
                    notes_on_page[page].append(note)
            super().draw()

    story = []
    breaks_before = breaks_between_items(body, layout, rng)
    annex_on_new_page = rng.random() < 0.5
    for i, item in enumerate(body):
        if i in breaks_before:
            story.append(PageBreak())
        elif item.kind == "annex_title" and annex_on_new_page and body[i - 1].kind != "annex_title":
            story.append(PageBreak())
        markup = esc(item.text)
        for word, mark in item.refs:
            markup = markup.replace(esc(word), esc(word) + f"<super>{esc(mark)}</super>", 1)
        style = styles.get(item.kind, styles["body"])
        bullet = None
        if item.kind in ("point", "bullet"):
            bullet = item.marker
            if item.kind == "bullet" and item.marker is None:
                style = styles["bare"]
        elif item.marker:  # a heading's letter or numeral
            markup = f"{esc(item.marker)} {markup}"
        if item.kind == "heading":
            story.append(CondPageBreak(3 * size))  # no heading alone at the foot of a page
        para = NoteParagraph(markup, style, bulletText=bullet)
        if at_foot:
            para.anchors = tuple((w + m, n) for w, m in item.refs for n in notes if n.mark == m)
        story.append(para)
    if notes and not at_foot:
        story.append(Spacer(1, size))
        for note in notes:
            story.append(Paragraph(f"{esc(note.mark)} {esc(note.text)}", styles["footnote"]))

    title = body[0].text
    header = {
        "none": "",
        "title": title,
        "title-start": title_start(title),
        "other": OTHER_HEADER,
    }[layout.header]
    pages_seen = [0]

    def on_page(canvas, doc):
        pages_seen[0] = doc.page
        canvas.saveState()
        if header and (doc.page > 1 or layout.header_on_first_page):
            canvas.setFont(f["italic"], size - 2)
            canvas.drawCentredString(width / 2, height - margin + 8 * mm, header)
        footer = _footer_text(layout.footer, doc.page).replace("{total}", str(total or 0))
        if footer:
            canvas.setFont(f["regular"], size - 1)
            canvas.drawCentredString(width / 2, margin - 8 * mm, footer)
        canvas.restoreState()

    def on_page_end(canvas, doc):
        page_notes = notes_on_page.get(doc.page, [])
        if not page_notes:
            return
        canvas.saveState()
        y = margin + note_zone
        canvas.setLineWidth(0.5)
        canvas.line(margin, y, margin + 50 * mm, y)
        y -= 2 * mm
        for note in page_notes:
            para = Paragraph(f"{esc(note.mark)} {esc(note.text)}", styles["footnote"])
            _, h = para.wrapOn(canvas, width - 2 * margin, note_zone)
            para.drawOn(canvas, margin, y - h)
            y -= h + 1 * mm
        canvas.restoreState()

    gutter = 8 * mm
    columns = layout.columns
    frame_width = (width - 2 * margin - gutter * (columns - 1)) / columns
    frames = [
        Frame(
            margin + c * (frame_width + gutter),
            margin + note_zone,
            frame_width,
            height - 2 * margin - note_zone,
            id=f"col{c}",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        for c in range(columns)
    ]
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        title=title,
        author="pipeline.layouts",
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=frames, onPage=on_page, onPageEnd=on_page_end)]
    )
    doc.build(story)
    return pages_seen[0]
