"""Writing and reading the output tables, atomically.

Every file is written to a temporary name in the same folder and then renamed over the target
(``os.replace`` is atomic on POSIX), so an interrupted run never leaves a truncated table.
Parquet keeps list columns as lists; CSV and SQLite store them as JSON text; JSON Lines as arrays.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .cache import MANIFEST_NAME, read_manifest
from .tables import COLUMNS, LIST_COLUMNS, TABLES, arrow_type, to_frame

FORMATS = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
SQLITE_NAME = "declarations.sqlite"


# characters a file name must not carry: path separators, controls, text-direction marks, and
# what Windows and macOS refuse
_UNSAFE_IN_NAME = re.compile(
    r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]'
)
MAX_NAME_BYTES = 120  # well under every file system's 255, with room for ".spacy" and temp names


def file_name(doc_id: str) -> str:
    """The file name (without suffix) of a document's ``text/`` and ``docs/`` files: the doc_id
    itself when it is a safe name; else the doc_id made safe (never a path component, never
    hidden, bounded in length) and made unique by a short hash of the doc_id."""
    name = _UNSAFE_IN_NAME.sub("_", doc_id)
    if name.startswith("."):
        name = "_" + name[1:]
    if name == doc_id and name and len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    room = MAX_NAME_BYTES - len(digest) - 1
    short = name.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{short}-{digest}" if short else digest


def _shareable(path: str | Path) -> None:
    """Outputs are for colleagues too: read and write as the umask allows, as any new file."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path next to target; rename it over target when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    _shareable(tmp)  # mkstemp creates 0600
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _plain(value):
    """numpy scalars and arrays (as Parquet gives them back) as plain Python values."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


def _to_json(value):
    if isinstance(value, (list, dict)) or hasattr(value, "tolist") and not isinstance(value, str):
        if hasattr(value, "ndim") and value.ndim == 0:  # a numpy scalar stays a scalar
            return value.item()
        return json.dumps(value, ensure_ascii=False, default=_plain)
    return value


def _json_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """List and dict cells as JSON text, for formats without nested types."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(_to_json)
    return frame


def write_table(frame: pd.DataFrame, out_dir: str | Path, name: str, fmt: str = "parquet") -> Path:
    target = Path(out_dir) / f"{name}{FORMATS[fmt]}"
    with atomic_path(target) as tmp:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        elif fmt == "csv":
            _json_lists(frame).to_csv(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
    return target


def write_tables(
    frames: dict[str, pd.DataFrame], out_dir: str | Path, fmt: str = "parquet"
) -> None:
    for name, frame in frames.items():
        write_table(frame, out_dir, name, fmt)


class TableWriter:
    """Append rows to one output table in batches, and to ``sqlite`` when given; rename into
    place on close."""

    def __init__(self, out_dir: Path, name: str, fmt: str, sqlite: SqliteWriter | None = None):
        self.name, self.fmt, self.sqlite = name, fmt, sqlite
        self.target = out_dir / f"{name}{FORMATS[fmt]}"
        self.tmp = self.target.with_name(f".{self.target.name}.partial")
        self.writer: pq.ParquetWriter | None = None
        self.first = True

    def write(self, rows: list[dict]) -> None:
        frame = to_frame(self.name, rows)
        # the contract's columns, and any of the user's (run --metadata), as text
        schema = pa.schema([(c, arrow_type(c)) for c in frame.columns])
        table = pa.Table.from_pandas(frame, preserve_index=False, schema=schema)
        if self.sqlite is not None:  # typed as the Parquet table, whatever the format
            self.sqlite.append(self.name, table.to_pandas())
        if self.fmt == "parquet":
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.tmp, table.schema)
            self.writer.write_table(table)
        elif self.fmt == "csv":
            _json_lists(frame).to_csv(
                self.tmp, mode="w" if self.first else "a", header=self.first, index=False
            )
        else:
            with open(self.tmp, "w" if self.first else "a", encoding="utf-8") as f:
                if len(frame):
                    f.write(
                        frame.to_json(orient="records", lines=True, force_ascii=False).rstrip("\n")
                        + "\n"
                    )
        self.first = False

    def close(self) -> None:
        if self.first:  # never written: an empty table with the contract's columns
            self.write([])
        if self.writer is not None:
            self.writer.close()
        os.replace(self.tmp, self.target)


