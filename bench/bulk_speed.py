"""Bulk load against one-by-one ingest, SQLite and PostgreSQL, in one run.

    python bench/bulk_speed.py [--reports 100000] [--incremental 2000] [--postgres URL]
                               [--backends sqlite,postgresql] [--workers N]

The same synthetic, already extracted reports (bench/resolve_speed.py: two mentions
each, varied dates, partners and names, one sentence in twenty a restated background
fact) are loaded into empty stores: one by one (`Store.add`, the first
`--incremental` of them, since that path is the slow one) and in bulk
(`Store.bulk_load`, all of them, and a tenth of them), each bulk load in a child
process whose peak RSS is reported (the loader's, and the largest of the worker
processes replaying its parts, `--workers`); then a tenth as many other reports (the same
restated background sentences among them) are loaded in bulk onto the store holding
all of them: a slice of a larger load, on a non-empty store; then a quarter as many
more again, whose peak RSS over the tenth's says whether a load onto a non-empty store
keeps its memory flat (it is replayed `DEFCOOP_BULK_PART` mentions at a time). The last line is
`ratio R`: bulk reports/s over one-by-one reports/s on PostgreSQL (SQLite when
PostgreSQL is absent). The machine's load average is printed before and after: the
figures are only comparable between runs on equally busy machines.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "postgres"))

from pg_server import new_database  # noqa: E402
from resolve_speed import synthetic_reports  # noqa: E402
from store_speed import postgres  # noqa: E402

from defcoop.bulk.part_replay import own_peak_kib  # noqa: E402
from defcoop.settings import bulk_workers as workers_of  # noqa: E402
from defcoop.store.database import Store  # noqa: E402

SEED = 11


def one_by_one(url: str, count: int) -> float:
    """Reports/s of `Store.add`, a transaction per report."""
    with Store(url) as store:
        started = time.perf_counter()
        for extraction in synthetic_reports(count, SEED, "r-"):
            store.add(extraction)
        return count / (time.perf_counter() - started)


def _bulk_child(
    url: str,
    count: int,
    slice_: int,
    workers: int | None,
    out: multiprocessing.SimpleQueue,  # type: ignore[type-arg]
) -> None:
    # later slices: other reports (seeds and ids of their own), the same background facts
    seed, prefix = (
        (SEED + slice_, f"s{slice_}-" if slice_ > 1 else "s-") if slice_ else (SEED, "r-")
    )
    with Store(url) as store:
        started = time.perf_counter()
        summary = store.bulk_load(lambda: synthetic_reports(count, seed, prefix), workers=workers)
        seconds = time.perf_counter() - started
    peak = own_peak_kib() / 1024  # the loader's own (its parent's at the fork aside)
    # the largest of the worker processes: each one's own peak (VmHWM), not ru_maxrss,
    # which in a spawned worker is the loader's at the fork when that was larger
    workers_peak = summary.worker_peak_mb
    phases = dict(summary.seconds)
    out.put(
        (
            count / seconds,
            peak,
            summary.replayed,
            phases,
            summary.parts,
            workers_peak,
            summary.slices,
        )
    )


Result = tuple[float, float, str | None, dict[str, float], int, float, int]


def bulk(url: str, count: int, workers: int | None, slice_: int = 0) -> Result:
    """Reports/s, peak RSS (MB), how replayed, phases, parts, the workers' peak RSS and
    the slices replayed whole of one bulk load, run in a child process.

    `slice_`: other reports than the first `count` (the `slice_`th later slice of a load).
    """
    context = multiprocessing.get_context("spawn")
    queue = context.SimpleQueue()
    child = context.Process(target=_bulk_child, args=(url, count, slice_, workers, queue))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"bulk load of {count} reports failed")
    found: Result = queue.get()
    return found


def _memory(result: Result) -> str:
    """Peak RSS of the loader, and of its largest worker when it had some."""
    line = f"peak RSS {result[1]:.0f} MB"
    return line + (f" (largest worker {result[5]:.0f} MB)" if result[5] else "")


def _print_more(name: str, what: str, result: Result) -> None:
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in result[3].items())
    print(
        f"{name}: bulk, {what}: {result[0]:.0f} reports/s, {_memory(result)},"
        f" {result[6]} slice{'' if result[6] == 1 else 's'} ({phases})"
        f"{'; replayed: ' + result[2] if result[2] else ''}",
        flush=True,
    )


def measure(
    name: str, make_url: object, reports: int, incremental: int, workers: int | None
) -> float:
    """Print one backend's figures; the bulk/one-by-one ratio."""
    assert callable(make_url)
    slow = one_by_one(make_url(), incremental)
    print(f"{name}: one by one, {incremental} reports: {slow:.1f} reports/s", flush=True)
    small = bulk(make_url(), max(1, reports // 10), workers)
    print(
        f"{name}: bulk, {reports // 10} reports: {small[0]:.0f} reports/s,"
        f" {_memory(small)}, {small[4]} parts"
        f" ({', '.join(f'{k} {v:.1f} s' for k, v in small[3].items())})",
        flush=True,
    )
    url = make_url()
    full = bulk(url, reports, workers)
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in full[3].items())
    print(
        f"{name}: bulk, {reports} reports: {full[0]:.0f} reports/s, {_memory(full)},"
        f" {full[4]} parts"
        f" ({phases}){'; replayed: ' + full[2] if full[2] else ''}",
        flush=True,
    )
    more = bulk(url, max(1, reports // 10), workers, slice_=1)
    _print_more(name, f"{reports // 10} more reports onto those {reports}", more)
    most = bulk(url, max(1, reports // 4), workers, slice_=2)
    _print_more(name, f"{reports // 4} more reports onto those", most)
    print(
        f"{name}: peak RSS onto the stored load, {reports // 4} / {reports // 10} more"
        f" reports = {most[1] / more[1]:.2f} (loader; slices {most[6]} / {more[6]})",
        flush=True,
    )
    ratio = full[0] / slow
    # the largest process (the loader, or a worker holding a part), and all processes
    # together: the loader and each worker at its peak
    largest = [max(r[1], r[5]) for r in (small, full)]
    together = [
        r[1] + min(workers_of(workers), r[4]) * r[5] if r[5] else r[1] for r in (small, full)
    ]
    print(
        f"{name}: peak RSS {reports} / {reports // 10} reports = {full[1] / small[1]:.2f}"
        f" (loader), {largest[1] / largest[0]:.2f} (largest process),"
        f" {together[1] / together[0]:.2f} (all processes); bulk / one by one = {ratio:.1f}",
        flush=True,
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--incremental", type=int, default=2_000)
    parser.add_argument("--postgres", help="a server URL whose user may create databases")
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="which stores to measure, in order"
    )
    parser.add_argument(
        "--workers", type=int, help="processes replaying parts (default: DEFCOOP_BULK_WORKERS)"
    )
    args = parser.parse_args()
    backends = args.backends.split(",")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    print(f"workers: {workers_of(args.workers)}", flush=True)
    ratio = None
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1_000_000))
        if "sqlite" in backends:
            ratio = measure(
                "sqlite",
                lambda: f"sqlite:///{Path(tmp) / f'store-{next(counter)}.db'}",
                args.reports,
                args.incremental,
                args.workers,
            )
        if "postgresql" in backends:
            with postgres(args.postgres) as server:
                if server is not None:
                    ratio = measure(
                        "postgresql",
                        lambda: new_database(server),
                        args.reports,
                        args.incremental,
                        args.workers,
                    )
    if ratio is None:
        raise SystemExit("no store was measured")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    print(f"ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
