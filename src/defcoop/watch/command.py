"""`defcoop watch` follows feeds and sitemaps into the store; `defcoop sources` lists them."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.status import Status
from rich.table import Table

from defcoop import settings
from defcoop.command_options import open_store
from defcoop.errors import DefcoopError, InputError
from defcoop.ingest.readers import MARKUP_ALLOWANCE
from defcoop.pipeline import Extractor
from defcoop.records import SourceState
from defcoop.watch.fetch import HttpOptions, PoliteFetcher
from defcoop.watch.rounds import Watcher, WatchOptions, next_due
from defcoop.watch.sources import Source, read_sources

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
DbOpt = Annotated[str | None, typer.Option("--db", help=settings.SETTINGS["db"].help)]


def watch_options(every: str | None, max_bytes: int | None) -> tuple[WatchOptions, HttpOptions]:
    """The options of a watch from the command line, the environment and the defaults."""
    text_limit = settings.max_bytes(max_bytes)
    watch = WatchOptions(
        every=settings.duration_seconds(settings.get_setting("every", every), "every"),
        refetch_every=settings.duration_seconds(
            settings.get_setting("refetch_every"), "refetch_every"
        ),
        max_bytes=text_limit,
    )
    http = HttpOptions(
        timeout=settings.number_setting("http_timeout") or 0.1,
        retries=int(settings.number_setting("http_retries")),
        backoff=settings.number_setting("retry_backoff"),
        host_delay=settings.number_setting("host_delay"),
        max_bytes=text_limit * MARKUP_ALLOWANCE,
    )
    return watch, http


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop`: the article in hand is finished, then the watch ends.

    The handlers found are put back when the block ends.
    """

    def handle(signum: int, _frame: FrameType | None) -> None:
        if not stop.is_set():
            err.print(
                f"{signal.Signals(signum).name}: finishing the article in hand, then stopping"
            )
        stop.set()

    before = {signum: signal.signal(signum, handle) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _exit_usage(message: str) -> typer.Exit:
    """Print a usage error and give the exit to raise."""
    err.print(f"[red]{escape(message)}[/red]", highlight=False)
    return typer.Exit(2)


def watch(
    sources: Annotated[
        list[str], typer.Argument(help="feed or sitemap URLs, or TOML files listing sources")
    ],
    db: DbOpt = None,
    every: Annotated[
        str | None, typer.Option("--every", help=settings.SETTINGS["every"].help)
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="one round, then exit (for cron)")] = False,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help=settings.SETTINGS["max_bytes"].help)
    ] = None,
) -> None:
    """Follow RSS/Atom feeds and sitemaps: store each new article as a report, round after round."""
    try:
        followed = read_sources(sources)
        options, http = watch_options(every, max_bytes)
    except (InputError, DefcoopError) as exc:
        raise _exit_usage(str(exc)) from None
    if not followed:
        raise _exit_usage("no enabled source to follow")
    stop = threading.Event()
    with _stop_on_signals(stop):
        failed = _run(followed, settings.db_url(db), options, http, stop, once)
    if once and failed:
        raise typer.Exit(1)


def _run(
    followed: list[Source],
    url: str,
    options: WatchOptions,
    http: HttpOptions,
    stop: threading.Event,
    once: bool,
) -> bool:
    """Rounds until stopped (or one); whether the last round had failures."""
    failed = False
    with open_store(url) as store, PoliteFetcher(http) as fetcher:
        status = Status("starting", console=err)
        watcher = Watcher(store, fetcher, Extractor.from_package(), options, stop, status.update)
        number = 0
        while not stop.is_set():
            number += 1
            with status:
                summary = watcher.run_round(followed, number)
            err.print(summary.line(), highlight=False)
            failed = summary.errors > 0
            if once or stop.is_set():
                break
            due = next_due(followed, watcher.states(), options.every)
            wait = max(1.0, (due - datetime.now(UTC)).total_seconds())
            err.print(f"next round at {due.astimezone():%H:%M:%S}", highlight=False)
            stop.wait(wait)
    if stop.is_set():
        err.print("stopped cleanly", highlight=False)
    return failed


class SourcesFormat(StrEnum):
    """Output formats of `sources`."""

    table = "table"
    jsonl = "jsonl"


def _when(value: datetime | None) -> str:
    """A time in the local zone, to the second."""
    return "" if value is None else f"{value.astimezone():%Y-%m-%d %H:%M:%S}"


def source_table(states: list[SourceState]) -> Table:
    """The followed sources, one row each."""
    table = Table()
    for column in ("source", "kind", "last poll"):
        table.add_column(column)
    for column in ("HTTP", "found", "new", "failed", "stored"):
        table.add_column(column, justify="right")
    table.add_column("last error")
    for s in states:
        table.add_row(
            s.name,
            s.kind,
            _when(s.last_poll),
            "" if s.http_status is None else str(s.http_status),
            str(s.found),
            str(s.new),
            str(s.failed),
            str(s.stored_total),
            s.last_error or "",
        )
    return table


def sources(
    db: DbOpt = None,
    format: Annotated[
        SourcesFormat, typer.Option("--format", help="table or jsonl")
    ] = SourcesFormat.table,
) -> None:
    """List the followed sources: last poll, HTTP status, articles found/new/failed, last error."""
    with open_store(settings.db_url(db)) as store:
        states = store.sources()
    if format is SourcesFormat.jsonl:
        for state in states:
            sys.stdout.write(json.dumps(state.as_json(), ensure_ascii=False) + "\n")
        return
    out.print(source_table(states), markup=False, highlight=False)
    err.print(f"{len(states)} sources", highlight=False)
