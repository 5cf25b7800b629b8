"""What every page of the report shares: the page shell under its Content-Security-Policy, the
style sheet and script (data files in pipeline/data/report/), file names, small HTML pieces.

Works on plain rows (lists of dicts), without pandas, so that a worker renders a document's page
from the rows it has just made.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path

from .. import PACKAGE_DIR
from ..escapes import printable_html
from ..scheme import ENTITY_LABELS, SPEECH_ACTS
from ..store import as_list

STATIC_DIR = PACKAGE_DIR / "data" / "report"
# under DIR: report.html (the index), report/static/, report/doc/, report/pair/, report/search/
REPORT_DIR = "report"

# Scripts and styles only as files of the report's own folder; no inline script, style or event
# handler, nothing from the network (a browser reports a violation instead of reaching out).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)

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


def style_sheet() -> str:
    """report.css with one rule per entity label and speech act (their colours are defined once,
    above: the exports use them too)."""
    rules = [(STATIC_DIR / "report.css").read_text(encoding="utf-8")]
    rules += [
        f'mark.entity[data-label="{label}"] {{ background: {color}; }}'
        for label, color in ENTITY_COLORS.items()
    ]
    rules += [
        f'.act[data-act="{act}"] {{ background: {color}; }}'
        for act, color in SPEECH_ACT_COLORS.items()
    ]
    return "\n".join(rules) + "\n"


def script() -> str:
    return (STATIC_DIR / "report.js").read_text(encoding="utf-8")


def page(title: str, body: str, root: str) -> str:
    """A whole page; ``root`` leads from the page's folder to DIR ("" for the index)."""
    static = f"{root}{REPORT_DIR}/static"
    return (
        "<!DOCTYPE html>\n<html lang='nl'>\n<head>\n<meta charset='utf-8'>\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{escape(title)}</title>\n"
        f"<link rel='stylesheet' href='{static}/report.css'>\n"
        f"<script src='{static}/report.js' defer></script>\n"
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# --- rows ---------------------------------------------------------------------------------------


def records(frame) -> list[dict]:
    """The rows of a frame as dicts, a column at a time (pandas' own to_dict("records") goes
    row by row through the indexer, a hundred times slower on Arrow-backed string columns)."""
    columns = [frame[c].to_numpy(dtype=object).tolist() for c in frame.columns]
    return [dict(zip(frame.columns, values)) for values in zip(*columns)]


def group_rows(rows: list[dict], *keys: str) -> dict:
    """Rows grouped by the value (or tuple of values) of ``keys``, in order."""
    out: dict = {}
    for row in rows:
        key = tuple(str(row[k]) for k in keys) if len(keys) > 1 else str(row[keys[0]])
        out.setdefault(key, []).append(row)
    return out


# --- file names ---------------------------------------------------------------------------------


# bytes of a page's file stem: a pair's page joins two of them ("A~~B.html") within the 255
# bytes a file name may have
MAX_STEM_BYTES = 120


def file_stem(doc_id: str) -> str:
    """doc_id as a file name, one to one: characters outside [A-Za-z0-9._-] as ~XX (UTF-8);
    beyond MAX_STEM_BYTES cut short and made unique by a hash of the doc_id (a 251-byte file
    name, its escapes tripling it, once stopped the report)."""
    stem = re.sub(
        r"[^A-Za-z0-9._-]",
        lambda m: "".join(f"~{b:02X}" for b in m.group().encode("utf-8")),
        doc_id,
    )
    if len(stem) <= MAX_STEM_BYTES:
        return stem
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{stem[: MAX_STEM_BYTES - len(digest) - 2]}~~{digest}"


def document_href(doc_id: str) -> str:
    """The document page, relative to DIR."""
    return f"{REPORT_DIR}/doc/{file_stem(doc_id)}.html"


def pair_href(newer: str, older: str) -> str:
    """The page of a compared pair (doc_a newer, doc_b older), relative to DIR."""
    return f"{REPORT_DIR}/pair/{file_stem(newer)}~~{file_stem(older)}.html"


# --- cells --------------------------------------------------------------------------------------


def text_of(value) -> str:
    """A cell as display text ('' for missing values: None, NaN, pandas' NA)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if value != value:  # NaN, NaT
            return ""
    except TypeError:  # pandas' NA: "the boolean value of NA is ambiguous"
        return ""
    except ValueError:  # an array
        pass
    return str(value)


def number(value) -> float | None:
    text = text_of(value)
    try:
        return float(text) if text else None
    except ValueError:
        return None


def integer(value) -> int | None:
    n = number(value)
    return int(n) if n is not None else None


def words(values: Iterable) -> str:
    """Values as one attribute of space-separated words (the filters' data-* attributes)."""
    return escape(" ".join(str(v).replace(" ", "_") for v in values if text_of(v)), quote=True)


def list_of(value) -> list:
    return [v for v in as_list(value) if text_of(v)]


def truthy(value) -> bool:
    return text_of(value).lower() in ("true", "1", "yes")


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def speech_act_badge(act) -> str:
    act = text_of(act)
    first = act.split("|")[0]
    return (
        f"<span class='act' data-act='{escape(first, quote=True)}'>{escape(act) or '&nbsp;'}</span>"
    )


def table(header: list[str], rows: Iterable[str], cls: str = "") -> str:
    """An HTML table from its header cells (text) and its rows (HTML of <tr> elements)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    cls = f" class='{cls}'" if cls else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def cells(values: Iterable[str], numeric: Iterable[int] = ()) -> str:
    """One <tr> of HTML cells; the columns in ``numeric`` right-aligned. Control and
    text-direction characters are shown as escapes (U+202E would show a cell reversed)."""
    numeric = set(numeric)
    values = map(printable_html, values)
    return (
        "<tr>"
        + "".join(
            f"<td class='num'>{v}</td>" if i in numeric else f"<td>{v}</td>"
            for i, v in enumerate(values)
        )
        + "</tr>"
    )


def write_file(path: Path, text: str) -> None:
    """A file of the report folder, which is built under a temporary name and renamed into
    place whole (so each file needs no rename of its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_static(report_dir: Path) -> None:
    """report/static/report.css and report.js."""
    write_file(report_dir / "static" / "report.css", style_sheet())
    write_file(report_dir / "static" / "report.js", script())
