"""HTML: the declaration's main text without the web page around it (beautifulsoup4 + lxml).

- Page furniture goes: <script>, <style>, <nav>, <header>, <footer>, <aside>, forms, and
  elements whose role, id or class names them as navigation, banners, cookie notices,
  breadcrumbs, share bars or sidebars.
- The main text is <main>/<article>/[role=main] when the page has one (the one holding most
  text), else the body.
- Blocks: <p>, <li>, <h1>-<h6>, <dt>/<dd>, table cells, <blockquote>, and <div>s holding text
  directly; a <br> starts a new line, hence a new block.  <ol> items get their number as
  marker (honouring ``start`` and ``type``), <ul> items "•" (recorded, not in the text).
- Footnotes: <sup> references ("*", "1", or a link to "#fn1") are removed from the text;
  the notes they point to (or a section whose id/class says "footnote(s)"/"notes") become
  footnote blocks.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from pathlib import Path

from babel.dates import get_month_names
from bs4 import BeautifulSoup, Tag

from pipeline.extract.assemble import assemble, normalise_spaces
from pipeline.extract.blocks import Line, RawBlock, build_blocks
from pipeline.extract.footnotes import SUPERSCRIPT_DIGITS, normalise_mark
from pipeline.extract.text import decode, looks_binary
from pipeline.types import ExtractedText, InputError

_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "svg",
    "canvas",
    "select",
    "input",
    "menu",
    "dialog",
]
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "dialog"}
_BOILERPLATE_RE = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|cookie|cookies|consent|banner|sidebar|share|"
    r"social|skip|toolbar|masthead|site-header|site-footer|related)([-_\s]|$)",
    re.IGNORECASE,
)
_FOOTNOTE_SECTION_RE = re.compile(r"foot-?notes?|endnotes?|^notes$|voetnot", re.IGNORECASE)
_BLOCK_TAGS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "td",
    "th",
    "blockquote",
    "pre",
    "caption",
    "figcaption",
    "address",
}
_CONTAINER_TAGS = {
    "div",
    "section",
    "article",
    "main",
    "body",
    "ol",
    "ul",
    "dl",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "blockquote",
    "figure",
    "center",
    "details",
}
_MARK_TEXT_RE = re.compile(
    rf"^\s*[\[(]?(\*{{1,3}}|\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]+|[a-z])[\])]?\s*$"
)


def _classes(tag) -> str:
    attrs = getattr(tag, "attrs", None) or {}
    cls = attrs.get("class") or []
    if isinstance(cls, str):
        cls = [cls]
    return " ".join([*cls, str(attrs.get("id") or "")])


def _is_boilerplate(tag) -> bool:
    if (tag.get("role") or "").lower() in _DROP_ROLES:
        return True
    if tag.get("aria-hidden") == "true" or tag.has_attr("hidden"):
        return True
    names = _classes(tag)
    return (
        bool(names)
        and bool(_BOILERPLATE_RE.search(names))
        and not _FOOTNOTE_SECTION_RE.search(names)
    )


def _main_container(soup):
    """<main>, <article> or [role=main] holding the most text, else <body>; then, going down,
    the element that holds nearly all of its text (a page of bare <div>s keeps its chrome
    beside the text, not in it)."""
    candidates = soup.find_all(["main", "article"]) + soup.find_all(attrs={"role": "main"})
    candidates = [c for c in candidates if c.get_text(strip=True)]
    if candidates:
        node = max(candidates, key=lambda c: len(c.get_text(" ", strip=True)))
    else:
        node = soup.body or soup
    while True:
        total = len(node.get_text(" ", strip=True))
        children = node.find_all(["div", "section", "article", "main"], recursive=False)
        best = max(children, key=lambda c: len(c.get_text(" ", strip=True)), default=None)
        if best is None or len(best.get_text(" ", strip=True)) < MAIN_SHARE * total:
            return node
        if _outside(node, best):
            return node  # the page's title or the notes sit beside the body text
        node = best


def _outside(node, best) -> bool:
    """Does ``node`` hold, outside its child ``best``, the page's <h1> or a footnote section?"""
    inside = {id(t) for t in best.find_all(True)}
    return any(
        id(t) not in inside and t is not best
        for t in node.find_all(True)
        if t.name == "h1" or _FOOTNOTE_SECTION_RE.search(_classes(t))
    )


# the element holding the main text holds at least this share of its parent's text
MAIN_SHARE = 0.85
# page chrome is short: a block of more text than this is never taken for chrome
CHROME_MAX_CHARS = 400
LINK_SHARE = 0.6  # a block whose text is mostly links is navigation, downloads or sharing


