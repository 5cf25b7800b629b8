"""Text dumps of typeset declarations, as ``pdftotext`` or a copy from a PDF viewer gives them.

The items are set line by line at a fixed measure (Dutch hyphenation from pyphen's nl_NL
patterns; a compound with its own hyphen breaks there), cut into pages (and columns), and every
page gets the furniture of the layout: running header, footer, footnotes at its foot.  The
page breaks the layout asks for are placed where they are hardest: inside a sentence, inside a
word, between a bullet and the next heading, between a heading and its first bullet, inside a
footnote.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

import pyphen

from pipeline.layouts.items import Item
from pipeline.layouts.layout import Layout

DOCUMENT_CODE = "EUCO 12/18"
OTHER_HEADER = "Raad van de Europese Unie"


@cache
def _pyphen() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


def hyphenation_points(word: str) -> list[tuple[str, str]]:
    """Where a typesetter may break ``word``: (head with its hyphen, tail), longest head first.
    A compound written with a hyphen breaks only there ("sociaal-" / "economische"); acronyms
    and words with capitals inside never break."""
    core = word.rstrip(".,;:!?)*")
    if "-" in core.strip("-"):
        i = core.rindex("-")
        if 1 < i < len(core) - 2:
            return [(word[: i + 1], word[i + 1 :])]
        return []
    if not core.isalpha() or sum(ch.isupper() for ch in core) > 1 or len(core) < 6:
        return []
    return [(head + "-", tail + word[len(core) :]) for head, tail in _pyphen().iterate(core)]


@dataclass
class PrintedLine:
    text: str
    item: int  # index of the item it belongs to
    first: bool = False
    last: bool = False
    broken: str | None = None  # "word" or "compound" when the line ends inside a word


def set_lines(item_index: int, text: str, width: int, hyphenate: bool) -> list[PrintedLine]:
    """Greedy line filling at ``width`` characters."""
    words = text.split()
    lines: list[PrintedLine] = []
    current = ""
    while words:
        word = words.pop(0)
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
            continue
        broken = None
        if hyphenate:
            for head, tail in hyphenation_points(word):
                if len(current) + 1 + len(head) <= width and len(head) >= 3 and len(tail) >= 3:
                    current += " " + head
                    words.insert(0, tail)
                    broken = "compound" if "-" in word.strip("-") else "word"
                    break
        lines.append(PrintedLine(current, item_index, broken=broken))
        current = "" if broken else word
    if current:
        lines.append(PrintedLine(current, item_index))
    lines[0].first = True
    lines[-1].last = True
    return lines


def _footer(style: str, page: int, pages: int) -> list[str]:
    return {
        "none": [],
        "number": [str(page)],
        "pagina-x-van-y": [f"Pagina {page} van {pages}"],
        "x/y": [f"{page}/{pages}"],
        "dash": [f"- {page} -"],
        "code": [DOCUMENT_CODE, str(page)],
    }[style]


def title_start(title: str) -> str:
    """The first words of a title, as a running header prints them: "Conclusies van de Raad"
    over "Conclusies van de Raad over ..., 12 mei 2025", "Verklaring van Sofia" over
    "Verklaring van Sofia, 17 mei 2018"."""
    words = title.split()
    head = title.split(",")[0].split()
    if len(head) < len(words):
        return " ".join(head[:5])
    return " ".join(words[: max(2, min(4, len(words) - 2))])


def _header(layout: Layout, title: str) -> list[str]:
    if layout.header == "title":
        return [title]
    if layout.header == "title-start":
        return [title_start(title)]
    if layout.header == "other":
        return [OTHER_HEADER]
    return []


def _boundary_kind(a: PrintedLine, b: PrintedLine, items: list[Item]) -> str | None:
    """What kind of place a page break between lines a and b falls on."""
    if a.item == b.item:
        return "word" if a.broken else "sentence"
    ka, kb = items[a.item].kind, items[b.item].kind
    if ka == "bullet" and kb == "heading":
        return "bullet-heading"
    if ka == "heading" and kb in ("bullet", "point"):
        return "heading-bullet"
    return None


def render_text(items: list[Item], layout: Layout, rng: random.Random) -> str:
    """The declaration as a text dump in ``layout``; records what it realised."""
    body = [it for it in items if it.role == "body"]
    notes = [it for it in items if it.role == "footnote"]
    if layout.columns == 2:
        width = rng.randint(38, 48)
    elif layout.measure == "narrow":
        width = rng.randint(48, 62)
    else:
        width = rng.randint(82, 105)
    lines: list[PrintedLine] = []
    for i, item in enumerate(body):
        prefix = f"{item.marker} " if item.marker else ""
        lines += set_lines(i, prefix + item.printed(), width, layout.hyphenation)
    if any(ln.broken == "compound" for ln in lines):
        layout.realised.add("hyphen=compound")

    # where a page (or column) ends: every `height` lines, and at the places asked for
    height = rng.randint(22, 40) if layout.columns == 1 else rng.randint(30, 45)
    forced: set[int] = set()  # index of the line after which a page ends
    for kind in layout.page_breaks:
        spots = [
            i for i in range(len(lines) - 1) if _boundary_kind(lines[i], lines[i + 1], body) == kind
        ]
        if spots:
            forced.add(rng.choice(spots))
    columns: list[list[PrintedLine]] = [[]]
    for i, line in enumerate(lines):
        columns[-1].append(line)
        if i < len(lines) - 1 and (len(columns[-1]) >= height or i in forced):
            boundary = _boundary_kind(line, lines[i + 1], body)
            if boundary:
                layout.realised.add(f"break={boundary}")
            columns.append([])
    pages = [columns[i : i + layout.columns] for i in range(0, len(columns), layout.columns)]

    # each footnote stands at the foot of the page where its mark is printed
    page_of_item: dict[int, int] = {}
    for p, page in enumerate(pages):
        for column in page:
            for line in column:
                page_of_item.setdefault(line.item, p)
    note_page: dict[int, int] = {}
    for n, note in enumerate(notes):
        citing = [i for i, it in enumerate(body) if any(m == note.mark for _, m in it.refs)]
        note_page[n] = page_of_item[citing[0]] if citing else len(pages) - 1
    note_lines: dict[int, list[str]] = {}
    for n, note in enumerate(notes):
        set_note = set_lines(0, f"{note.mark} {note.text}", width, layout.hyphenation)
        note_lines[n] = [ln.text for ln in set_note]

    title = next((it.text for it in body if it.kind == "title"), "")
    header = _header(layout, title)
    out_pages: list[list[str]] = []
    carried: list[str] = []  # footnote lines carried over to the next page's foot
    blank = layout.blank_lines
    for p, page in enumerate(pages):
        out: list[str] = []
        if header and (p > 0 or layout.header_on_first_page):
            out += header + [""]
        for c, column in enumerate(page):
            for k, line in enumerate(column):
                if blank == "paragraphs" and line.first and (k or c or p):
                    out.append("")
                out.append(line.text)
                if blank == "every-line":
                    out.append("")
        foot: list[str] = list(carried)
        carried = []
        if layout.footnotes == "page-foot":
            for n in sorted(n for n, q in note_page.items() if q == p):
                text = note_lines[n]
                if "footnote" in layout.page_breaks and len(text) > 1 and p < len(pages) - 1:
                    cut = rng.randint(1, len(text) - 1)
                    text, carried = text[:cut], text[cut:]
                    layout.realised.add("break=footnote")
                foot += text
        elif layout.footnotes == "end" and p == len(pages) - 1:
            foot = [ln for n in sorted(note_lines) for ln in note_lines[n]]
        if foot:
            separator = rng.choice(("", "_" * 20, " " * 30))
            out += [""] + ([separator] if separator else []) + foot
        out += [""] + _footer(layout.footer, p + 1, len(pages))
        if layout.footnotes == "after-footer" and p == len(pages) - 1 and notes:
            out += [""] + [ln for n in sorted(note_lines) for ln in note_lines[n]]
        out_pages.append(out)
    if carried:  # the last note ran past the last page: it ends there
        out_pages[-1] += carried
    newline = "\r\n" if layout.crlf else "\n"
    separator = "\f" if layout.form_feeds else newline
    return separator.join(newline.join(page) for page in out_pages) + newline
