"""One document's page: a pure function of the document's table rows (``records.doc_tables``),
so that a worker renders it next to the rows it has just made and the run caches it with them.

The page (report/doc/<doc_id>.html) holds the document's facts and warnings, its domain profile
as a bar chart, its commitments (action and object highlighted in the sentence), its entities,
and its structure as a nested list of segments with every sentence, its speech act and its
entities marked. Sentences, entities and commitments carry their actors, domains, speech act and
confidence as data attributes, which the filters at the top of the page (report.js) act on.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape

from ..classify.commitments.record import REVIEW_BELOW
from ..scheme import SPEECH_ACTS
from . import html as h
from .figures import bar_chart

INDEX = "../../report.html"  # from report/doc/


def document_files(rows: dict[str, list[dict]]) -> dict[str, str]:
    """What the report keeps of one document, by file name: its page and its sentences for the
    index's search box (JSON). Empty for a document that failed (no documents row)."""
    if not rows.get("documents"):
        return {}
    return {
        "report.html": document_page(rows),
        "sentences.json": json.dumps(search_entry(rows), ensure_ascii=False),
    }


def search_entry(rows: dict[str, list[dict]]) -> list:
    """[doc_id, page, [[sentence_id, text], ...]]: what the index's search box looks through."""
    doc_id = h.text_of(rows["documents"][0].get("doc_id"))
    sentences = sorted(rows.get("sentences", []), key=lambda s: h.integer(s.get("char_start")) or 0)
    return [
        doc_id,
        h.document_href(doc_id),
        [
            [h.text_of(s.get("sentence_id")), " ".join(h.text_of(s.get("text")).split())]
            for s in sentences
        ],
    ]


class _Facets:
    """Per sentence, what the filters know of it: actors, domains, speech act, confidence."""

    def __init__(self, rows: dict[str, list[dict]]):
        self.domains = {
            h.text_of(s.get("segment_id")): h.list_of(s.get("domains"))
            for s in rows.get("segments", [])
        }
        self.sentence = {h.text_of(s.get("sentence_id")): s for s in rows.get("sentences", [])}
        self.actors: dict[str, list[str]] = {}
        for e in rows.get("entities", []):
            key = h.text_of(e.get("key"))
            if key:
                self.actors.setdefault(h.text_of(e.get("sentence_id")), []).append(key)

    def act(self, sentence_id: str) -> str:
        return h.text_of(self.sentence.get(sentence_id, {}).get("speech_act"))

    def attributes(
        self, kind: str, segment_id: str, sentence_id: str, actors=None, confidence=None
    ) -> str:
        act = self.act(sentence_id)
        actors = self.actors.get(sentence_id, []) if actors is None else actors
        attrs = (
            f" class='filterable' data-kind='{kind}' data-act='{h.words(act.split('|'))}' "
            f"data-actor='{h.words(dict.fromkeys(actors))}' "
            f"data-domain='{h.words(self.domains.get(segment_id, []))}'"
        )
        if confidence is not None:
            attrs += f" data-confidence='{confidence:.3f}'"
        return attrs


