"""One part of a load into an empty store, replayed and turned into rows, in any process.

The parts of a load into an empty store share nothing until their creation numbers are
merged (`bulk.numbering`): a part's replay needs its spooled mentions, its restated
ones, the re-datings of its steps and where each report's mentions start, and gives
its log of creations and its rows (`bulk.new_events.part_rows`), both written to files
in the load's folder. So parts are replayed in worker processes (`replay_parts`), as
many at once as there are workers, while the loader, the one process holding the
store's transaction, sends the parts' rows as they finish (`bulk.by_part`: the events'
rows in part order once all are done): the store is the one the parts replayed one
after the other give. Memory: each worker holds one part at a time (of a part replayed
a class at a time, `bulk.crossing`, the classes of about as many mentions as a part may
hold); the loader holds no part.
"""

from __future__ import annotations

import pickle
import resource
import time
from collections.abc import Generator, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from defcoop.bulk.assignment import Assignment, assign_part
from defcoop.bulk.crossing import PieceSource, replay_pieces
from defcoop.bulk.intake import Intake
from defcoop.bulk.new_events import AliasRows, PartRow, aliases_of, part_rows
from defcoop.bulk.numbering import PROVISIONAL, ReplayLog
from defcoop.bulk.parts import read_spooled
from defcoop.bulk.worker_pool import as_done
from defcoop.records import Evidence, Mention

Steps = list[tuple[int, list[int], list[tuple[int, Mention]]]]


@dataclass(frozen=True)
class ReportBounds:
    """Where the load's reports are: files of the arrays `Intake` keeps (read by workers)."""

    folder: Path
    first_mention: int
    next_mention: int

    @staticmethod
    def save(folder: Path, intake: Intake) -> ReportBounds:
        with (folder / "starts.bin").open("wb") as out:
            intake.starts.tofile(out)
        with (folder / "first-starts.bin").open("wb") as out:
            intake.first_starts.tofile(out)
        return ReportBounds(folder, intake.first_mention, intake.next_mention)


