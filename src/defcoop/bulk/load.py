"""A bulk load: all the reports of a run resolved at once, in one transaction.

Phases: read (reports, mentions, evidence and prints written as they stream in),
restate (background facts re-dated), group (blocking keys, pairs decided by
`same_event`), assign (events named as one-by-one ingest names them) and write
(events reconciled). The store ends exactly as one-by-one ingest of the same reports
in the same order leaves it, on an empty store or not: a report re-dating a stored
mention re-groups its stored event in the replay, as ingest does. Into an empty store
the load is resolved in parts (`bulk.by_part`); onto a non-empty one it is replayed
whole a slice at a time (`_in_slices`), so that its memory holds one slice. The rare loads that
ingest settles by undoing earlier work (a report replacing a stored version, mentions
an analyst linked) are replayed report by report in the same one transaction
instead. Stopped half-way, the transaction is rolled back: the store is as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, or_, select

from defcoop.bulk.assignment import Assignment, assign
from defcoop.bulk.by_part import load_by_part
from defcoop.bulk.decisions import DecidePairs, decide_all, entries
from defcoop.bulk.grouping import index_keys, stored_candidates
from defcoop.bulk.intake import Intake, NeedsReplay, read_into
from defcoop.bulk.numbering import NeedsWhole
from defcoop.bulk.restating import restate_load
from defcoop.bulk.sink import analyze, claim_ids, page_cache
from defcoop.bulk.stored_events import likely_ids, redate_stored, stored_events
from defcoop.bulk.writing import write_events
from defcoop.errors import InputError
from defcoop.records import Extraction, Progress, SkippedRecords, no_progress
from defcoop.resolve.matching import blocking_keys, meets
from defcoop.store.resolution import (
    chunks,
    members_of,
)
from defcoop.store.schema import (
    errors,
    events,
    evidence,
    mention_keys,
    mention_links,
    mention_prints,
    mentions,
    reports,
)

Item = Extraction | InputError | SkippedRecords
# Stores one report in the caller's transaction as one-by-one ingest does; False if stored.
AddOne = Callable[[Connection, Extraction], bool]
PHASES = ("read", "restate", "group", "assign", "write")  # in this order
# SQLite's page cache during a load (`bulk.sink.page_cache`): a whole replay reads the
# stored candidates and writes through every index; a load into an empty store builds
# the indexes of the tables its parts fill after them (`bulk.sink.indexes_made_after`),
# so a small cache costs it no speed, and is full, so its memory flat, from small loads
# on (30,000 reports: peak RSS 30,000 / 3,000 reports 2.11 -> 1.23 with 16 MiB)
PAGE_CACHE_KIB = 131_072
PARTS_CACHE_KIB = 16_384


@dataclass
class BulkSummary:
    """What a bulk load did: counts, how, and time per phase."""

    reports: int = 0
    mentions: int = 0
    skipped: int = 0
    errors: int = 0
    left_out: int = 0
    events: int = 0
    parts: int = 1  # parts resolved apart, in workers (`bulk.by_part`)
    largest_part: int = 0  # the most mentions resolved at once
    in_pieces: int = 0  # parts replayed a class at a time (`bulk.crossing`)
    worker_peak_mb: float = 0.0  # the largest part-replaying process's own peak RSS
    slices: int = 1  # slices of the load replayed whole one after the other (`_in_slices`)
    whole_because: str | None = None  # why a load into an empty store went in slices
    replayed: str | None = None  # why the load went report by report, when it did
    seconds: dict[str, float] = field(default_factory=dict)
    error_lines: list[str] = field(default_factory=list)


def bulk_load(
    writer: Engine,
    items: Callable[[], Iterable[Item]],
    add_one: AddOne,
    progress: Progress = no_progress,
    decide_pairs: DecidePairs | None = None,
    part_mentions: int = 20_000,
    workers: int = 1,
    part_executor: Executor | None = None,
) -> BulkSummary:
    """Load every report `items()` gives (see the module docstring).

    `decide_pairs` decides the load's pairs elsewhere (on a Dask cluster,
    `bulk.decisions.on_cluster`); by default the replay decides them as it goes.
    Into an empty store the load resolves `part_mentions` mentions at a time
    (`bulk.by_part`), so its memory does not grow with its size, `workers` parts at
    once in as many processes, or on `part_executor` (a Dask cluster's: then the
    cluster replays the parts, and `decide_pairs` is for loads onto a non-empty store).
    """
    summary = BulkSummary()
    try:
        try:
            with writer.begin() as connection:
                on_parts = decide_pairs is None or part_executor is not None
                if on_parts and _empty(connection):
                    with page_cache(connection, PARTS_CACHE_KIB):
                        _by_part(
                            connection,
                            items(),
                            summary,
                            progress,
                            part_mentions,
                            (workers, part_executor),
                        )
                else:
                    with page_cache(connection, PAGE_CACHE_KIB):
                        _in_slices(
                            connection, items(), summary, progress, decide_pairs, part_mentions
                        )
        except NeedsWhole as reason:
            summary = BulkSummary(whole_because=str(reason))
            with writer.begin() as connection, page_cache(connection, PAGE_CACHE_KIB):
                _in_slices(connection, items(), summary, progress, decide_pairs, part_mentions)
    except NeedsReplay as reason:
        summary = BulkSummary(replayed=str(reason))
        with writer.begin() as connection:
            _replay(connection, items(), add_one, summary, progress)
    return summary


def _empty(connection: Connection) -> bool:
    """Whether the store holds no mention, event or analyst's link (the load starts afresh)."""
    return all(
        connection.execute(select(column).limit(1)).first() is None
        for column in (mentions.c.id, events.c.event_id, mention_links.c.a)
    )


