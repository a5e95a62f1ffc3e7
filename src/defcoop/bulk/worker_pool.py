"""Work of a bulk load done in worker processes, its results taken in order or as done.

The read phase's batches (`report_rows`) and the parts' replays (`part_replay`) both
run this way: jobs go out at most twice as many as there are workers (memory stays
bounded by what is under way), and a worker leaves when the loader is gone. The read
phase's results come back in the jobs' order (`in_order`: the loader writes them in
that order); the parts' as they finish (`as_done`: a long part does not hold back the
ones behind it, whose rows the loader can send meanwhile).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import TypeVar

Job = TypeVar("Job")
Done = TypeVar("Done")

_WATCH_SECONDS = 1.0  # how often a worker checks that the loader is still alive


def watch_loader(loader: int) -> None:
    """In a worker: leave when the loader is gone (killed: no one would collect the work)."""

    def watch() -> None:
        while os.getppid() == loader:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-loader").start()


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers,
        # spawn: a fresh interpreter, not a copy of the loader (its connection, its threads)
        mp_context=multiprocessing.get_context("spawn"),
        initializer=watch_loader,
        initargs=(os.getpid(),),
    )


def in_order(
    work: Callable[[Job], Done],
    jobs: Iterator[Job],
    workers: int,
    executor: Executor | None = None,
) -> Generator[Done, None, None]:
    """`work` of each job, in the order of `jobs`, at most twice `workers` under way: on
    `executor` when given (a Dask cluster's), else in this process with one worker, else
    in `workers` processes of its own."""
    if executor is None and workers <= 1:
        for job in jobs:
            yield work(job)
        return
    pool = executor or _pool(workers)
    pending: list[Future[Done]] = []
    try:
        for job in jobs:
            pending.append(pool.submit(work, job))
            if len(pending) >= 2 * max(workers, 1):
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()
    finally:
        for future in pending:
            future.cancel()
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)


def as_done(
    work: Callable[[Job], Done],
    jobs: Iterator[Job],
    workers: int,
    executor: Executor | None = None,
) -> Generator[Done, None, None]:
    """`work` of each job, as each finishes (of those finished together, in the order of
    `jobs`), at most twice `workers` under way; where it runs as for `in_order` (in this
    process with one worker: in the order of `jobs`)."""
    if executor is None and workers <= 1:
        for job in jobs:
            yield work(job)
        return
    pool = executor or _pool(workers)
    pending: dict[Future[Done], int] = {}
    try:
        for number, job in enumerate(jobs):
            pending[pool.submit(work, job)] = number
            while len(pending) >= 2 * max(workers, 1):
                yield from _finished(pending)
        while pending:
            yield from _finished(pending)
    finally:
        for future in pending:
            future.cancel()
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)


def _finished(pending: dict[Future[Done], int]) -> Iterator[Done]:
    """The results of the futures that finish next, in their jobs' order, taken out of
    `pending` before they are given (a result raising leaves the rest to be cancelled)."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    ordered = sorted(done, key=pending.__getitem__)
    for future in ordered:
        del pending[future]
    for future in ordered:
        yield future.result()
