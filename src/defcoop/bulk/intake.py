"""The first phase of a bulk load: reports, mentions, evidence and prints written as read.

Reports come in the order one-by-one ingest would take them; each gets the mention
and evidence ids that ingest would give it, so the two paths agree to the id. What
resolution needs of a mention is kept in memory without its evidence text, its
strings shared (a load holds millions of "exercise" and "AZE"); which report a
mention came from is an array of each report's first mention id (a report's
mentions have consecutive ids), not a table per mention. This process checks the
reports (repeats, replaced versions) and gives each batch its ids; the batches' rows
are built by worker processes (`bulk.report_rows`) and sent from here, in order.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from defcoop.bulk.parts import Spool
from defcoop.bulk.report_rows import TABLES, ReadDone, ReadJob, build_batches, columns
from defcoop.bulk.sink import RowSink, copy_text_rows, next_ids, quoted
from defcoop.errors import InputError
from defcoop.records import Extraction, Mention, SkippedRecords
from defcoop.store.resolution import chunks
from defcoop.store.schema import errors, evidence, mentions, reports

CHECK_BATCH = 2000  # reports checked against the store (their rows sent) at a time


class NeedsReplay(Exception):
    """The load holds something only one-by-one ingest settles exactly (a replaced report)."""


@dataclass
class Intake:
    """What the first phase read and wrote."""

    first_mention: int = 0
    next_mention: int = 0
    next_evidence: int = 0
    # the first mention id of each stored report (its step), in the order they came
    starts: array[int] = field(default_factory=lambda: array("q"))
    # where each load mention's first evidence sentence starts (-1: none), by id - first
    first_starts: array[int] = field(default_factory=lambda: array("i"))
    # as `store.resolution.load_mentions` reads them for resolving: without evidence
    # (with a spool, only the restated ones: the rest are in the spool's files)
    mentions: dict[int, Mention] = field(default_factory=dict)
    mention_count: int = 0
    reports: int = 0
    skipped: int = 0
    errors: int = 0
    left_out: int = 0
    error_lines: list[str] = field(default_factory=list)

    @property
    def steps(self) -> int:
        """How many reports were stored (steps of the replay)."""
        return len(self.starts)

    def step_ids(self, step: int) -> range:
        """The mention ids of the report of a step."""
        end = self.starts[step + 1] if step + 1 < len(self.starts) else self.next_mention
        return range(self.starts[step], end)

    def step_of(self, mention_id: int) -> int:
        """The step of a mention of the load; -1 for one stored before it."""
        if mention_id < self.first_mention:
            return -1
        return bisect_right(self.starts, mention_id) - 1


def read_into(
    connection: Connection,
    items: Iterable[Extraction | InputError | SkippedRecords],
    *,
    on_report: Callable[[int], None] = lambda n: None,
    on_error: Callable[[str], None] = lambda line: None,
    spool: Spool | None = None,
    workers: int = 1,
) -> Intake:
    """Write the reports (those not stored yet) with their mentions, evidence and prints.

    What resolution needs of each mention goes to `spool` if given, else to memory.
    This process checks the reports a batch at a time and sends the batches' rows in
    order; `workers` processes build them (`bulk.report_rows`).
    """
    errors_sink = RowSink(connection, [errors])
    found = Intake()
    found.first_mention = found.next_mention = next_ids(connection, mentions)
    next_evidence = next_ids(connection, evidence)
    now = datetime.now(UTC)
    postgres = connection.dialect.name == "postgresql"
    # the reports of the batches checked but not written yet: (content hashes, ids)
    in_flight: deque[tuple[set[str], set[str]]] = deque()

    def checked(pending: list[Extraction]) -> ReadJob:
        nonlocal next_evidence
        # Earlier reports of the load are in the store, or in flight: the store's
        # indexes, not sets of the whole load in memory, tell a repeated report.
        stored_hashes, stored_ids = _stored(connection, pending)
        for hashes, ids in in_flight:
            stored_hashes |= {e.report.content_hash for e in pending} & hashes
            stored_ids |= {e.report.id for e in pending} & ids
        seen_hashes: set[str] = set()
        seen_ids: set[str] = set()
        kept: list[Extraction] = []
        for extraction in pending:
            report = extraction.report
            digest = report.content_hash
            if digest in stored_hashes or digest in seen_hashes:
                found.skipped += 1
                continue
            if report.id in stored_ids or report.id in seen_ids:
                raise NeedsReplay(f"report {report.id!r} replaces another version")
            seen_hashes.add(digest)
            seen_ids.add(report.id)
            kept.append(extraction)
        in_flight.append((seen_hashes, seen_ids))
        job = ReadJob(kept, found.next_mention, next_evidence, now, postgres, spool is not None)
        found.next_mention += sum(len(e.mentions) for e in kept)
        next_evidence += sum(len(m.evidence) for e in kept for m in e.mentions)
        return job

    def jobs() -> Iterator[ReadJob]:
        pending: list[Extraction] = []
        for item in items:
            if isinstance(item, InputError):
                errors_sink.add(errors, {"source": item.source, "reason": item.reason, "at": now})
                found.errors += 1
                on_error(str(item))
            elif isinstance(item, SkippedRecords):
                found.left_out += item.count
            else:
                pending.append(item)
                if len(pending) >= CHECK_BATCH:
                    yield checked(pending)
                    pending = []
        if pending:
            yield checked(pending)

    with planned_afresh(connection):
        for done in build_batches(jobs(), workers):
            send_batch(connection, done)
            in_flight.popleft()
            found.starts.extend(done.starts)
            found.first_starts.extend(done.first_starts)
            found.mention_count += done.mention_count
            found.reports += done.reports
            if spool is None:
                found.mentions.update(done.lean)
            else:
                for name, count, block, names in done.blocks:
                    spool.add_block(name, count, block, names)
            on_report(found.reports + found.skipped)
    errors_sink.flush()
    found.next_evidence = next_evidence
    return found


@contextmanager
def planned_afresh(connection: Connection) -> Iterator[None]:
    """PostgreSQL: no prepared statements while the reports are read. psycopg prepares a
    query run five times, and the server may then keep a generic plan made when the
    `reports` table was still empty (with batches in flight, the first checks run before
    any report is written): a sequential scan for every later check, a cost growing with
    the load (30,000 reports: 17.9 s of checks instead of about 1)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    raw: Any = connection.connection.driver_connection
    before = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = before


