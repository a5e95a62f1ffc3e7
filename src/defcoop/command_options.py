"""What several commands do the same way: read the publication date and size limit, and
open the store showing the work an older store's opening does."""

from __future__ import annotations

import time
from datetime import date

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from defcoop import settings
from defcoop.errors import DefcoopError
from defcoop.ingest.readers import ReadOptions
from defcoop.store.database import OPENING_PHASES, Store

# Never wrap stderr: an error line must keep the whole file name greppable.
err = Console(stderr=True, soft_wrap=True)


def read_options(published: str | None, max_bytes: int | None) -> ReadOptions:
    """Reading options from the command line and the settings table; exit 2 when invalid."""
    raw = settings.get_setting("published", published)
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        err.print(f"[red]--published: {raw!r} is not a date (YYYY-MM-DD)[/red]")
        raise typer.Exit(2) from None
    try:
        limit = settings.max_bytes(max_bytes)
    except DefcoopError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    return ReadOptions(published=day, max_bytes=limit)


def open_store(url: str, *, create: bool = True) -> Store:
    """The store at `url`; an older store's upgrade shows a bar by phase on stderr and ends
    with a line of what it did and how long it took. A current store opens silently."""
    started = time.perf_counter()
    done: dict[str, int] = {}
    with Progress(
        TextColumn("opening the store: {task.description:<8}"),
        BarColumn(),
        TextColumn("{task.completed:>11,.0f}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, count: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=count, total=total)
            done[phase] = count

        store = Store.open(url, create=create, progress=progress)
    if any(done.values()):
        work = ", ".join(
            f"{done[phase]:,} {counted}"
            for phase, counted in OPENING_PHASES.items()
            if done.get(phase)
        )
        err.print(f"store upgraded: {work} in {time.perf_counter() - started:.1f} s")
    return store
