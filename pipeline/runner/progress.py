"""What a run shows while it works, on stderr: a bar in a terminal, plain lines elsewhere.

In a terminal: a bar with the documents done out of all (n/N), the time elapsed and the
failures, labelled "loading models" until the first document is done (the models load before
it). Elsewhere (a log file, a pipe, a batch job): one line at the start and then at most one
line every ``every`` seconds and one at the end, "12/40 documents, 0:00:35 elapsed, 1 failed".
Nothing with ``--quiet`` or for a single document.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar


class Progress:
    def __init__(self, total: int, enabled: bool, stream=None, every: float = 5.0):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.every = every
        self.bar = None
        self.plain = False
        if enabled and total > 1:
            if self.stream.isatty():
                self.bar = Bar(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("documents"),
                    TimeElapsedColumn(),
                    TextColumn("{task.fields[failed]}"),
                    console=Console(file=self.stream),
                    transient=True,
                )
                self.task = self.bar.add_task("loading models", total=total, failed="")
            else:
                self.plain = True
        self.started = self.last = time.monotonic()

    def __enter__(self) -> Progress:
        if self.bar:
            self.bar.start()
        elif self.plain:
            self._line(f"{self.total} documents to process; loading models")
        return self

    def line(self) -> str:
        elapsed = timedelta(seconds=round(time.monotonic() - self.started))
        return f"{self.done}/{self.total} documents, {elapsed} elapsed, {self.failed} failed"

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += bool(failed)
        if self.bar:
            shown = f"{self.failed} failed" if self.failed else ""
            self.bar.update(self.task, advance=1, description="processing", failed=shown)
        elif self.plain:
            now = time.monotonic()
            if self.done == 1 or self.done == self.total or now - self.last >= self.every:
                self.last = now
                self._line(self.line())

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()