@lru_cache(maxsize=1)
def _bounds(bounds: ReportBounds) -> Intake:
    """The intake's report boundaries, read once per process (a loaded resource)."""
    found = Intake(first_mention=bounds.first_mention, next_mention=bounds.next_mention)
    for name, target in (("starts.bin", found.starts), ("first-starts.bin", found.first_starts)):
        path = bounds.folder / name
        with path.open("rb") as source:
            target.fromfile(source, path.stat().st_size // target.itemsize)
    return found


@dataclass(frozen=True)
class PartJob:
    """One part to replay: its spool files, restated mentions and re-datings by step."""

    number: int
    files: tuple[Path, ...]
    restated: dict[int, Mention]  # the load's restated mentions of its classes, as first stored
    later: dict[int, list[tuple[int, Mention]]]  # step -> its mentions that step re-dates
    bounds: ReportBounds
    now: datetime  # when the events were written (`events.updated_at`)
    # a part too large for memory: its classes replayed as pieces (`bulk.crossing`),
    # holding at most `budget` mentions in memory where they can
    pieces: tuple[PieceSource, ...] = ()
    budget: int = 0


@dataclass(frozen=True)
class PartDone:
    """A replayed part: its size, its log and its rows' file, how many events it created."""

    number: int
    mentions: int
    steps: int
    created: int  # provisional numbers used (events created, live or not)
    logs: tuple[Path, ...]
    rows: Path
    # CPU seconds of the worker's thread: reading the spool and replaying, building rows
    cpu: tuple[float, float] = (0.0, 0.0)
    peak_kib: int = 0  # the peak RSS of the process that replayed it, so far (`own_peak_kib`)


def own_peak_kib() -> int:
    """This process's peak RSS in KiB. Linux's VmHWM is the process's own; `ru_maxrss`
    would be its parent's at the fork when larger (kept across exec), as in workers."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def replay_part(job: PartJob) -> PartDone:
    """Replay a part and write its log and rows to files beside its spool (no database)."""
    if job.pieces:
        return _replay_in_pieces(job)
    started = time.thread_time()
    intake = _bounds(job.bounds)
    state, evidence_of = read_spooled(job.files)
    for mention_id in state.keys() & job.restated.keys():
        state[mention_id] = job.restated[mention_id]
    size = len(state)
    folder = job.bounds.folder
    log = ReplayLog(folder / f"log-{job.number}", PROVISIONAL)
    steps = part_steps(intake, state, job.later)
    try:
        assignment = assign_part(state, steps, log)
    finally:
        log.close()
    replayed = time.thread_time()
    rows = folder / f"rows-{job.number}"
    with rows.open("wb") as out:
        for item in part_rows(intake, assignment, state, evidence_of, job.now):
            pickle.dump(item, out, pickle.HIGHEST_PROTOCOL)
    cpu = (replayed - started, time.thread_time() - replayed)
    created = log.next_provisional - PROVISIONAL
    return PartDone(job.number, size, len(steps), created, (log.path,), rows, cpu, own_peak_kib())


def _replay_in_pieces(job: PartJob) -> PartDone:
    """A part replayed as pieces, each piece's rows written as it ends, then the aliases."""
    started = time.thread_time()
    intake = _bounds(job.bounds)
    folder = job.bounds.folder
    rows = folder / f"rows-{job.number}"
    building = [0.0]
    with rows.open("wb") as out:

        def finished(
            assignment: Assignment,
            state: dict[int, Mention],
            evidence: dict[int, tuple[Evidence, ...]],
        ) -> None:
            begun = time.thread_time()
            for item in part_rows(intake, assignment, state, evidence, job.now):
                pickle.dump(item, out, pickle.HIGHEST_PROTOCOL)
            building[0] += time.thread_time() - begun

        done, logs = replay_pieces(
            list(job.pieces),
            job.later,
            intake,
            folder,
            job.number,
            PROVISIONAL,
            job.budget,
            finished,
        )
        aliases = aliases_of([(gone, kept) for _, _, _, gone, kept in done.merges])
        if aliases:
            pickle.dump(AliasRows(aliases), out, pickle.HIGHEST_PROTOCOL)
    total = time.thread_time() - started
    cpu = (total - building[0], building[0])
    return PartDone(
        job.number,
        done.most_held,
        done.steps,
        done.created,
        tuple(logs),
        rows,
        cpu,
        own_peak_kib(),
    )


def read_rows(done: PartDone) -> Iterator[PartRow]:
    """A replayed part's rows, in order; the file is removed once read."""
    with done.rows.open("rb") as source:
        while True:
            try:
                item: PartRow = pickle.load(source)
            except EOFError:
                break
            yield item
    done.rows.unlink()


def part_steps(
    intake: Intake, state: dict[int, Mention], later: dict[int, list[tuple[int, Mention]]]
) -> Steps:
    """The part's steps in report order: (step, its new mentions, those it re-dates)."""
    new: dict[int, list[int]] = {}
    for mention_id in sorted(state):
        new.setdefault(intake.step_of(mention_id), []).append(mention_id)
    redated: dict[int, list[tuple[int, Mention]]] = {}
    for step, moves in later.items():
        mine = [(i, m) for i, m in moves if i in state]
        if mine:
            redated[step] = mine
    return [(step, new.get(step, []), redated.get(step, [])) for step in sorted(new | redated)]


def replay_parts(
    jobs: Iterator[PartJob], workers: int, executor: Executor | None = None
) -> Generator[PartDone, None, None]:
    """The parts replayed, as they finish, at most twice `workers` under way: on
    `executor` when given (a Dask cluster's, whose workers see the load's folder), else
    in this process with one worker (then in the order of `jobs`), else in `workers`
    processes of its own."""
    return as_done(replay_part, jobs, workers, executor)
