"""What a PDF's compressed streams expand to, measured before pdfminer inflates any of them.

pdfminer inflates a stream whole when it first needs it, with no bound: a 1 MB stream that
inflates to 1 GiB takes 2.4 GiB, and a page whose content inflates to megabytes of tiny text
operators keeps pdfminer's interpreter busy for minutes.  :func:`measure` walks the file's
streams once, inflating each FlateDecode stream (and each stage of a chain of them) in chunks
of a megabyte that are counted and dropped, so memory stays flat and a stream is given up as
soon as it passes its budget.  Images are left out: pdfminer never inflates them to read text.

>>> sizes = measure(Path("decl.pdf"), data)        # doctest: +SKIP
>>> sizes[5]                                       # object 5 inflates to this many bytes
18231
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.types import InputError

# one stream: a declaration's pages, fonts and object streams inflate to well under 5 MB each
MAX_STREAM_BYTES = 64 * 2**20
# all streams of a document together (a 200-page report holds some 20 MB)
MAX_DOCUMENT_BYTES = 256 * 2**20
# one page's drawing instructions: a page of text needs 50 to 200 KB; pdfminer reads about
# 100 KB of tiny text operators a second (2 MB: some 20 s)
MAX_PAGE_BYTES = 2 * 2**20

CHUNK = 2**20
_KEYWORD_RE = re.compile(rb"\bstream\r?\n")
# "12 0 obj << ... >>" before the keyword: the object number, then its dictionary
_OBJECT_RE = re.compile(rb"(\d+)\s+\d+\s+obj\b")
HEAD_BYTES = 4096
_FLATE_RE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE_RE = re.compile(rb"/Subtype\s*/Image\b")


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """One FlateDecode stage, a megabyte of output at a time; stops at the end of the data or
    where it is corrupt (pdfminer judges corruption itself)."""
    inflater = zlib.decompressobj()
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = inflater.decompress(data, CHUNK)
            except zlib.error:
                return
            if out:
                yield out
            if inflater.eof:  # what follows the end is no part of the stream
                return
            data = inflater.unconsumed_tail


def inflated_size(raw: bytes, stages: int, budget: int) -> int:
    """What ``stages`` chained FlateDecode filters make of ``raw``, counted up to just past
    ``budget``."""
    chunks: Iterable[bytes] = (raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK))
    for _ in range(stages):
        chunks = _inflate(chunks)
    total = 0
    for out in chunks:
        total += len(out)
        if total > budget:
            break
    return total


def measure(path: Path, data: bytes) -> dict[int, int]:
    """Object number -> inflated size of every FlateDecode stream that is not an image;
    raises :class:`InputError` when a stream or all of them together pass their budgets."""
    sizes: dict[int, int] = {}
    total, at = 0, 0
    while (keyword := _KEYWORD_RE.search(data, at)) is not None:
        end = data.find(b"endstream", keyword.end())
        end = end if end >= 0 else len(data)
        at = end  # a stream's bytes are never read for keywords
        before = data[max(0, keyword.start() - HEAD_BYTES) : keyword.start()]
        objects = list(_OBJECT_RE.finditer(before))
        if not objects:
            continue
        head = before[objects[-1].end() :]
        stages = len(_FLATE_RE.findall(head))
        if _IMAGE_RE.search(head) or not stages:
            continue
        raw = data[keyword.end() : end]
        size = inflated_size(raw, stages, min(MAX_STREAM_BYTES, MAX_DOCUMENT_BYTES - total))
        if size > MAX_STREAM_BYTES:
            raise InputError(
                path,
                "extract",
                f"the PDF holds a stream that expands to more than {MAX_STREAM_BYTES // 2**20} MB",
            )
        total += size
        if total > MAX_DOCUMENT_BYTES:
            raise InputError(
                path,
                "extract",
                f"the PDF's streams expand to more than {MAX_DOCUMENT_BYTES // 2**20} MB",
            )
        sizes[int(objects[-1].group(1))] = size
    return sizes


def check_page(path: Path, number: int, content_ids: Iterable[int], sizes: dict[int, int]):
    """Refuse a page whose drawing instructions pass :data:`MAX_PAGE_BYTES`."""
    if sum(sizes.get(i, 0) for i in content_ids) > MAX_PAGE_BYTES:
        raise InputError(
            path,
            "extract",
            f"page {number} of the PDF holds more than {MAX_PAGE_BYTES // 2**20} MB of drawing "
            "instructions (a page of text holds well under 1 MB)",
        )
