"""One part of a load into an empty store, replayed and turned into rows, in any process.

The parts of a load into an empty store share nothing until their creation numbers are
merged (`bulk.numbering`): a part's replay needs its spooled mentions, its restated
ones, the re-datings of its steps and where each report's mentions start, and gives
its log of creations and its rows (`bulk.new_events.part_rows`), both written to files
in the load's folder. So parts are replayed in worker processes (`replay_parts`), as
many at once as there are workers, while the loader, the one process holding the
store's transaction, sends the finished parts' rows in part order: the rows, and so
the store, are those the parts replayed one after the other give. Memory: each worker
holds one part at a time; the loader holds no part.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from defcoop.bulk.assignment import assign_part
from defcoop.bulk.intake import Intake
from defcoop.bulk.new_events import PartRow, part_rows
from defcoop.bulk.numbering import PROVISIONAL, ReplayLog
from defcoop.bulk.parts import read_spooled
from defcoop.records import Mention

Steps = list[tuple[int, list[int], list[tuple[int, Mention]]]]
_WATCH_SECONDS = 1.0  # how often a worker checks that the loader is still alive


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


@dataclass(frozen=True)
class PartDone:
    """A replayed part: its size, its log and its rows' file, how many events it created."""

    number: int
    mentions: int
    steps: int
    created: int  # provisional numbers used (events created, live or not)
    log: Path
    rows: Path
    # CPU seconds of the worker's thread: reading the spool and replaying, building rows
    cpu: tuple[float, float] = (0.0, 0.0)


def replay_part(job: PartJob) -> PartDone:
    """Replay a part and write its log and rows to files beside its spool (no database)."""
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
    return PartDone(
        job.number, size, len(steps), log.next_provisional - PROVISIONAL, log.path, rows, cpu
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


def _watch_loader(loader: int) -> None:
    """In a worker: leave when the loader is gone (killed: no one would collect the work)."""

    def watch() -> None:
        while os.getppid() == loader:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-loader").start()


def replay_parts(
    jobs: Iterator[PartJob], workers: int, executor: Executor | None = None
) -> Generator[PartDone, None, None]:
    """The parts replayed, in the order of `jobs`, at most twice `workers` under way: on
    `executor` when given (a Dask cluster's, whose workers see the load's folder), else
    in this process with one worker, else in `workers` processes of its own."""
    if executor is None and workers <= 1:
        for job in jobs:
            yield replay_part(job)
        return
    pool = executor or ProcessPoolExecutor(
        workers,
        # spawn: a fresh interpreter, not a copy of the loader (its connection, its threads)
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_watch_loader,
        initargs=(os.getpid(),),
    )
    pending: list[Future[PartDone]] = []
    try:
        for job in jobs:
            pending.append(pool.submit(replay_part, job))
            if len(pending) >= 2 * max(workers, 1):
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()
    finally:
        for future in pending:
            future.cancel()
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)
