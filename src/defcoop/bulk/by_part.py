"""A bulk load into an empty store, one part at a time, so that memory stays bounded.

The read phase writes the reports' rows as they stream in and spools what
resolution needs of each mention to disk by class (`bulk.parts`); restating runs
over the whole load as in `bulk.load`. Then each part (classes no other part's
mentions can match, packed up to `most` mentions) is read back, replayed
(`bulk.assignment.assign_part`) and turned into rows by one of `workers` processes
(`bulk.part_replay`; a part larger than `most`, classes joined by re-dated mentions,
a class at a time: `bulk.crossing`), and its keys, the mentions' events, aliases and
summary counts are written by this process as the parts finish, in any order (none
depends on another part's). New events carry provisional creation numbers until the
parts' logs give them their final ones (`bulk.numbering`): the events' rows wait in a
file per part until every part is replayed, and are then written once, in part order,
with their final numbers. The store ends as `bulk.load`'s whole replay, and one-by-one
ingest, leave it; all in the caller's transaction.
"""

from __future__ import annotations

import tempfile
import time
from array import array
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

from sqlalchemy import Connection

from defcoop.bulk.assignment import assign_part
from defcoop.bulk.crossing import PieceSource
from defcoop.bulk.grouping import index_keys
from defcoop.bulk.intake import Intake, read_into
from defcoop.bulk.new_events import nothing_to_keep, send_deferred, send_rows
from defcoop.bulk.numbering import PROVISIONAL, NeedsWhole, ReplayLog, numbers
from defcoop.bulk.part_replay import PartJob, ReportBounds, part_steps, read_rows, replay_parts
from defcoop.bulk.parts import Spool, class_of, plan_parts, read_spooled, uncut_over
from defcoop.bulk.restating import restate_load
from defcoop.bulk.sink import analyze, claim_ids, indexes_made_after, renumber_events
from defcoop.bulk.writing import write_events
from defcoop.errors import InputError
from defcoop.records import Extraction, Mention, Progress, SkippedRecords
from defcoop.store.resolution import load_mentions
from defcoop.store.schema import (
    event_aliases,
    event_pairs,
    event_participants,
    events,
    evidence,
    mention_keys,
    mention_prints,
    mentions,
    reports,
)

Item = Extraction | InputError | SkippedRecords


@dataclass
class PartsSeen:
    """How the parts went: the mentions each held at once, how many were replayed a class
    at a time, the largest worker process's own peak RSS (0: replayed in the loader)."""

    sizes: list[int] = field(default_factory=list)
    in_pieces: int = 0
    worker_peak_kib: int = 0


# CPU seconds the workers spent on their parts, summed (they overlap the phases' time)
WORKER_PHASES = ("replay cpu", "rows cpu")
# Seconds within the phases, given apart: the loader's wait from the parts' start to the
# first part it could send, the longest part's CPU in its worker, the events' writing
# once every part is in (part of "write")
FIRST_PART, LONGEST_PART, EVENTS_WRITTEN = "first part wait", "longest part cpu", "events write"


def load_by_part(
    connection: Connection,
    items: Iterable[Item],
    progress: Progress,
    most: int,
    on_error: Callable[[str], None],
    workers: int = 1,
    executor: Executor | None = None,
) -> tuple[Intake, dict[str, float], PartsSeen, int]:
    """Load into an empty store part by part: the intake, seconds by phase, how the parts
    went, the events made. With
    `workers` > 1, parts are replayed in that many processes at once, or on `executor`
    (a Dask cluster's) when given (seconds of "assign": waiting for them;
    `WORKER_PHASES`: the CPU seconds they spent)."""
    seconds: dict[str, float] = {}
    measures: dict[str, float] = {}
    seen = PartsSeen()
    clock = [time.perf_counter()]

    def tick(phase: str) -> None:
        now = time.perf_counter()
        seconds[phase] = seconds.get(phase, 0.0) + now - clock[0]
        clock[0] = now

    with tempfile.TemporaryDirectory(prefix="defcoop-bulk-") as folder:
        spool = Spool(Path(folder))
        try:
            intake = read_into(
                connection,
                items,
                on_report=lambda n: progress("read", n, None),
                on_error=on_error,
                spool=spool,
                workers=workers,
            )
            spool.close()
            claim_ids(connection, mentions, intake.next_mention - 1)
            claim_ids(connection, evidence, intake.next_evidence - 1)
            analyze(connection, [reports, mentions, evidence, mention_prints])
            tick("read")
            progress("restate", 0, None)
            later = restate_load(connection, intake)
            progress("restate", 1, 1)
            tick("restate")
            versions = _versions(connection, intake, later)
            parts = plan_parts(spool.counts, versions, most, spool.names)
            # no correction or alias to apply: events are written from memory
            from_memory = nothing_to_keep(connection)
            if (why := uncut_over(parts, spool.counts, most, from_memory)) is not None:
                raise NeedsWhole(why)
            tick("group")
            if from_memory:
                made = _parts_in_workers(
                    connection,
                    intake,
                    later,
                    spool,
                    (parts, most),
                    (workers, executor),
                    progress,
                    tick,
                    seen,
                    measures,
                )
            else:
                # (a part too large is replayed whole here: pieces are for workers)
                whole = [[name for piece in part for name in piece] for part in parts]
                made = _parts_here(
                    connection, intake, later, spool, whole, progress, tick, seen.sizes
                )
            tick("write")
        finally:
            spool.discard()
    if from_memory:
        seen.in_pieces = sum(len(pieces) > 1 for pieces in parts)
    return intake, {**seconds, **measures}, seen, made


