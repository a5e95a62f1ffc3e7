"""The events write of a bulk load (`bulk.by_part`), SQLite and PostgreSQL, profiled.

    python bench/events_write.py [--reports 30000] [--backends sqlite,postgresql]
                                 [--workers 2] [--profile N] [--postgres URL]

The same synthetic reports as bench/bulk_speed.py are loaded in bulk into an empty
store, in a child process; it prints the load's reports/s and phases, among them
"events write": the events' rows the parts deferred, written once every part is in.
`--profile N`: also the N costliest functions (cumulative) of that write, profiled in
the loader with cProfile (which slows the write's Python work, not the server's).
The last line is `ratio R`: the events write's seconds over the whole load's, on the
last store measured. The machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "postgres"))

from pg_server import new_database  # noqa: E402
from resolve_speed import synthetic_reports  # noqa: E402
from store_speed import postgres  # noqa: E402

from defcoop.bulk import by_part  # noqa: E402
from defcoop.store.database import Store  # noqa: E402

SEED = 11  # bench/bulk_speed.py's
EVENTS = "events write"


def _child(url: str, count: int, workers: int, profile: int, out: Any) -> None:
    profiler = cProfile.Profile()
    send = by_part._send_events

    def profiled(*args: Any, **kwargs: Any) -> int:
        profiler.enable()
        try:
            return send(*args, **kwargs)
        finally:
            profiler.disable()

    if profile:
        by_part._send_events = profiled  # type: ignore[assignment]
    with Store(url) as store:
        started = time.perf_counter()
        summary = store.bulk_load(lambda: synthetic_reports(count, SEED, "r-"), workers=workers)
        seconds = time.perf_counter() - started
    text = ""
    if profile:
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(profile)
        buffer.write("\n")
        pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(profile)
        text = buffer.getvalue()
    out.put((seconds, dict(summary.seconds), text))


def load(url: str, count: int, workers: int, profile: int) -> tuple[float, dict[str, float]]:
    """Seconds and phases of one bulk load, run in a child process."""
    context = multiprocessing.get_context("spawn")
    queue = context.SimpleQueue()
    child = context.Process(target=_child, args=(url, count, workers, profile, queue))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"bulk load of {count} reports failed")
    seconds, phases, text = queue.get()
    if text:
        print(text, flush=True)
    return seconds, phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=30_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, help="functions listed (0: none)")
    parser.add_argument("--postgres", help="a server URL whose user may create databases")
    args = parser.parse_args()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    ratio = None
    with tempfile.TemporaryDirectory() as tmp, postgres(args.postgres) as server:
        urls = {"sqlite": lambda: f"sqlite:///{Path(tmp) / 'store.db'}"}
        if server is not None:
            urls["postgresql"] = lambda: new_database(server)
        for name in args.backends.split(","):
            if name not in urls:
                continue
            seconds, phases = load(urls[name](), args.reports, args.workers, args.profile)
            listed = ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
            print(
                f"{name}: bulk, {args.reports} reports: {args.reports / seconds:.0f}"
                f" reports/s, {EVENTS} {phases.get(EVENTS, 0.0):.2f} s ({listed})",
                flush=True,
            )
            ratio = phases.get(EVENTS, 0.0) / seconds
    if ratio is None:
        raise SystemExit("no store was measured")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    print(f"ratio {ratio:.3f}")


if __name__ == "__main__":
    main()