# --- the SQLite schema: keys, indexes, full-text search, from tables.TABLES ------------------

SQL_TYPES = {
    "text": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "list of text": "TEXT",  # JSON text
    "list of integers": "TEXT",
}
# columns researchers select and join by: each gets an index where the key does not lead with it
INDEXED_COLUMNS = ("doc_id", "segment_id", "sentence_id", "key", "doc_a", "doc_b")
# full-text index (FTS5) over the sentences' text; diacritics folded, so "Belgie" finds "België"
SENTENCES_FTS = "sentences_fts"


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_type(table: str, column: str, frame: pd.DataFrame) -> str:
    known = {c.name: c.type for c in TABLES[table].columns} if table in TABLES else {}
    if column in known:
        return SQL_TYPES[known[column]]
    dtype = frame[column].dtype  # a column of the user's (e.g. a --metadata file)
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return "INTEGER"
    return "REAL" if pd.api.types.is_float_dtype(dtype) else "TEXT"


def create_table_sql(table: str, frame: pd.DataFrame) -> str:
    """CREATE TABLE for one output table: its columns (as in frame) typed by the schema, and its
    key (tables.TABLES) as the primary key."""
    columns = [f"{_name(c)} {_sql_type(table, c, frame)}" for c in frame.columns]
    key = TABLES[table].key if table in TABLES else ()
    if key and set(key) <= set(frame.columns):
        columns.append(f"PRIMARY KEY ({', '.join(map(_name, key))})")
    return f"CREATE TABLE {_name(table)} ({', '.join(columns)})"


def index_sql(table: str, columns: list[str]) -> list[str]:
    key = TABLES[table].key if table in TABLES else ()
    return [
        f"CREATE INDEX {_name(f'{table}_{c}')} ON {_name(table)} ({_name(c)})"
        for c in INDEXED_COLUMNS
        if c in columns and key[:1] != (c,)
    ]


def fts_sql() -> list[str]:
    """The sentences' full-text index, kept as an external-content table (no second copy of the
    text): ``SELECT * FROM sentences WHERE rowid IN (SELECT rowid FROM sentences_fts WHERE
    sentences_fts MATCH 'rechtsstaat')``."""
    return [
        f"CREATE VIRTUAL TABLE {SENTENCES_FTS} USING fts5(text, content='sentences', "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO {SENTENCES_FTS}({SENTENCES_FTS}) VALUES ('rebuild')",
    ]


class SqliteWriter:
    """``declarations.sqlite``, filled a table or a batch of rows at a time (opens in Datasette:
    ``datasette DIR/declarations.sqlite``); renamed into place on close, with its indexes and
    the sentences' full-text index built then (once, after the rows)."""

    def __init__(self, out_dir: str | Path):
        self.target = Path(out_dir) / SQLITE_NAME
        self.tmp = self.target.with_name(f".{SQLITE_NAME}.partial")
        self.tmp.unlink(missing_ok=True)
        self.con = sqlite3.connect(self.tmp)
        # a fresh file renamed into place when complete: no journal or syncs needed
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        self.columns: dict[str, list[str]] = {}  # the tables created, with their columns

    def append(self, name: str, frame: pd.DataFrame) -> None:
        if name not in self.columns:
            self.con.execute(create_table_sql(name, frame))
            self.columns[name] = list(frame.columns)
        _json_lists(frame).to_sql(name, self.con, index=False, if_exists="append")

    def close(self) -> None:
        for name, columns in self.columns.items():
            for sql in index_sql(name, columns):
                self.con.execute(sql)
        if "text" in self.columns.get("sentences", []):
            for sql in fts_sql():
                self.con.execute(sql)
        self.con.commit()
        self.con.close()
        _shareable(self.tmp)  # SQLite creates 0644
        os.replace(self.tmp, self.target)