def _parts_in_workers(
    connection: Connection,
    intake: Intake,
    later: dict[int, list[tuple[int, Mention]]],
    spool: Spool,
    plan: tuple[list[list[list[str]]], int],
    on: tuple[int, Executor | None],
    progress: Progress,
    tick: Callable[[str], None],
    seen: PartsSeen,
    measures: dict[str, float],
) -> int:
    """Parts replayed and their rows built by the workers; their rows sent here as they
    finish, the events' rows in part order once all are in.

    `plan`: the parts' pieces of classes, and how many mentions a part holds at once.
    `on`: how many parts at once, and the executor running them (None: processes here).
    """
    parts, most = plan
    workers, executor = on
    bounds = ReportBounds.save(spool.folder, intake)
    now = datetime.now(UTC)
    part_of = {name: n for n, pieces in enumerate(parts) for piece in pieces for name in piece}
    restated: list[dict[int, Mention]] = [{} for _ in parts]
    for mention_id, mention in intake.mentions.items():
        restated[part_of[class_of(mention)]][mention_id] = mention
    moves: list[dict[int, list[tuple[int, Mention]]]] = [{} for _ in parts]
    for step, redone in later.items():
        for mention_id, mention in redone:
            moves[part_of[class_of(mention)]].setdefault(step, []).append((mention_id, mention))

    def job(number: int, pieces: list[list[str]]) -> PartJob:
        classes = [name for piece in pieces for name in piece]
        files = spool.files(classes)
        if len(pieces) == 1:
            return PartJob(number, files, restated[number], moves[number], bounds, now)
        sources = tuple(
            PieceSource(
                tuple(piece),
                spool.files(piece),
                {i: m for i, m in restated[number].items() if class_of(m) in piece},
            )
            for piece in pieces
        )
        return PartJob(number, files, {}, moves[number], bounds, now, sources, most)

    jobs = (job(number, pieces) for number, pieces in enumerate(parts))
    logs: list[tuple[Path, ...]] = [() for _ in parts]
    created = [0] * len(parts)
    steps = 0
    at_once = min(workers, len(parts))
    in_workers = executor is not None or at_once > 1  # else replayed in this process
    begun = time.perf_counter()
    # Parts come as they finish, not in part order: the first part (restated agreements
    # of every year, the largest) does not hold back the others. What they write now
    # (keys, the mentions' events, aliases, summary counts) is the same in any order;
    # the events' rows wait in a file per part for their final numbers (all the parts'
    # logs) and are written once, in part order, each part's provisional numbers
    # shifted past the parts before it in that order, as one process gives them.
    # (SQLite) the tables the parts fill get their indexes once they are full
    with indexes_made_after(connection, _FILLED, also=_event_id_indexes()):
        with closing(replay_parts(jobs, at_once, executor)) as replayed:
            for done in replayed:
                if not seen.sizes:
                    measures[FIRST_PART] = time.perf_counter() - begun
                longest = measures.get(LONGEST_PART, 0.0)
                measures[LONGEST_PART] = max(longest, sum(done.cpu))
                seen.sizes.append(done.mentions)
                if in_workers:
                    seen.worker_peak_kib = max(seen.worker_peak_kib, done.peak_kib)
                steps += done.steps
                for name, cpu in zip(WORKER_PHASES, done.cpu, strict=True):
                    measures[name] = measures.get(name, 0.0) + cpu
                progress("assign", steps, None)
                tick("assign")  # the time waiting for the workers
                with _deferred(spool.folder, done.number).open("wb") as deferred:
                    send_rows(connection, read_rows(done), defer=deferred)
                logs[done.number], created[done.number] = done.logs, done.created
                tick("write")
        begun = time.perf_counter()
        made = _send_events(connection, spool.folder, logs, created, progress)
        measures[EVENTS_WRITTEN] = time.perf_counter() - begun
    analyze(connection, [events])
    tick("write")
    return made


