"""The codebook written with every run: ``DIR/codebook.md`` and Datasette's ``metadata.json``.

Both say, for every table the run wrote, what one row is and what each column holds (type,
meaning, allowed values), then every label with its definition and an example, the policy
domains with their Comparative Agendas Project (CAP) major topics, and the CAP major topics
with their codes and names. Nothing is described here: the columns come from ``tables.TABLES``
and the labels from ``scheme``, so the codebook cannot say something the tables do not do.

A column a table has beyond its schema (e.g. the columns of a ``--metadata`` file in
``documents``) is listed too, as coming from the user's data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import scheme
from .scheme import Label
from .store import SQLITE_NAME, write_text
from .tables import TABLES, Column

CODEBOOK_NAME = "codebook.md"
METADATA_NAME = "metadata.json"
# the SQLite full-text index over sentence text, for Datasette's search box
SENTENCES_FTS = "sentences_fts"
USER_COLUMN = "from the user's data (e.g. a --metadata file); not described by the pipeline"

# (title, the column it is the value set of, the labels), in the order the codebook gives them
LABEL_SETS: tuple[tuple[str, str, tuple[Label, ...]], ...] = (
    ("Segment kinds", "segments.kind", scheme.SEGMENT_KIND_LABELS),
    ("Entity labels", "entities.label", scheme.ENTITY_LABEL_DEFINITIONS),
    ("Entity sources", "entities.source", scheme.ENTITY_SOURCE_LABELS),
    ("Speech acts", "sentences.speech_act", scheme.SPEECH_ACT_LABELS),
    ("Commitment strengths", "commitments.strength", scheme.STRENGTH_LABELS),
    ("Actor sources", "commitments.actor_source", scheme.ACTOR_SOURCE_LABELS),
    ("Alignment relations", "alignments.relation", scheme.RELATION_LABELS),
    ("Similarity methods", "similarities.method", scheme.SIMILARITY_METHOD_LABELS),
    ("Profile facets", "profile_changes.facet", scheme.PROFILE_FACET_LABELS),
    ("Profile changes", "profile_changes.change", scheme.PROFILE_CHANGE_LABELS),
    ("Tracking statuses", "commitment_tracking.status", scheme.TRACKING_STATUS_LABELS),
    ("Change kinds", "commitment_tracking.changes", scheme.CHANGE_KIND_LABELS),
)


def _cell(text: str) -> str:
    """Text for one cell of a Markdown table ("<N>" is no HTML tag)."""
    return text.replace("|", "\\|").replace("<", "\\<").replace("\n", " ")


def _values(column: Column) -> str:
    if not column.values:
        return ""
    if column.name == "cap_topics":
        return "CAP major-topic codes: see CAP major topics"
    return ", ".join(f"`{v}`" for v in column.values)


def table_columns(written: Mapping[str, Iterable[str]] | None = None) -> dict[str, list[Column]]:
    """The columns of the tables written (name -> column names; default: every table), each
    described by the schema, or as user data when the schema does not know it."""
    names = (
        written
        if written is not None
        else {n: [c.name for c in t.columns] for n, t in TABLES.items()}
    )
    out: dict[str, list[Column]] = {}
    for name, columns in names.items():
        known = {c.name: c for c in TABLES[name].columns} if name in TABLES else {}
        out[name] = [known.get(c) or Column(c, "text", USER_COLUMN) for c in columns]
    return out


def codebook_markdown(written: Mapping[str, Iterable[str]] | None = None) -> str:
    lines = [
        "# Codebook",
        "",
        "What the tables of this run hold. Every table is a file of this folder (Parquet, CSV "
        "or JSON Lines) and a table of `declarations.sqlite`; list columns are lists in "
        "Parquet and JSON Lines, JSON text in CSV and SQLite. Character offsets index the "
        "clean text in `text/<doc_id>.txt`. The labels follow the project's annotation guide "
        "(docs/annotation.md).",
        "",
        "## Tables",
    ]
    for name, columns in table_columns(written).items():
        table = TABLES.get(name)
        lines += ["", f"### {name}", ""]
        if table is not None:
            lines.append(f"One row per {table.row}.")
            if table.key:
                lines.append(f"A row is identified by {', '.join(f'`{k}`' for k in table.key)}.")
            lines.append("")
        lines += ["| column | type | meaning | allowed values |", "| --- | --- | --- | --- |"]
        lines += [
            f"| `{c.name}` | {c.type} | {_cell(c.meaning)} | {_cell(_values(c))} |" for c in columns
        ]
    lines += ["", "## Labels"]
    for title, column, labels in LABEL_SETS:
        lines += ["", f"### {title} (`{column}`)", "", "| value | definition | example |"]
        lines.append("| --- | --- | --- |")
        lines += [
            f"| `{lb.name}` | {_cell(lb.definition)} | {_cell(lb.example)} |" for lb in labels
        ]
    lines += [
        "",
        "### Policy domains (`segments.domains`, `domain_profiles.domain`)",
        "",
        "| value | covers | CAP major topics |",
        "| --- | --- | --- |",
    ]
    for domain in scheme.DOMAIN_LABELS:
        topics = ", ".join(f"{c} {scheme.CAP_TOPICS[c]}" for c in scheme.DOMAIN_CAP[domain.name])
        lines.append(f"| `{domain.name}` | {_cell(domain.definition)} | {topics} |")
    lines += [
        "",
        "## CAP major topics (`segments.cap_topics`)",
        "",
        f"Source: {scheme.CAP_SOURCE}.",
        "",
        "| code | name |",
        "| --- | --- |",
    ]
    lines += [f"| {code} | {name} |" for code, name in scheme.CAP_TOPICS.items()]
    return "\n".join(lines) + "\n"


def _column_description(column: Column) -> str:
    values = _values(column).replace("`", "")
    return f"{column.meaning} ({column.type}{'; ' + values if values else ''})"


def datasette_metadata(written: Mapping[str, Iterable[str]] | None = None) -> dict:
    """Datasette's metadata.json: the same descriptions, per table and column."""
    tables: dict[str, dict] = {}
    for name, columns in table_columns(written).items():
        table = TABLES.get(name)
        entry: dict = {"columns": {c.name: _column_description(c) for c in columns}}
        if table is not None:
            entry["description"] = f"One row per {table.row}."
        if name == "sentences":
            entry["fts_table"] = SENTENCES_FTS
        tables[name] = entry
    return {
        "title": "Summit declarations as data",
        "description": "The tables of one run of the declarations pipeline; labels and CAP "
        f"topics are explained in {CODEBOOK_NAME} beside this file.",
        "databases": {Path(SQLITE_NAME).stem: {"tables": tables}},
    }


def write_codebook(out_dir: str | Path, written: Mapping[str, Iterable[str]] | None = None) -> None:
    """Write codebook.md and metadata.json into out_dir, each atomically."""
    out = Path(out_dir)
    write_text(out / CODEBOOK_NAME, codebook_markdown(written))
    metadata = json.dumps(datasette_metadata(written), ensure_ascii=False, indent=2)
    write_text(out / METADATA_NAME, metadata + "\n")
