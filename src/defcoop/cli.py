"""The `defcoop` command: parse the arguments, call the library, render the result."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from defcoop import settings
from defcoop.errors import DefcoopError, InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, RunSummary, run_paths
from defcoop.records import Extraction, Mention
from defcoop.resolve.background import restate_dates
from defcoop.resolve.clusters import cluster_mentions
from defcoop.resolve.events import EventRecord, canonical_events
from defcoop.store.database import Store

app = typer.Typer(
    help="Extract, store and query defence-cooperation events from news reports.",
    no_args_is_help=True,
    add_completion=False,
)
# Piped output has no terminal width: render tables wide enough to read.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
# Never wrap stderr: an error line must keep the whole file name greppable.
err = Console(stderr=True, soft_wrap=True)


class ExtractFormat(StrEnum):
    """Output formats of `extract`."""

    table = "table"
    jsonl = "jsonl"


class ListFormat(StrEnum):
    """Output formats of `events`."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(StrEnum):
    """Output formats of `export`."""

    jsonl = "jsonl"
    csv = "csv"


PathsArg = Annotated[list[Path], typer.Argument(help="report files or directories")]
DbOpt = Annotated[str | None, typer.Option("--db", help=settings.SETTINGS["db"].help)]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help=settings.SETTINGS["published"].help)
]
MaxBytesOpt = Annotated[
    int | None, typer.Option("--max-bytes", help=settings.SETTINGS["max_bytes"].help)
]


def _read_options(published: str | None, max_bytes: int | None) -> ReadOptions:
    """Reading options from the command line and the settings table."""
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


def _progress() -> Progress:
    """A progress display on stderr (hidden when stderr is not a terminal)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} reports"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _tracked(
    items: Iterable[Extraction | InputError], summary: RunSummary, label: str
) -> Iterator[Extraction]:
    """Count results, print each bad input on stderr, and show progress."""
    with _progress() as progress:
        task = progress.add_task(label, total=None)
        for item in items:
            if isinstance(item, InputError):
                summary.errors += 1
                err.print(f"[red]error[/red] {escape(str(item))}", highlight=False)
                continue
            summary.reports += 1
            summary.mentions += len(item.mentions)
            progress.advance(task)
            yield item


def _mention_table(mentions: list[Mention]) -> Table:
    """A readable table of mentions."""
    table = Table(show_lines=False)
    for column in ("report", "type", "name", "participants", "place", "start", "end", "status"):
        table.add_column(column)
    for m in mentions:
        place = m.location.name or m.location.country if m.location else None
        table.add_row(
            m.doc,
            m.type,
            m.name or "",
            ", ".join(m.participants),
            place or "",
            m.start or "",
            m.end or "",
            m.status or "",
        )
    return table


def _event_table(events: list[EventRecord]) -> Table:
    """A readable table of canonical events."""
    table = Table()
    for column in ("event", "type", "name", "participants", "place", "start", "end", "status"):
        table.add_column(column)
    table.add_column("reports", justify="right")
    for e in events:
        place = e.location.name or e.location.country if e.location else None
        table.add_row(
            e.event_id,
            e.type,
            e.name or "",
            ", ".join(e.participants),
            place or "",
            e.start or "",
            e.end or "",
            e.status or "",
            str(e.reports),
        )
    return table


def _finish(summary: RunSummary, started: float) -> None:
    """Print the closing summary and fail when any input failed."""
    summary.seconds = time.perf_counter() - started
    err.print(summary.line(), highlight=False)
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: PathsArg,
    format: Annotated[
        ExtractFormat, typer.Option("--format", help="table, or jsonl as in eval/GUIDELINES.md")
    ] = ExtractFormat.table,
    published: PublishedOpt = None,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Extract the events of reports and print them; stores nothing."""
    options = _read_options(published, max_bytes)
    started = time.perf_counter()
    summary = RunSummary()
    extractor = Extractor.from_package()
    results = _tracked(run_paths(paths, options, extractor), summary, "extracting")
    # Event ids link mentions across all the reports read, so they come once all are in.
    mentions = cluster_mentions(
        restate_dates(m for extraction in results for m in extraction.mentions)
    )
    if format is ExtractFormat.jsonl:
        for mention in mentions:
            sys.stdout.write(json.dumps(mention.as_json(), ensure_ascii=False) + "\n")
    else:
        out.print(_mention_table(mentions))
    _finish(summary, started)


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = None,
    published: PublishedOpt = None,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Add reports to the store; reports already stored are left as they are."""
    options = _read_options(published, max_bytes)
    started = time.perf_counter()
    summary = RunSummary()
    with Store.open(settings.db_url(db)) as store:
        extractor = Extractor.from_package()
        for item in run_paths(paths, options, extractor):
            if isinstance(item, InputError):
                store.record_error(item.source, item.reason)
                summary.errors += 1
                err.print(f"[red]error[/red] {escape(str(item))}", highlight=False)
            elif store.add(item):
                summary.reports += 1
                summary.mentions += len(item.mentions)
            else:
                summary.skipped += 1
    _finish(summary, started)


@app.command()
def events(
    db: DbOpt = None,
    country: Annotated[str | None, typer.Option(help="ISO3 code or alliance taking part")] = None,
    type: Annotated[str | None, typer.Option("--type", help="event type")] = None,
    since: Annotated[int | None, typer.Option(help="first year")] = None,
    until: Annotated[int | None, typer.Option(help="last year")] = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table, jsonl or csv")] = (
        ListFormat.table
    ),
) -> None:
    """List the stored events, one line per real event."""
    with Store.open(settings.db_url(db)) as store:
        found = canonical_events(
            store.mentions(
                country=country.upper() if country else None, type=type, since=since, until=until
            )
        )
    if format is ListFormat.jsonl:
        for record in found:
            sys.stdout.write(json.dumps(record.as_json(), ensure_ascii=False) + "\n")
    elif format is ListFormat.csv:
        _write_csv([r.as_json() for r in found])
    else:
        out.print(_event_table(found))
        err.print(f"{len(found)} events")


def _write_csv(rows: list[dict[str, object]]) -> None:
    """Rows as CSV on stdout; lists joined with ';', places flattened."""
    columns: list[str] = []
    flat: list[dict[str, object]] = []
    for row in rows:
        item: dict[str, object] = {}
        for key, value in row.items():
            if isinstance(value, dict):
                for sub, inner in value.items():
                    item[f"{key}_{sub}"] = inner
            elif isinstance(value, list):
                item[key] = ";".join(str(v) for v in value)
            else:
                item[key] = value
        for key in item:
            if key not in columns:
                columns.append(key)
        flat.append(item)
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="jsonl or csv")] = (
        ExportFormat.jsonl
    ),
    db: DbOpt = None,
) -> None:
    """Write every stored mention, in the `extract --format jsonl` format or as CSV."""
    with Store.open(settings.db_url(db)) as store:
        rows = [m.as_json() for m in store.mentions()]
    if format is ExportFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        _write_csv(rows)


def main() -> None:
    """Entry point for `python -m defcoop`."""
    app()
