"""Page furniture in paged text: running headers, footers and page numbers."""

from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER_RE = re.compile(
    r"^[\W_]*(?:(?:page|pagina|blz\.?|p\.)\s*)?(\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of|van)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)


def furniture_key(text: str) -> str:
    """Running headers and footers repeat with a changing page number: compare without digits."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def is_page_number(text: str) -> bool:
    return _PAGE_NUMBER_RE.match(text.strip()) is not None


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
            if (len(pages) > 1 and counts[furniture_key(page[i])] >= threshold) or is_page_number(
                page[i]
            ):
                drop.add(i)
        result.append(drop)
    return result
