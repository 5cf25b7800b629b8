"""The e-mail around a declaration sent as a message's body: its header, the covering note and
the signature are the message's, not the declaration's.

A text saved from a mail client opens with header fields ("Van: ...", "Onderwerp: ..."), often
a greeting and a short note ("Beste collega's, / Hierbij de definitieve tekst ..."), and ends
with a closing phrase ("Met vriendelijke groet,"), the sender's signature and a disclaimer.  The
phrases are data (``pipeline/data/email/envelope.tsv``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ENVELOPE_FILE = Path(__file__).resolve().parent.parent / "data" / "email" / "envelope.tsv"

# a message has at least this many header fields in a row at its top
MIN_HEADER_FIELDS = 2


@functools.cache
def _phrases(part: str) -> frozenset[str]:
    rows = [
        line.split("\t")
        for line in ENVELOPE_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return frozenset(row[0].strip().lower() for row in rows if row[1].strip() == part)


def _is_header_field(line: str) -> bool:
    m = re.match(r"^\s*([^\W\d_]+)\s*:", line)
    return m is not None and m.group(1).lower() in _phrases("header")


def _is_greeting(line: str) -> bool:
    words = line.split()
    return bool(words) and words[0].lower().rstrip(",") in _phrases("greeting")


def _is_valediction(line: str) -> bool:
    return " ".join(line.split()).rstrip(",").lower() in _phrases("valediction")


def _paragraphs(lines: list[str], start: int) -> list[tuple[int, int]]:
    """(first, end) of the blank-line-delimited paragraphs from ``start`` on."""
    out, i = [], start
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        out.append((i, j))
        i = j
    return out


def strip_envelope(lines: list[str]) -> list[str]:
    """The declaration's lines of a text, without the e-mail around it; the lines unchanged
    when the text does not open with a message's header fields.

    After the header, a greeting opens the covering note; its paragraphs are prose (their first
    line ends a sentence or runs to the full width of the text), and the first paragraph that
    opens otherwise (a title, shorter than a line of prose) begins the declaration.  From a
    closing phrase on a line of its own, what follows is the signature and the disclaimer.
    """
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    fields = 0
    while fields < len(nonblank) and _is_header_field(lines[nonblank[fields]]):
        fields += 1
    if fields < MIN_HEADER_FIELDS:
        return lines
    start = nonblank[fields - 1] + 1
    # a header field's value may go on over the next line without a blank line between
    while start < len(lines) and lines[start].strip():
        start += 1
    paragraphs = _paragraphs(lines, start)
    if paragraphs and _is_greeting(lines[paragraphs[0][0]]):
        width = max((len(line.rstrip()) for line in lines), default=0)
        first, end = paragraphs[0]
        if end - first == 1:  # the greeting on a line of its own: the note follows it
            paragraphs = paragraphs[1:]
        start = end
        for first, end in paragraphs:
            opening = lines[first].rstrip()
            if not (opening.endswith((".", ":", "!", "?")) or len(opening) >= 0.9 * width):
                break
            start = end
    body = lines[start:]
    closing = next((i for i, line in enumerate(body) if _is_valediction(line)), None)
    return body[:closing] if closing is not None else body
