"""Map the shard task over a Dask cluster, skipping shards already done, and sum up."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from distributed import Client, Future, LocalCluster, as_completed

from defcoop.batch.layout import ShardResult, read_marker
from defcoop.batch.shards import Shard
from defcoop.batch.task import run_shard
from defcoop.ingest.readers import ReadOptions


@dataclass(frozen=True)
class ShardFailure:
    """A shard whose task failed as a whole (a worker lost, a disk full), with the reason."""

    shard: str
    reason: str


@dataclass
class BatchSummary:
    """Counts of a batch run; reports, mentions and errors include the shards skipped."""

    shards_done: int = 0
    shards_skipped: int = 0
    reports: int = 0
    mentions: int = 0
    errors: int = 0
    left_out: int = 0
    seconds: float = 0.0
    failures: list[ShardFailure] = field(default_factory=list)

    def count(self, result: ShardResult) -> None:
        """Add one shard's counts."""
        self.reports += result.reports
        self.mentions += result.mentions
        self.errors += result.errors
        self.left_out += result.left_out

    @property
    def failed(self) -> bool:
        """Whether any input or any shard failed."""
        return bool(self.errors or self.failures)

    def line(self) -> str:
        """A one-line summary: shards, counts, errors and time."""
        shards = f"{self.shards_done} shards done, {self.shards_skipped} skipped (already done)"
        if self.failures:
            shards += f", {len(self.failures)} failed"
        errors = f"{self.errors} error" + ("" if self.errors == 1 else "s")
        if self.left_out:
            errors = f"{self.left_out} records without a report left out, {errors}"
        return (
            f"{shards}; {self.reports} reports, {self.mentions} mentions, {errors}, "
            f"{self.seconds:.1f} s"
        )


def split_done(shards: Sequence[Shard], out: Path) -> tuple[list[Shard], list[ShardResult]]:
    """The shards still to run, and the recorded results of those already done."""
    todo: list[Shard] = []
    done: list[ShardResult] = []
    for shard in shards:
        result = read_marker(out, shard.id)
        if result is None:
            todo.append(shard)
        else:
            done.append(result)
    return todo, done


def _submit(
    todo: Sequence[Shard], out: Path, options: ReadOptions, client: Client | None
) -> dict[Future[ShardResult], Shard]:
    """One task per shard, each under a fresh key."""
    if client is None:
        raise ValueError(f"{len(todo)} shards to run and no Dask client to run them")
    # Fresh keys: a re-run in the same client must run again, not reuse a cached result.
    run_id = uuid.uuid4().hex[:8]
    return {
        client.submit(
            run_shard,
            shard,
            os.path.abspath(out),
            options,
            key=f"defcoop-shard-{shard.id}-{run_id}",
        ): shard
        for shard in todo
    }


def run_batch(
    shards: Sequence[Shard],
    out: Path,
    options: ReadOptions,
    client: Client | None,
    on_result: Callable[[ShardResult | ShardFailure], None] | None = None,
) -> BatchSummary:
    """Run every shard not yet done as one task on the client's cluster; the run's summary.

    `on_result` is called in the caller's process as each shard completes, in
    completion order. A failed shard is reported and the others go on. `client`
    may be None only when every shard is done already.
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    todo, done = split_done(shards, out)
    summary = BatchSummary(shards_skipped=len(done))
    for result in done:
        summary.count(result)
    futures = _submit(todo, out, options, client) if todo else {}
    # distributed leaves as_completed, Client and LocalCluster unannotated; with no
    # futures as_completed would look for a client, so it is not called then.
    for future in as_completed(futures) if futures else ():  # type: ignore[no-untyped-call]
        shard = futures[future]
        outcome: ShardResult | ShardFailure
        try:
            finished: ShardResult = future.result()
        except Exception as exc:  # the run goes on; the failure is counted and shown
            outcome = ShardFailure(shard.id, f"{type(exc).__name__}: {exc}")
            summary.failures.append(outcome)
        else:
            summary.shards_done += 1
            summary.count(finished)
            outcome = finished
        future.release()
        if on_result is not None:
            on_result(outcome)
    summary.seconds = time.perf_counter() - started
    return summary


def local_cluster(workers: int) -> LocalCluster:
    """A local cluster of `workers` single-threaded worker processes, dashboard off.

    The scheduler serves a few HTTP routes (health, metrics) even with the dashboard
    off, on port 8787 by default; a free loopback port instead lets several clusters
    run on one machine without a port clash (and distributed's warning about it).
    """
    return LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )


@contextmanager
def batch_client(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes."""
    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with (
        local_cluster(workers) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client
