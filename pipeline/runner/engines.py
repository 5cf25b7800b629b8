"""Who makes the missing cache entries: this process, a process pool, or a Dask cluster.

Every engine runs the same task (``document.make_entry``) and yields the entries in task order
as soon as each is there, so that the output writer streams them while the workers go on.
Parallelism is over whole documents (``nlp.pipe(n_process=...)`` on light pipelines is slower
than one process).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..types import Options
from .document import dead_worker_entry, make_entry, start_worker

log = logging.getLogger("pipeline.runner")

Task = tuple  # (path, doc_id, options, entry): the arguments of make_entry


class Serial:
    """One document after the other, in this process."""

    def __init__(self, options: Options, workers: int = 1, scheduler: str | None = None):
        self.options = options

    def map(self, tasks: list[Task]) -> Iterator[str]:
        for task in tasks:
            yield make_entry(*task)

    def close(self) -> None:
        pass


class Pool:
    """A local process pool: ``workers`` processes, each with its own nlp.

    A worker that dies (the kernel's OOM killer, a crash in a C library) fails only its
    document: the pool is rebuilt, the documents that were in the dead pool are tried again
    one at a time, so that the one that kills a worker again is known and gets an error row,
    and the batch goes on. Workers die with their parent (Linux: PR_SET_PDEATHSIG).
    """

    def __init__(self, options: Options, workers: int = 2, scheduler: str | None = None):
        self.options, self.workers = options, workers
        self.pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        # The stages (document.py) and the comparison are imported before the workers fork:
        # they inherit the modules instead of each importing them again, and the comparison
        # at the end needs no imports of its own. Fork (Linux) shares them; macOS and Windows
        # start workers afresh (spawn).
        from .. import compare  # noqa: F401  (deferred: start-up, measured 3.6 s; pool only)

        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.pool = ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=start_worker,
            initargs=(
                self.options.models_dir,
                os.getpid(),
                self.options.user_data(),
                self.options.max_memory,
            ),
        )
        return self.pool

    def map(self, tasks: list[Task]) -> Iterator[str]:
        pool = self._start()
        ahead = 2 * self.workers  # tasks handed to the pool ahead of the one yielded next
        running: dict[int, Future] = {}
        done: dict[int, str] = {}
        next_task = next_out = 0
        while next_out < len(tasks):
            while next_task < len(tasks) and len(running) < ahead:
                running[next_task] = pool.submit(make_entry, *tasks[next_task])
                next_task += 1
            wait(running.values(), return_when=FIRST_COMPLETED)
            broken = []
            for i, future in list(running.items()):
                if future.done():
                    del running[i]
                    try:
                        done[i] = future.result()
                    except BrokenProcessPool:
                        broken.append(i)
            if broken:  # every task still in the dead pool is a suspect
                broken.extend(running)
                running.clear()
                pool = self._restart()
                for i in sorted(broken):
                    done[i] = self._alone(i, tasks[i])
                    pool = self.pool
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1

    def _restart(self) -> ProcessPoolExecutor:
        self.pool.shutdown(wait=True, cancel_futures=True)
        return self._start()

    def _alone(self, i: int, task: Task) -> str:
        """A suspect on its own in the pool: a worker dying again is this document's doing."""
        try:
            return self.pool.submit(make_entry, *task).result()
        except BrokenProcessPool:
            log.debug("a worker died on %s", task[0])
            self._restart()
            return dead_worker_entry(*task)

    def close(self) -> None:
        if self.pool is not None:  # stopped early (an error, Ctrl-C): documents not begun dropped
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class Dask:
    """Dask tasks on a ``LocalCluster`` of ``workers`` processes, or on an existing cluster
    (``scheduler``: its workers need this package installed and the input paths readable; TLS
    to it is configured as Dask's own, ``distributed.comm.tls.*`` in its config or the
    ``DASK_DISTRIBUTED__COMM__TLS__*`` environment variables, with a ``tls://`` address).
    Timeouts hold here too (document.time_limit); a document whose workers keep dying is an
    error row (Dask's KilledWorker)."""

    def __init__(self, options: Options, workers: int = 1, scheduler: str | None = None):
        self.options, self.workers, self.scheduler = options, workers, scheduler
        self.client = self.cluster = None

    def map(self, tasks: list[Task]) -> Iterator[str]:
        # deferred: start-up, measured 0.5 s and 1.0 s; only --engine dask needs them
        import dask
        from dask.distributed import Client, LocalCluster

        if not logging.getLogger("pipeline").isEnabledFor(logging.INFO):
            logging.getLogger("distributed").setLevel(logging.WARNING)  # as quiet as the rest
        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            # processes, one thread each: spaCy and the models are not shared between
            # threads; no statistical profiler, which samples every task's stack every 10 ms
            # (about 15 % more CPU on this Python-heavy work). Dask's processes exchange
            # pickles, which run code when read: the cluster speaks TLS with a key made for
            # this run and held in memory (security=True), so no other process on the machine
            # can join it or submit to it.
            max_memory = self.options.max_memory
            memory_limit = f"{max_memory}MB" if max_memory else "auto"
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(
                    n_workers=max(self.workers, 1),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    security=True,
                    # a worker past the limit is restarted by its nanny: its document fails
                    memory_limit=memory_limit,
                )
            self.client = Client(self.cluster)
        from distributed import KilledWorker  # deferred: as above, --engine dask only

        futures = [self.client.submit(make_entry, *task, pure=False) for task in tasks]
        for future, task in zip(futures, tasks):
            try:
                yield future.result()
            except KilledWorker:  # Dask retried it on other workers, which died as well
                yield dead_worker_entry(*task)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None


def make_engine(engine: str, options: Options, workers: int = 1, scheduler: str | None = None):
    """``engine`` "local" (in this process for one worker, else a pool) or "dask"."""
    if engine == "dask":
        return Dask(options, workers, scheduler)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: 'local' or 'dask'")
    return Pool(options, workers) if workers > 1 else Serial(options)
