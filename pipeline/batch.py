"""Batch runs: many documents, several workers or a Dask cluster, a cache, streaming writes.

A run goes in three steps, so memory does not grow with the corpus:

1. every input becomes one *cache entry*: its table rows (gzipped JSON), its clean text and its
   Doc (DocBin), keyed by the file's content hash, the doc_id, the options that change results
   and the model versions. A re-run over an unchanged corpus finds every entry and does no NLP
   work; adding a document processes only that one. Entries are written atomically, so an
   interrupted run resumes where it stopped.
2. the entries are streamed into the output tables, a batch of documents at a time (Parquet row
   groups; CSV and JSON Lines appended), then each table is renamed into place.
3. the corpus-level comparison runs over the segments table.

Parallelism is over whole documents (ARCHITECTURE.md: ``nlp.pipe(n_process=...)`` on light
pipelines is slower than one process), with a process pool or Dask (``--engine dask``, on a
``LocalCluster`` or an existing scheduler).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import api, records, store
from .nlp import load_nlp, model_versions

log = logging.getLogger("pipeline.batch")

CACHE_DIR = ".cache"
FLUSH_EVERY = 200  # documents per Parquet row group / write batch


class DocumentTimeout(BaseException):
    """The per-document time limit ran out: an interruption like KeyboardInterrupt, so that
    the stages' own ``except Exception`` handlers do not swallow it."""


def _alarm(signum, frame):
    raise DocumentTimeout()


def cache_key(path: Path, doc_id: str, options: api.Options, versions: dict) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    relevant = {k: v for k, v in asdict(options).items() if k in ("password", "ocr", "max_pages")}
    h.update(json.dumps([doc_id, relevant, versions], sort_keys=True).encode())
    return h.hexdigest()[:32]


def process_to_cache(path: str, doc_id: str, options: api.Options, entry: str) -> str:
    """Worker task: one document -> one cache entry. Returns the entry path.

    Runs in a worker process (pool or Dask); the nlp is built once per process. A document that
    fails gives an entry holding its error row, so failures are cached like results (a changed
    file gets a new key and is tried again).
    """
    from spacy.tokens import DocBin

    entry_dir = Path(entry)
    use_alarm = options.timeout and hasattr(signal, "SIGALRM")
    if use_alarm:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, options.timeout)
        except ValueError:  # not the main thread (Dask's threaded workers): no alarm
            use_alarm = False
    try:
        doc, tables = api.process_one(Path(path), doc_id, options, keep_doc=True)
    except DocumentTimeout:
        doc, tables = None, {"errors": [records.error_row(
            path, doc_id, "process", f"took longer than {options.timeout:g} s (--timeout)")]}
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    tmp = entry_dir.with_name(entry_dir.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    with gzip.open(tmp / "tables.json.gz", "wt", encoding="utf-8") as f:
        json.dump(tables, f, ensure_ascii=False, default=str)
    if doc is not None:
        (tmp / "text.txt").write_text(doc.text, encoding="utf-8")
        DocBin(docs=[doc], store_user_data=True).to_disk(tmp / "doc.spacy")
    if entry_dir.exists():
        shutil.rmtree(tmp)
    else:
        os.replace(tmp, entry_dir)
    return str(entry_dir)


def _init_worker(models_dir: str | None) -> None:
    load_nlp(models_dir)  # build once per worker process, before the first document


def _run_tasks(tasks, options: api.Options, workers: int, engine: str, scheduler: str | None,
               progress: bool) -> None:
    """Create the cache entries that are missing, in parallel where asked."""
    if not tasks:
        return
    bar = _progress(len(tasks), progress)
    if engine == "dask":
        from dask.distributed import Client, LocalCluster, as_completed

        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            # processes, one thread each: spaCy and the models are not shared between threads
            cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            futures = [client.submit(process_to_cache, *t, pure=False) for t in tasks]
            for future in as_completed(futures):
                future.result()
                bar.advance()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    elif workers > 1:
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=(options.models_dir,)) as pool:
            for _ in pool.map(_star, tasks, chunksize=1):
                bar.advance()
    else:
        for t in tasks:
            process_to_cache(*t)
            bar.advance()
    bar.close()


def _star(args):
    return process_to_cache(*args)