# The tables the parts' rows fill, and the index of the column of `mentions` they set.
_FILLED = (mention_keys, events, event_participants, event_pairs, event_aliases)


def _event_id_indexes() -> list[str]:
    return [
        str(index.name)
        for index in mentions.indexes
        if [column.name for column in index.columns] == ["event_id"]
    ]


def _send_events(
    connection: Connection,
    folder: Path,
    logs: list[tuple[Path, ...]],
    created: list[int],
    progress: Progress,
) -> int:
    """The events' rows the parts deferred, in part order, with their final numbers
    (each part's provisional ones shifted past the events of the parts before it, as
    when the parts are replayed one after the other). Returns how many."""
    shifts = list(accumulate(created, initial=0))[:-1]
    merged = [(log, shift) for part, shift in zip(logs, shifts, strict=True) for log in part]
    final = final_numbers(numbers(merged, 1))
    search_tops: dict[int, int] = {}  # this load is the store's one writer meanwhile
    made = 0
    for number, shift in enumerate(shifts):
        path = _deferred(folder, number)
        with path.open("rb") as source:
            made += send_deferred(
                connection,
                source,
                _final_of(final, shift),
                on_events=_shifted(progress, "write", made),
                search_tops=search_tops,
            )
        path.unlink()
    return made


def _final_of(final: array[int], shift: int) -> Callable[[int], int]:
    """A part's events' final numbers by their provisional ones (its own, unshifted)."""
    return lambda provisional: final[provisional + shift - PROVISIONAL]


def _deferred(folder: Path, number: int) -> Path:
    """The file where a part's events' rows wait for their final numbers."""
    return folder / f"events-{number}.pickle"


def final_numbers(pairs: Iterable[tuple[int, int]]) -> array[int]:
    """Each event's final number by its provisional one (less PROVISIONAL): 8 bytes an event."""
    final = array("q")
    for provisional, number in pairs:
        slot = provisional - PROVISIONAL
        if slot >= len(final):
            final.extend([0] * (slot + 1 - len(final)))
        final[slot] = number
    return final


def _parts_here(
    connection: Connection,
    intake: Intake,
    later: dict[int, list[tuple[int, Mention]]],
    spool: Spool,
    parts: list[list[str]],
    progress: Progress,
    tick: Callable[[str], None],
    sizes: list[int],
) -> int:
    """Parts replayed one after the other here, their events written through the store
    (an analyst's correction or alias is stored: `bulk.writing`)."""
    logs: list[tuple[Path, int]] = []
    provisional = PROVISIONAL
    made = done = 0
    for number, classes in enumerate(parts):
        state, _ = read_spooled(spool.files(classes))
        sizes.append(len(state))
        for mention_id in state.keys() & intake.mentions.keys():
            state[mention_id] = intake.mentions[mention_id]
        log = ReplayLog(spool.folder / f"log-{number}", provisional)
        logs.append((log.path, 0))
        steps = part_steps(intake, state, later)
        try:
            assignment = assign_part(state, steps, log, on_step=_shifted(progress, "assign", done))
        finally:
            log.close()
        done += len(steps)
        index_keys(connection, state)
        tick("assign")
        write_events(connection, assignment, on_events=_shifted(progress, "write", made))
        made += len(assignment.new_events)
        provisional = log.next_provisional
        tick("write")
    analyze(connection, [events])
    renumber_events(connection, numbers(logs, 1))
    return made


def _shifted(progress: Progress, phase: str, before: int) -> Callable[[int], None]:
    """Progress within one part, counted on from the parts before it."""
    return lambda n: progress(phase, before + n, None)


def _versions(
    connection: Connection, intake: Intake, later: dict[int, list[tuple[int, Mention]]]
) -> list[list[Mention]]:
    """Every version of each restated mention of the load: as told, first stored, re-dated."""
    redated: dict[int, list[Mention]] = {}
    for moves in later.values():
        for mention_id, mention in moves:
            redated.setdefault(mention_id, []).append(mention)
    ids = set(intake.mentions) | set(redated)
    told = load_mentions(connection, ids, told=True)
    return [
        [
            told[i],
            *([intake.mentions[i]] if i in intake.mentions else []),
            *redated.get(i, []),
        ]
        for i in sorted(ids)
    ]
