"""The first phase of a bulk load: reports, mentions, evidence and prints written as read.

Reports come in the order one-by-one ingest would take them; each gets the mention
and evidence ids that ingest would give it, so the two paths agree to the id. What
resolution needs of a mention is kept in memory without its evidence text, its
strings shared (a load holds millions of "exercise" and "AZE"); which report a
mention came from is an array of each report's first mention id (a report's
mentions have consecutive ids), not a table per mention.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from defcoop.bulk.parts import Spool
from defcoop.bulk.sink import RowSink, next_ids
from defcoop.errors import InputError
from defcoop.records import Extraction, Mention, SkippedRecords
from defcoop.resolve.background import mention_fingerprints
from defcoop.store.resolution import chunks
from defcoop.store.rows import evidence_rows, mention_from_row, mention_row, report_row
from defcoop.store.schema import errors, evidence, mention_prints, mentions, reports

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


def _shared(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def _lean(row: dict[str, object]) -> Mention:
    """The mention of a row as resolution reads it back: without its evidence."""
    mention = mention_from_row(row, [])
    return replace(
        mention,
        doc=sys.intern(mention.doc),
        participants=tuple(sys.intern(code) for code in mention.participants),
        start=_shared(mention.start),
        end=_shared(mention.end),
    )


def read_into(
    connection: Connection,
    items: Iterable[Extraction | InputError | SkippedRecords],
    *,
    on_report: Callable[[int], None] = lambda n: None,
    on_error: Callable[[str], None] = lambda line: None,
    spool: Spool | None = None,
) -> Intake:
    """Write the reports (those not stored yet) with their mentions, evidence and prints.

    What resolution needs of each mention goes to `spool` if given, else to memory.
    """
    sink = RowSink(connection, [reports, mentions, evidence, mention_prints, errors])
    found = Intake()
    found.first_mention = found.next_mention = next_ids(connection, mentions)
    next_evidence = next_ids(connection, evidence)
    pending: list[Extraction] = []
    now = datetime.now(UTC)

    def settle_pending() -> None:
        nonlocal next_evidence
        # Earlier reports of the load are in the store by now: the store's indexes, not
        # sets in memory, tell a repeated report.
        sink.flush()
        stored_hashes, stored_ids = _stored(connection, pending)
        seen_hashes: set[str] = set()
        seen_ids: set[str] = set()
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
            sink.add(reports, report_row(report, now))
            found.starts.append(found.next_mention)
            for ordinal, mention in enumerate(extraction.mentions):
                mention_id = found.next_mention
                found.next_mention += 1
                row = {**mention_row(mention, report.id, ordinal), "event_id": None}
                sink.add(mentions, {"id": mention_id, **row})
                if spool is None:
                    found.mentions[mention_id] = _lean(row)
                else:
                    spool.add(mention_id, _lean(row), mention.evidence)
                found.mention_count += 1
                found.first_starts.append(mention.evidence[0].start if mention.evidence else -1)
                for item in evidence_rows(mention_id, mention.evidence):
                    sink.add(evidence, {"id": next_evidence, **item})
                    next_evidence += 1
                for mark in mention_fingerprints(mention):
                    sink.add(mention_prints, {"print": mark, "mention_id": mention_id})
            found.reports += 1
            on_report(found.reports + found.skipped)
        pending.clear()

    for item in items:
        if isinstance(item, InputError):
            sink.add(errors, {"source": item.source, "reason": item.reason, "at": now})
            found.errors += 1
            on_error(str(item))
        elif isinstance(item, SkippedRecords):
            found.left_out += item.count
        else:
            pending.append(item)
            if len(pending) >= CHECK_BATCH:
                settle_pending()
    settle_pending()
    sink.flush()
    found.next_evidence = next_evidence
    return found


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
