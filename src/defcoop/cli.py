"""The `defcoop` command: parse the arguments, call the library, render the result."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from defcoop import settings
from defcoop.api.command import serve
from defcoop.batch.command import batch
from defcoop.batch.output import ingest_items, is_batch_output
from defcoop.bulk.command import bulk_ingest
from defcoop.command_options import open_store, read_options
from defcoop.errors import InputError, StoreError, UnknownEvent
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.pipeline import Extractor, RunSummary, run_paths
from defcoop.records import Extraction, SkippedRecords
from defcoop.render import (
    dyad_years,
    edition_table,
    error_table,
    event_detail,
    event_table,
    event_text,
    flat_row,
    geojson,
    mention_table,
    review_table,
    series_table,
    write_csv,
    write_parquet,
)
from defcoop.resolve.background import restate_dates
from defcoop.resolve.clusters import cluster_mentions
from defcoop.store.corrections import BadCorrection, parse_settings, revert_fields
from defcoop.store.database import Store
from defcoop.store.filter_values import BadFilter, event_type, participant_code
from defcoop.watch.command import sources, watch

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
    parquet = "parquet"
    geojson = "geojson"
    dyad_year = "dyad-year"


class ShowFormat(StrEnum):
    """Output formats of `show`."""

    text = "text"
    json = "json"


PathsArg = Annotated[list[Path], typer.Argument(help="report files or directories")]
DbOpt = Annotated[str | None, typer.Option("--db", help=settings.SETTINGS["db"].help)]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help=settings.SETTINGS["published"].help)
]
MaxBytesOpt = Annotated[
    int | None, typer.Option("--max-bytes", help=settings.SETTINGS["max_bytes"].help)
]


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
    items: Iterable[Extraction | InputError | SkippedRecords], summary: RunSummary, label: str
) -> Iterator[Extraction]:
    """Count results, print each bad input on stderr, and show progress."""
    with _progress() as progress:
        task = progress.add_task(label, total=None)
        for item in items:
            if isinstance(item, InputError):
                summary.errors += 1
                err.print(f"[red]error[/red] {escape(str(item))}", highlight=False)
                continue
            if isinstance(item, SkippedRecords):
                _left_out(item, summary)
                continue
            summary.reports += 1
            summary.mentions += len(item.mentions)
            progress.advance(task)
            yield item


def _left_out(item: SkippedRecords, summary: RunSummary) -> None:
    """Count records that hold no report and say which."""
    summary.left_out += item.count
    err.print(f"left out {escape(item.source)}: {escape(item.reason)}", highlight=False)


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
    options = read_options(published, max_bytes)
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
        out.print(mention_table(mentions))
    _finish(summary, started)


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = None,
    published: PublishedOpt = None,
    max_bytes: MaxBytesOpt = None,
    bulk: Annotated[
        bool | None,
        typer.Option(
            "--bulk/--one-by-one",
            help="resolve all the reports at once (default for `defcoop batch` output)",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="bulk load deciding matches on this Dask scheduler (tcp://host:8786)",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="bulk load: processes replaying its parts at once (DEFCOOP_BULK_WORKERS; "
            "0: one per core, at most 4)",
        ),
    ] = None,
) -> None:
    """Add reports to the store; reports already stored are left as they are."""
    options = read_options(published, max_bytes)
    if scheduler and bulk is False:
        raise typer.BadParameter("--scheduler is for the bulk load", param_hint="--one-by-one")
    if bulk or scheduler or (bulk is None and any(is_batch_output(Path(p)) for p in paths)):
        bulk_ingest(list(paths), settings.db_url(db), options, scheduler, workers)
        return
    started = time.perf_counter()
    summary = RunSummary()
    with open_store(settings.db_url(db)) as store:
        extractor = Extractor.from_package()
        for item in ingest_items(paths, options, extractor):  # batch outputs read back
            if isinstance(item, InputError):
                store.record_error(item.source, item.reason)
                summary.errors += 1
                err.print(f"[red]error[/red] {escape(str(item))}", highlight=False)
            elif isinstance(item, SkippedRecords):
                _left_out(item, summary)
            elif store.add(item):
                summary.reports += 1
                summary.mentions += len(item.mentions)
            else:
                summary.skipped += 1
    _finish(summary, started)


def _fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error line and give the exit to raise."""
    err.print(f"[red]{escape(message)}[/red]", highlight=False)
    return typer.Exit(code)


def _reading(db: str | None) -> Store:
    """The store a read command reads: never created, its absence an error (exit 2)."""
    try:
        return open_store(settings.db_url(db), create=False)
    except StoreError as exc:
        raise _fail(str(exc)) from None