def document_page(rows: dict[str, list[dict]]) -> str:
    info = rows["documents"][0]
    doc_id = h.text_of(info.get("doc_id"))
    segments = rows.get("segments", [])
    sentences = rows.get("sentences", [])
    entities = rows.get("entities", [])
    commitments = rows.get("commitments", [])
    profile = rows.get("domain_profiles", [])
    facets = _Facets(rows)
    title = " ".join(h.text_of(info.get("title")).split()) or doc_id

    parts = [
        f"<nav class='crumbs'><a href='{INDEX}'>All documents</a> › {escape(doc_id)}</nav>",
        f"<h1>{escape(title)}</h1>",
        facts_table(info, doc_id),
    ]
    for warning in h.list_of(info.get("warnings")):
        parts.append(f"<div class='warn'>{escape(str(warning))}</div>")
    parts.append(filters_html(rows, facets))

    parts.append("<h2 id='domains'>Domain profile</h2>")
    if profile:
        parts.append(
            "<figure>"
            + bar_chart(
                [
                    (
                        h.text_of(p.get("domain")),
                        h.number(p.get("share")) or 0.0,
                        h.text_of(p.get("n_segments")),
                    )
                    for p in profile
                ],
                f"Domain profile of {doc_id}",
                "share of the points, headings and bullets; number: segments",
            )
            + "<figcaption>Share of the document's points, headings and bullets about each "
            "domain (number: segments).</figcaption></figure>"
        )
    else:
        parts.append("<p class='note'>No policy domains were assigned.</p>")

    parts.append(f"<h2 id='commitments'>Commitments ({len(commitments)})</h2>")
    parts.append(commitments_html(commitments, facets))
    parts.append(f"<h2 id='entities'>Entities ({len(entities)})</h2>")
    parts.append(entities_html(entities, facets))

    acts = Counter(h.text_of(s.get("speech_act")) for s in sentences if s.get("speech_act"))
    act_line = (
        "<br>Speech acts: " + escape(", ".join(f"{n} {a}" for a, n in acts.most_common()))
        if acts
        else ""
    )
    parts.append(
        f"<h2 id='text'>Structure and text</h2><p class='note'>{escape(outline(segments))}"
        f"{act_line}</p>"
    )
    parts.append(legend_html())
    parts.append(structure_html(segments, sentences, entities, facets))
    return h.page(f"{doc_id}: {title}", "\n".join(parts), root="../../")


def facts_table(info: dict, doc_id: str) -> str:
    facts = [
        ("doc_id", doc_id),
        ("date", h.text_of(info.get("date"))),
        ("language", h.text_of(info.get("language"))),
        ("source", h.text_of(info.get("source_path"))),
        ("pages", h.text_of(info.get("n_pages"))),
        ("segments", h.text_of(info.get("n_segments"))),
        ("sentences", h.text_of(info.get("n_sentences"))),
    ]
    return (
        "<table class='facts'>"
        + "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in facts if v)
        + "</table>"
    )


def filters_html(rows: dict[str, list[dict]], facets: _Facets) -> str:
    """Chips per speech act, actor and domain found in the document, and a confidence slider."""
    acts = Counter(
        a for s in rows.get("sentences", []) for a in h.text_of(s.get("speech_act")).split("|") if a
    )
    actors = Counter(h.text_of(e.get("key")) for e in rows.get("entities", []))
    actors.pop("", None)
    for c in rows.get("commitments", []):
        actors.update(h.list_of(c.get("actors")))
    domains = Counter(d for values in facets.domains.values() for d in values)
    order = {a: i for i, a in enumerate(SPEECH_ACTS)}

    def facet(name: str, label: str, counts: Counter, ordered) -> str:
        if not counts:
            return ""
        chips = "".join(
            f"<button type='button' class='chip' aria-pressed='false' "
            f"data-value='{h.words([v])}'>{escape(v)} ({counts[v]})</button>"
            for v in ordered
        )
        return f"<div class='facet' data-facet='{name}'><strong>{label}</strong>{chips}</div>"

    return (
        "<div class='filters' role='search'>"
        + facet("act", "speech act", acts, sorted(acts, key=lambda a: (order.get(a, 99), a)))
        + facet("actor", "actor", actors, [a for a, _ in actors.most_common()])
        + facet("domain", "domain", domains, [d for d, _ in domains.most_common()])
        + "<div class='facet'><strong>confidence ≥</strong>"
        "<input type='range' id='min-confidence' min='0' max='1' step='0.05' value='0'> "
        "<output for='min-confidence'>0.00</output> "
        "<button type='button' class='chip reset'>show all</button>"
        "<span class='shown'></span></div></div>"
    )


def outline(segments: list[dict]) -> str:
    """'1 title, 1 preamble, 17 points, ...': the document's shape in one line."""
    if not segments:
        return "No segments."
    counts = Counter(h.text_of(s.get("kind")) or "?" for s in segments)
    return ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts.items())


def legend_html() -> str:
    acts = "".join(h.speech_act_badge(a) for a in h.SPEECH_ACT_COLORS)
    ents = "".join(
        f"<mark class='entity' data-label='{label}'>{label}</mark>" for label in h.ENTITY_COLORS
    )
    return f"<p class='note'>Speech acts: {acts}<br>Entities: {ents}</p>"


