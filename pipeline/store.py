"""Writing and reading the output tables, atomically.

Every file is written to a temporary name in the same folder and then renamed over the target
(``os.replace`` is atomic on POSIX), so an interrupted run never leaves a truncated table.
Parquet keeps list columns as lists; CSV and SQLite store them as JSON text; JSON Lines as arrays.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .tables import COLUMNS, LIST_COLUMNS, arrow_schema, to_frame

FORMATS = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
SQLITE_NAME = "declarations.sqlite"


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
        self.writer = None
        self.first = True

    def write(self, rows: list[dict]) -> None:
        frame = to_frame(self.name, rows)
        table = pa.Table.from_pandas(frame, preserve_index=False, schema=arrow_schema(self.name))
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


class SqliteWriter:
    """``declarations.sqlite``, filled a table or a batch of rows at a time (opens in Datasette:
    ``datasette DIR/declarations.sqlite``); renamed into place on close."""

    def __init__(self, out_dir: str | Path):
        self.target = Path(out_dir) / SQLITE_NAME
        self.tmp = self.target.with_name(f".{SQLITE_NAME}.partial")
        self.tmp.unlink(missing_ok=True)
        self.con = sqlite3.connect(self.tmp)
        # a fresh file renamed into place when complete: no journal or syncs needed
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")

    def append(self, name: str, frame: pd.DataFrame) -> None:
        _json_lists(frame).to_sql(name, self.con, index=False, if_exists="append")

    def close(self) -> None:
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


def table_path(out_dir: str | Path, name: str) -> Path | None:
    for ext in FORMATS.values():
        path = Path(out_dir) / f"{name}{ext}"
        if path.exists():
            return path
    return None


def read_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """A table written by ``run``, whatever its format; list columns come back as lists."""
    path = table_path(out_dir, name)
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