class _progress:
    """A rich progress bar over documents, or nothing (``--quiet``, or a single document)."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled and total > 1:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("processing", total=total)
            self.bar.start()

    def advance(self) -> None:
        if self.bar:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


class TableWriter:
    """Append rows to one output table in batches; rename into place on close."""

    def __init__(self, out_dir: Path, name: str, fmt: str):
        self.name, self.fmt = name, fmt
        self.target = out_dir / f"{name}{store.FORMATS[fmt]}"
        self.tmp = self.target.with_name(f".{self.target.name}.partial")
        self.writer = None
        self.n = 0
        self.first = True

    def write(self, rows: list[dict]) -> None:
        frame = records.to_frame(self.name, rows)
        if self.fmt == "parquet":
            table = pa.Table.from_pandas(frame, preserve_index=False,
                                         schema=records.arrow_schema(self.name))
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.tmp, table.schema)
            self.writer.write_table(table)
        elif self.fmt == "csv":
            store._json_lists(frame).to_csv(self.tmp, mode="w" if self.first else "a",
                                            header=self.first, index=False)
        else:
            with open(self.tmp, "w" if self.first else "a", encoding="utf-8") as f:
                if len(frame):
                    f.write(frame.to_json(orient="records", lines=True, force_ascii=False)
                            .rstrip("\n") + "\n")
        self.first = False
        self.n += len(rows)

    def close(self) -> None:
        if self.first:  # never written: an empty table with the contract's columns
            self.write([])
        if self.writer is not None:
            self.writer.close()
        os.replace(self.tmp, self.target)


def _compare_cached(frames: dict[str, pd.DataFrame], cache: Path, entries: list[str],
                    use_cache: bool) -> dict[str, pd.DataFrame]:
    """The comparison tables, from the cache when the same documents were compared before
    (the corpus key is the sorted list of the documents' cache keys)."""
    key = hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()[:32]
    entry = cache / f"corpus-{key}"
    if use_cache and entry.exists():
        return {p.stem: pd.read_parquet(p) for p in sorted(entry.glob("*.parquet"))}
    compared = api.compare_frames(frames)
    tmp = entry.with_name(entry.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name, frame in compared.items():
        frame.to_parquet(tmp / f"{name}.parquet", index=False)
    if entry.exists():
        shutil.rmtree(entry)
    os.replace(tmp, entry)
    return compared


def run(inputs, out_dir, fmt: str = "parquet", options: api.Options | None = None,
        workers: int = 1, engine: str = "local", scheduler: str | None = None,
        doc_id: str | None = None, use_cache: bool = True, report: bool = True,
        progress: bool = True, compare: bool = True, keep_docs: int = 50) -> api.Corpus:
    """Process inputs into out_dir; return the Corpus (tables, and Docs of small corpora)."""
    from spacy.tokens import DocBin

    options = options or api.Options()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cache = out / CACHE_DIR
    files = api.find_inputs(inputs)
    ids = [doc_id] if doc_id and len(files) == 1 else api.doc_ids_for(files)
    versions = model_versions(options.models_dir)

    errors: list[dict] = []
    jobs: list[tuple[str, str, Path]] = []  # (path, doc_id, entry)
    seen: dict[str, Path] = {}
    for path, did in zip(files, ids):
        if did in seen:
            errors.append(records.error_row(path, did, "input",
                          f"duplicate doc_id {did!r} (also {seen[did]}); use distinct file names"))
            continue
        seen[did] = path
        if not path.exists():
            errors.append(records.error_row(path, did, "input", "no such file"))
            continue
        entry = cache / cache_key(path, did, options, versions)
        if not use_cache and entry.exists():
            shutil.rmtree(entry)
        jobs.append((str(path), did, entry))

    todo = [(p, d, options, str(e)) for p, d, e in jobs if not e.exists()]
    log.info("%d document(s), %d from the cache", len(jobs), len(jobs) - len(todo))
    _run_tasks(todo, options, workers, engine, scheduler, progress)

    # stream the entries into the tables, and the texts and Docs into place
    writers = {name: TableWriter(out, name, fmt) for name in records.DOCUMENT_TABLES}
    pending: dict[str, list[dict]] = {name: [] for name in writers}
    docs = {}
    vocab = None
    for k, (path, did, entry) in enumerate(jobs, start=1):
        with gzip.open(entry / "tables.json.gz", "rt", encoding="utf-8") as f:
            tables = json.load(f)
        errors.extend(tables.pop("errors", []))
        for name, rows in tables.items():
            pending[name].extend(rows)
        if (entry / "text.txt").exists():
            (out / "text").mkdir(exist_ok=True)
            (out / "docs").mkdir(exist_ok=True)
            shutil.copyfile(entry / "text.txt", out / "text" / f"{did}.txt")
            shutil.copyfile(entry / "doc.spacy", out / "docs" / f"{did}.spacy")
            if len(docs) < keep_docs:
                if vocab is None:
                    from spacy.vocab import Vocab

                    vocab = Vocab()
                docs[did] = next(DocBin().from_disk(entry / "doc.spacy").get_docs(vocab))
        if k % FLUSH_EVERY == 0:
            for name, rows in pending.items():
                writers[name].write(rows)
                rows.clear()
    for name, rows in pending.items():
        writers[name].write(rows)
        writers[name].close()
    error_frame = records.to_frame("errors", errors)
    store.write_table(error_frame, out, "errors", fmt)

    frames = {name: store.read_table(out, name) for name in records.DOCUMENT_TABLES}
    frames["errors"] = error_frame
    if compare:
        compared = _compare_cached(frames, cache, [e.name for _, _, e in jobs], use_cache)
        store.write_tables(compared, out, fmt)
        frames.update(compared)
    corpus = api.Corpus(frames, docs)
    store.write_sqlite(frames, out)
    if report:
        from .report import write_report

        write_report(corpus, out / "report.html")
    return corpus
