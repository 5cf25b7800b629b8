"""``report.html``: one self-contained page to read a run's results.

The page is built from the run's tables (CONTRACT.md), so re-reading an output folder gives the
same report as the run itself:

- an overview of the documents, the failed inputs and every warning;
- with two or more documents: the domain profiles side by side, the similarity matrix as a
  heatmap, the alignment of each pair of documents side by side (with the words a revision
  changed), passages reused verbatim, and the canonical actors and where they occur;
- one section per document (the first ``MAX_DETAILED_DOCUMENTS``): its segment structure as a
  nested list holding the text, sentence by sentence with its speech act and its entities
  highlighted by displaCy, the commitments table and the domain profile as a bar chart.

Nothing is fetched when the page opens: styles are inline, figures are matplotlib SVGs embedded
as data URIs, there is no script, and a Content-Security-Policy forbids anything else, so a
browser reports an error rather than silently reaching the network.
"""

from __future__ import annotations

import base64
import bisect
import difflib
import io
import re
from collections import Counter
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd

from .records import COLUMNS
from .scheme import ENTITY_LABELS, RELATIONS, SPEECH_ACTS
from .store import as_list

# Full text sections cost about 100 kB each; a corpus beyond this is summarised in tables only.
MAX_DETAILED_DOCUMENTS = 50
# Pairs of documents whose alignment is shown side by side (the most similar first).
MAX_ALIGNED_PAIRS = 20
# Documents in the similarity heatmap; larger corpora get a table of their most similar pairs.
MAX_HEATMAP_DOCUMENTS = 60
MAX_REUSE_ROWS = 200
MAX_ACTOR_ROWS = 300
# identical segments are shown by their opening words in the side-by-side alignment
IDENTICAL_PREVIEW_CHARS = 120

# displaCy's palette for its own labels, and colours for the labels of the scheme it lacks,
# in the scheme's order
ENTITY_COLORS = dict(
    zip(
        ENTITY_LABELS,
        (
            "#aa9cfc",
            "#7aecec",
            "#feca74",
            "#ff9561",
            "#ffeb80",
            "#ff8197",
            "#b5e48c",
            "#bfe1d9",
            "#e4e7d2",
        ),
        strict=True,
    )
)
SPEECH_ACT_COLORS = dict(
    zip(
        SPEECH_ACTS, ("#1b7837", "#2166ac", "#762a83", "#b35806", "#4d4d4d", "#9e9e9e"), strict=True
    )
)

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; margin: 0; color: #222; background: #fafafa; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 2rem 4rem; }
h1 { margin-top: 1.5rem; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem;
     margin-top: 2.5rem; } h3 { margin-top: 1.8rem; }
