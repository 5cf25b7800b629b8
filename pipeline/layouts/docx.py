"""Word files as secretariats write them: automatic numbering ("List Number", "List Bullet"
with the layout's glyph in numbering.xml) or numbers and glyphs typed by hand, heading styles
or bold Normal paragraphs, real footnotes (footnotes.xml) or notes typed at the end, empty
paragraphs as spacing, page breaks before chosen paragraphs."""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.layouts.items import Item
from pipeline.layouts.layout import Layout, breaks_between_items

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _bullet_glyph(document, glyph: str) -> None:
    """Make the "List Bullet" numbering print ``glyph``."""
    style = document.styles["List Bullet"]
    num_id = style.element.pPr.numPr.numId.val
    root = document.part.numbering_part.element
    num = next(n for n in root.iter(W + "num") if n.get(W + "numId") == str(num_id))
    abstract_id = num.find(W + "abstractNumId").get(W + "val")
    abstract = next(
        a for a in root.iter(W + "abstractNum") if a.get(W + "abstractNumId") == abstract_id
    )
    for lvl in abstract.iter(W + "lvl"):
        if lvl.get(W + "ilvl") == "0":
            lvl.find(W + "lvlText").set(W + "val", glyph)
            fonts = lvl.find(f"{W}rPr/{W}rFonts")
            if fonts is not None:  # the template sets Symbol, which maps glyphs elsewhere
                for attr in ("ascii", "hAnsi", "cs"):
                    fonts.set(W + attr, "Arial")


def _footnotes_part(document, notes: list[tuple[int, str]]) -> None:
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p>'
        "</w:footnote>"
        for i, text in notes
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:footnote>{body}</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def render_docx(items: list[Item], layout: Layout, rng: random.Random, path: Path) -> None:
    document = docx.Document()
    body = [it for it in items if it.role == "body"]
    notes = [it for it in items if it.role == "footnote"]
    note_ids = {n.mark: i for i, n in enumerate(notes, start=1)}
    if layout.auto_numbering and layout.bullet != "none":
        _bullet_glyph(document, layout.bullet)
    # a point's continuation after its list (no marker) is a plain paragraph between them
    numbered = [int(it.marker.rstrip(".")) for it in body if it.kind == "point" and it.marker]
    auto_points = layout.auto_numbering and numbered == list(range(1, len(numbered) + 1))

    # a page break before a heading that follows a bullet, and after a heading before a bullet
    breaks_before = breaks_between_items(body, layout, rng)

    def add_text(para, item: Item) -> None:
        text = item.text
        for word, mark in item.refs:
            i = text.find(word)
            if i < 0:
                continue
            para.add_run(text[: i + len(word)])
            if layout.real_footnotes:
                run = para.add_run()
                r_pr = run._r.get_or_add_rPr()
                align = OxmlElement("w:vertAlign")
                align.set(qn("w:val"), "superscript")
                r_pr.append(align)
                ref = OxmlElement("w:footnoteReference")
                ref.set(qn("w:id"), str(note_ids[mark]))
                run._r.append(ref)
            else:
                para.add_run(mark).font.superscript = True
            text = text[i + len(word) :]
        para.add_run(text)

    for i, item in enumerate(body):
        if layout.blank_lines == "paragraphs" and i:
            document.add_paragraph()
        style, typed, bold = "Normal", item.marker, False
        if item.kind == "title":
            style = "Title" if layout.heading in ("large", "bold") else "Normal"
            bold = True
        elif item.kind == "annex_title":
            style = "Heading 1" if layout.heading != "plain" else "Normal"
        elif item.kind == "heading":
            style = (
                "Heading 2"
                if layout.heading in ("large", "letter", "roman", "number")
                else "Normal"
            )
            bold = layout.heading == "bold"
        elif item.kind == "point" and auto_points and item.marker:
            style, typed = "List Number", None
        elif item.kind == "bullet":
            if item.marker is None:
                style = "List Paragraph"  # indented, no glyph
            elif layout.auto_numbering and not item.marker.endswith(")"):
                style, typed = "List Bullet", None
        para = document.add_paragraph(style=style)
        if i in breaks_before:
            para.paragraph_format.page_break_before = True
        if typed:
            para.add_run(typed + rng.choice((" ", "\t")))
        add_text(para, item)
        if bold:
            for run in para.runs:
                run.bold = True
    if notes:
        if layout.real_footnotes:
            _footnotes_part(document, [(note_ids[n.mark], n.text) for n in notes])
        else:
            for note in notes:
                para = document.add_paragraph()
                para.add_run(note.mark).font.superscript = True
                para.add_run(" " + note.text).font.size = Pt(8)
    document.core_properties.title = body[0].text
    document.save(str(path))