def write_sqlite(frames: dict[str, pd.DataFrame], out_dir: str | Path) -> Path:
    """All tables in one SQLite file."""
    writer = SqliteWriter(out_dir)
    for name, frame in frames.items():
        writer.append(name, frame)
    writer.close()
    return writer.target


def as_list(value) -> list:
    """A list cell as a list: Parquet gives arrays, CSV gives JSON text, missing gives []."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return parsed if isinstance(parsed, list) else [parsed]
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        return list(value.tolist())
    try:
        return [] if pd.isna(value) else [value]
    except (TypeError, ValueError):
        return list(value)


def _parse_lists(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if col in LIST_COLUMNS:
            frame[col] = frame[col].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    return frame


def table_path(out_dir: str | Path, name: str, fmt: str | None = None) -> Path | None:
    """The file of a table: in format ``fmt``, else in the format of the folder's last run
    (its manifest), else the first found."""
    fmt = fmt or (read_manifest(out_dir) or {}).get("format")
    for ext in [FORMATS[fmt]] if fmt in FORMATS else FORMATS.values():
        path = Path(out_dir) / f"{name}{ext}"
        if path.exists():
            return path
    return None


def read_table(out_dir: str | Path, name: str, fmt: str | None = None) -> pd.DataFrame:
    """A table written by ``run`` (in ``fmt``, or as table_path finds it); list columns come
    back as lists."""
    path = table_path(out_dir, name, fmt)
    if path is None:
        return pd.DataFrame(columns=COLUMNS.get(name, []))
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        for col in frame.columns:
            if col in LIST_COLUMNS:
                frame[col] = frame[col].map(lambda v: v.tolist() if v is not None else [])
        return frame
    if path.suffix == ".csv":
        return _parse_lists(pd.read_csv(path, dtype={"number": "string"}))
    return pd.read_json(path, orient="records", lines=True, dtype={"number": "string"})


def read_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    return {name: read_table(out_dir, name) for name in COLUMNS if table_path(out_dir, name)}


# --------------------------------------------------------------------------------------------
# an output folder as a whole: what its last run wrote, and one run at a time


def write_manifest(out_dir: Path, manifest: dict) -> None:
    write_text(Path(out_dir) / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1))


def remove_stale(out_dir: Path, manifest: dict) -> list[Path]:
    """Remove what an earlier run left that this one did not write (tables of another format
    or not written this time, texts and Docs of documents no longer in the corpus, a report):
    the folder then describes this run alone. Files the pipeline never writes are left."""
    out_dir = Path(out_dir)
    keep = {f"{name}{FORMATS[manifest['format']]}" for name in manifest["tables"]}
    keep |= {SQLITE_NAME, MANIFEST_NAME} | ({"report.html"} if manifest["report"] else set())
    names = manifest["documents"].values()
    keep |= {f"text/{n}.txt" for n in names} | {f"docs/{n}.spacy" for n in names}
    ours = [out_dir / f"{name}{ext}" for name in COLUMNS for ext in FORMATS.values()]
    ours += [out_dir / "report.html", *out_dir.glob("text/*.txt"), *out_dir.glob("docs/*.spacy")]
    removed = []
    for path in ours:
        if path.relative_to(out_dir).as_posix() not in keep and path.is_file():
            path.unlink()
            removed.append(path)
    if not manifest["report"] and (out_dir / "report").is_dir():  # the report's own pages
        shutil.rmtree(out_dir / "report")
        removed.append(out_dir / "report")
    return removed