nav.toc { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1.5rem; }
nav.toc ul { margin: .3rem 0; }
table { border-collapse: collapse; margin: .6rem 0; background: #fff; font-size: .92rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-style: italic; }
.warn, .error { padding: .4rem .8rem; margin: .5rem 0; }
.warn { background: #fff4e5; border-left: 4px solid #f0a030; }
.error { background: #fdecea; border-left: 4px solid #d9534f; }
.sid { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: bold; color: #333; }
.kind { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: #666;
        border: 1px solid #ccc; border-radius: 3px; padding: 0 .3rem; margin-left: .3rem; }
.domain { font-size: .75rem; background: #e8eef7; color: #234; border-radius: 3px;
          padding: 0 .35rem; margin-left: .3rem; }
.act { display: inline-block; font-size: .7rem; font-weight: bold; color: #fff;
       border-radius: 3px; padding: 0 .3rem; margin-right: .3rem; text-align: center; }
div.sentence > .act { flex: 0 0 8.5rem; overflow-wrap: anywhere; }
.strength-strong { color: #1b7837; font-weight: bold; } .strength-moderate { color: #b35806; }
.strength-weak { color: #777; }
ul.structure, ul.structure ul { list-style: none; padding-left: 1.4rem; }
ul.structure { padding-left: 0; }
ul.structure li { margin: .5rem 0; }
ul.structure li > div.segment { background: #fff; border: 1px solid #e2e2e2; border-radius: 5px;
                                padding: .3rem .7rem; }
div.sentence { display: flex; align-items: baseline; }
div.sentence > div.entities { flex: 1; min-width: 0; }
figure { margin: .6rem 0; } figure img { max-width: 100%; background: #fff; }
figcaption { font-size: .85rem; color: #555; }
table.alignment { width: 100%; table-layout: fixed; }
table.alignment col.side { width: 44%; } table.alignment col.mid { width: 12%; }
table.alignment td.mid { text-align: center; }
tr.identical td.side { color: #666; } tr.new td.b, tr.dropped td.a { background: #f4fbf4; }
tr.dropped td.a { background: #fdf2f2; }
del { background: #fbd5d5; text-decoration: line-through; } ins { background: #d4f4d4;
      text-decoration: none; }
details > summary { cursor: pointer; font-weight: bold; margin: .4rem 0; }
.rel { font-size: .75rem; font-weight: bold; text-transform: uppercase; }
"""


# ---------------------------------------------------------------------------------------------
# entry points


def write_report(corpus, path: Path) -> Path:
    """Render ``corpus`` (a pipeline.api.Corpus) to a self-contained HTML file, atomically."""
    from .store import write_text

    path = Path(path)
    write_text(path, render_report(corpus.tables))
    return path


def render_report(tables: dict[str, pd.DataFrame], title: str = "Declarations report") -> str:
    """The report as one HTML string, from the tables of a run (missing tables count as empty)."""
    t = {name: table(tables, name) for name in set(COLUMNS) | set(tables)}
    doc_ids = list(dict.fromkeys(t["documents"]["doc_id"].dropna().astype(str)))
    detailed = doc_ids[:MAX_DETAILED_DOCUMENTS]
    # only documents with a section of their own get an anchor: links go nowhere else
    anchors = {doc_id: f"doc-{i}" for i, doc_id in enumerate(detailed, start=1)}

    sections: list[tuple[str, str, str]] = []  # (anchor, heading, html)
    sections.append(("overview", "Overview", overview_section(t, anchors, detailed)))
    problems = problems_section(t)
    if problems:
        sections.append(("problems", "Problems", problems))
    if len(doc_ids) >= 2:
        sections.append(("comparison", "Comparison", comparison_section(t, doc_ids, anchors)))
    actors = actors_section(t["entities"], anchors)
    if actors:
        sections.append(("actors", "Actors", actors))
    document_parts = [
        document_section(doc_id, anchors[doc_id], t, i)
        for i, doc_id in enumerate(detailed, start=1)
    ]

    toc = ["<nav class='toc'><strong>Contents</strong><ul>"]
    for anchor, heading, _ in sections:
        toc.append(f"<li><a href='#{anchor}'>{escape(heading)}</a></li>")
    if detailed:
        toc.append("<li>Documents<ul>")
        for doc_id in detailed:
            toc.append(f"<li><a href='#{anchors[doc_id]}'>{escape(doc_id)}</a></li>")
        toc.append("</ul></li>")
    toc.append("</ul></nav>")

    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p class='note'>{len(doc_ids)} document(s); generated "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC by the declarations pipeline.</p>",
        "".join(toc),
    ]
    for anchor, heading, html in sections:
        body.append(f"<section id='{anchor}'><h2>{escape(heading)}</h2>{html}</section>")
    if document_parts:
        body.append(
            "<section id='documents'><h2>Documents</h2>" + "".join(document_parts) + "</section>"
        )
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------
# tables and small pieces


def table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table of the run, or an empty one with the contract's columns when it is missing."""
    frame = tables.get(name)
    if frame is None:
        return pd.DataFrame(columns=COLUMNS.get(name, []))
    missing = [c for c in COLUMNS.get(name, []) if c not in frame.columns]
    if missing:
        frame = frame.assign(**{c: None for c in missing})
    return frame


def text_of(value) -> str:
    """A cell as display text ('' for missing values)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def html_table(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    formatters: dict | None = None,
    numeric: tuple[str, ...] = (),
) -> str:
    """A DataFrame as an HTML table; cells are escaped unless a formatter returns HTML."""
    columns = columns or list(frame.columns)
    formatters = formatters or {}
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for c in columns:
            value = record.get(c)
            html = formatters[c](value) if c in formatters else escape(text_of(value))
            cls = " class='num'" if c in numeric else ""
            cells.append(f"<td{cls}>{html}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def join_list(value) -> str:
    return escape(", ".join(str(v) for v in as_list(value)))


def yes_no(value) -> str:
    return "yes" if text_of(value).lower() in ("true", "1", "yes") else ""


def seg_anchor(doc_anchor: str, segment_id: str) -> str:
    return f"{doc_anchor}-s-{re.sub(r'[^A-Za-z0-9_.-]', '_', str(segment_id))}"


def actor_anchor(key: str) -> str:
    return "actor-" + re.sub(r"[^A-Za-z0-9_.-]", "_", str(key))


def speech_act_badge(act) -> str:
    act = text_of(act)
    if not act:
        return "<span class='act' style='background:#ccc'>&nbsp;</span>"
    color = SPEECH_ACT_COLORS.get(act.split("|")[0], "#777")
    return f"<span class='act' style='background:{color}'>{escape(act)}</span>"


# ---------------------------------------------------------------------------------------------
# figures


def figure_html(fig, alt: str, caption: str = "") -> str:
    """A matplotlib Figure as an <img> holding its SVG as a data URI (ids cannot clash)."""
    import matplotlib

    buffer = io.BytesIO()
    # text stays text (small, searchable); fixed hash salt and no date: the same data gives
    # the same bytes
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "declarations"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return (
        f"<figure><img alt='{escape(alt, quote=True)}' "
        f"src='data:image/svg+xml;base64,{data}'>{cap}</figure>"
    )


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no global state, safe in any thread

    # no layout engine: bbox_inches="tight" at saving keeps the labels, at half the cost
    return Figure(figsize=(width, height))


def domain_profile_figure(profile: pd.DataFrame, doc_id: str) -> str:
    """Horizontal bars: the share of the document's points, headings and bullets per domain."""
    profile = profile.sort_values(["share", "domain"], ascending=[True, False])
    fig = _figure(6.5, 0.35 * len(profile) + 0.9)
    ax = fig.add_subplot()
    bars = ax.barh(profile["domain"].astype(str), profile["share"].astype(float), color="#4c72b0")
    for bar, n in zip(bars, profile["n_segments"]):
        ax.text(
            bar.get_width() + 0.01,
            bar.get_y() + bar.get_height() / 2,
            text_of(n),
            va="center",
            fontsize=8,
            color="#333",
        )
    ax.set_xlim(0, min(1.0, float(profile["share"].max()) * 1.15 + 0.05))
    ax.set_xlabel("share of points, headings and bullets")
    ax.spines[["top", "right"]].set_visible(False)
    return figure_html(
        fig,
        f"Domain profile of {doc_id}",
        "Bars: share of segments about each domain; numbers: segments.",
    )


def domain_matrix_figure(profiles: pd.DataFrame, doc_ids: list[str]) -> str:
    """Documents x domains, shaded by share: the profiles of several documents compared."""
    matrix = profiles.pivot_table(
        index="doc_id", columns="domain", values="share", aggfunc="sum", fill_value=0.0
    ).reindex([d for d in doc_ids if d in set(profiles["doc_id"])])
    matrix = matrix[matrix.sum().sort_values(ascending=False).index]
    fig = _figure(0.55 * len(matrix.columns) + 2.5, 0.35 * len(matrix) + 1.8)
    ax = fig.add_subplot()
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="Blues", vmin=0, aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(matrix)), matrix.index, fontsize=8)
    fig.colorbar(image, ax=ax, label="share", shrink=0.8)
    return figure_html(
        fig,
        "Domain profiles of the documents",
        "Share of each document's points, headings and bullets per domain.",
    )


def similarity_matrix(similarities: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """Square, symmetric matrix of one method's scores (diagonal 1; pairs not scored: NaN)."""
    matrix = pd.DataFrame(float("nan"), index=doc_ids, columns=doc_ids)
    for row in similarities.itertuples():
        a, b = str(row.doc_a), str(row.doc_b)
        if a in matrix.index and b in matrix.index:
            matrix.loc[a, b] = matrix.loc[b, a] = float(row.score)
    for d in doc_ids:
        matrix.loc[d, d] = 1.0
    return matrix


def similarity_figure(matrix: pd.DataFrame, method: str) -> str:
    n = len(matrix)
    size = min(14.0, 0.45 * n + 2.8)
    fig = _figure(size + 1.0, size)
    ax = fig.add_subplot()
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=1)
    labels = [str(i) for i in matrix.index]
    fontsize = 8 if n <= 25 else 6
    ax.set_xticks(range(n), labels, rotation=45, ha="right", fontsize=fontsize)
    ax.set_yticks(range(n), labels, fontsize=fontsize)
    if n <= 12:
        values = matrix.to_numpy(dtype=float)
        digits = 3 if n <= 6 else 2  # near-duplicates differ in the third decimal
        for i in range(n):
            for j in range(n):
                if values[i, j] == values[i, j]:  # not NaN
                    ax.text(
                        j,
                        i,
                        f"{values[i, j]:.{digits}f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if values[i, j] < 0.6 else "black",
                    )
    fig.colorbar(image, ax=ax, label="similarity", shrink=0.8)
    return figure_html(
        fig,
        f"Similarity matrix ({method})",
        f"Pairwise similarity of the documents, method: {method}.",
    )


# ---------------------------------------------------------------------------------------------
# sections


def overview_section(
    t: dict[str, pd.DataFrame], anchors: dict[str, str], detailed: list[str]
) -> str:
    documents = t["documents"]
    if documents.empty:
        return "<p class='note'>No document was processed.</p>"
    counts = {
        name: t[name].groupby(t[name]["doc_id"].astype(str)).size()
        for name in ("entities", "commitments")
    }
    profiles = t["domain_profiles"].sort_values("share", ascending=False, kind="stable")
    top_domains = profiles.groupby(profiles["doc_id"].astype(str))["domain"].agg(
        lambda domains: ", ".join(map(str, domains.head(3)))
    )
    rows = []
    for record in documents.to_dict("records"):
        doc_id = str(record["doc_id"])
        link = (
            f"<a href='#{anchors[doc_id]}'>{escape(doc_id)}</a>"
            if doc_id in anchors
            else escape(doc_id)
        )
        rows.append(
            {
                "document": link,
                "title": escape(text_of(record.get("title"))),
                "date": escape(text_of(record.get("date"))),
                "segments": text_of(record.get("n_segments")),
                "sentences": text_of(record.get("n_sentences")),
                "entities": str(int(counts["entities"].get(doc_id, 0))),
                "commitments": str(int(counts["commitments"].get(doc_id, 0))),
                "main domains": escape(top_domains.get(doc_id, "")),
                "warnings": str(len(as_list(record.get("warnings")))),
            }
        )
    frame = pd.DataFrame(rows)
    html = html_table(
        frame,
        formatters={c: (lambda v: v) for c in frame.columns},
        numeric=("segments", "sentences", "entities", "commitments", "warnings"),
    )
    if len(documents) > len(detailed):
        html += (
            f"<p class='warn'>This corpus has {len(documents)} documents: the report shows "
            f"the text, structure and commitments of the first {len(detailed)} only. "
            "Every document is in the tables (and in declarations.sqlite).</p>"
        )
    return html


def problems_section(t: dict[str, pd.DataFrame]) -> str:
    parts = []
    errors = t["errors"]
    if len(errors):
        parts.append(
            f"<div class='error'><strong>{len(errors)} input(s) failed</strong> and "
            "have no results:</div>"
        )
        parts.append(html_table(errors, ["source_path", "doc_id", "stage", "message"]))
    warned = [
        (str(r["doc_id"]), w)
        for r in t["documents"].to_dict("records")
        for w in as_list(r.get("warnings"))
    ]
    if warned:
        parts.append(
            "<div class='warn'><strong>Warnings</strong><ul>"
            + "".join(
                f"<li><span class='sid'>{escape(d)}</span>: {escape(str(w))}</li>"
                for d, w in warned
            )
            + "</ul></div>"
        )
    return "".join(parts)


def comparison_section(
    t: dict[str, pd.DataFrame], doc_ids: list[str], anchors: dict[str, str]
) -> str:
    parts = []
    profiles = t["domain_profiles"]
    if len(profiles):
        parts.append("<h3>Domain profiles</h3>" + domain_matrix_figure(profiles, doc_ids))

    parts.append("<h3>Similarity</h3>")
    parts.append(similarity_html(t["similarities"], doc_ids))

    parts.append("<h3>Alignments</h3>")
    parts.append(alignments_html(t["alignments"], t["segments"], t["similarities"], anchors))

    reuse = t["reuse"]
    if len(reuse):
        shown = reuse.sort_values("n_words", ascending=False).head(MAX_REUSE_ROWS)
        parts.append("<h3>Reused passages</h3>")
        if len(reuse) > len(shown):
            parts.append(f"<p class='note'>The {len(shown)} longest of {len(reuse)}.</p>")
        parts.append(
            html_table(
                shown,
                ["doc_a", "segment_a", "doc_b", "segment_b", "n_words", "text"],
                numeric=("n_words",),
            )
        )
    changes = t.get("profile_changes")
    if changes is not None and len(changes):
        parts.append("<h3>Changes in domain profiles</h3>" + html_table(changes.head(500)))
    return "".join(parts)


def similarity_html(similarities: pd.DataFrame, doc_ids: list[str]) -> str:
    """The heatmap of the first method the compare stage lists, and every method's scores."""
    if similarities.empty:
        return "<p class='note'>No similarities were computed.</p>"
    methods = list(dict.fromkeys(similarities["method"].fillna("similarity").astype(str)))
    primary = similarities[similarities["method"].fillna("similarity").astype(str) == methods[0]]
    parts = []
    if len(doc_ids) <= MAX_HEATMAP_DOCUMENTS:
        matrix = similarity_matrix(primary, doc_ids)
        parts.append(similarity_figure(matrix, methods[0]))
    else:
        parts.append(f"<p class='note'>{len(doc_ids)} documents: the heatmap is left out.</p>")
    # one row per pair, one column per method; the most similar pairs first
    scores = (
        similarities.assign(method=similarities["method"].fillna("similarity").astype(str))
        .pivot_table(index=["doc_a", "doc_b"], columns="method", values="score", aggfunc="max")[
            methods
        ]
        .sort_values(methods[0], ascending=False)
        .head(100)
        .round(3)
        .reset_index()
    )
    label = ("Scores" if len(scores) <= 20 else "The 100 most similar pairs") + (
        " by method" if len(methods) > 1 else ""
    )
    parts.append(
        f"<details{' open' if len(scores) <= 20 else ''}><summary>{label}</summary>"
        + html_table(scores, numeric=tuple(methods))
        + "</details>"
    )
    return "".join(parts)


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Both texts as HTML, with the words only A has in <del> and those only B has in <ins>."""
    wa, wb = a.split(), b.split()
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        old, new = escape(" ".join(wa[i1:i2])), escape(" ".join(wb[j1:j2]))
        if op == "equal":
            left.append(old)
            right.append(new)
        else:
            if old:
                left.append(f"<del>{old}</del>")
            if new:
                right.append(f"<ins>{new}</ins>")
    return " ".join(left), " ".join(right)


def _pair_order(alignments: pd.DataFrame, similarities: pd.DataFrame) -> list[tuple[str, str]]:
    pairs = list(
        dict.fromkeys(zip(alignments["doc_a"].astype(str), alignments["doc_b"].astype(str)))
    )
    if similarities.empty:
        return pairs
    score = {}
    for row in similarities.itertuples():
        key = (str(row.doc_a), str(row.doc_b))
        score[key] = score[key[::-1]] = max(float(row.score), score.get(key, float("-inf")))
    return sorted(pairs, key=lambda p: -score.get(p, float("-inf")))


def alignments_html(
    alignments: pd.DataFrame,
    segments: pd.DataFrame,
    similarities: pd.DataFrame,
    anchors: dict[str, str],
) -> str:
    if alignments.empty:
        return "<p class='note'>No alignments were computed.</p>"
    texts = {
        (str(d), str(s)): text_of(x)
        for d, s, x in zip(segments["doc_id"], segments["segment_id"], segments["text"])
    }
    pairs = _pair_order(alignments, similarities)
    groups = {
        key: rows
        for key, rows in alignments.groupby(
            [alignments["doc_a"].astype(str), alignments["doc_b"].astype(str)], sort=False
        )
    }
    parts = []
    if len(pairs) > MAX_ALIGNED_PAIRS:
        parts.append(
            f"<p class='note'>{len(pairs)} aligned pairs: the {MAX_ALIGNED_PAIRS} most "
            "similar are shown; all are in the alignments table.</p>"
        )
    for k, (doc_a, doc_b) in enumerate(pairs[:MAX_ALIGNED_PAIRS]):
        rows = groups[(doc_a, doc_b)]
        counts = Counter(rows["relation"].fillna("").astype(str))
        summary = ", ".join(f"{counts[r]} {r}" for r in RELATIONS if counts[r])
        summary += "".join(f", {n} {r}" for r, n in counts.items() if r not in RELATIONS)
        parts.append(
            f"<details{' open' if k == 0 else ''}><summary>{escape(doc_a)} ↔ "
            f"{escape(doc_b)} ({escape(summary)})</summary>"
        )
        parts.append(alignment_table(rows, doc_a, doc_b, texts, anchors))
        parts.append("</details>")
    return "".join(parts)


def alignment_table(
    rows: pd.DataFrame, doc_a: str, doc_b: str, texts: dict, anchors: dict[str, str]
) -> str:
    """Segment of A | relation and score | segment of B, one row per alignment."""

    def side(doc_id: str, segment_id: str, body: str) -> str:
        if not segment_id:
            return ""
        sid = escape(segment_id)
        if doc_id in anchors:
            sid = f"<a href='#{seg_anchor(anchors[doc_id], segment_id)}'>{sid}</a>"
        return f"<span class='sid'>{sid}</span> {body}"

    out = [
        "<table class='alignment'><colgroup><col class='side'><col class='mid'>"
        "<col class='side'></colgroup>"
        f"<thead><tr><th>{escape(doc_a)}</th><th>relation</th>"
        f"<th>{escape(doc_b)}</th></tr></thead><tbody>"
    ]
    for row in rows.to_dict("records"):
        seg_a, seg_b = text_of(row.get("segment_a")), text_of(row.get("segment_b"))
        text_a, text_b = texts.get((doc_a, seg_a), ""), texts.get((doc_b, seg_b), "")
        relation = text_of(row.get("relation"))
        if relation == "revised":
            html_a, html_b = word_diff(text_a, text_b)
        elif relation == "identical":  # nothing to compare: the opening words are enough
            html_a = html_b = escape(shorten(text_a, IDENTICAL_PREVIEW_CHARS))
        else:
            html_a, html_b = escape(text_a), escape(text_b)
        score = text_of(row.get("score"))
        score = f"{float(score):.2f}" if score else ""
        out.append(
            f"<tr class='{escape(relation)}'><td class='side a'>"
            f"{side(doc_a, seg_a, html_a)}</td><td class='mid'><span class='rel'>"
            f"{escape(relation)}</span><br>{score}</td><td class='side b'>"
            f"{side(doc_b, seg_b, html_b)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def actors_section(entities: pd.DataFrame, anchors: dict[str, str]) -> str:
    """Canonical actors: each key with its labels, the names used for it and where it occurs."""
    actors = entities[entities["key"].notna() & (entities["key"].astype(str) != "")]
    if actors.empty:
        return ""
    rows = []
    for key, group in actors.groupby(actors["key"].astype(str)):
        names = Counter(group["text"].astype(str).str.replace("\n", " "))
        per_doc = group.groupby(group["doc_id"].astype(str)).size()
        rows.append(
            {
                "key": f"<span class='sid' id='{actor_anchor(key)}'>{escape(key)}</span>",
                "label": escape(", ".join(sorted(set(group["label"].astype(str))))),
                "names": escape("; ".join(f"{n} ({c})" for n, c in names.most_common())),
                "documents": ", ".join(
                    (f"<a href='#{anchors[d]}'>{escape(d)}</a>" if d in anchors else escape(d))
                    + f" ({c})"
                    for d, c in per_doc.items()
                ),
                "mentions": str(len(group)),
            }
        )
    frame = pd.DataFrame(rows).sort_values("mentions", key=lambda s: -s.astype(int), kind="stable")
    note = "Every name of the same actor shares one key (ANNOTATION.md section 2)."
    if len(frame) > MAX_ACTOR_ROWS:
        note += f" The {MAX_ACTOR_ROWS} most mentioned of {len(frame)} actors are shown."
        frame = frame.head(MAX_ACTOR_ROWS)
    return f"<p class='note'>{note}</p>" + html_table(
        frame, formatters={c: (lambda v: v) for c in frame.columns}, numeric=("mentions",)
    )


# ---------------------------------------------------------------------------------------------
# one document


def document_section(doc_id: str, anchor: str, t: dict[str, pd.DataFrame], index: int) -> str:
    def rows_of(name: str) -> pd.DataFrame:
        frame = t[name]
        return frame[frame["doc_id"].astype(str) == doc_id]

    info = rows_of("documents").iloc[0].to_dict()
    segments, sentences = rows_of("segments"), rows_of("sentences")
    entities, commitments = rows_of("entities"), rows_of("commitments")
    profile = rows_of("domain_profiles")

    parts = [f"<section class='document' id='{anchor}'>", f"<h3>{index}. {escape(doc_id)}</h3>"]
    facts = [
        ("title", text_of(info.get("title")).replace("\n", " ")),
        ("date", text_of(info.get("date"))),
        ("language", text_of(info.get("language"))),
        ("source", text_of(info.get("source_path"))),
        ("pages", text_of(info.get("n_pages"))),
    ]
    parts.append(
        "<table>"
        + "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in facts if v)
        + "</table>"
    )
    for warning in as_list(info.get("warnings")):
        parts.append(f"<div class='warn'>{escape(str(warning))}</div>")

    parts.append("<h4>Domain profile</h4>")
    if len(profile):
        parts.append(domain_profile_figure(profile, doc_id))
    else:
        parts.append("<p class='note'>No policy domains were assigned.</p>")

    parts.append(f"<h4>Commitments ({len(commitments)})</h4>")
    parts.append(commitments_html(commitments, anchor))

    acts = Counter(sentences["speech_act"].dropna().astype(str))
    act_line = (
        "<br>Speech acts: " + escape(", ".join(f"{n} {a}" for a, n in acts.most_common()))
        if acts
        else ""
    )
    parts.append(
        f"<h4>Structure and text</h4><p class='note'>{escape(outline(segments))}{act_line}</p>"
    )
    parts.append(legend_html())
    parts.append(structure_html(segments, sentences, entities, anchor))
    parts.append("</section>")
    return "".join(parts)


def outline(segments: pd.DataFrame) -> str:
    """'1 title, 1 preamble, 17 points, ...': the document's shape in one line."""
    if segments.empty:
        return "No segments."
    counts = Counter(segments["kind"].fillna("?").astype(str))
    return ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts.items())


def legend_html() -> str:
    acts = "".join(speech_act_badge(a) for a in SPEECH_ACT_COLORS)
    ents = "".join(
        f"<mark style='background:{c};padding:0 .3rem;margin-right:.3rem;"
        f"border-radius:3px'>{label}</mark>"
        for label, c in ENTITY_COLORS.items()
    )
    return f"<p class='note'>Speech acts: {acts}<br>Entities: {ents}</p>"


def commitments_html(commitments: pd.DataFrame, anchor: str) -> str:
    if commitments.empty:
        return "<p class='note'>No commitments were found.</p>"

    def where(record) -> str:
        segment_id = text_of(record.get("segment_id"))
        label = escape(text_of(record.get("sentence_id")) or segment_id)
        return f"<a href='#{seg_anchor(anchor, segment_id)}'>{label}</a>" if segment_id else label

    frame = commitments.copy()
    frame["where"] = [where(r) for r in frame.to_dict("records")]
    return html_table(
        frame,
        ["where", "actors", "action", "object", "strength", "conditional", "reported", "dates"],
        {
            "where": lambda v: v,
            "actors": join_list,
            "dates": join_list,
            "conditional": yes_no,
            "reported": yes_no,
            "strength": lambda v: (
                f"<span class='strength-{escape(text_of(v))}'>{escape(text_of(v))}</span>"
            ),
        },
    )


def _parent_ids(segments: pd.DataFrame) -> dict[str, str | None]:
    """Where each segment sits: a bullet under its heading or point, a continuation ("p3.c1")
    under its point; everything else at the top."""
    known = set(segments["segment_id"].astype(str))
    parents: dict[str, str | None] = {}
    for record in segments.to_dict("records"):
        sid = str(record["segment_id"])
        heading = text_of(record.get("heading_id"))
        prefix = sid.rsplit(".", 1)[0] if "." in sid else ""
        if prefix in known and prefix != sid:
            parents[sid] = prefix
        elif heading in known and heading != sid:
            parents[sid] = heading
        else:
            parents[sid] = None
    return parents


def structure_html(
    segments: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame, anchor: str
) -> str:
    """The segments as a nested list, each with its sentences and their entities highlighted."""
    if segments.empty:
        return "<p class='note'>No segments.</p>"
    segments = segments.sort_values("char_start", kind="stable")
    parents = _parent_ids(segments)
    children: dict[str | None, list[dict]] = {}
    for record in segments.to_dict("records"):
        children.setdefault(parents[str(record["segment_id"])], []).append(record)
    sentences_of: dict[str, list[dict]] = {}
    for record in sentences.sort_values("char_start", kind="stable").to_dict("records"):
        sentences_of.setdefault(text_of(record.get("segment_id")), []).append(record)
    placed = entities[entities["char_start"].notna() & entities["char_end"].notna()]
    ents = placed.sort_values("char_start", kind="stable").to_dict("records")
    starts = [int(e["char_start"]) for e in ents]

    def item(record: dict) -> str:
        sid = str(record["segment_id"])
        head = (
            f"<span class='sid'>{escape(sid)}</span>"
            f"<span class='kind'>{escape(text_of(record.get('kind')))}</span>"
            + "".join(
                f"<span class='domain'>{escape(str(d))}</span>"
                for d in as_list(record.get("domains"))
            )
        )
        sents = sentences_of.get(sid) or [
            {"text": record.get("text"), "char_start": record.get("char_start"), "speech_act": None}
        ]
        body = "".join(sentence_html(s, ents, starts) for s in sents)
        nested = children.get(sid)
        sub = ("<ul>" + "".join(item(c) for c in nested) + "</ul>") if nested else ""
        return (
            f"<li id='{seg_anchor(anchor, sid)}'><div class='segment'>{head}{body}</div>{sub}</li>"
        )

    return "<ul class='structure'>" + "".join(item(r) for r in children.get(None, [])) + "</ul>"


def sentence_html(sentence: dict, entities: list[dict], starts: list[int] | None = None) -> str:
    """One sentence: its speech-act badge and its text with displaCy's entity marks.

    ``entities`` are the document's entity rows sorted by char_start (``starts`` their
    char_start values); those inside the sentence are marked (an entity overlapping the
    previous mark is left out).
    """
    from spacy import displacy

    text = text_of(sentence.get("text"))
    spans = []
    if text and text_of(sentence.get("char_start")):
        start = int(sentence["char_start"])
        if starts is None:
            starts = [int(e["char_start"]) for e in entities]
        first = bisect.bisect_left(starts, start)
        last = 0
        for ent in entities[first:]:
            s, e = int(ent["char_start"]) - start, int(ent["char_end"]) - start
            if s >= len(text):
                break
            if s < last or e > len(text) or s >= e:
                continue
            span = {"start": s, "end": e, "label": text_of(ent.get("label"))}
            key = text_of(ent.get("key"))
            if key:  # displaCy shows it next to the label; it does not escape it
                span["kb_id"] = escape(key)
                span["kb_url"] = "#" + actor_anchor(key)
            spans.append(span)
            last = e
    marked = displacy.render(
        {"text": text, "ents": spans, "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": ENTITY_COLORS},
    )
    return f"<div class='sentence'>{speech_act_badge(sentence.get('speech_act'))}{marked}</div>"
