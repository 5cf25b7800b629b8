"""The one way to run: the command line, ``pipeline.process`` and ``pipeline.write`` go through it.

A run goes in four steps, so memory does not grow with the corpus:

1. the plan (plan.py): the inputs, their doc_ids and every input's *cache entry* key (its
   bytes, doc_id, reading options and the fingerprint of models, data and code, see cache.py).
   When the last run into the same folder had the same keys, format and flags and left every
   output file as it is (``.cache/run.json``), the outputs are up to date and the run ends
   there, before spaCy, scikit-learn or pandas are imported.
2. an engine (engines.py: in this process, a process pool, or Dask) makes the missing entries,
   each document going straight down document.py; each entry holds the document's table rows,
   its clean text and its Doc, written atomically, so an interrupted run resumes where it
   stopped and adding a document processes only that one.
3. meanwhile the entries are streamed, in input order, into the outputs (output.py): the tables
   and SQLite of the output folder, or, for ``pipeline.process`` without a folder, DataFrames
   and Docs in memory.
4. the corpus-level comparison (from the cache when the same documents were compared before),
   then the report.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from .. import cache, userdata
from ..types import Corpus, Options
from .plan import Plan, check_doc_id, make_plan

log = logging.getLogger("pipeline.runner")


def run(
    inputs,
    out_dir: str | Path | None = None,
    *,
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
    keep_docs: bool = True,
    follow_links: bool = False,
    metadata: str | Path | None = None,
) -> Corpus:
    """Process inputs (files and folders) with ``workers`` processes of ``engine`` ("local":
    this process for one worker, else a process pool; "dask": a LocalCluster, or the cluster
    at ``scheduler``).

    With ``out_dir``: write the outputs there and return the Corpus read back from it (lazily);
    raises cache.FolderInUse while another run writes the same folder. Without: return the
    tables and Docs in memory (no cache, nothing left on disk). A link inside an input folder
    to a file outside it is refused unless ``follow_links``.
    ``metadata``: a CSV of what the researcher knows about each document (pipeline/userdata.py),
    its columns joined into ``documents`` (a date there replaces the detected one).
    """
    if doc_id is not None:
        check_doc_id(doc_id)  # before anything is written
    options = options or Options()
    how = (options, engine, workers, scheduler, progress)
    if out_dir is None:
        with tempfile.TemporaryDirectory(prefix="declarations-") as store_dir:
            plan = make_plan(inputs, Path(store_dir), options, doc_id, False, follow_links)
            from . import output  # the stages' imports (spaCy, pandas) only with work to do

            result = output.InMemory(keep_docs)
            _process(plan, result, *how)
            return result.corpus(_refused_rows(plan), compare)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with cache.OutputLock(out):
        plan = make_plan(inputs, out / cache.CACHE_DIR, options, doc_id, use_cache, follow_links)
        _to_folder(plan, out, fmt, use_cache, report, compare, how, metadata)
    return Corpus.read(out)


def _to_folder(
    plan: Plan, out: Path, fmt: str, use_cache: bool, report: bool, compare: bool, how, metadata
):
    record = cache.RunRecord(
        out,
        cache.RunRecord.make_key(
            [(job.doc_id, job.entry.name) for job in plan.jobs],
            plan.refused,
            fmt=fmt,
            compare=compare,
            report=report,
            metadata=userdata.digest(metadata) if metadata else None,
        ),
    )
    n_todo = len(plan.todo)
    if use_cache and not n_todo and record.up_to_date():
        log.info("%s is up to date (%d document(s)): nothing to do", out, len(plan.jobs))
        return
    record.forget()
    log.info("%d document(s), %d from the cache", len(plan.jobs), len(plan.jobs) - n_todo)

    # wordfreq finds its data folder with inspect.stack() when imported, which looks up the
    # module of every frame: deep inside the stages' imports that cost 0.35-0.39 s, here first
    # (a shallow stack, few modules loaded) 0.10 s (python -X importtime -m pipeline run)
    import wordfreq  # noqa: F401  (deferred with the stages: start-up, measured as above)

    from . import output  # the stages' imports (spaCy, pandas) only now there is work to do

    reserved = tuple(output.tables.COLUMNS["documents"])
    known = userdata.read_metadata(metadata, reserved) if metadata else None
    if known is not None:
        for unknown in known.unknown(job.doc_id for job in plan.jobs):
            log.warning("%s: doc_id %s is no document of this run", metadata, unknown)
    folder = output.OutputFolder(out, fmt, known)
    _process(plan, folder, *how)
    frames = folder.close_documents(_refused_rows(plan))
    compared = None
    if compare:
        entries = [job.entry.name for job in plan.jobs]
        compared = output.compare_cached(frames, out / cache.CACHE_DIR, entries, use_cache)
    folder.finish(frames, compared, report)
    if use_cache:
        record.save()


def _process(plan: Plan, sink, options: Options, engine: str, workers, scheduler, progress):
    """Every job's entry into ``sink``, in input order; the missing entries made by the engine
    while the sink takes the ones before them."""
    from .document import make_entry
    from .engines import make_engine
    from .progress import Progress

    todo = plan.todo
    waiting = {job.entry for job in todo}
    workers_engine = make_engine(engine, options, workers, scheduler)
    made = workers_engine.map([job.task(options) for job in todo])
    try:
        with Progress(len(todo), progress) as bar:
            for job in plan.jobs:
                if job.entry in waiting:
                    next(made)
                    # an entry without the document's text holds only its error row
                    bar.advance(failed=not (job.entry / cache.TEXT_NAME).exists())
                try:
                    sink.add_entry(job.doc_id, job.entry)
                except cache.DamagedEntry as err:
                    log.warning("%s: its cache entry was damaged (%s): made again", job.path, err)
                    shutil.rmtree(job.entry, ignore_errors=True)
                    make_entry(*job.task(options))
                    sink.add_entry(job.doc_id, job.entry)
    finally:  # the workers' memory is free before the comparison needs its own
        made.close()
        workers_engine.close()


def _refused_rows(plan: Plan) -> list[dict]:
    from ..tables import error_row

    return [error_row(*refused) for refused in plan.refused]


def write(corpus: Corpus, out_dir: str | Path, fmt: str = "parquet", report: bool = True) -> Path:
    """Save a Corpus as a run saves its outputs (the same writer): the tables, each document's
    clean text and Doc, the SQLite file, the report."""
    from ..tables import CORPUS_TABLES, DOCUMENT_TABLES
    from . import output

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with cache.OutputLock(out):
        folder = output.OutputFolder(out, fmt)
        for did, doc in corpus.docs.items():
            folder.add_doc(did, doc)
        folder.add_frames({n: corpus.tables[n] for n in DOCUMENT_TABLES if n in corpus.tables})
        errors = corpus.tables["errors"].to_dict("records") if "errors" in corpus.tables else []
        frames = folder.close_documents(errors)
        compared = {n: corpus.tables[n] for n in CORPUS_TABLES if n in corpus.tables}
        folder.finish(frames, compared or None, report)
    return out