@app.command()
def events(
    db: DbOpt = None,
    country: Annotated[
        str | None, typer.Option(help="ISO3 code, alliance or country name taking part")
    ] = None,
    type: Annotated[str | None, typer.Option("--type", help="event type")] = None,
    since: Annotated[int | None, typer.Option(help="first year")] = None,
    until: Annotated[int | None, typer.Option(help="last year")] = None,
    conflicts: Annotated[
        bool, typer.Option("--conflicts", help="only events whose mentions disagree")
    ] = False,
    format: Annotated[ListFormat, typer.Option("--format", help="table, jsonl or csv")] = (
        ListFormat.table
    ),
) -> None:
    """List the canonical events, one line per real event."""
    try:
        kind = event_type(type) if type is not None else None
        code = participant_code(country, ActorLexicon.from_package()) if country else None
    except BadFilter as exc:
        raise _fail(str(exc)) from None
    with _reading(db) as store:
        found = store.events(country=code, type=kind, since=since, until=until, conflicts=conflicts)
    if format is ListFormat.jsonl:
        for record in found:
            sys.stdout.write(json.dumps(record.as_json(), ensure_ascii=False) + "\n")
    elif format is ListFormat.csv:
        write_csv([r.as_json() for r in found], sys.stdout)
    else:
        out.print(event_table(found))
        err.print(f"{len(found)} events")


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="the event's id")],
    db: DbOpt = None,
    format: Annotated[ShowFormat, typer.Option("--format", help="text or json")] = (
        ShowFormat.text
    ),
) -> None:
    """Show one event: its reconciled fields and their sources, its mentions, its history."""
    with _reading(db) as store:
        record = store.event(event_id)
        if record is None:
            raise _fail(f"no event {event_id!r} in the store")
        detail = event_detail(
            record, store.event_mentions(record.event_id), store.history(record.event_id)
        )
    if format is ShowFormat.json:
        sys.stdout.write(json.dumps(detail, ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(event_text(detail), highlight=False, markup=False)


WhyOpt = Annotated[str, typer.Option("--why", help="why the change is right (kept in the log)")]
WhoOpt = Annotated[
    str | None, typer.Option("--who", help="who makes the change (default: $USER or analyst)")
]


def _who(who: str | None) -> str:
    """The analyst's name: given, else the login name, else "analyst"."""
    return who or os.environ.get("USER") or "analyst"


@app.command()
def correct(
    event_id: Annotated[str, typer.Argument(help="the event's id")],
    why: WhyOpt,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="FIELD=VALUE (type, name, participants, location, start, end, status)"
        ),
    ] = None,
    revert: Annotated[
        list[str] | None,
        typer.Option("--revert", help="FIELD to return to the machine's value"),
    ] = None,
    who: WhoOpt = None,
    db: DbOpt = None,
) -> None:
    """Set fields of an event, or revert them; the analyst's value wins until reverted."""
    try:
        values = parse_settings(set_ or [], Gazetteer.from_package(), ActorLexicon.from_package())
        fields = revert_fields(revert or [])
    except BadCorrection as exc:
        raise _fail(str(exc)) from None
    with _reading(db) as store:
        try:
            live = store.correct(event_id, values, _who(who), why, fields)
        except (UnknownEvent, BadCorrection) as exc:
            raise _fail(str(exc)) from None
    done = [*sorted(values), *(f"{name} reverted" for name in fields)]
    err.print(f"corrected {live}: " + ", ".join(done), highlight=False)


@app.command()
def merge(
    event_ids: Annotated[list[str], typer.Argument(help="the events; the first one is kept")],
    why: WhyOpt,
    who: WhoOpt = None,
    db: DbOpt = None,
) -> None:
    """Merge events into the first; automatic resolution keeps them together from then on."""
    with _reading(db) as store:
        try:
            kept = store.merge(event_ids, _who(who), why)
        except (UnknownEvent, BadCorrection) as exc:
            raise _fail(str(exc)) from None
    err.print(f"merged into {kept}", highlight=False)


@app.command()
def apart(
    event_ids: Annotated[list[str], typer.Argument(help="the events that are not one")],
    why: WhyOpt,
    who: WhoOpt = None,
    db: DbOpt = None,
) -> None:
    """Keep events apart: automatic resolution never joins them, the review queue drops them."""
    with _reading(db) as store:
        try:
            store.keep_apart(event_ids, _who(who), why)
        except (UnknownEvent, BadCorrection) as exc:
            raise _fail(str(exc)) from None
    err.print(f"kept apart: {', '.join(event_ids)}", highlight=False)


