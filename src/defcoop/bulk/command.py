"""`defcoop ingest --bulk`: the bulk load with a progress bar by phase and a summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import ExitStack
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from defcoop.batch.output import ingest_items
from defcoop.bulk.decisions import DecidePairs
from defcoop.bulk.load import PHASES, BulkSummary, Item
from defcoop.command_options import open_store
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor

err = Console(stderr=True)


def summary_line(summary: BulkSummary, seconds: float) -> str:
    """The closing line: counts, errors, how, time by phase."""
    parts = [f"{summary.reports} reports", f"{summary.mentions} mentions"]
    if summary.replayed is None:
        parts.append(f"{summary.events} new events")
        if summary.slices > 1 or summary.whole_because:
            how = f"replayed whole in {summary.slices} slice{'' if summary.slices == 1 else 's'}"
        else:
            how = f"resolved in {summary.parts} part{'' if summary.parts == 1 else 's'}"
        parts.append(
            how
            + f" (at most {summary.largest_part} mentions at once"
            + (f", {summary.in_pieces} a class at a time" if summary.in_pieces else "")
            + ")"
        )
        if summary.whole_because:
            parts.append(f"in slices because {summary.whole_because}")
    if summary.skipped:
        parts.append(f"{summary.skipped} already stored")
    if summary.left_out:
        parts.append(f"{summary.left_out} records without a report left out")
    parts.append(f"{summary.errors} error" + ("" if summary.errors == 1 else "s"))
    phases = ", ".join(f"{name} {secs:.1f} s" for name, secs in summary.seconds.items())
    parts.append(f"{seconds:.1f} s ({phases})")
    line = "bulk load: " + ", ".join(parts)
    if summary.replayed:
        line += f"; replayed report by report because {summary.replayed}"
    return line


def bulk_ingest(
    paths: list[Path],
    url: str,
    options: ReadOptions,
    scheduler: str | None = None,
    workers: int | None = None,
) -> None:
    """Load everything under the paths at once into the store at `url`.

    With a Dask `scheduler` address, the matching pairs are decided on that cluster;
    `workers` processes replay the parts of a load into an empty store.
    """
    started = time.perf_counter()
    extractor = Extractor.from_package()

    def items() -> Iterator[Item]:
        return ingest_items(paths, options, extractor)

    with ExitStack() as stack:
        decide_pairs = None
        part_executor = None
        if scheduler:
            # Imported here: distributed takes a second to import.
            from distributed import Client

            from defcoop.bulk.decisions import on_cluster

            client = stack.enter_context(Client(scheduler))  # type: ignore[no-untyped-call]
            decide_pairs = on_cluster(client)
            # the parts of a load into an empty store, replayed by the cluster's workers
            # (they read and write the load's folder: TMPDIR on storage they all see)
            part_executor = client.get_executor(pure=False)
        summary = _load(url, items, decide_pairs, workers, part_executor)
    for line in summary.error_lines:
        err.print(f"[red]error[/red] {escape(line)}", highlight=False)
    err.print(summary_line(summary, time.perf_counter() - started), highlight=False)
    if summary.errors:
        raise typer.Exit(1)


def _load(
    url: str,
    items: Callable[[], Iterator[Item]],
    decide_pairs: DecidePairs | None,
    workers: int | None,
    part_executor: Executor | None = None,
) -> BulkSummary:
    """The load with a progress bar by phase."""
    with (
        open_store(url) as store,
        Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            TextColumn("{task.completed:>9,.0f}"),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as bar,
    ):
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                for name in PHASES[: PHASES.index(phase)] if phase in PHASES else ():
                    if name in tasks:
                        bar.update(tasks[name], total=bar.tasks[tasks[name]].completed)
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        return store.bulk_load(
            items, progress, decide_pairs, workers=workers, part_executor=part_executor
        )
