"""The command line as researchers use it: options where habit puts them, help for every one,
a clear line for what cannot work, and progress they can follow in a terminal or a log."""

from __future__ import annotations

import io
import re

from pipeline.runner.progress import Progress


def test_progress_outside_a_terminal_is_plain_lines_with_counts():
    stream = io.StringIO()  # not a terminal: a log file, a pipe
    with Progress(3, enabled=True, stream=stream, every=3600) as bar:
        bar.advance()
        bar.advance(failed=True)
        bar.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "3 documents to process; loading models"
    assert re.fullmatch(r"1/3 documents, 0:00:0\d elapsed, 0 failed", lines[1])
    assert re.fullmatch(r"3/3 documents, 0:00:0\d elapsed, 1 failed", lines[2])
    assert len(lines) == 3  # one line at most every `every` seconds, and the last


def test_progress_is_silent_when_quiet_or_for_one_document():
    for total, enabled in ((3, False), (1, True)):
        stream = io.StringIO()
        with Progress(total, enabled, stream=stream) as bar:
            bar.advance()
        assert stream.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_terminal_is_a_bar_with_n_of_n():
    stream = Terminal()
    with Progress(2, enabled=True, stream=stream) as bar:
        assert bar.bar.tasks[0].description == "loading models"
        bar.advance(failed=True)
        task = bar.bar.tasks[0]
        assert (task.description, task.completed, task.fields["failed"]) == (
            "processing",
            1,
            "1 failed",
        )