def _where(segment_id: str, sentence_id: str) -> str:
    label = escape(sentence_id or segment_id)
    target = f"s-{sentence_id}" if sentence_id else f"seg-{segment_id}"
    return f"<a href='#{escape(target, quote=True)}'>{label}</a>" if label else ""


def commitments_html(commitments: list[dict], facets: _Facets) -> str:
    if not commitments:
        return "<p class='note'>No commitments were found.</p>"
    rows = []
    for c in commitments:
        segment_id, sentence_id = h.text_of(c.get("segment_id")), h.text_of(c.get("sentence_id"))
        confidence = h.number(c.get("confidence"))
        strength = escape(h.text_of(c.get("strength")))
        sentence = facets.sentence.get(sentence_id, {})
        cells = [
            _where(segment_id, sentence_id),
            escape(", ".join(h.list_of(c.get("actors")))),
            escape(h.text_of(c.get("action"))),
            escape(h.text_of(c.get("object"))),
            f"<span class='strength-{strength}'>{strength}</span>",
            "yes" if h.truthy(c.get("conditional")) else "",
            "yes" if h.truthy(c.get("reported")) else "",
            escape(", ".join(h.list_of(c.get("dates")) + h.list_of(c.get("deadlines")))),
            _confidence_cell(confidence),
            pledge_html(sentence, c),
        ]
        attrs = facets.attributes(
            "commitments", segment_id, sentence_id, h.list_of(c.get("actors")), confidence
        )
        rows.append(f"<tr{attrs}>" + "".join(f"<td>{v}</td>" for v in cells) + "</tr>")
    header = ["where", "actors", "action", "object", "strength", "conditional", "reported"]
    header += ["dates", "confidence", "sentence"]
    return h.table(header, rows, "commitments")


def _confidence_cell(confidence: float | None) -> str:
    """The record's confidence; below REVIEW_BELOW it is flagged for review."""
    if confidence is None:
        return ""
    if confidence < REVIEW_BELOW:
        return f"<strong class='review' title='low confidence: check against the text'>{confidence:.2f} review</strong>"
    return f"{confidence:.2f}"


def pledge_html(sentence: dict, commitment: dict) -> str:
    """The commitment's sentence with its action and object marked, where the record gives
    their offsets (in the clean text, as char_start) and they fall inside the sentence."""
    text = h.text_of(sentence.get("text"))
    base = h.integer(sentence.get("char_start"))
    if not text or base is None:
        return ""
    spans = []
    for part in ("action", "object"):
        start, end = (h.integer(commitment.get(f"{part}_{k}")) for k in ("start", "end"))
        if start is not None and end is not None and base <= start < end <= base + len(text):
            spans.append((start - base, end - base, f"<mark class='{part}'>", "</mark>"))
    return mark_spans(text, spans)