def send_batch(connection: Connection, done: ReadDone) -> None:
    """Send a built batch's rows: COPY on PostgreSQL, the driver's executemany on SQLite."""
    for table in TABLES:
        rows = done.rows[table.name]
        if not rows:
            continue
        names = ", ".join(quoted(c) for c in columns(table))
        if isinstance(rows, bytes):
            copy_text_rows(connection, f"COPY {quoted(table.name)} ({names}) FROM STDIN", rows)
        else:
            marks = ", ".join("?" for _ in rows[0])
            raw: Any = connection.connection.driver_connection
            raw.executemany(f"INSERT INTO {quoted(table.name)} ({names}) VALUES ({marks})", rows)


def _stored(connection: Connection, batch: list[Extraction]) -> tuple[set[str], set[str]]:
    """Which of the batch's content hashes and report ids the store already holds."""
    hashes: set[str] = set()
    ids: set[str] = set()
    for part in chunks({e.report.content_hash for e in batch}):
        query = select(reports.c.content_hash).where(reports.c.content_hash.in_(part))
        hashes.update(row.content_hash for row in connection.execute(query))
    for part in chunks({e.report.id for e in batch}):
        query = select(reports.c.id).where(reports.c.id.in_(part))
        ids.update(row.id for row in connection.execute(query))
    return hashes, ids


def restated(mention: Mention, told: Mention) -> Mention:
    """`mention` with the dates, status and background of `told` (a restated version)."""
    return replace(
        mention, start=told.start, end=told.end, status=told.status, background=told.background
    )
