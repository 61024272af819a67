"""How far a long step has come, told to whoever runs it.

A long service (``ledger_verify``, ``receipts_issue``, the batch steps, the field-key rotation)
takes ``progress``: a callable ``progress(stage, done, total)`` it calls now and then — never
per row in a way that costs a query. A command passes :func:`command_progress`: on a terminal
a rich progress bar on standard error, otherwise (a pipe, a log, cron) a plain line on standard
error per stage and at most every :data:`LINE_EVERY` items, so a script reading standard
output gets only the result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

#: ``progress(stage, done, total)``: told how far a long step has come.
Progress = Callable[[str, int, int], None]
#: Without a terminal, a progress line is written at most every this many items of a stage.
LINE_EVERY = 10_000


def progress_none(stage: str, done: int, total: int) -> None:
    """The progress of a caller who does not watch (the web, the API, tests)."""


class BarProgress:
    """Rich's progress bar on a terminal stream, one bar per stage."""

    def __init__(self, stream, stages: Mapping[str, str]) -> None:
        self.stages = stages
        self.bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TaskProgressColumn(), TimeElapsedColumn(), console=Console(file=stream),
                                transient=False)
        self.tasks: dict[str, Any] = {}

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(self.stages.get(stage, stage), total=total or None)
        self.bar.update(self.tasks[stage], completed=done, total=total or None)


class LineProgress:
    """Plain lines on a command's stderr: the first report of a stage, then at most every
    ``every`` items, and its end."""

    def __init__(self, stderr, stages: Mapping[str, str], every: int = LINE_EVERY) -> None:
        self.stderr, self.stages, self.every = stderr, stages, every
        self.reported: dict[str, int] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __call__(self, stage: str, done: int, total: int) -> None:
        last = self.reported.get(stage)
        if last == done or (last is not None and done < total and done - last < self.every):
            return
        self.reported[stage] = done
        self.stderr.write(f"{self.stages.get(stage, stage)}: {done:,} of {total:,}")


def command_progress(command, stages: Mapping[str, str], every: int = LINE_EVERY) -> BarProgress | LineProgress:
    """The progress reporter of a management command (a context manager): a bar when its
    standard error is a terminal, lines otherwise."""
    stream = getattr(command.stderr, "_out", sys.stderr)
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return BarProgress(stream, stages)
    return LineProgress(command.stderr, stages, every)
