"""Batch runs: many documents, several workers or a Dask cluster, a cache, streaming writes.

A run goes in four steps, so memory does not grow with the corpus:

1. the plan: every input's *cache entry* key (its bytes, doc_id, reading options and the
   fingerprint of models, data and code, see cache.py). When the last run had the same keys,
   format and flags and left every output file as it is (``.cache/run.json``), the outputs are
   up to date and the run ends there, before spaCy, scikit-learn or pandas are imported.
2. the missing entries are made by the workers (a process pool, or Dask: ``--engine dask`` on a
   ``LocalCluster`` or an existing ``--scheduler``): each holds a document's table rows
   (gzipped JSON), its clean text and its Doc (DocBin), written atomically, so an interrupted
   run resumes where it stopped and adding a document processes only that one.
3. meanwhile the entries are streamed, in input order, into the output tables and SQLite, a
   batch of documents at a time (Parquet row groups; CSV and JSON Lines appended); each file is
   renamed into place when complete.
4. the corpus-level comparison runs over the segments table (from the cache when the same
   documents were compared before), then the report.

Parallelism is over whole documents (ARCHITECTURE.md: ``nlp.pipe(n_process=...)`` on light
pipelines is slower than one process).
"""

from __future__ import annotations

import gzip
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from pathlib import Path

# Only light imports here: a re-run with nothing to do (cache.RunRecord) ends before spaCy,
# scikit-learn or pandas are imported. The stages import them where the work is done.
from . import cache
from .extract import doc_ids_for, find_inputs
from .types import Corpus, Options

log = logging.getLogger("pipeline.batch")

RETRY = "retry"  # marks an entry the next run makes again
FLUSH_EVERY = 50  # documents per Parquet row group / write batch (written while workers go on)


class DocumentTimeout(BaseException):
    """The per-document time limit ran out: an interruption like KeyboardInterrupt, so that
    the stages' own ``except Exception`` handlers do not swallow it."""


def _alarm(signum, frame):
    raise DocumentTimeout()


def process_to_cache(path: str, doc_id: str, options: Options, entry: str) -> str:
    """Worker task: one document -> one cache entry. Returns the entry path.

    Runs in a worker process (pool or Dask); the nlp is built once per process. A document that
    fails gives an entry holding its error row, so failures are cached like results (a changed
    file gets a new key and is tried again).
    """
    from spacy.tokens import DocBin

    from . import api, records

    entry_dir = Path(entry)
    use_alarm = options.timeout and hasattr(signal, "SIGALRM")
    if use_alarm:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, options.timeout)
        except ValueError:  # not the main thread (Dask's threaded workers): no alarm
            use_alarm = False
    # a document refused for a run limit (--timeout, --max-bytes) is retried by the next run,
    # which may set it higher; the limits are not part of the key, so as not to invalidate
    # every other entry
    retry = api.over_size_limit(Path(path), options)
    try:
        doc, tables = api.process_one(Path(path), doc_id, options, keep_doc=True)
    except DocumentTimeout:
        retry = True
        doc, tables = (
            None,
            {
                "errors": [
                    records.error_row(
                        path,
                        doc_id,
                        "process",
                        f"took longer than {options.timeout:g} s (--timeout)",
                    )
                ]
            },
        )
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    tmp = entry_dir.with_name(entry_dir.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    # fastest gzip level: a third of the time of the default for a quarter more bytes
    with gzip.open(tmp / "tables.json.gz", "wt", encoding="utf-8", compresslevel=1) as f:
        json.dump(tables, f, ensure_ascii=False, default=str)
    if retry:
        (tmp / RETRY).touch()
    if doc is not None:
        (tmp / "text.txt").write_text(doc.text, encoding="utf-8")
        DocBin(docs=[doc], store_user_data=True).to_disk(tmp / "doc.spacy")
    if entry_dir.exists():
        shutil.rmtree(tmp)
    else:
        os.replace(tmp, entry_dir)
    return str(entry_dir)


def _init_worker(models_dir: str | None) -> None:
    from .nlp import load_nlp

    load_nlp(models_dir)  # build once per worker process, before the first document


def _completed(
    tasks, options: Options, workers: int, engine: str, scheduler: str | None, progress: bool
):
    """Create the missing cache entries, in parallel where asked; yield each entry's path in
    task order as soon as it is there, so the tables are written while the workers go on."""
    if not tasks:
        return
    bar = _progress(len(tasks), progress)
    try:
        if engine == "dask":
            yield from _dask_completed(tasks, workers, scheduler, bar)
        elif workers > 1:
            # Import the stages before the workers fork: they inherit the modules instead of
            # each importing them again, and writing the outputs needs no imports of its own.
            from . import api, compare, store  # noqa: F401

            # fork (Linux) shares them; macOS and Windows start workers afresh (spawn)
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
            pool = ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(options.models_dir,),
            )
            try:
                for entry in pool.map(_star, tasks, chunksize=1):
                    bar.advance()
                    yield entry
            finally:  # stopped early (an error, Ctrl-C): the documents not begun are dropped
                pool.shutdown(cancel_futures=True)
        else:
            for t in tasks:
                entry = process_to_cache(*t)
                bar.advance()
                yield entry
    finally:
        bar.close()


