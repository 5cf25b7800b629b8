"""The index (DIR/report.html) and the corpus-wide pages: every document sorted by date with
its counts and main domains, the search box over all sentences, the similarity heatmap, the
compared pairs (report/pairs.html), the passages reused across documents grouped by passage
(report/reuse.html), the actors.

Works on the run's tables as pandas DataFrames, a column at a time: with 2,000 documents a row
loop over every table would dominate the report's time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

import pandas as pd

from ..scheme import SIMILARITY_METHODS
from ..store import as_list
from . import html as h
from .figures import heatmap

MAX_HEATMAP_DOCUMENTS = 40
MAX_HEATMAP_VALUES = 15  # up to this many documents every cell shows its score
MAX_INDEX_PAIRS = 100
MAX_LISTED_PAIRS = 5000  # report/pairs.html stays under 2 MB; every pair keeps its own page
MAX_REUSE_PASSAGES = 500
MAX_REUSE_DOCUMENTS = 40  # document names listed per passage
MAX_ACTORS = 100
SEARCH_LIMIT = 200  # hits listed


def by_date(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents by date (those without one last), then doc_id."""
    dates = pd.to_datetime(documents["date"], errors="coerce", format="mixed")
    return (
        documents.assign(_date=dates, _id=documents["doc_id"].astype(str))
        .sort_values(["_date", "_id"], na_position="last", kind="stable")
        .drop(columns=["_date", "_id"])
    )


