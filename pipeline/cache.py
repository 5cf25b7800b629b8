"""What a run can skip: the keys of the run cache and the record of a finished run.

Light on purpose (standard library only): a re-run over an unchanged corpus decides from these
keys alone that it has nothing to do, before spaCy, scikit-learn or pandas are imported.

- ``versions``: a fingerprint of everything that decides a document's results (the models, the
  run-time data files, the pipeline's code);
- ``entry_key``: one document's cache entry, from its bytes, doc_id, options and ``versions``;
- ``write_entry`` / ``entry_tables``: a cache entry, a folder holding a document's table rows
  (gzipped JSON), its clean text and its Doc, made by a worker and read by the output writer,
  with the checksum of each file, verified on read (``DamagedEntry``: the run makes it again);
- ``manifest.json``: what the run that wrote an output folder put in it (format, tables,
  documents); readers (``Corpus.read``, ``store.read_table``) go by it;
- ``OutputLock``: one run at a time per output folder;
- ``RunRecord``: what the last run wrote to an output folder. When the same entries, format and
  flags come again and every output file is still as that run left it (size and modification
  time), the outputs are up to date, as ``make`` would say, and the run stops there.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

try:
    import fcntl  # POSIX: the output folder's lock
except ImportError:  # Windows: runs are not locked against each other
    fcntl = None  # type: ignore[assignment]

from . import MODELS_DIR, PACKAGE_DIR, userdata
from .types import Options

CACHE_DIR = ".cache"
RECORD_NAME = "run.json"
TABLES_NAME = "tables.json.gz"
TEXT_NAME = "text.txt"
DOC_NAME = "doc.spacy"
RETRY = "retry"  # marks an entry the next run makes again (a run limit refused the document)
CHECKSUMS_NAME = "checksums.json"


class DamagedEntry(Exception):
    """A cache entry whose files are not as they were written (a disk error, a hand edit)."""


def versions(models_dir: str | Path | None = None) -> dict[str, str]:
    """A fingerprint of what decides a document's results, for the run cache: every model and
    data file the pipeline loads at run time, and the pipeline's own code."""
    models_dir = Path(models_dir) if models_dir else MODELS_DIR
    sources = {
        "models": sorted(p for p in models_dir.rglob("*") if p.is_file())
        if models_dir.exists()
        else [],
        "data": sorted(p for p in (PACKAGE_DIR / "data").rglob("*") if p.is_file()),
        "code": sorted(p for p in PACKAGE_DIR.rglob("*.py") if "bench" not in p.parts),
    }
    digest: dict[str, str] = {}
    for name, paths in sources.items():
        h = hashlib.sha256()
        for path in paths:
            h.update(path.name.encode())
            h.update(path.read_bytes())
        digest[name] = h.hexdigest()[:16]
    return digest


