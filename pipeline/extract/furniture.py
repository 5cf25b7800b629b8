"""Page furniture in paged text: running headers, footers and page numbers."""

from __future__ import annotations

import re
from collections import Counter

# a bare number has at most three digits: "2028" alone on a line is the year of a title set
# over two lines ("... 6 november" / "2028"), never the page of a declaration
_PAGE_NUMBER_RE = re.compile(
    r"^[\W_]*(?:(?:page|pagina|blz\.?|p\.)\s*)?(\d{1,3}|[ivxlc]{1,6})(?:\s*(?:/|of|van)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)


def furniture_key(text: str) -> str:
    """Running headers and footers repeat with a changing page number: compare without digits."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def is_page_number(text: str) -> bool:
    return _PAGE_NUMBER_RE.match(text.strip()) is not None


# a header that begins the title has at least this many words ("Conclusies van de Raad")
HEADER_MIN_WORDS = 3


def repeats_title(text: str, title: str) -> bool:
    """Does a line at the top of a later page repeat the title, or begin it?  A running header
    is often the title, or its first words, and may stand on one later page only (a document
    of two pages); the title itself stands on the first page."""
    key = _words(text)
    return len(key) >= HEADER_MIN_WORDS and _words(title)[: len(key)] == key


def _words(text: str) -> list[str]:
    """The words of a line, without digits: a note's mark on the title ("Luxemburg1") and a
    header's changing number say nothing about the words a header repeats."""
    return re.findall(r"[^\W\d_]+", text.lower())


def furniture_lines(pages: list[list[str]], depth: int = 2) -> list[set[int]]:
    """Indices of header/footer lines on each page (page = list of non-blank lines).

    A line among the first or last ``depth`` of its page is furniture when the same line
    (digits ignored) stands at the top or bottom of at least half the pages (and two), or when
    it is a bare page number.
    """
    counts: Counter = Counter()
    for page in pages:
        keys = {furniture_key(t) for t in page[:depth] + page[-depth:]}
        counts.update(keys)
    threshold = max(2, (len(pages) + 1) // 2)
    result = []
    for page in pages:
        drop: set[int] = set()
        candidates = list(range(min(depth, len(page)))) + list(
            range(max(0, len(page) - depth), len(page))
        )
        for i in candidates:
            repeated = len(pages) > 1 and counts[furniture_key(page[i])] >= threshold
            if (repeated and _could_be_furniture(page[i], 300)) or is_page_number(page[i]):
                drop.add(i)
        result.append(drop)
    # a page's only text is furniture only when it repeats a header or footer that stands
    # beside text on other pages (see pdf._drop_furniture)
    headers = {
        furniture_key(page[i])
        for page, drop in zip(pages, result)
        if len(drop) < len(page)
        for i in drop
    }
    for page, drop in zip(pages, result):
        if drop and len(drop) == len(page):
            drop.intersection_update(
                i for i in drop if is_page_number(page[i]) or furniture_key(page[i]) in headers
            )
    return result


# --------------------------------------------------------------------------------------------
# Furniture anywhere in a text without page breaks (a copy from a viewer, a dump without
# form feeds): found by what it is across the whole document, not by where a page ends
# --------------------------------------------------------------------------------------------

# a page number standing alone: "3", "- 3 -", "Pagina 3 van 7", "3/7", "p. 3"; never "3." or
# "3)" (a list marker on a line of its own)
_LONE_NUMBER_RE = re.compile(
    r"^[-–—\s]*(?:(?:page|pagina|blz\.?|p\.)\s*)?(\d{1,4})(?:\s*(?:/|of|van)\s*(\d{1,4}))?[-–—\s]*$",
    re.IGNORECASE,
)
_FRAMED = re.compile(r"^\s*[-–—]\s*\d{1,4}\s*[-–—]\s*$")
_CLOSES_LINE = (".", ",", ";", ":", "!", "?")
_BROKEN_LOWER = re.compile(r"[^\W\d_](?<![A-Z])-$")  # a word broken after a small letter: "kun-"
# pages are at least this many lines long: repeats closer together are text, not furniture
MIN_PAGE_LINES = 8


def _page_numbers(lines: list[str]) -> set[int]:
    """Lines that number the pages: lone numbers that count up one by one through the
    document (2, 3, 4 ...), at least two of them."""
    found: list[tuple[int, int, bool]] = []  # (line, number, with the page total)
    for i, text in enumerate(lines):
        m = _LONE_NUMBER_RE.match(text)
        if m and (m.group(2) is None or int(m.group(1)) <= int(m.group(2))):
            # "Pagina 2 van 7" and "- 2 -" say they number a page; a bare "2" does not
            found.append((i, int(m.group(1)), m.group(2) is not None or bool(_FRAMED.match(text))))
    best: list[int] = []
    for start, (i, value, _) in enumerate(found):  # the longest chain counting up by one
        if value > 3:
            continue
        chain, want, last = [i], value + 1, i
        for j, v, total in found[start + 1 :]:
            # "Pagina 2 van 7" leaves no doubt; a bare "2" must stand a page after the "1"
            if v == want and j - last >= (3 if total else MIN_PAGE_LINES):
                chain.append(j)
                want, last = want + 1, j
        if len(chain) > len(best):
            best = chain
    return set(best) if len(best) >= 2 else set()


def _could_be_furniture(text: str, longest: int = 120) -> bool:
    """A running header or footer: short, not a sentence's end, not starting in lower case."""
    return (
        0 < len(text) <= longest
        and not text.endswith(_CLOSES_LINE)
        and not text[:1].islower()
        and not text.endswith(("-", "\u00ad"))
    )


def repeated_furniture(
    lines: list[str], is_title_like, is_short, page_starts: frozenset[int] = frozenset()
) -> set[int]:
    """Indices (into ``lines``, the document's non-blank lines in order) of page furniture
    found across the document: page numbers counting up, and short lines repeated (digits
    ignored) at least a page apart.

    The first occurrence at the document's start is the title when nothing title-like
    follows it: a header that equals or begins the title is printed above the title, so a
    second copy of it, a line beginning with it, or a title right after it
    (``is_title_like`` of the lines that follow) says it was the header.
    """
    furniture = _page_numbers(lines)
    where: dict[str, list[int]] = {}
    for i, text in enumerate(lines):
        if i not in furniture and _could_be_furniture(text):
            where.setdefault(furniture_key(text), []).append(i)
    for indices in where.values():
        spaced = [indices[0]]
        for i in indices[1:]:
            if i - spaced[-1] >= MIN_PAGE_LINES:
                spaced.append(i)
        if len(spaced) < 2:
            continue
        first = spaced[0]
        if first <= 1:  # the document's first lines: the header above the title, or the title
            nxt = lines[first + 1] if first + 1 < len(lines) else ""
            header = _words(lines[first])
            header_above = (
                furniture_key(nxt) == furniture_key(lines[first])
                or nxt.startswith(lines[first])
                # the title below it, wrapped otherwise or with a note's mark ("Raad1")
                or _words(" ".join(lines[first + 1 : first + 4]))[: len(header)] == header
                or is_title_like(lines[first + 1 : first + 6])
            )
            if not header_above:
                spaced = spaced[1:]
        furniture.update(spaced)
    # a header printed once (on a second page) follows a page number or opens a page
    # (``page_starts``: after a form feed), short, inside a sentence that goes on after it;
    # inside a word that goes on after it ("kun-" / header / "nen"), any line short of the
    # measure (a narrow column's header is nearly as long as its lines)
    # a line that repeats the title as its first lines print it ("... Nederlands-Duitse rege-"
    # / "ringsconsultaties"), a page or more after it, is a running header wherever it stands
    title, openings = "", set()
    for text in lines[:3]:
        broken = title.endswith("-") and text[:1].islower()
        title = title[:-1] + text if broken else f"{title} {text}".strip()
        openings.add(title)
    for k in range(MIN_PAGE_LINES, len(lines)):
        if (
            lines[k] in openings
            and len(lines[k].split()) >= HEADER_MIN_WORDS
            and _could_be_furniture(lines[k])
        ):
            furniture.add(k)
    lengths = sorted(len(t) for t in lines)
    measure = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    for k in sorted({j + 1 for j in furniture} | set(page_starts)):
        if k >= len(lines) - 1 or k in furniture or not _could_be_furniture(lines[k]):
            continue
        if k > 1 and len(lines[k].split()) >= 2 and lines[0].startswith(lines[k]):
            furniture.add(k)  # the title, or its first words, over a later page
            continue
        before = max((i for i in range(k) if i not in furniture), default=None)
        after = min((i for i in range(k + 1, len(lines)) if i not in furniture), default=None)
        inside_word = (
            before is not None
            and after is not None
            and _BROKEN_LOWER.search(lines[before]) is not None
            and lines[after][:1].islower()
            and len(lines[k]) < 0.9 * measure
        )
        if not (is_short(lines[k]) or inside_word) or not lines[k][:1].isupper():
            continue
        if (
            before is not None
            and after is not None
            and not lines[before].endswith(_CLOSES_LINE)
            and lines[after][:1].islower()
        ):
            furniture.add(k)
    return furniture