@app.command()
def split(
    event_id: Annotated[str, typer.Argument(help="the event's id")],
    mentions: Annotated[
        str, typer.Option("--mentions", help="comma list of mention ids to move (see `show`)")
    ],
    why: WhyOpt,
    who: WhoOpt = None,
    db: DbOpt = None,
) -> None:
    """Move mentions to a new event; automatic resolution keeps the two apart from then on."""
    try:
        ids = [int(part) for part in mentions.replace("mention:", "").split(",") if part.strip()]
    except ValueError:
        raise _fail(f"--mentions: {mentions!r} is not a comma list of mention ids") from None
    with _reading(db) as store:
        try:
            fresh = store.split(event_id, ids, _who(who), why)
        except (UnknownEvent, BadCorrection) as exc:
            raise _fail(str(exc)) from None
    sys.stdout.write(fresh + "\n")
    err.print(f"split {len(ids)} mentions of {event_id} into {fresh}", highlight=False)


@app.command()
def export(
    format: Annotated[
        ExportFormat,
        typer.Option("--format", help="jsonl, csv, parquet, geojson or dyad-year"),
    ] = ExportFormat.jsonl,
    db: DbOpt = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="file to write (parquet needs one)")
    ] = None,
) -> None:
    """Write the store: mentions as jsonl; canonical events as csv, parquet, geojson, dyad-year."""
    if format is ExportFormat.parquet and out_file is None:
        raise _fail("--format parquet needs --out FILE")
    with _reading(db) as store:
        if format is ExportFormat.jsonl:
            mentions = list(store.mentions())
        else:
            found = store.events()
    if format is ExportFormat.parquet:
        assert out_file is not None
        write_parquet([flat_row(r.as_json()) for r in found], out_file)
        return
    stream = out_file.open("w", encoding="utf-8", newline="") if out_file else sys.stdout
    try:
        if format is ExportFormat.jsonl:
            for mention in mentions:
                stream.write(json.dumps(mention.as_json(), ensure_ascii=False) + "\n")
        elif format is ExportFormat.csv:
            write_csv([r.as_json() for r in found], stream)
        elif format is ExportFormat.geojson:
            stream.write(json.dumps(geojson(found), ensure_ascii=False) + "\n")
        else:
            write_csv(dyad_years(found), stream)
    finally:
        if out_file:
            stream.close()


@app.command()
def series(
    name: Annotated[
        str | None, typer.Argument(help="a series (its key or name): list its editions")
    ] = None,
    db: DbOpt = None,
    format: Annotated[ExtractFormat, typer.Option("--format", help="table or jsonl")] = (
        ExtractFormat.table
    ),
) -> None:
    """List the series of named exercises and courses, or the editions of one."""
    with _reading(db) as store:
        found = store.series(name)
    if name is not None and not found:
        raise _fail(f"no series {name!r} in the store (`defcoop series` lists them)")
    if format is ExtractFormat.jsonl:
        lines = found[0].as_json()["editions"] if name is not None else [s.summary() for s in found]
        for line in lines:  # type: ignore[attr-defined]
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    elif name is not None:
        out.print(edition_table(found[0]))
    else:
        out.print(series_table(found))
        err.print(f"{len(found)} series")


@app.command()
def review(
    db: DbOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="at most this many")] = None,
    format: Annotated[ExtractFormat, typer.Option("--format", help="table or jsonl")] = (
        ExtractFormat.table
    ),
) -> None:
    """What to check first, most reported first: conflicts, near-duplicates, thin events."""
    with _reading(db) as store:
        items = store.review(limit)
    if format is ExtractFormat.jsonl:
        for item in items:
            sys.stdout.write(json.dumps(item.as_json(), ensure_ascii=False) + "\n")
    else:
        out.print(review_table(items))
        err.print(f"{len(items)} items")


@app.command()
def errors(
    db: DbOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="at most this many")] = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table, jsonl or csv")] = (
        ListFormat.table
    ),
) -> None:
    """List the input errors recorded by ingest: which input, why, when; latest first."""
    with _reading(db) as store:
        found = store.errors(limit)
    if format is ListFormat.jsonl:
        for item in found:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif format is ListFormat.csv:
        write_csv(found, sys.stdout)
    else:
        out.print(error_table(found))
        err.print(f"{len(found)} errors")


app.command(name="batch")(batch)
app.command(name="serve")(serve)
app.command(name="watch")(watch)
app.command(name="sources")(sources)


def main() -> None:
    """Entry point for `python -m defcoop`."""
    app()