@cache
def _date_re() -> re.Pattern:
    """Dates and times as web pages print them ("17 mei 2018", "17-05-2018", "14:05"), Dutch
    month names from babel's CLDR data."""
    months = {
        name.lower().rstrip(".")
        for width in ("wide", "abbreviated")
        for name in get_month_names(width, locale="nl").values()
    }
    names = "|".join(sorted(months, key=len, reverse=True))
    return re.compile(
        rf"\b\d{{1,2}}\.?\s+(?:{names})\.?\s+\d{{4}}\b|\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}\b"
        r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[:.]\d{2}\b(?:\s*uur)?",
        re.IGNORECASE,
    )


def _is_chrome(tag) -> bool:
    """Page chrome by what it is, whatever its markup: a short block that is mostly links
    (menus, breadcrumbs, downloads, share bars, footer links) or only a date and a label
    ("Persbericht | 17 mei 2018 | 14:05")."""
    text = tag.get_text(" ", strip=True)
    if not text or len(text) > CHROME_MAX_CHARS or re.fullmatch(r"h[1-6]", tag.name):
        return False
    letters = sum(ch.isalnum() for ch in text)
    linked = sum(ch.isalnum() for a in tag.find_all("a") for ch in a.get_text(" ", strip=True))
    if (
        letters
        and linked >= LINK_SHARE * letters
        and not _FOOTNOTE_SECTION_RE.search(_classes(tag))
    ):
        return True
    if tag.find("time") is not None and len(text) <= 120:
        return True
    dates = _date_re()
    if len(text) <= 120 and dates.search(text):
        # a publication date: with a time of day, a numeric date or a label naming it; a
        # place and date ("Mostar, 3 juli 2025") is a line of the declaration's title
        rest = re.findall(r"[^\W\d_]+", dates.sub(" ", text))
        stamped = bool(_TIME_RE.search(text) or _NUMERIC_DATE_RE.search(text))
        named = bool(_DATE_CLASS_RE.search(_classes(tag)))
        # a date with a clock time ("Geplaatst op 6 november 2028 – 17:45 door ...") is a
        # posting stamp even with a few words around it: no declaration dates itself so
        return (len(rest) <= 2 and (stamped or named)) or (
            bool(_CLOCK_RE.search(text)) and len(rest) <= STAMP_MAX_WORDS
        )
    return False


_CLOCK_RE = re.compile(r"\b\d{1,2}:\d{2}\b")
STAMP_MAX_WORDS = 8


_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_NUMERIC_DATE_RE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_DATE_CLASS_RE = re.compile(r"date|datum|time|meta|publi", re.IGNORECASE)


def _elements(root):
    """The elements under ``root`` in document order (as ``find_all(True)``), in one walk that
    does not go into an element the caller has removed meanwhile: asking each element whether
    it was removed (bs4's ``decomposed``) searches its subtree, quadratic on a deep page."""
    stack = [c for c in reversed(root.contents) if isinstance(c, Tag)]
    while stack:
        tag = stack.pop()
        yield tag
        # a removed element has no contents left
        stack.extend(c for c in reversed(tag.contents) if isinstance(c, Tag))


def _drop_chrome(soup) -> None:
    """Remove what a page shows around the text: blocks holding buttons (cookie banners,
    share bars), and short blocks that are mostly links or only a date."""
    # each button's ancestors, taken before anything is removed: a button inside a block
    # removed before is passed over (asking a removed element anything searches its subtree)
    buttons = [list(b.parents) for b in soup.find_all(["button", "input", "select"])]
    removed: set[int] = set()
    for parents in buttons:
        if any(id(p) in removed for p in parents):
            continue
        holder = next(
            (p for p in parents if p.name in _BLOCK_TAGS or p.name in _CONTAINER_TAGS), None
        )
        if (
            holder is not None
            and holder.name != "body"
            and len(holder.get_text(" ", strip=True)) <= CHROME_MAX_CHARS
        ):
            holder.decompose()
            removed.add(id(holder))
    for tag in _elements(soup):
        if tag.name in ("html", "body", "sup", "a"):
            continue
        if (tag.name in _BLOCK_TAGS or tag.name in _CONTAINER_TAGS) and _is_chrome(tag):
            tag.decompose()


