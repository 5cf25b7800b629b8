"""declarations.sqlite is ready for analysis: keys, indexes, full-text search over sentences."""

import shutil
import sqlite3

import pandas as pd
import pytest

from pipeline import store
from pipeline.tables import TABLES


@pytest.fixture(scope="module")
def db(seed_run, tmp_path_factory):
    # a copy: the seed's run output (conftest.py) is shared with other tests
    path = tmp_path_factory.mktemp("sqlite") / store.SQLITE_NAME
    shutil.copyfile(seed_run / store.SQLITE_NAME, path)
    con = sqlite3.connect(path)
    yield con
    con.close()


def primary_key(con, table: str) -> tuple[str, ...]:
    info = sorted((row[5], row[1]) for row in con.execute(f'PRAGMA table_info("{table}")'))
    return tuple(name for position, name in info if position)


def plan(con, sql: str, *args) -> str:
    return " ".join(row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {sql}", args))


def test_every_table_has_its_key_as_primary_key(db):
    for name in (
        "documents",
        "segments",
        "sentences",
        "entities",
        "commitments",
        "domain_profiles",
    ):
        assert primary_key(db, name) == TABLES[name].key, name
    assert primary_key(db, "sentences") == ("doc_id", "sentence_id")


def test_lookups_by_document_segment_sentence_and_actor_use_an_index(db):
    lookups = {
        "segments": ("doc_id", "segment_id"),
        "sentences": ("doc_id", "segment_id", "sentence_id"),
        "entities": ("doc_id", "segment_id", "sentence_id", "key"),
        "commitments": ("doc_id", "segment_id", "sentence_id"),
    }
    for table, columns in lookups.items():
        for column in columns:
            how = plan(db, f'SELECT * FROM "{table}" WHERE "{column}" = ?', "x")
            assert "USING INDEX" in how or "USING PRIMARY KEY" in how, (table, column, how)


def test_full_text_search_over_sentences(db):
    found = pd.read_sql(
        "SELECT s.doc_id, s.sentence_id, s.text FROM sentences_fts "
        "JOIN sentences s ON s.rowid = sentences_fts.rowid "
        "WHERE sentences_fts MATCH ? ORDER BY s.rowid",
        db,
        params=("rechtsstaat",),
    )
    sentences = pd.read_sql("SELECT sentence_id, text FROM sentences ORDER BY rowid", db)
    expected = sentences[sentences["text"].str.contains(r"\brechtsstaat\b", case=False)]
    assert len(found) > 0
    assert list(found["sentence_id"]) == list(expected["sentence_id"])


def test_full_text_search_folds_diacritics(db):
    with_accent = db.execute(
        "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'Kroatië'"
    ).fetchone()[0]
    without = db.execute(
        "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'Kroatie'"
    ).fetchone()[0]
    assert with_accent == without > 0


def test_a_duplicate_key_is_refused(db):
    row = db.execute("SELECT * FROM documents").fetchone()
    marks = ", ".join("?" * len(row))
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(f"INSERT INTO documents VALUES ({marks})", row)