def _dask_completed(tasks, workers: int, scheduler: str | None, bar):
    import dask
    from dask.distributed import Client, LocalCluster

    if not logging.getLogger("pipeline").isEnabledFor(logging.INFO):
        logging.getLogger("distributed").setLevel(logging.WARNING)  # as quiet as the rest
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # processes, one thread each: spaCy and the models are not shared between threads;
        # no statistical profiler, which samples every task's stack every 10 ms (about 15 %
        # more CPU on this Python-heavy work)
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(
                n_workers=max(workers, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
        client = Client(cluster)
    try:
        futures = [client.submit(process_to_cache, *t, pure=False) for t in tasks]
        for future in futures:
            entry = future.result()
            bar.advance()
            yield entry
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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


def _compare_cached(frames: dict, store_dir: Path, entries: list[str], use_cache: bool) -> dict:
    """The comparison tables, from the cache when the same documents were compared before.

    Comparison weighs words by their IDF over the whole corpus, so a corpus with one more
    document is compared afresh (docs/decisions.md, "Incremental runs").
    """
    import pandas as pd

    from . import api

    entry = store_dir / f"corpus-{cache.corpus_key(entries)}"
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


def run(
    inputs,
    out_dir,
    fmt: str = "parquet",
    options: Options | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    doc_id: str | None = None,
    use_cache: bool = True,
    report: bool = True,
    progress: bool = True,
    compare: bool = True,
) -> Corpus:
    """Process inputs into out_dir; return the Corpus read back from it (lazily)."""
    options = options or Options()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    store_dir = out / cache.CACHE_DIR
    files = find_inputs(inputs)
    ids = [doc_id] if doc_id and len(files) == 1 else doc_ids_for(files)
    fingerprint = cache.versions(options.models_dir)

    refused: list[tuple[str, str, str, str]] = []  # (path, doc_id, stage, reason)
    jobs: list[tuple[str, str, Path]] = []  # (path, doc_id, entry)
    seen: dict[str, Path] = {}
    for path, did in zip(files, ids):
        if did in seen:
            refused.append(
                (
                    str(path),
                    did,
                    "input",
                    f"duplicate doc_id {did!r} (also {seen[did]}); use distinct file names",
                )
            )
            continue
        seen[did] = path
        if not path.exists():
            refused.append((str(path), did, "input", "no such file"))
            continue
        entry = store_dir / cache.entry_key(path, did, options, fingerprint)
        if entry.exists() and (not use_cache or (entry / RETRY).exists()):
            shutil.rmtree(entry)
        jobs.append((str(path), did, entry))

    todo = [(p, d, options, str(e)) for p, d, e in jobs if not e.exists()]
    record = cache.RunRecord(
        out,
        cache.RunRecord.make_key(
            [(did, e.name) for _, did, e in jobs], refused, fmt=fmt, compare=compare, report=report
        ),
    )
    if use_cache and not todo and record.up_to_date():
        log.info("%s is up to date (%d document(s)): nothing to do", out, len(jobs))
        return Corpus.read(out)
    record.forget()

    log.info("%d document(s), %d from the cache", len(jobs), len(jobs) - len(todo))
    with closing(_completed(todo, options, workers, engine, scheduler, progress)) as completed:
        _write_outputs(
            jobs,
            refused,
            out,
            fmt,
            compare,
            report,
            use_cache,
            waiting={t[3] for t in todo},
            completed=completed,
        )
    if use_cache:
        record.save()
    return Corpus.read(out)


def _write_outputs(
    jobs,
    refused,
    out: Path,
    fmt: str,
    compare: bool,
    report: bool,
    use_cache: bool,
    waiting: set[str],
    completed,
) -> None:
    """Stream the cache entries into the tables, texts and Docs of out, in input order (an
    entry in ``waiting`` is there once ``completed`` yields it); then compare, SQLite, report."""
    from . import records, store

    errors = [records.error_row(*r) for r in refused]
    sqlite = store.SqliteWriter(out)
    writers = {name: store.TableWriter(out, name, fmt, sqlite) for name in records.DOCUMENT_TABLES}
    pending: dict[str, list[dict]] = {name: [] for name in writers}
    (out / "text").mkdir(exist_ok=True)
    (out / "docs").mkdir(exist_ok=True)
    for k, (_path, did, entry) in enumerate(jobs, start=1):
        if str(entry) in waiting:
            next(completed)
        with gzip.open(entry / "tables.json.gz", "rt", encoding="utf-8") as f:
            tables = json.load(f)
        errors.extend(tables.pop("errors", []))
        for name, rows in tables.items():
            pending[name].extend(rows)
        if (entry / "text.txt").exists():
            shutil.copyfile(entry / "text.txt", out / "text" / f"{did}.txt")
            shutil.copyfile(entry / "doc.spacy", out / "docs" / f"{did}.spacy")
        if k % FLUSH_EVERY == 0:
            for name, rows in pending.items():
                writers[name].write(rows)
                rows.clear()
    completed.close()  # the workers' memory is free before the comparison needs its own
    for name, rows in pending.items():
        writers[name].write(rows)
        writers[name].close()
    error_frame = records.to_frame("errors", errors)
    store.write_table(error_frame, out, "errors", fmt)
    sqlite.append("errors", error_frame)

    frames = {name: store.read_table(out, name) for name in records.DOCUMENT_TABLES}
    frames["errors"] = error_frame
    if compare:
        compared = _compare_cached(
            frames, out / cache.CACHE_DIR, [e.name for _, _, e in jobs], use_cache
        )
        store.write_tables(compared, out, fmt)
        for name, frame in compared.items():
            sqlite.append(name, frame)
        frames.update(compared)
    sqlite.close()
    if report:
        from .report import write_report

        write_report(Corpus(frames, {}), out / "report.html")
