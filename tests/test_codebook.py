"""Every run writes a codebook: codebook.md and Datasette's metadata.json describe what it wrote."""

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipeline import scheme, store
from pipeline.cli import main
from pipeline.codebook import codebook_markdown, datasette_metadata
from pipeline.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"
FOLLOWUP = ROOT / "corpus" / "annotated" / "followups" / "sofia-followup-calibration-nl.txt"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The seed and a follow-up of it: the document tables and the comparison tables."""
    inputs = tmp_path_factory.mktemp("in")
    for path in (SEED, FOLLOWUP):
        shutil.copy(path, inputs / path.name)
    out = tmp_path_factory.mktemp("out")
    assert main(["--quiet", "run", str(inputs), "--out", str(out), "--no-report"]) == 0
    return out


def codebook_sections(text: str) -> dict[str, list[str]]:
    """### heading -> the values in the first column of the table below it."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:].split(" (")[0], [])
        elif current is not None and (m := re.match(r"\| `([^`]+)` \|", line)):
            current.append(m.group(1))
    return sections


@pytest.mark.slow
def test_every_column_of_every_table_written_is_in_the_codebook(run):
    sections = codebook_sections((run / "codebook.md").read_text(encoding="utf-8"))
    written = {p.stem: p for p in run.glob("*.parquet")}
    assert {"documents", "segments", "sentences", "entities", "alignments"} <= set(written)
    for name in written:
        columns = list(store.read_table(run, name).columns)
        assert sections[name] == columns, name


@pytest.mark.slow
def test_datasette_metadata_describes_the_same_columns_and_the_full_text_index(run):
    metadata = json.loads((run / "metadata.json").read_text(encoding="utf-8"))
    described = metadata["databases"]["declarations"]["tables"]
    con = sqlite3.connect(run / "declarations.sqlite")
    for name, entry in described.items():
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{name}")')]
        assert list(entry["columns"]) == columns, name
        assert all(entry["columns"].values()), name
    fts = described["sentences"]["fts_table"]
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (fts,)).fetchone()[0]


def test_columns_say_their_type_meaning_and_allowed_values():
    text = codebook_markdown({"sentences": ["doc_id", "speech_act"]})
    row = next(line for line in text.splitlines() if line.startswith("| `speech_act` |"))
    assert "| text | what the sentence does |" in row
    assert all(f"`{act}`" in row for act in scheme.SPEECH_ACTS)


def test_a_column_the_schema_does_not_know_is_listed_as_the_users():
    text = codebook_markdown({"documents": ["doc_id", "presidency"]})
    assert "| `presidency` | text | from the user's data" in text
    metadata = datasette_metadata({"documents": ["doc_id", "presidency"]})
    assert (
        "user's data"
        in metadata["databases"]["declarations"]["tables"]["documents"]["columns"]["presidency"]
    )


def test_every_label_with_its_definition_and_example():
    text = codebook_markdown()
    for label in scheme.SPEECH_ACT_LABELS + scheme.ENTITY_LABEL_DEFINITIONS:
        assert f"| `{label.name}` | {label.definition.replace('|', chr(92) + '|')} |" in text
    assert "| `COMMITMENT` | pledges, decides or sets out future action" in text
    assert "zal/zullen + action, beloven" in text
    sections = codebook_sections(text)
    assert sections["Segment kinds"] == list(scheme.SEGMENT_KINDS)
    assert sections["Policy domains"] == list(scheme.DOMAINS)


@pytest.mark.slow
def test_cap_major_topics_with_code_name_and_source(run):
    text = (run / "codebook.md").read_text(encoding="utf-8")
    topics = dict(re.findall(r"^\| (\d+) \| ([^|]+) \|$", text, flags=re.M))
    assert {int(code): name.strip() for code, name in topics.items()} == scheme.CAP_TOPICS
    assert "Comparative Agendas Project master codebook" in text
    assert "| `rule_of_law` |" in text and "2 Civil Rights, 12 Law and Crime" in text
    used = {code for codes in store.read_table(run, "segments")["cap_topics"] for code in codes}
    assert used and used <= set(scheme.CAP_TOPICS)


def test_the_codebook_describes_every_table_of_the_schema():
    sections = codebook_sections(codebook_markdown())
    for name, table in TABLES.items():
        assert sections[name] == [c.name for c in table.columns]
        assert all(c.meaning for c in table.columns), name
