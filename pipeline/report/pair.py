"""The page of one compared pair (report/pair/<newer>~~<older>.html): the older declaration on
the left, the newer on the right, segment by segment as the alignments table matches them.

The alignments table reads "doc_a against doc_b" with doc_a the newer document (compare.py), so
the left column is doc_b and the right column doc_a: the words the newer text added are <ins> on
the right, the words it removed <del> on the left; a new segment is wholly <ins>, a dropped one
wholly <del>. With commitment tracking, the older document's pledges with their status and the
newer text beside them; then the passages both share verbatim.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from html import escape

from ..scheme import RELATIONS, TRACKING_STATUSES
from . import html as h

INDEX = "../../report.html"  # from report/pair/
# identical segments are shown by their opening words: nothing to compare
IDENTICAL_PREVIEW_CHARS = 160


def word_diff(old: str, new: str) -> tuple[str, str]:
    """Both texts as HTML: the words only the old text has in <del>, those only the new one has
    in <ins>."""
    wa, wb = old.split(), new.split()
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        removed, added = escape(" ".join(wa[i1:i2])), escape(" ".join(wb[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
        else:
            if removed:
                left.append(f"<del>{removed}</del>")
            if added:
                right.append(f"<ins>{added}</ins>")
    return " ".join(left), " ".join(right)


class Side:
    """One document of the pair: its segments' texts and reading order."""

    def __init__(self, doc_id: str, info: dict, segments: list[dict]):
        self.doc_id, self.info = doc_id, info
        ordered = sorted(segments, key=lambda s: h.integer(s.get("char_start")) or 0)
        self.text = {h.text_of(s.get("segment_id")): h.text_of(s.get("text")) for s in ordered}
        self.position = {sid: i for i, sid in enumerate(self.text)}

    def heading(self) -> str:
        date = h.text_of(self.info.get("date"))
        link = f"<a href='../../{h.document_href(self.doc_id)}'>{escape(self.doc_id)}</a>"
        return link + (f" ({escape(date)})" if date else "")


def reading_order(rows: list[dict], newer: Side, older: Side) -> list[dict]:
    """The rows in the newer document's order; a dropped segment after the newer counterpart of
    the older segment before it, so that it shows where it was."""
    matched = sorted(
        (older.position[b], newer.position[a])
        for r in rows
        if (a := h.text_of(r.get("segment_a"))) in newer.position
        and (b := h.text_of(r.get("segment_b"))) in older.position
    )
    older_positions = [p for p, _ in matched]

    def key(r: dict) -> tuple[float, float]:
        a, b = h.text_of(r.get("segment_a")), h.text_of(r.get("segment_b"))
        if a in newer.position:
            return (newer.position[a], older.position.get(b, -1))
        k = bisect.bisect_left(older_positions, older.position.get(b, 0))
        return (matched[k - 1][1] + 0.5 if k else -0.5, older.position.get(b, 0))

    return sorted(rows, key=key)


def pair_page(
    newer: Side,
    older: Side,
    alignments: list[dict],
    scores: dict[str, float],
    reuse: list[dict] = (),
    tracking: list[dict] | None = None,
) -> str:
    title = f"{older.doc_id} → {newer.doc_id}"
    counts = Counter(h.text_of(r.get("relation")) for r in alignments)
    summary = ", ".join(f"{counts[r]} {r}" for r in RELATIONS if counts[r])
    summary += "".join(f", {n} {r}" for r, n in counts.items() if r not in RELATIONS)
    parts = [
        f"<nav class='crumbs'><a href='{INDEX}'>All documents</a> › {escape(title)}</nav>",
        f"<h1>{escape(title)}</h1>",
        f"<p>Older: {older.heading()}; newer: {newer.heading()}.</p>",
    ]
    if scores:
        parts.append(
            h.table(
                ["method", "similarity"],
                [h.cells([escape(m), f"{s:.3f}"], numeric=[1]) for m, s in scores.items()],
            )
        )
    if tracking is not None:
        parts.append(tracking_html(tracking, newer, older))
    parts.append(f"<h2 id='alignment'>Alignment ({escape(summary)})</h2>")
    parts.append(
        "<p class='note'>Left the older text, right the newer: words the newer text added are "
        "<ins>marked so</ins>, words it removed <del>so</del>.</p>"
    )
    parts.append(alignment_table(reading_order(alignments, newer, older), newer, older))
    parts.append(f"<h2 id='reuse'>Passages shared verbatim ({len(reuse)})</h2>")
    if reuse:
        rows = [
            h.cells(
                [
                    escape(h.text_of(r.get("segment_b"))),
                    escape(h.text_of(r.get("segment_a"))),
                    escape(h.text_of(r.get("n_words"))),
                    escape(h.text_of(r.get("text"))),
                ],
                numeric=[2],
            )
            for r in sorted(reuse, key=lambda r: -(h.integer(r.get("n_words")) or 0))
        ]
        parts.append(h.table([f"in {older.doc_id}", f"in {newer.doc_id}", "words", "text"], rows))
    else:
        parts.append("<p class='note'>None of at least 8 words.</p>")
    return h.page(title, "\n".join(parts), root="../../")