def _counts(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby(frame["doc_id"].astype(str)).size() if len(frame) else pd.Series()


def primary_method(similarities: pd.DataFrame) -> str | None:
    present = list(dict.fromkeys(similarities["method"].fillna("similarity").astype(str)))
    return next((m for m in SIMILARITY_METHODS if m in present), present[0] if present else None)


def index_page(
    t: dict[str, pd.DataFrame], shards: list[str], pairs: list[tuple[str, str]], n_passages: int
) -> str:
    documents = by_date(t["documents"])
    parts = [
        "<h1>Declarations report</h1>",
        f"<p class='note'>{len(documents)} document(s); generated "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC by the declarations pipeline. Every table is "
        "in this folder (and in declarations.sqlite); codebook.md explains their columns.</p>",
    ]
    parts.append(problems_html(t["errors"], documents))
    parts.append(
        "<h2 id='search-all'>Search all sentences</h2>"
        "<input id='search' class='search' type='search' autocomplete='off' "
        "placeholder='a word or phrase, e.g. connectiviteit' aria-label='search all sentences' "
        f"data-shards='{escape(' '.join(shards), quote=True)}' data-hits='hits' "
        "data-status='search-status'>"
        "<p id='search-status' class='note'>Case and accents aside; the sentences load on "
        f"the first search.</p><ol id='hits' class='hits' data-limit='{SEARCH_LIMIT}'></ol>"
    )
    parts.append(f"<h2 id='documents'>Documents ({len(documents)})</h2>")
    parts.append(documents_html(documents, t))
    if len(documents) >= 2:
        parts.append("<h2 id='comparison'>Comparison</h2>")
        parts.append(comparison_html(t["similarities"], documents, pairs, n_passages))
    parts.append(actors_html(t["entities"]))
    return h.page("Declarations report", "\n".join(parts), root="")


def problems_html(errors: pd.DataFrame, documents: pd.DataFrame) -> str:
    parts = []
    if len(errors):
        parts.append(
            f"<div class='error'><strong>{len(errors)} input(s) failed</strong> and have no "
            "results:</div>"
        )
        parts.append(
            h.table(
                ["source_path", "doc_id", "stage", "message"],
                [
                    h.cells(
                        escape(h.text_of(r.get(c)))
                        for c in ("source_path", "doc_id", "stage", "message")
                    )
                    for r in h.records(errors)
                ],
            )
        )
    warned = [
        (str(d), w)
        for d, ws in zip(documents["doc_id"], documents["warnings"])
        for w in as_list(ws)
    ]
    if warned:
        parts.append(
            f"<details class='warn'><summary><strong>{len(warned)} warning(s)</strong></summary>"
            "<ul>"
            + "".join(
                f"<li><span class='sid'>{escape(d)}</span>: {escape(str(w))}</li>"
                for d, w in warned
            )
            + "</ul></details>"
        )
    return "".join(parts)


def documents_html(documents: pd.DataFrame, t: dict[str, pd.DataFrame]) -> str:
    if documents.empty:
        return "<p class='note'>No document was processed.</p>"
    entities, commitments = _counts(t["entities"]), _counts(t["commitments"])
    profiles = t["domain_profiles"]
    if len(profiles):
        profiles = profiles.sort_values(["doc_id", "share"], ascending=[True, False], kind="stable")
        top = profiles.groupby(profiles["doc_id"].astype(str))["domain"].agg(
            lambda d: ", ".join(map(str, d.head(3)))
        )
    else:
        top = pd.Series(dtype=str)
    rows = []
    for i, r in enumerate(h.records(documents), start=1):
        doc_id = str(r["doc_id"])
        rows.append(
            h.cells(
                [
                    str(i),
                    f"<a href='{escape(h.document_href(doc_id), quote=True)}'>{escape(doc_id)}</a>",
                    escape(h.shorten(h.text_of(r.get("title")), 90)),
                    escape(h.text_of(r.get("date"))),
                    escape(h.text_of(r.get("n_segments"))),
                    escape(h.text_of(r.get("n_sentences"))),
                    str(int(entities.get(doc_id, 0))),
                    str(int(commitments.get(doc_id, 0))),
                    escape(top.get(doc_id, "")),
                    str(len(as_list(r.get("warnings")))),
                ],
                numeric=[0, 4, 5, 6, 7, 9],
            )
        )
    header = ["#", "document", "title", "date", "segments", "sentences", "entities"]
    header += ["commitments", "main domains", "warnings"]
    return h.table(header, rows, "documents")


def pair_scores(similarities: pd.DataFrame, method: str | None) -> dict[tuple[str, str], float]:
    if method is None:
        return {}
    rows = similarities[similarities["method"].fillna("similarity").astype(str) == method]
    return {
        (str(a), str(b)): float(s) for a, b, s in zip(rows["doc_a"], rows["doc_b"], rows["score"])
    }


def comparison_html(
    similarities: pd.DataFrame,
    documents: pd.DataFrame,
    pairs: list[tuple[str, str]],
    n_passages: int,
) -> str:
    method = primary_method(similarities)
    scores = pair_scores(similarities, method)
    pages = set(pairs)
    parts = []
    doc_ids = [str(d) for d in documents["doc_id"]]
    if scores and len(doc_ids) <= MAX_HEATMAP_DOCUMENTS:
        position = {d: i for i, d in enumerate(doc_ids)}
        values, links = {}, {}
        for i in range(len(doc_ids)):
            values[(i, i)] = 1.0
        for (a, b), s in scores.items():
            if a in position and b in position:
                i, j = position[a], position[b]
                values[(i, j)] = values[(j, i)] = s
                if (a, b) in pages:
                    links[(i, j)] = links[(j, i)] = h.pair_href(a, b)
        parts.append(
            "<figure>"
            + heatmap(
                doc_ids,
                values,
                f"Similarity of the documents ({method})",
                links,
                show_values=len(doc_ids) <= MAX_HEATMAP_VALUES,
            )
            + f"<figcaption>Similarity ({escape(method)}) of every pair, documents by date; "
            "the colours span the lowest to the highest score observed; a cell links to the "
            "pair's page.</figcaption></figure>"
        )
    elif not scores:
        parts.append("<p class='note'>No similarities were computed.</p>")
    ranked = sorted(pairs, key=lambda p: -scores.get(p, float("-inf")))
    parts.append(
        f"<h3>Compared pairs ({len(pairs)})</h3>"
        + (
            f"<p class='note'>The {MAX_INDEX_PAIRS} most similar; all are in "
            f"<a href='{h.REPORT_DIR}/pairs.html'>the list of pairs</a>.</p>"
            if len(pairs) > MAX_INDEX_PAIRS
            else ""
        )
        + (
            pairs_table(ranked[:MAX_INDEX_PAIRS], scores, "")
            if pairs
            else "<p class='note'>No alignments were computed.</p>"
        )
    )
    if n_passages:
        parts.append(
            f"<p><a href='{h.REPORT_DIR}/reuse.html'>Passages reused verbatim</a>: "
            f"{n_passages} passage(s) shared by two documents or more.</p>"
        )
    return "".join(parts)


def pairs_table(pairs: list[tuple[str, str]], scores: dict, root: str) -> str:
    rows = [
        h.cells(
            [
                f"<a href='{escape(root + h.pair_href(a, b), quote=True)}'>{escape(b)} → "
                f"{escape(a)}</a>",
                f"{scores[(a, b)]:.3f}" if (a, b) in scores else "",
            ],
            numeric=[1],
        )
        for a, b in pairs
    ]
    return h.table(["older → newer", "similarity"], rows, "pairs")


def pairs_page(pairs: list[tuple[str, str]], similarities: pd.DataFrame) -> str:
    method = primary_method(similarities)
    scores = pair_scores(similarities, method)
    ranked = sorted(pairs, key=lambda p: -scores.get(p, float("-inf")))
    shown = ranked[:MAX_LISTED_PAIRS]
    note = f" The {len(shown)} most similar are listed." if len(shown) < len(ranked) else ""
    body = (
        "<nav class='crumbs'><a href='../report.html'>All documents</a> › pairs</nav>"
        f"<h1>Compared pairs ({len(pairs)})</h1><p class='note'>Most similar first "
        f"({escape(method or '')}).{note}</p>" + pairs_table(shown, scores, "../")
    )
    return h.page("Compared pairs", body, root="../")


def reuse_passages(
    reuse: pd.DataFrame, limit: int = MAX_REUSE_PASSAGES
) -> tuple[pd.DataFrame, int]:
    """One row per passage (its words, spacing aside) with every (document, segment) sharing it
    (``places``), the most widely shared ``limit`` first; and the number of passages."""
    if reuse.empty:
        return pd.DataFrame(columns=["text", "n_words", "n_documents", "places"]), 0
    text = reuse["text"].astype(str).str.split().str.join(" ")
    sides = pd.concat(
        [
            pd.DataFrame(
                {
                    "text": text,
                    "doc": reuse[f"doc_{s}"].astype(str),
                    "segment": reuse[f"segment_{s}"].astype(str),
                }
            )
            for s in ("a", "b")
        ],
        ignore_index=True,
    ).drop_duplicates()
    by_text = sides.groupby("text")
    ranked = (
        pd.DataFrame(
            {
                "n_words": pd.Series(reuse["n_words"].to_numpy(), index=text)
                .groupby(level=0)
                .max(),
                "n_documents": by_text["doc"].nunique(),
            }
        )
        .rename_axis("text")
        .reset_index()
        .sort_values(
            ["n_documents", "n_words", "text"], ascending=[False, False, True], kind="stable"
        )
    )
    top = ranked.head(limit).copy()
    shown = sides[sides["text"].isin(set(top["text"]))]
    places = {t: sorted(zip(g["doc"], g["segment"])) for t, g in shown.groupby("text", sort=False)}
    top["places"] = top["text"].map(places)
    return top, len(ranked)


def reuse_page(shown: pd.DataFrame, n_passages: int) -> str:
    rows = []
    for r in h.records(shown):
        places = r["places"]
        listed = ", ".join(
            f"<a href='../{escape(h.document_href(d), quote=True)}#seg-{escape(s, quote=True)}'>"
            f"{escape(d)}</a> {escape(s)}"
            for d, s in places[:MAX_REUSE_DOCUMENTS]
        )
        if len(places) > MAX_REUSE_DOCUMENTS:
            listed += f" and {len(places) - MAX_REUSE_DOCUMENTS} more"
        rows.append(
            h.cells(
                [escape(r["text"]), str(int(r["n_words"])), str(int(r["n_documents"])), listed],
                numeric=[1, 2],
            )
        )
    note = (
        f"The {len(shown)} most widely shared of {n_passages}."
        if n_passages > len(shown)
        else f"{n_passages} passage(s)."
    )
    body = (
        "<nav class='crumbs'><a href='../report.html'>All documents</a> › reuse</nav>"
        "<h1>Passages reused verbatim</h1><p class='note'>One row per passage of at least 8 words "
        f"found word for word in two documents or more, with every document and segment that "
        f"holds it. {note}</p>" + h.table(["passage", "words", "documents", "where"], rows, "reuse")
    )
    return h.page("Reused passages", body, root="../")


def actors_html(entities: pd.DataFrame) -> str:
    """The canonical actors most mentioned, with the names used for them."""
    keyed = entities[entities["key"].notna() & (entities["key"].astype(str) != "")]
    if keyed.empty:
        return ""
    groups = keyed.groupby(keyed["key"].astype(str))
    table = pd.DataFrame(
        {
            "mentions": groups.size(),
            "documents": groups["doc_id"].nunique(),
            "label": groups["label"].agg(lambda s: ", ".join(sorted(set(map(str, s))))),
            "names": groups["text"].agg(
                lambda s: "; ".join(
                    f"{n} ({c})"
                    for n, c in s.astype(str)
                    .str.split()
                    .str.join(" ")
                    .value_counts()
                    .head(6)
                    .items()
                )
            ),
        }
    ).sort_values("mentions", ascending=False, kind="stable")
    rows = [
        h.cells(
            [
                f"<span class='sid'>{escape(k)}</span>",
                escape(r["label"]),
                escape(r["names"]),
                str(r["mentions"]),
                str(r["documents"]),
            ],
            numeric=[3, 4],
        )
        for k, r in table.head(MAX_ACTORS).iterrows()
    ]
    note = f"The {MAX_ACTORS} most mentioned of {len(table)}. " if len(table) > MAX_ACTORS else ""
    return (
        f"<h2 id='actors'>Actors ({len(table)})</h2><p class='note'>{note}Every name of the same "
        "actor shares one key (docs/annotation.md section 2).</p>"
        + h.table(["key", "label", "names", "mentions", "documents"], rows)
    )
