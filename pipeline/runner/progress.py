"""A progress bar over the documents a run processes, or nothing (``--quiet``, one document)."""

from __future__ import annotations


class Progress:
    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled and total > 1:
            from rich.progress import Progress as Bar  # rich only where a bar is shown

            self.bar = Bar(transient=True)
            self.task = self.bar.add_task("processing", total=total)

    def __enter__(self) -> Progress:
        if self.bar:
            self.bar.start()
        return self

    def advance(self) -> None:
        if self.bar:
            self.bar.advance(self.task)

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()