def entry_key(path: Path, doc_id: str, options: Options, fingerprint: dict) -> str:
    """One document's cache key: a changed file, id, reading option or model is a new entry."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    relevant = {k: v for k, v in asdict(options).items() if k in ("password", "ocr", "max_pages")}
    # a user gazetteer or lexicon changes the results: their content is part of the key
    relevant["user_data"] = {name: userdata.digest(path) for name, path in options.user_data()}
    h.update(json.dumps([doc_id, relevant, fingerprint], sort_keys=True).encode())
    return h.hexdigest()[:32]


def write_entry(
    entry: Path,
    tables: dict,
    text: str | None,
    doc_bytes: bytes | None,
    retry: bool = False,
    files: dict[str, str] | None = None,
) -> Path:
    """Write a cache entry atomically: built under a temporary name, renamed into place whole
    (an entry another worker finished first is kept). ``files``: more of the document's
    results by file name (its report page, report.document_files)."""
    tmp = entry.with_name(entry.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    # fastest gzip level: a third of the time of the default for a quarter more bytes;
    # json.dumps, not json.dump: dump streams through the pure-Python encoder, dumps takes the
    # C one (the same text)
    with gzip.open(tmp / TABLES_NAME, "wt", encoding="utf-8", compresslevel=1) as f:
        f.write(json.dumps(tables, ensure_ascii=False, default=str))
    if retry:
        (tmp / RETRY).touch()
    if text is not None and doc_bytes is not None:
        (tmp / TEXT_NAME).write_text(text, encoding="utf-8")
        (tmp / DOC_NAME).write_bytes(doc_bytes)
    for name, content in (files or {}).items():
        (tmp / name).write_text(content, encoding="utf-8")
    sums = {p.name: _sha256(p) for p in sorted(tmp.iterdir())}
    (tmp / CHECKSUMS_NAME).write_text(json.dumps(sums), encoding="utf-8")
    if entry.exists():
        shutil.rmtree(tmp)
    else:
        os.replace(tmp, entry)
    return entry


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_entry(entry: Path) -> None:
    """Raise DamagedEntry unless every file of the entry has the checksum it was written with."""
    try:
        sums = json.loads((entry / CHECKSUMS_NAME).read_text(encoding="utf-8"))
        if not isinstance(sums, dict) or TABLES_NAME not in sums:
            raise ValueError("no checksum of the tables")
        for name, digest in sums.items():
            if _sha256(entry / Path(name).name) != digest:
                raise ValueError(f"{name} differs from what was written")
    except (OSError, ValueError) as err:
        raise DamagedEntry(f"{entry.name}: {err}") from None


def entry_tables(entry: Path) -> dict[str, list[dict]]:
    """The table rows of a verified cache entry (an ``errors`` row for a document that failed)."""
    verify_entry(entry)
    with gzip.open(entry / TABLES_NAME, "rt", encoding="utf-8") as f:
        return json.load(f)


def corpus_key(entries: list[str]) -> str:
    """The comparison's cache key: the set of documents compared."""
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()[:32]


class RunRecord:
    """``.cache/run.json`` of an output folder: the run's key and the files it wrote."""

    def __init__(self, out_dir: Path, key: str):
        self.out_dir, self.key = out_dir, key
        self.path = out_dir / CACHE_DIR / RECORD_NAME

    @staticmethod
    def make_key(jobs: list[tuple[str, str]], input_errors: list[dict], **flags) -> str:
        """From the (doc_id, entry key) pairs in input order, the inputs refused before any
        processing (missing, duplicate) and the flags that change what is written."""
        text = json.dumps([jobs, input_errors, flags], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _files(self) -> dict[str, list[int]]:
        files = {}
        for path in sorted(self.out_dir.rglob("*")):
            rel = path.relative_to(self.out_dir)
            if path.is_file() and rel.parts[0] != CACHE_DIR and not rel.name.startswith("."):
                stat = path.stat()
                files[str(rel)] = [stat.st_size, stat.st_mtime_ns]
        return files

    def up_to_date(self) -> bool:
        """True when the last run had this key and left every output file as it is now."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return saved.get("key") == self.key and saved.get("files") == self._files()

    def forget(self) -> None:
        """Called before outputs are rewritten: a run stopped half-way is never up to date."""
        self.path.unlink(missing_ok=True)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{RECORD_NAME}.{os.getpid()}")
        tmp.write_text(json.dumps({"key": self.key, "files": self._files()}), encoding="utf-8")
        os.replace(tmp, self.path)


MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".lock"


def read_manifest(out_dir: str | Path) -> dict | None:
    """``manifest.json``: the format, tables and documents (doc_id -> file name) of the run
    that wrote the folder; None for a folder without one."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


class FolderInUse(Exception):
    """Another run is writing the same output folder."""


class OutputLock:
    """One run at a time per output folder: an exclusive lock on ``DIR/.lock`` (an empty file,
    left in place), released when the run ends, also when it is killed: the kernel drops the
    lock with the process."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK_NAME
        self.file: TextIO | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.file = open(self.path, "a")  # noqa: SIM115  (held open for the run)
        if fcntl is not None:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.close()
                raise FolderInUse(
                    f"{self.path.parent} is being written by another run; wait for it to end "
                    "or choose another --out"
                ) from None
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()  # closing releases the lock