def mark_spans(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """text escaped, each (start, end, open, close) span wrapped; a span overlapping the one
    before it is left out."""
    out, last = [], 0
    for start, end, open_, close in sorted(spans):
        if start < last or end > len(text) or start >= end:
            continue
        out.append(escape(text[last:start]))
        out.append(open_ + escape(text[start:end]) + close)
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def entities_html(entities: list[dict], facets: _Facets) -> str:
    if not entities:
        return "<p class='note'>No entities were found.</p>"
    rows = []
    for e in entities:
        segment_id, sentence_id = h.text_of(e.get("segment_id")), h.text_of(e.get("sentence_id"))
        key = h.text_of(e.get("key"))
        label = escape(h.text_of(e.get("label")), quote=True)
        cells = [
            f"<mark class='entity' data-label='{label}'>"
            f"{escape(' '.join(h.text_of(e.get('text')).split()))}</mark>",
            label,
            f"<span class='sid'>{escape(key)}</span>",
            _where(segment_id, sentence_id),
            escape(h.text_of(e.get("source"))),
        ]
        attrs = facets.attributes("entities", segment_id, sentence_id, [key] if key else [])
        rows.append(f"<tr{attrs}>" + "".join(f"<td>{v}</td>" for v in cells) + "</tr>")
    return h.table(["text", "label", "key", "where", "found by"], rows, "entities")


def _parent_ids(segments: list[dict]) -> dict[str, str | None]:
    """Where each segment sits: a bullet under its heading or point, a continuation ("p3.c1")
    under its point; everything else at the top."""
    known = {h.text_of(s.get("segment_id")) for s in segments}
    parents: dict[str, str | None] = {}
    for record in segments:
        sid = h.text_of(record.get("segment_id"))
        heading = h.text_of(record.get("heading_id"))
        prefix = sid.rsplit(".", 1)[0] if "." in sid else ""
        if prefix in known and prefix != sid:
            parents[sid] = prefix
        elif heading in known and heading != sid:
            parents[sid] = heading
        else:
            parents[sid] = None
    return parents


def structure_html(
    segments: list[dict], sentences: list[dict], entities: list[dict], facets: _Facets
) -> str:
    """The segments as a nested list, each with its sentences and their entities marked."""
    if not segments:
        return "<p class='note'>No segments.</p>"

    def start(record: dict) -> int:
        return h.integer(record.get("char_start")) or 0

    segments = sorted(segments, key=start)
    parents = _parent_ids(segments)
    children: dict[str | None, list[dict]] = {}
    for record in segments:
        children.setdefault(parents[h.text_of(record.get("segment_id"))], []).append(record)
    sentences_of: dict[str, list[dict]] = {}
    for record in sorted(sentences, key=start):
        sentences_of.setdefault(h.text_of(record.get("segment_id")), []).append(record)
    entities_of: dict[str, list[dict]] = {}
    for e in entities:
        if h.integer(e.get("char_start")) is not None and h.integer(e.get("char_end")) is not None:
            entities_of.setdefault(h.text_of(e.get("sentence_id")), []).append(e)

    def item(record: dict) -> str:
        sid = h.text_of(record.get("segment_id"))
        head = (
            f"<span class='sid'>{escape(sid)}</span>"
            f"<span class='kind'>{escape(h.text_of(record.get('kind')))}</span>"
            + "".join(
                f"<span class='domain'>{escape(str(d))}</span>"
                for d in h.list_of(record.get("domains"))
            )
        )
        sents = sentences_of.get(sid) or [
            {"text": record.get("text"), "char_start": record.get("char_start")}
        ]
        body = "".join(sentence_html(s, sid, entities_of, facets) for s in sents)
        nested = children.get(sid)
        sub = ("<ul>" + "".join(item(c) for c in nested) + "</ul>") if nested else ""
        return (
            f"<li class='seg' id='seg-{escape(sid, quote=True)}'><div class='segment'>{head}"
            f"{body}</div>{sub}</li>"
        )

    return "<ul class='structure'>" + "".join(item(r) for r in children.get(None, [])) + "</ul>"


def sentence_html(
    sentence: dict, segment_id: str, entities_of: dict[str, list[dict]], facets: _Facets
) -> str:
    """One sentence: its speech act (and score) and its text with its entities marked, as
    displaCy marks them (label and canonical key beside the name) but with classes in place of
    inline styles, which the page's Content-Security-Policy forbids."""
    text = h.text_of(sentence.get("text"))
    sentence_id = h.text_of(sentence.get("sentence_id"))
    base = h.integer(sentence.get("char_start"))
    spans = []
    if base is not None:
        for e in entities_of.get(sentence_id, []):
            label = escape(h.text_of(e.get("label")), quote=True)
            key = h.text_of(e.get("key"))
            close = f"<span class='label'>{label}</span>" + (
                f"<span class='key'>{escape(key)}</span>" if key else ""
            )
            spans.append(
                (
                    h.integer(e["char_start"]) - base,
                    h.integer(e["char_end"]) - base,
                    f"<mark class='entity' data-label='{label}'>",
                    close + "</mark>",
                )
            )
    score = h.number(sentence.get("speech_act_score"))
    badge = h.speech_act_badge(sentence.get("speech_act"))
    if not sentence_id:  # a segment without sentences (a heading): shown, never filtered
        return f"<div class='sentence'>{badge}<span class='text'>{mark_spans(text, spans)}</span></div>"
    attrs = facets.attributes("sentences", segment_id, sentence_id, confidence=score)
    score_html = f"<span class='score'>{score:.2f}</span>" if score is not None else ""
    return (
        f"<div id='s-{escape(sentence_id, quote=True)}'{attrs.replace('filterable', 'sentence filterable')}>"
        f"{badge}<span class='text'>{mark_spans(text, spans)}{score_html}</span></div>"
    )
