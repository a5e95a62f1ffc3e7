"""A bulk load into an empty store, one part at a time, so that memory stays bounded.

The read phase writes the reports' rows as they stream in and spools what
resolution needs of each mention to disk by class (`bulk.parts`); restating runs
over the whole load as in `bulk.load`. Then each part (classes no other part's
mentions can match, packed up to `most` mentions) is read back, replayed
(`bulk.assignment.assign_part`) and turned into rows by one of `workers` processes
(`bulk.part_replay`; a part larger than `most`, classes joined by re-dated mentions,
a class at a time: `bulk.crossing`), and its keys and events are written by this
process, in part order. New events carry provisional creation numbers until the
parts' logs give them their final ones (`bulk.numbering`): the events' rows wait in a
file until every part is replayed, and are then written once, with their final
numbers. The store ends as `bulk.load`'s whole replay, and one-by-one ingest, leave
it; all in the caller's transaction.
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
from pathlib import Path

from sqlalchemy import Connection

from defcoop.bulk.assignment import assign_part
from defcoop.bulk.crossing import PieceSource
from defcoop.bulk.grouping import index_keys
from defcoop.bulk.intake import Intake, read_into
from defcoop.bulk.new_events import nothing_to_keep, send_deferred, send_rows
from defcoop.bulk.numbering import PROVISIONAL, ReplayLog, numbers
from defcoop.bulk.part_replay import PartJob, ReportBounds, part_steps, read_rows, replay_parts
from defcoop.bulk.parts import Spool, class_of, plan_parts, read_spooled
from defcoop.bulk.restating import restate_load
from defcoop.bulk.sink import analyze, claim_ids, renumber_events
from defcoop.bulk.writing import write_events
from defcoop.errors import InputError
from defcoop.records import Extraction, Mention, Progress, SkippedRecords
from defcoop.store.resolution import load_mentions
from defcoop.store.schema import events, evidence, mention_prints, mentions, reports

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
    worker_cpu: dict[str, float] = {}
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
            parts = plan_parts(spool.counts, _versions(connection, intake, later), most)
            # no correction or alias to apply: events are written from memory
            from_memory = nothing_to_keep(connection)
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
                    worker_cpu,
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
    return intake, {**seconds, **worker_cpu}, seen, made


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
    worker_cpu: dict[str, float],
) -> int:
    """Parts replayed and their rows built by the workers; their rows sent here, in order.

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
    logs: list[tuple[Path, int]] = []
    shift = made = steps = 0
    search_tops: dict[int, int] = {}  # this load is the store's one writer meanwhile
    at_once = min(workers, len(parts))
    apart = executor is not None or at_once > 1  # else replayed in this process
    # The events' rows wait for their final numbers (all the parts' logs) in this file:
    # written once with them, instead of renumbered by an UPDATE of every event.
    deferred = (spool.folder / "events.pickle").open("w+b")
    with closing(replay_parts(jobs, at_once, executor)) as replayed, deferred:
        for done in replayed:
            seen.sizes.append(done.mentions)
            if apart:
                seen.worker_peak_kib = max(seen.worker_peak_kib, done.peak_kib)
            steps += done.steps
            for name, cpu in zip(WORKER_PHASES, done.cpu, strict=True):
                worker_cpu[name] = worker_cpu.get(name, 0.0) + cpu
            progress("assign", steps, None)
            tick("assign")  # the time waiting for the workers
            send_rows(connection, read_rows(done), shift, defer=deferred)
            logs.extend((log, shift) for log in done.logs)
            shift += done.created
            tick("write")
        final = final_numbers(numbers(logs, 1))
        made = send_deferred(
            connection,
            deferred,
            lambda provisional: final[provisional - PROVISIONAL],
            on_events=lambda n: progress("write", n, None),
            search_tops=search_tops,
        )
    analyze(connection, [events])
    tick("write")
    return made


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
