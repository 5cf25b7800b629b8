"""Segmentation: ExtractedText -> spaCy Doc with segments and sentences.

The reader has already cut the text into blocks (one paragraph or list item each, with its
marker). Here the blocks become the segments of ANNOTATION.md section 1, and every segment
is split into sentences:

    title            the first block (plus short unpunctuated lines right after it)
    preamble         unnumbered text before the first numbered point
    point  p<N>      a block with a number marker ("1.", "1)", "(1)"); unnumbered blocks that
                     follow a point continue it
    heading h<K>     a roman-numbered or short unpunctuated block that introduces points or
                     bullets (main text or annex)
    bullet           a block with a glyph or letter marker: h<K>.b<M> under a heading,
                     p<N>.b<M> inside a point
    annex_title      the block that opens the annex ("Bijlage ...") and the lines up to the
                     first heading
    closing<N>       unnumbered text after the last point or bullet
    fn<N>            footnote blocks
    par<N>           in a text with no numbered points and no lists at all, each paragraph
                     (the fallback), or the unnumbered paragraphs under a communiqué's
                     headings; the Doc's warnings say which (:func:`structure_warning`)

Sentence boundaries: every block starts a sentence; inside a block a sentence ends at ".", "!"
or "?" followed by a word that starts with a capital, a digit, a quote or a bracket. The
tokenizer keeps Dutch abbreviations ("o.a.", "m.b.t.", "nr.") whole, so they never end one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import cast

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

from . import doc as _doc  # noqa: F401  (registers the extension attributes)
from .extract.markers import (
    ITEM_LETTER,
    NUMBER_MARKER,
    ROMAN_MARKER,
    heading_number,
    roman_value,
    structural_kind,
)
from .extract.words import is_capitals
from .types import Block, ExtractedText

ANNEX_OPENING = re.compile(r"^(bijlage|annex|aanhangsel)\b", re.IGNORECASE)
SENTENCE_END = {".", "!", "?", "…"}
# a block this short, without closing punctuation, reads as a heading or a title line
HEADING_MAX_CHARS = 160


@dataclass
class Segment:
    """One segment while it is being built: its blocks and its place in the structure."""

    segment_id: str
    kind: str
    blocks: list[Block]
    number: str | None = None
    heading_id: str | None = None


def _is_heading_like(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= HEADING_MAX_CHARS and text[-1] not in ".:;!?,"


SINGLE_ROMAN = re.compile(r"^([VXLC])\.\s+")


def _recover_roman_markers(text: str, blocks: list[Block]) -> list[Block]:
    """ "V. Bilaterale geschillen" after "IV. ..." is heading V, not the initial of a name: the
    reader cannot tell a lone capital with a dot from an initial, the sequence can."""
    previous = 0
    out = []
    for block in blocks:
        roman = ROMAN_MARKER.match(block.marker or "")
        if roman:
            previous = roman_value(roman.group(1))
        elif block.marker is None:
            m = SINGLE_ROMAN.match(text[block.start : block.end])
            if m and roman_value(m.group(1)) == previous + 1:
                previous += 1
                block = replace(block, marker=m.group(1) + ".", content_start=block.start + m.end())
        out.append(block)
    return out


def _annex_numbered_headings(body: list[Block], kinds: list[str | None], content) -> None:
    """In an annex, where points are not numbered, "1. Energie en klimaat" followed by bullets
    is a numbered heading: its kind becomes "roman" (a heading's marker), in place."""
    annex = next(
        (i for i, b in enumerate(body) if kinds[i] is None and ANNEX_OPENING.match(content(b))),
        None,
    )
    if annex is None or "number" not in kinds[:annex]:
        return
    for i in range(annex + 1, len(body) - 1):
        if kinds[i] == "number" and kinds[i + 1] == "item" and _is_heading_like(content(body[i])):
            kinds[i] = "roman"


def _paragraphs_under_headings(
    body: list[Block], kinds: list[str | None], content, first_point
) -> bool:
    """Does the text set unnumbered paragraphs under headings (a communiqué's "Oekraïne" /
    "Wij veroordelen ...")?  Only a text without numbered points can: there an unnumbered
    block after a point continues it.  A heading is a numbered (roman, "A.") or short
    unpunctuated block after the title; it must be followed by a paragraph, a block that is
    not heading-like."""
    if first_point is not None:
        return False
    for i in range(2, len(body) - 1):
        heading = kinds[i] == "roman" or (kinds[i] is None and _is_heading_like(content(body[i])))
        if heading and kinds[i + 1] is None and not _is_heading_like(content(body[i + 1])):
            if not ANNEX_OPENING.match(content(body[i])):
                return True
    return False


def structure(extracted: ExtractedText) -> list[Segment]:
    """Assign every block of the text to a segment (see the module docstring)."""
    text = extracted.text
    body = _recover_roman_markers(text, [b for b in extracted.blocks if b.role != "footnote"])
    footnotes = [b for b in extracted.blocks if b.role == "footnote"]

    def content(b: Block) -> str:
        return text[b.content_start : b.end]

    kinds = [structural_kind(b.marker) for b in body]
    for i, b in enumerate(body[1:], start=1):
        # a block in capitals is a heading ("RECHTSSTAAT, VEILIGHEID EN MIGRATIE")
        words = content(b)
        if kinds[i] is None and is_capitals(words) and _is_heading_like(words):
            kinds[i] = "roman" if not ANNEX_OPENING.match(words) else None
    _annex_numbered_headings(body, kinds, content)
    first_point = next((i for i, k in enumerate(kinds) if k == "number"), None)
    annex_start = next(
        (
            i
            for i, b in enumerate(body)
            if kinds[i] is None
            and ANNEX_OPENING.match(content(b))
            and _is_heading_like(content(b))
            and (first_point is None or i > first_point)
        ),
        None,
    )

    paragraphs_under_headings = _paragraphs_under_headings(body, kinds, content, first_point)

    segments: list[Segment] = []
    n_heading = n_closing = 0
    items_under: dict[str, int] = {}  # parent segment id -> bullets so far
    current_point: Segment | None = None
    current_heading: Segment | None = None
    last_point_index = max((i for i, k in enumerate(kinds) if k == "number"), default=None)

    def next_is_item(i: int) -> bool:
        return i + 1 < len(body) and kinds[i + 1] in ("item", "number")

    def add_item(block: Block, parent: Segment | None) -> None:
        parent_id = parent.segment_id if parent else None
        m = items_under[parent_id or ""] = items_under.get(parent_id or "", 0) + 1
        seg_id = f"{parent_id}.b{m}" if parent_id else f"b{m}"
        # an item of a point's list sits under the same heading as its point
        heading_id = (
            parent_id
            if parent and parent.kind == "heading"
            else (parent.heading_id if parent else None)
        )
        letter = ITEM_LETTER.match(block.marker or "")
        segments.append(
            Segment(seg_id, "bullet", [block], letter.group(1) if letter else None, heading_id)
        )

    i = 0
    while i < len(body):
        block, kind = body[i], kinds[i]
        in_annex = annex_start is not None and i >= annex_start

        if i == 0 and kind is None:
            title = Segment("title", "title", [block])
            # a title set over several short lines ("Verklaring van Sofia" / "17 mei 2018"),
            # up to the preamble, or up to a numbered heading where there is no preamble
            # ("Europese Raad, 19 en 20 maart 2029" / "Conclusies" / "I. ...")
            while (
                i + 1 < len(body)
                and kinds[i + 1] is None
                and _is_heading_like(content(body[i + 1]))
                and i + 2 < len(body)
                and kinds[i + 2] in (None, "roman")
                and (annex_start is None or i + 1 < annex_start)
            ):
                i += 1
                title.blocks.append(body[i])
            segments.append(title)
        elif in_annex and i == annex_start:
            annex = Segment("annex_title", "annex_title", [block])
            # further lines of the annex title up to the first heading (the block before a bullet)
            while i + 2 < len(body) and kinds[i + 1] is None and kinds[i + 2] in (None, "roman"):
                if not _is_heading_like(content(body[i + 1])):
                    break
                i += 1
                annex.blocks.append(body[i])
            segments.append(annex)
            current_point = current_heading = None
        elif kind == "number" and not in_annex:
            found = NUMBER_MARKER.match(block.marker or "")
            assert found is not None  # the kind "number" is given to these markers only
            number = found.group(1)
            heading_id = current_heading.segment_id if current_heading else None
            point_id = f"p{number}"
            repeat = 1
            while any(seg.segment_id == point_id for seg in segments):
                # numbering that starts again (a second list, a misread number): p1-2, p1-3 ...
                repeat += 1
                point_id = f"p{number}-{repeat}"
            current_point = Segment(point_id, "point", [block], number, heading_id)
            segments.append(current_point)
        elif kind == "roman" or (
            kind is None
            and _is_heading_like(content(block))
            and (next_is_item(i) or (paragraphs_under_headings and not in_annex))
            and (in_annex or current_point is None or kinds[i + 1] == "number")
        ):
            n_heading += 1
            number = heading_number(block.marker) if kind == "roman" and block.marker else None
            current_heading = Segment(f"h{n_heading}", "heading", [block], number)
            segments.append(current_heading)
            current_point = None
        elif paragraphs_under_headings and current_heading is not None and kind is None:
            # a communiqué's unnumbered paragraphs under plain headings: each one a segment
            n_paragraph = sum(seg.kind == "paragraph" for seg in segments) + 1
            segments.append(
                Segment(f"par{n_paragraph}", "paragraph", [block], None, current_heading.segment_id)
            )
        elif kind in ("item", "number"):  # a numbered item inside the annex is a bullet too
            add_item(block, current_point or current_heading)
        elif (
            in_annex
            and current_heading is not None
            and "item" not in kinds[annex_start:]
            and not (i == len(body) - 1 and content(block).rstrip()[-1:] in SENTENCE_END)
        ):
            # an annex whose headings are marked and whose items carry no glyph (a hanging
            # indent only): every block under a heading is an item, up to a closing sentence
            add_item(block, current_heading)
        elif (
            first_point is None
            and "item" not in kinds
            and "roman" not in kinds
            and not paragraphs_under_headings  # there the text before the first heading is the preamble
        ):
            # no recognisable structure: every paragraph is a segment of its own
            n_paragraph = sum(seg.kind == "paragraph" for seg in segments) + 1
            segments.append(Segment(f"par{n_paragraph}", "paragraph", [block]))
        elif first_point is None or i < first_point:
            if segments and segments[-1].kind == "preamble":
                segments[-1].blocks.append(block)
            else:
                segments.append(Segment("preamble", "preamble", [block]))
        elif (
            not in_annex
            and current_point is not None
            and last_point_index is not None
            and i < last_point_index
        ):
            # unnumbered text between points continues the point it follows
            _continue(segments, current_point, block)
        elif (
            not in_annex
            and current_point is not None
            and segments[-1] is current_point
            and (content(block).rstrip()[-1:] not in SENTENCE_END)
        ):
            _continue(segments, current_point, block)
        else:
            n_closing += 1
            segments.append(Segment(f"closing{n_closing}", "closing", [block]))
        i += 1

    for n, block in enumerate(footnotes, start=1):
        mark = block.footnote_mark
        segments.append(
            Segment(f"fn{n}", "footnote", [block], number=mark if mark and mark.isdigit() else None)
        )
    return _unique_ids(segments)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def structure_warning(segments: list[Segment]) -> str | None:
    """What the segmenter did with a text that has no numbered points, in the researcher's
    words: paragraphs under headings (with their bullets) or, with no structure at all, one
    segment per paragraph.  None when the text has numbered points or no paragraphs."""
    paragraphs = sum(seg.kind == "paragraph" for seg in segments)
    if not paragraphs:
        return None
    headings = sum(seg.kind == "heading" for seg in segments)
    bullets = sum(seg.kind == "bullet" for seg in segments)
    if not headings and not bullets:
        return (
            "no numbered points, headings or lists found: segmented into paragraphs and "
            f"sentences only ({_count(paragraphs, 'paragraph')})"
        )
    found = [_count(headings, "heading")] if headings else []
    found += [_count(bullets, "bullet")] if bullets else []
    return (
        f"no numbered points found: segmented into {' and '.join(found)} "
        f"and {_count(paragraphs, 'unnumbered paragraph')}"
    )


def _unique_ids(segments: list[Segment]) -> list[Segment]:
    """Segment ids are the tables' keys: one that comes again (a second preamble after a
    heading, say) is numbered on as a restarted point is ("preamble-2")."""
    seen: dict[str, int] = {}
    for seg in segments:
        seen[seg.segment_id] = seen.get(seg.segment_id, 0) + 1
        if seen[seg.segment_id] > 1:
            seg.segment_id = f"{seg.segment_id}-{seen[seg.segment_id]}"
    return segments


def _continue(segments: list[Segment], point: Segment, block: Block) -> None:
    """Add an unnumbered block to the point it follows.

    Text that comes after the point's own list items cannot join the point's span without
    overlapping them, so it becomes the point's continuation segment p<N>.c<K>.
    """
    if segments[-1] is point or segments[-1].segment_id.startswith(point.segment_id + ".c"):
        segments[-1].blocks.append(block)
        return
    k = sum(s.segment_id.startswith(point.segment_id + ".c") for s in segments) + 1
    segments.append(
        Segment(f"{point.segment_id}.c{k}", "point", [block], point.number, point.heading_id)
    )


def _span(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end)
    if span is None:  # a marker glued to a word: keep the tokens wholly inside
        span = doc.char_span(start, end, alignment_mode="contract")
    return span


def _sentence_ranges(doc: Doc, texts: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Token ranges of the sentences in one block's tokens [start, end).  ``texts`` holds the
    Doc's token texts: ``doc[i]`` builds a new Token object at every call."""
    ranges, sent_start = [], start
    for i in range(start, end - 1):
        text = texts[i]
        if text in SENTENCE_END or (text[-1:] in "!?" and len(text) > 1):
            first = texts[i + 1][:1]
            if first.isupper() or first.isdigit() or first in "\"'“‘(«[":
                ranges.append((sent_start, i + 1))
                sent_start = i + 1
        elif len(text) > 1 and text.endswith(".") and doc[i + 1].is_title and doc[i + 1].is_stop:
            # an abbreviation that also ends the sentence ("... enz. De top ..."): a
            # capitalised function word after it opens a new one; a name ("m.b.t. Kosovo")
            # does not
            ranges.append((sent_start, i + 1))
            sent_start = i + 1
    ranges.append((sent_start, end))
    return ranges


def segment(extracted: ExtractedText, nlp: Language, doc_id: str = "document") -> Doc:
    """Tokenise the clean text and lay the segments and sentences over it as spans."""
    doc = nlp.make_doc(extracted.text)
    doc._.doc_id = doc_id
    doc._.source_path = extracted.source_path
    doc._.source_sha256 = extracted.source_sha256
    doc._.n_pages = extracted.n_pages
    doc._.page_spans = list(extracted.page_spans)
    doc._.warnings = list(extracted.warnings)

    segment_spans: list[Span] = []
    sentence_spans: list[Span] = []
    texts = [doc.vocab.strings[orth] for orth in doc.to_array(ORTH).tolist()]
    sent_starts: set[int] = set()
    segments = structure(extracted)
    warning = structure_warning(segments)
    if warning:
        doc._.warnings.append(warning)
    for seg in segments:
        pairs: list[tuple[Block, Span]] = []
        for b in seg.blocks:
            block_span = _span(doc, b.content_start, b.end)
            if block_span is not None and len(block_span):
                pairs.append((b, block_span))
        if not pairs:
            continue
        seg.blocks = [b for b, _ in pairs]
        block_spans = [s for _, s in pairs]
        span = doc[block_spans[0].start : block_spans[-1].end]
        span._.segment_id = seg.segment_id
        span._.kind = seg.kind
        span._.number = seg.number
        span._.heading_id = seg.heading_id
        segment_spans.append(span)
        k = 0
        for block, bs in zip(seg.blocks, block_spans):
            marker = doc.char_span(block.start, block.content_start, alignment_mode="expand")
            if marker is not None and len(marker):  # "1." opens the sentence it numbers
                sent_starts.add(marker.start)
            for s, e in _sentence_ranges(doc, texts, bs.start, bs.end):
                k += 1
                sent = doc[s:e]
                sent._.sentence_id = f"{seg.segment_id}.s{k}"
                sent._.segment_id = seg.segment_id
                sentence_spans.append(sent)
                if s != bs.start or marker is None or not len(marker):
                    sent_starts.add(s)

    # one array write: setting token.is_sent_start token by token re-checks the whole Doc's
    # annotation every time
    starts = numpy.full((len(doc), 1), -1, dtype="int64")
    starts[sorted(sent_starts | {0}) if len(doc) else [], 0] = 1
    if len(doc):
        # -1 wraps, as spaCy expects
        doc.from_array([SENT_START], cast(Ints2d, starts.astype("uint64")))
    doc.spans["segments"] = segment_spans
    doc.spans["sentences"] = sentence_spans
    title = next((s for s in segment_spans if s._.kind == "title"), None)
    doc._.title = extracted.title_hint or (title.text.replace("\n", " ") if title else None)
    return doc