def _by_part(
    connection: Connection,
    items: Iterable[Item],
    summary: BulkSummary,
    progress: Progress,
    part_mentions: int,
    on: tuple[int, Executor | None],
) -> None:
    intake, seconds, seen, made = load_by_part(
        connection, items, progress, part_mentions, summary.error_lines.append, *on
    )
    summary.in_pieces, summary.worker_peak_mb = seen.in_pieces, seen.worker_peak_kib / 1024
    summary.reports, summary.skipped = intake.reports, intake.skipped
    summary.errors, summary.left_out = intake.errors, intake.left_out
    summary.mentions = intake.mention_count
    summary.events, summary.seconds = made, seconds
    summary.parts, summary.largest_part = len(seen.sizes), max(seen.sizes, default=0)
    analyze(connection, [mention_keys])  # see `_bulk`


def _clock(summary: BulkSummary, phase: str, started: float) -> float:
    now = time.perf_counter()
    summary.seconds[phase] = now - started
    return now


def _in_slices(
    connection: Connection,
    items: Iterable[Item],
    summary: BulkSummary,
    progress: Progress,
    decide_pairs: DecidePairs | None,
    most: int,
) -> None:
    """The load replayed whole (`_bulk`) a slice at a time: the reports in order until
    their mentions reach `most`, each slice onto the store the slices before it left, in
    the one transaction. One-by-one ingest stores each report onto what the reports
    before it left, so loads that each leave ingest's store, one after the other, leave
    ingest's store: the slices are exact as the whole replay is, and memory holds one
    slice's mentions (and the stored ones they meet), not the load's."""
    summary.slices = 0
    for taken in _slices(items, most):
        part = BulkSummary()
        _bulk(
            connection,
            taken,
            part,
            _counted_after(progress, summary.reports + summary.skipped),
            decide_pairs,
        )
        summary.slices += 1
        summary.reports += part.reports
        summary.mentions += part.mentions
        summary.skipped += part.skipped
        summary.errors += part.errors
        summary.left_out += part.left_out
        summary.events += part.events
        summary.largest_part = max(summary.largest_part, part.largest_part)
        summary.error_lines.extend(part.error_lines)
        for phase, seconds in part.seconds.items():
            summary.seconds[phase] = summary.seconds.get(phase, 0.0) + seconds
    summary.slices = max(summary.slices, 1)


def _slices(items: Iterable[Item], most: int) -> Iterator[Iterator[Item]]:
    """The items cut into slices of reports holding `most` mentions or just over (a
    report is never cut); each slice must be read to its end before the next."""
    source = iter(items)
    for first in source:
        yield _slice(first, source, most)


def _slice(first: Item, source: Iterator[Item], most: int) -> Iterator[Item]:
    held = 0
    item: Item | None = first
    while item is not None:
        yield item
        if isinstance(item, Extraction):
            held += len(item.mentions)
        if held >= most:
            return
        item = next(source, None)


