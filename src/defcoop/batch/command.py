"""The `defcoop batch` command: plan shards, run them on Dask with a progress bar, sum up."""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from defcoop import settings
from defcoop.batch.layout import ERRORS_DIR, ShardResult
from defcoop.batch.shards import DEFAULT_SHARD_SIZE, plan_shards
from defcoop.command_options import read_options

if TYPE_CHECKING:
    from defcoop.batch.run import ShardFailure

# Never wrap stderr: an error line must keep the whole file name greppable.
err = Console(stderr=True, soft_wrap=True)


def _progress() -> Progress:
    """A progress bar over shards, on stderr (hidden when stderr is not a terminal)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("shards, {task.fields[reports]} reports"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _report_outcome(outcome: ShardResult | ShardFailure, out: Path) -> None:
    """Print a line for a shard that failed or had bad inputs."""
    if not isinstance(outcome, ShardResult):
        err.print(
            f"[red]error[/red] shard {escape(outcome.shard)} failed: {escape(outcome.reason)}",
            highlight=False,
        )
    elif outcome.errors:
        listed = out / ERRORS_DIR / f"part-{outcome.shard}.jsonl"
        noun = "bad input" if outcome.errors == 1 else "bad inputs"
        err.print(
            f"[red]error[/red] shard {escape(outcome.shard)}: {outcome.errors} {noun}, "
            f"listed in {escape(str(listed))}",
            highlight=False,
        )


def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="JSON Lines shards (.jsonl.gz), WARC files (.warc.gz), report dirs/files"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="output directory (Parquet, errors, markers)")],
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)"),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="worker processes of the local cluster")
    ] = max(1, os.cpu_count() or 1),
    published: Annotated[
        str | None, typer.Option("--published", help=settings.SETTINGS["published"].help)
    ] = None,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help=settings.SETTINGS["max_bytes"].help)
    ] = None,
    shard_size: Annotated[
        int, typer.Option("--shard-size", min=1, help="report files per shard of a directory")
    ] = DEFAULT_SHARD_SIZE,
) -> None:
    """Extract sharded inputs on a Dask cluster into Parquet; re-running skips shards done."""
    # Imported here: distributed takes a second to import, which other commands should not pay.
    from defcoop.batch.run import batch_client, run_batch, split_done

    started = time.perf_counter()
    options = read_options(published, max_bytes)
    shards = plan_shards(inputs, shard_size)
    todo, _ = split_done(shards, out)
    with _progress() as progress:
        task = progress.add_task("extracting", total=len(todo), reports=0)

        def advance(outcome: ShardResult | ShardFailure) -> None:
            """Show one completed shard."""
            reports = outcome.reports if isinstance(outcome, ShardResult) else 0
            done_reports = progress.tasks[0].fields["reports"] + reports
            progress.update(task, advance=1, reports=done_reports)
            _report_outcome(outcome, out)

        # With every shard done already, no cluster is started: the counts come from the markers.
        with batch_client(scheduler, workers) if todo else nullcontext() as client:
            summary = run_batch(shards, out, options, client, advance)
    summary.seconds = time.perf_counter() - started  # the whole run, cluster start included
    err.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(1)