def alignment_table(rows: list[dict], newer: Side, older: Side) -> str:
    def side(segment_id: str, body: str) -> str:
        return f"<span class='sid'>{escape(segment_id)}</span> {body}" if segment_id else ""

    out = [
        "<table class='alignment'><colgroup><col class='side'><col class='mid'>"
        "<col class='side'></colgroup>"
        f"<thead><tr><th>{escape(older.doc_id)} (older)</th><th>relation</th>"
        f"<th>{escape(newer.doc_id)} (newer)</th></tr></thead><tbody>"
    ]
    for row in rows:
        seg_new, seg_old = h.text_of(row.get("segment_a")), h.text_of(row.get("segment_b"))
        text_new, text_old = newer.text.get(seg_new, ""), older.text.get(seg_old, "")
        relation = h.text_of(row.get("relation"))
        if relation == "identical":
            html_old = html_new = escape(h.shorten(text_new, IDENTICAL_PREVIEW_CHARS))
        elif seg_new and seg_old:  # revised
            html_old, html_new = word_diff(text_old, text_new)
        else:  # new (nothing on the left) or dropped (nothing on the right)
            html_old = f"<del>{escape(text_old)}</del>" if text_old else ""
            html_new = f"<ins>{escape(text_new)}</ins>" if text_new else ""
        score = h.number(row.get("score"))
        out.append(
            f"<tr class='{escape(relation, quote=True)}'><td class='side older'>"
            f"{side(seg_old, html_old)}</td><td class='mid'><span class='rel'>"
            f"{escape(relation)}</span><br>{'' if score is None else f'{score:.2f}'}</td>"
            f"<td class='side newer'>{side(seg_new, html_new)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def tracking_html(tracking: list[dict], newer: Side, older: Side) -> str:
    """The older document's pledges with their status, the newer text beside them, the words
    that changed marked."""
    counts = Counter(h.text_of(r.get("status")) for r in tracking)
    line = ", ".join(f"{counts[s]} {s}" for s in TRACKING_STATUSES if counts[s])
    line += "".join(f", {n} {s}" for s, n in counts.items() if s not in TRACKING_STATUSES)
    rows = []
    for r in tracking:
        status = escape(h.text_of(r.get("status")), quote=True)
        seg_old, seg_new = h.text_of(r.get("segment_b")), h.text_of(r.get("segment_a"))
        text_old, text_new = older.text.get(seg_old, ""), newer.text.get(seg_new, "")
        if text_old and text_new:
            html_old, html_new = word_diff(text_old, text_new)
        else:
            html_old, html_new = escape(text_old), escape(text_new)
        changes = "".join(
            f"<span class='change'>{escape(str(c))}</span>" for c in h.list_of(r.get("changes"))
        )
        score = h.number(r.get("score"))
        rows.append(
            f"<tr class='status-{status}'>"
            f"<td><span class='sid'>{escape(h.text_of(r.get('commitment_b')) or seg_old)}</span> "
            f"<strong>{escape(h.text_of(r.get('action_b')))}</strong><br>{html_old}</td>"
            f"<td><span class='status-{status}'><strong>{status}</strong></span><br>{changes}"
            f"{'' if score is None else f'<br>{score:.2f}'}</td>"
            f"<td><span class='sid'>{escape(h.text_of(r.get('commitment_a')) or seg_new)}</span> "
            f"{html_new}</td>"
            f"<td>{escape(h.text_of(r.get('evidence')))}</td></tr>"
        )
    return (
        f"<h2 id='tracking'>Commitments of {escape(older.doc_id)} followed up "
        f"({escape(line or 'none')})</h2>"
        + h.table(
            [f"pledge of {older.doc_id}", "status", f"in {newer.doc_id}", "evidence"],
            rows,
            "alignment tracking",
        )
    )
