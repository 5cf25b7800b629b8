"""The one entry point the command line, the notebook and the tests share.

    >>> import pipeline
    >>> corpus = pipeline.process(["corpus/"], workers=2)
    >>> corpus.segments.head()          # pandas DataFrames named as in docs/tables.md
    >>> corpus.docs["sofia-2018-nl"]    # the spaCy Doc, with segments, sentences and entities
    >>> pipeline.write(corpus, "outputs/")
    >>> pipeline.run(["corpus/"], "outputs/")   # the same, streamed, with the run cache

One document goes straight down ``runner.document``: ``extract.read`` -> ``segment.segment`` ->
``nlp`` (metadata, entities, speech acts, commitments, domains) -> ``records.doc_tables``.
``process`` and ``run`` do that for every input through the one runner (pipeline/runner/), in
parallel with ``workers``, then compare the documents.
"""

from __future__ import annotations

from pathlib import Path

from .runner import run, write  # noqa: F401  (part of the API)
from .runner.document import annotate, process_file, process_text  # noqa: F401
from .runner.plan import SUFFIXES  # noqa: F401  (part of the API)
from .types import Corpus, ExtractedText, InputError, Options  # noqa: F401  (part of the API)


def process(
    paths: list[str | Path],
    options: Options | None = None,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    compare: bool = True,
    keep_docs: bool = True,
    progress: bool = False,
) -> Corpus:
    """Process files and folders into a Corpus (tables + Docs) in memory; ``write`` saves it.

    ``workers`` documents at a time: in worker processes of ``engine`` ("local": a process
    pool; "dask": a LocalCluster, or the cluster at ``scheduler``); ``progress`` shows a bar.
    """
    return run(
        paths,
        None,
        options=options,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        compare=compare,
        keep_docs=keep_docs,
        progress=progress,
    )