def _ol_marker(n: int, kind: str) -> str:
    if kind == "a":
        return f"{chr(ord('a') + (n - 1) % 26)})"
    if kind == "A":
        return f"{chr(ord('A') + (n - 1) % 26)}."
    if kind in ("i", "I"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", n
        for value, sym in numerals:
            while rest >= value:
                out, rest = out + sym, rest - value
        return f"{out.upper()}." if kind == "I" else f"{out})"
    return f"{n}."


def _list_markers(container) -> dict[int, str]:
    """id(li) -> marker for every list item, from its list (<ol start type>, <ul>)."""
    markers: dict[int, str] = {}
    for lst in container.find_all(["ol", "ul"]):
        items = lst.find_all("li", recursive=False)
        if lst.name == "ul":
            style = (lst.get("style") or "") + (lst.get("type") or "")
            # a list styled without glyphs is still a list: its items are recorded as bullets
            glyph = "▪" if "square" in style else "◦" if "circle" in style else "•"
            for li in items:
                markers[id(li)] = glyph
            continue
        kind = lst.get("type") or "1"
        try:
            n = int(lst.get("start", 1))
        except ValueError:
            n = 1
        step = -1 if lst.has_attr("reversed") else 1
        for li in items:
            if li.get("value", "").lstrip("-").isdigit():
                n = int(li["value"])
            markers[id(li)] = _ol_marker(n, kind)
            n += step
    return markers


def _footnote_refs(container, has_note_section: bool) -> tuple[dict[str, str], set[int]]:
    """Footnote references: target id -> mark, and id()s of the <sup> elements to drop.

    A <sup> is a reference when it links to an anchor on the page, holds "*" marks, or holds a
    bare number while the page has a notes section; "m<sup>2</sup>" on a page without notes
    and "1<sup>e</sup>" stay text."""
    targets: dict[str, str] = {}
    drop: set[int] = set()
    for sup in container.find_all("sup"):
        text = sup.get_text("", strip=True)
        parent = sup.parent
        link = sup.find("a", href=True) or (
            parent
            if parent is not None and parent.name == "a" and parent.has_attr("href")
            else None
        )
        mark = normalise_mark(text.strip("[]() "))
        if link is not None and link["href"].startswith("#"):
            targets[link["href"][1:]] = mark or "*"
        elif not (_MARK_TEXT_RE.match(text or "") and (set(mark) == {"*"} or has_note_section)):
            continue
        drop.add(id(sup))
    return targets, drop


def _typed_notes(container) -> list[tuple[object, str]]:
    """Notes typed as paragraphs: a block that opens with a superscript mark ("<sup>*</sup>
    Deze benaming ...") which an earlier superscript in the text refers to.  A note is
    recognised by its mark wherever the page prints it."""
    seen: set[str] = set()
    notes = []
    for sup in container.find_all("sup"):
        mark = normalise_mark(sup.get_text("", strip=True).strip("[]() "))
        if not mark or not _MARK_TEXT_RE.match(mark):
            continue
        block = sup.parent
        opens = (
            block is not None
            and block.name in ("p", "div", "li", "dd")
            and block.find(True) is sup
            and not "".join(
                str(c) for c in sup.previous_siblings if getattr(c, "name", None) is None
            ).strip()
        )
        if opens and mark in seen:
            notes.append((block, mark))
        else:
            seen.add(mark)
    return notes


def _text_lines(tag, skip: set[int]) -> list[str]:
    """The text of a block element as lines (split at <br>), nested blocks and refs left out."""
    lines, current = [], []

    def walk(node) -> None:
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ in ("Comment", "Doctype", "ProcessingInstruction"):
                    continue
                current.append(str(child))
            elif id(child) in skip:
                continue
            elif name == "br":
                lines.append("".join(current))
                current.clear()
            elif name in _BLOCK_TAGS or name in ("ol", "ul", "dl", "table"):
                continue  # nested blocks are blocks of their own
            else:
                walk(child)

    walk(tag)
    lines.append("".join(current))
    return [t for t in (normalise_spaces(x.replace("\n", " ")) for x in lines) if t]


def _has_direct_text(tag) -> bool:
    return any(getattr(c, "name", None) is None and str(c).strip() for c in tag.children)


def _note_text(li, skip: set[int]) -> str:
    """A note's text without its back-link ("↩", "^", the mark)."""
    for a in li.find_all("a", href=True):
        if a["href"].startswith("#") and len(a.get_text(strip=True)) <= 3:
            skip.add(id(a))
    text = " ".join(_text_lines(li, skip))
    return re.sub(r"^\s*(\*{1,3}|\d{1,3}[.)]?)\s+", "", text).strip(" ↩↑^")


# a page nested deeper than this is refused: every walk that looks at an element's subtree
# (its text, its links, its parents) costs depth x elements, and the recursive text walk
# below stays far from Python's recursion limit; real pages nest a few dozen levels
MAX_DEPTH = 256
# the charset a page declares: <meta charset>, <meta http-equiv content>, <?xml encoding?>
_DECLARED_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_RE.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(path: Path, data: bytes) -> tuple[bytes | str, list[str]]:
    """The page as the parser gets it, and a warning when its declared charset was wrong.

    Bytes that decode in the charset the page declares (UTF-8 when it declares none) go to the
    parser as they are; others would come out with U+FFFD in place of "ë", "€" and quotes
    (a windows-1252 page declared as utf-8): they are decoded by the same detection as text
    files, with a warning.  Text made mostly of control characters is no web page."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data, []  # a byte order mark says it all: the parser reads it
    declared = _declared_charset(data)
    markup: bytes | str = data
    warnings: list[str] = []
    try:
        text = data.decode(declared or "utf-8")
    except UnicodeDecodeError:
        try:
            text, detected = decode(data, path)
        except InputError:  # binary, by the text files' rule
            text, detected = "\x00", []
        markup = text
        said = f"declares {declared}" if declared else "declares no charset"
        how = detected[0] if detected else "decoded by detection"
        warnings.append(f"the page {said} but its bytes are not in it; {how}")
    if looks_binary(text):
        raise InputError(path, "extract", "not a web page (binary data)")
    return markup, warnings


def _deepest(soup) -> int:
    """How deep elements nest, in one walk with a stack (no recursion: it is what is measured)."""
    deepest, stack = 0, [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in tag.contents if isinstance(c, Tag))
    return deepest


def read(path: str | Path, data: bytes, sha256: str) -> ExtractedText:
    path = Path(path)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "extract", "binary file, not HTML")
    markup, warnings = decode_page(path, data)
    soup = BeautifulSoup(markup, "lxml")
    if _deepest(soup) > MAX_DEPTH:
        raise InputError(path, "extract", f"the web page nests elements more than {MAX_DEPTH} deep")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    _drop_chrome(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in _elements(soup):
        if _is_boilerplate(tag):
            tag.decompose()
    container = _main_container(soup)
    markers = _list_markers(container)
    # footnote sections: sections named as notes, and the targets of references
    sections = [t for t in container.find_all(True) if _FOOTNOTE_SECTION_RE.search(_classes(t))]
    typed = _typed_notes(container)
    targets, skip = _footnote_refs(container, bool(sections or typed))
    note_blocks: list[RawBlock] = []
    note_nodes: set[int] = set()
    counter = 0
    for section in sections:
        if id(section) in note_nodes:
            continue
        items = section.find_all("li") or section.find_all("p")
        for item in items:
            counter += 1
            mark = targets.get(item.get("id", ""), str(counter) if not targets else "*")
            text = _note_text(item, skip)
            if text:
                note_blocks.append(RawBlock([(text, 1)], role="footnote", footnote_mark=mark))
        for t in [section, *section.find_all(True)]:
            note_nodes.add(id(t))
    for target, mark in targets.items():
        node = container.find(id=target)
        if node is not None and id(node) not in note_nodes:
            text = _note_text(node, skip)
            if text:
                note_blocks.append(RawBlock([(text, 1)], role="footnote", footnote_mark=mark))
            for t in [node, *node.find_all(True)]:
                note_nodes.add(id(t))

    for node, mark in typed:
        if id(node) not in note_nodes:
            text = _note_text(node, skip)
            if text:
                note_blocks.append(RawBlock([(text, 1)], role="footnote", footnote_mark=mark))
            for t in [node, *node.find_all(True)]:
                note_nodes.add(id(t))

    lines: list[Line] = []
    pending: tuple[object, str] | None = None  # an <li> whose text sits in a nested <p>
    for tag in [container, *container.find_all(True)]:
        if id(tag) in note_nodes or id(tag) in skip:
            continue
        is_block = tag.name in _BLOCK_TAGS or (
            tag.name in _CONTAINER_TAGS and _has_direct_text(tag)
        )
        if not is_block:
            continue
        texts = _text_lines(tag, skip)
        marker = markers.get(id(tag)) if tag.name == "li" else None
        if marker and not texts:
            pending = (tag, marker)
            continue
        if pending is not None and texts and any(parent is pending[0] for parent in tag.parents):
            marker, pending = marker or pending[1], None
        for i, text in enumerate(texts):
            lines.append(Line(text, hard_break=True, marker=marker if i == 0 else None))
    if not lines and not note_blocks:
        raise InputError(path, "extract", "no text in the HTML page")
    blocks = build_blocks(lines, wrapped=False)
    blocks += note_blocks
    return assemble(
        blocks, source_path=str(path), source_sha256=sha256, title_hint=title, warnings=warnings
    )
