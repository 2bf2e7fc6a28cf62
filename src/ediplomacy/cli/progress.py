"""Rich progress bars for long jobs: imports (by bytes) and pipeline stages (by posts)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ediplomacy.domain.posts import ImportCounts

# Past this many, rejects are counted but not printed one by one (they are all in the file).
PRINTED_REJECTS = 20


class _Bars:
    """A rich Progress shown while the `with` block runs."""

    progress: Progress

    def __enter__(self) -> Self:
        self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()


class ImportBar(_Bars):
    """Shows bytes read per file, live counts, and the first rejects with file:line."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task: TaskID | None = None
        self.rejects = 0

    def start_file(self, path: str, fmt: str, total_bytes: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=True)
        self.task = self.progress.add_task(f"{path} ({fmt})", total=total_bytes, counts="")

    def advance(self, bytes_read: int, counts: ImportCounts) -> None:
        if self.task is not None:
            summary = f"{counts.read} read, {counts.new} new, {counts.rejected} rejected"
            self.progress.update(self.task, completed=bytes_read, counts=summary)

    def reject(self, where: str, reason: str) -> None:
        self.rejects += 1
        if self.rejects <= PRINTED_REJECTS:
            self.progress.console.print(f"[yellow]rejected[/] {where}: {reason}", highlight=False)
        elif self.rejects == PRINTED_REJECTS + 1:
            self.progress.console.print("[yellow]more rejects: see the rejects file[/]")


class StageBar(_Bars):
    """One bar per pipeline stage, in posts."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self.tasks: dict[str, TaskID] = {}

    def start_stage(self, stage: str, pending: int) -> None:
        self.tasks[stage] = self.progress.add_task(stage, total=max(pending, 1))
        if pending == 0:
            self.progress.update(self.tasks[stage], completed=1)

    def advance(self, stage: str, done: int) -> None:
        self.progress.update(self.tasks[stage], completed=done)


class StepBar(_Bars):
    """One bar per named step of a job; call it with (step, done, total)."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(step, total=max(total, 1))
        self.progress.update(self.tasks[step], completed=done, total=max(total, 1))