def _counted_after(progress: Progress, before: int) -> Progress:
    """The progress of a slice, its reports read counted after `before` of earlier ones."""

    def report(phase: str, done: int, total: int | None) -> None:
        progress(phase, done + before if phase == "read" else done, total)

    return report


def _bulk(
    connection: Connection,
    items: Iterable[Item],
    summary: BulkSummary,
    progress: Progress,
    decide_pairs: DecidePairs | None,
) -> None:
    started = time.perf_counter()
    intake = read_into(
        connection,
        items,
        on_report=lambda n: progress("read", n, None),
        on_error=summary.error_lines.append,
    )
    claim_ids(connection, mentions, intake.next_mention - 1)
    claim_ids(connection, evidence, intake.next_evidence - 1)
    analyze(connection, [reports, mentions, evidence, mention_prints])
    summary.reports, summary.skipped = intake.reports, intake.skipped
    summary.errors, summary.left_out = intake.errors, intake.left_out
    summary.mentions = summary.largest_part = intake.mention_count
    started = _clock(summary, "read", started)
    progress("restate", 0, None)
    later = restate_load(connection, intake)
    progress("restate", 1, 1)
    started = _clock(summary, "restate", started)
    # the keys the load's mentions find stored candidates under (`meets`)
    keys = {k for m in intake.mentions.values() for own in blocking_keys(m) for k in meets(own)}
    keys |= {
        k
        for moves in later.values()
        for _, m in moves
        for own in blocking_keys(m)
        for k in meets(own)
    }
    candidates = stored_candidates(connection, intake, keys)
    decisions = None
    if decide_pairs is not None:
        redated = (move for moves in later.values() for move in moves)
        found = list(entries(intake.mentions, redated, candidates.mentions, candidates.keys))
        decisions = decide_all(found, decide_pairs)
    started = _clock(summary, "group", started)
    assignment = assign(
        intake,
        later,
        candidates,
        stored_events(connection, likely_ids(intake, later)),
        decisions=decisions,
        on_step=lambda n: progress("assign", n, intake.steps),
    )
    index_keys(connection, intake.mentions)
    _refuse_linked(connection, intake, assignment)
    redate_stored(connection, assignment.stored_redated)
    started = _clock(summary, "assign", started)
    total = len(assignment.new_events)
    write_events(connection, assignment, on_events=lambda n: progress("write", n, total))
    summary.events = total
    # The next load (and ingest) looks its candidates up by key: without statistics of
    # the keys written here, PostgreSQL's planner walks all of them for each look-up
    # (10,000 reports onto 100,000: 25 s of group phase instead of about 1).
    analyze(connection, [mention_keys])
    _clock(summary, "write", started)


def _refuse_linked(connection: Connection, intake: Intake, assignment: Assignment) -> None:
    """Analysts' links on the mentions the load groups: ingest's order decides, so replay."""
    if connection.execute(select(mention_links.c.a).limit(1)).first() is None:
        return
    query = select(mentions.c.anchor).where(mentions.c.id >= intake.first_mention)
    anchors = {row.anchor for row in connection.execute(query)}
    stored = assignment.stored_touched | assignment.stored_removed
    anchors |= {anchor for _, anchor in members_of(connection, stored).values()}
    for part in chunks(anchors):
        query = select(mention_links.c.a).where(
            or_(mention_links.c.a.in_(part), mention_links.c.b.in_(part))
        )
        if connection.execute(query.limit(1)).first() is not None:
            raise NeedsReplay("analysts' links concern the loaded mentions")


def _replay(
    connection: Connection,
    items: Iterable[Item],
    add_one: AddOne,
    summary: BulkSummary,
    progress: Progress,
) -> None:
    """One-by-one ingest, all in the caller's transaction."""
    started = time.perf_counter()
    from datetime import UTC, datetime

    for item in items:
        if isinstance(item, InputError):
            connection.execute(
                errors.insert(),
                [{"source": item.source, "reason": item.reason, "at": datetime.now(UTC)}],
            )
            summary.errors += 1
            summary.error_lines.append(str(item))
        elif isinstance(item, SkippedRecords):
            summary.left_out += item.count
        elif add_one(connection, item):
            summary.reports += 1
            summary.mentions += len(item.mentions)
        else:
            summary.skipped += 1
        progress("read", summary.reports + summary.skipped, None)
    summary.seconds["replay"] = time.perf_counter() - started
