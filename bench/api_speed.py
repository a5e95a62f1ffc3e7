"""Speed of the events list (first and deep cursor pages) and the aggregates, against a static file.

    python bench/api_speed.py [--events 1000000] [--requests 2000] [--concurrency 16]
                              [--workers 1] [--store PATH] [--postgres-events 100000]

Builds a SQLite store of `--events` synthetic canonical events (`api_store.py`; kept
in `--store` and reused by later runs). Then, twice, starts a server in its own
process: uvicorn with `--workers` processes, each serving `defcoop`'s app and one
extra static directory (as `defcoop serve --workers` runs), first with answers not
kept (`ServeConfig(cached_answers=0)`: every request computed: the cost of a request
no worker has seen since the last write), then as `defcoop serve` runs by default
(answers kept while the store is unchanged). From a third process (an asyncio
client, `--concurrency` requests in flight) it sends `--requests` requests to each of:

- the first page of the events list with the usual filters (none, country, dyad,
  type + since, words, place, status + until + country), 50 events a page;
- deep pages of the same lists, by cursor, at positions spread over the whole list
  (up to the last page);
- the aggregates (timeline by year and by month, dyads, places, points), unfiltered
  and filtered;
- a static JSON file as large as the largest page, served by the same server.

When PostgreSQL's binaries are installed, the same is measured on a throwaway
PostgreSQL server holding `--postgres-events` events (fewer than SQLite's by default:
building them takes longer; 0 skips it).

Prints, for each store and each server, p50/p99 latency of every endpoint and its
p99 over the static file's, and requests/s of the groups; then the ratios, the events
list's requests/s (first and deep pages together) over the static file's, answers
not kept and kept; and last `ratio R`: SQLite, answers kept (the default). With
answers kept, each distinct request is computed once per worker (its first time) and
its p99 counts those. The goals: ratio >= 0.5 and the events list's p99 <= 2x the
static file's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "postgres"))

from api_store import PAGE, build_postgres_store, build_store, stale  # noqa: E402
from pg_server import binaries, new_database, running_server  # noqa: E402

from defcoop.store.database import Store  # noqa: E402
from defcoop.store.engine import store_url  # noqa: E402
from defcoop.store.pages import encode_cursor  # noqa: E402
from defcoop.store.schema import events  # noqa: E402
from defcoop.store.search import EventQuery, conditions, latest_first  # noqa: E402

BENCH_SETUP = "DEFCOOP_BENCH_SERVER"


def bench_app() -> Any:
    """One server process's application: defcoop's over the store, and /bench-static
    (uvicorn's factory: every worker process builds its own), made ready as `defcoop
    serve` makes its own (`api.app.ready_to_serve`)."""
    from fastapi.staticfiles import StaticFiles

    from defcoop.api.app import create_app, ready_to_serve
    from defcoop.api.backend import Backend
    from defcoop.api.config import ServeConfig
    from defcoop.nlp.actors import ActorLexicon
    from defcoop.nlp.places import Gazetteer

    setup = json.loads(os.environ[BENCH_SETUP])
    config = ServeConfig() if setup["keep"] else ServeConfig(cached_answers=0)
    store = Store.open(setup["url"])
    app = create_app(Backend(store, ActorLexicon.from_package(), Gazetteer.from_package(), config))
    app.mount("/bench-static", StaticFiles(directory=setup["static"]), name="bench-static")
    return ready_to_serve(app)  # as `defcoop serve` does


def serve(url: str, static_dir: str, port: int, workers: int, keep: bool) -> None:
    """The app and the static file under uvicorn with `workers` processes (in its own
    process), as `defcoop serve --workers` runs it; `keep`: answers kept (the default)."""
    import uvicorn

    os.environ[BENCH_SETUP] = json.dumps({"url": url, "static": static_dir, "keep": keep})
    uvicorn.run(
        "api_speed:bench_app",
        factory=True,
        workers=workers,
        host="127.0.0.1",
        port=port,
        log_level="error",
        access_log=False,
    )


# The usual filters of the list: (name, query string, the same as an EventQuery).
FILTERS = [
    ("none", "", EventQuery()),
    ("country", "country=TUR", EventQuery(country="TUR")),
    ("dyad", "dyad=AZE-TUR", EventQuery(dyad=("AZE", "TUR"))),
    ("type+since", "type=exercise&since=2020", EventQuery(type="exercise", since="2020")),
    ("words", "q=falcon", EventQuery(text="falcon")),
    ("place", "place=Place17", EventQuery(place="Place17")),
    (
        "status+until+country",
        "status=planned&until=2005-06&country=USA",
        EventQuery(status="planned", until="2005-06", country="USA"),
    ),
]
AGGREGATES = [
    "/api/aggregates/timeline",
    "/api/aggregates/timeline?granularity=month&country=TUR",
    "/api/aggregates/timeline?type=exercise&since=2020",
    "/api/aggregates/dyads",
    "/api/aggregates/dyads?type=training",
    "/api/aggregates/places",
    "/api/aggregates/places?type=meeting",
    "/api/points",
    "/api/points?country=POL",
]
STATIC = "/bench-static/page.json"
FIRST, DEEP, COUNTS = "events first page", "events deep page", "aggregate"


def first_pages() -> list[tuple[str, str]]:
    """The first page of each usual filter: (label, path)."""
    return [
        (f"{FIRST}: {name}", f"/api/events?{q}&limit={PAGE}".replace("?&", "?"))
        for name, q, _ in FILTERS
    ]


def deep_pages(url: str, per_filter: int = 4) -> list[tuple[str, str]]:
    """Cursor pages spread over each filter's whole list, the last page included."""
    engine = create_engine(store_url(url))
    paths = []
    with engine.connect() as connection:
        for name, q, query in FILTERS:
            found = select(events.c.start, events.c.event_id).where(*conditions(connection, query))
            keys = [
                (r.start, r.event_id)
                for r in connection.execute(found.order_by(*latest_first(connection)))
            ]
            if len(keys) <= PAGE:
                continue
            spots = {int(len(keys) * k / per_filter) for k in range(1, per_filter)}
            spots.add(len(keys) - PAGE - 1)  # the last page
            for spot in sorted(spots):
                cursor = encode_cursor(keys[spot])
                path = f"/api/events?{q}&limit={PAGE}&cursor={cursor}".replace("?&", "?")
                paths.append((f"{DEEP}: {name}", path))
    engine.dispose()
    return paths


def aggregates() -> list[tuple[str, str]]:
    """The aggregates: (label, path)."""
    return [(f"{COUNTS}: {path.removeprefix('/api/')}", path) for path in AGGREGATES]


def figures(latencies: list[float], elapsed: float, failures: int) -> dict[str, float]:
    """Count, failures, p50/p99 in ms and requests/s of some requests."""
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "failures": failures,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "rps": len(latencies) / elapsed,
    }


async def hammer(
    base: str, paths: list[tuple[str, str]], count: int, concurrency: int, limit_s: float
) -> dict[str, dict[str, float]]:
    """Send `count` GETs cycling over the (label, path) pairs, `concurrency` at once.

    The figures of all requests ("all"), and the latencies of each label's share.
    """
    import httpx2

    latencies: dict[str, list[float]] = {label: [] for label, _ in paths}
    failures = 0
    deadline = time.perf_counter() + limit_s
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for _, path in paths[:concurrency]:  # warm up: connections
            await client.get(path)
        queue = iter(range(count))

        async def worker() -> None:
            nonlocal failures
            for i in queue:
                if time.perf_counter() > deadline:
                    return
                label, path = paths[i % len(paths)]
                began = time.perf_counter()
                response = await client.get(path)
                latencies[label].append(time.perf_counter() - began)
                if response.status_code != 200:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    found = {"all": figures([x for v in latencies.values() for x in v], elapsed, failures)}
    for label, values in latencies.items():
        if values:
            found[label] = figures(values, elapsed, 0)  # its requests/s: its share of the run
    for group in (FIRST, DEEP, COUNTS):
        values = [x for label, v in latencies.items() if label.startswith(group) for x in v]
        if values:
            found[group] = figures(values, elapsed, 0)
    return found


def client(base: str, paths: list[tuple[str, str]], count: int, concurrency: int, out: Any) -> None:
    """The client process: measures and sends the figures back."""
    out.send(asyncio.run(hammer(base, paths, count, concurrency, limit_s=600)))


def measure(
    base: str, paths: list[tuple[str, str]], count: int, concurrency: int
) -> dict[str, dict[str, float]]:
    """Run the client in its own process and return its figures."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=client, args=(base, paths, count, concurrency, send))
    process.start()
    found: dict[str, dict[str, float]] = receive.recv()
    process.join()
    return found


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


Figures = dict[str, dict[str, float]]


def measure_store(url: str, static: Path, args: argparse.Namespace) -> dict[bool, Figures]:
    """Each server (answers not kept, then kept) on the store: the figures of the events
    list, the aggregates and the static file, by label ("all", groups, endpoints)."""
    first, deep, counts = first_pages(), deep_pages(url), aggregates()
    print(f"{len(first)} first pages, {len(deep)} deep cursor pages, {len(counts)} aggregates")
    found: dict[bool, Figures] = {}
    for keep in (False, True):
        with running(url, static, args.workers, keep=keep) as base:
            if not (static / "page.json").exists():
                show_answers(base, first, deep, counts, static)
            mixed = first + deep
            random.Random(1).shuffle(mixed)
            listing = measure(base, mixed, args.requests, args.concurrency)
            totals = measure(base, counts, args.requests // 2, args.concurrency)
            file = measure(base, [("static", STATIC)], args.requests, args.concurrency)
        found[keep] = {
            **{k: v for k, v in listing.items() if k != "all"},
            "events list": listing["all"],
            **{k: v for k, v in totals.items() if k != "all"},
            "aggregates": totals["all"],
            "static": file["all"],
        }
    return found


def report(name: str, found: dict[bool, Figures], size: int, args: argparse.Namespace) -> None:
    """Print one store's figures: every endpoint, not kept and kept side by side."""
    print(
        f"\n{name}: one server, {args.workers} worker process(es), serving the API and a "
        f"static file of {size} bytes alike; {args.concurrency} requests in flight"
    )
    print(
        f"{'':46} {'answers not kept (computed)':>30} | {'answers kept (default)':>30}\n"
        f"{'':46} {'p50 ms':>8} {'p99 ms':>8} {'/static':>7} {'req/s':>5} |"
        f" {'p50 ms':>8} {'p99 ms':>8} {'/static':>7} {'req/s':>5}"
    )
    endpoints = [f"{FIRST}: {n}" for n, _, _ in FILTERS] + [f"{DEEP}: {n}" for n, _, _ in FILTERS]
    endpoints += [label for label, _ in aggregates()]
    for label in [*endpoints, FIRST, DEEP, COUNTS, "events list", "aggregates", "static"]:
        cells = []
        for keep in (False, True):
            got = found[keep].get(label)
            if got is None:
                cells.append(f"{'-':>32}")
                continue
            share = got["p99_ms"] / found[keep]["static"]["p99_ms"]
            rate = f"{got['rps']:5.0f}" if ":" not in label else f"{'':5}"
            cells.append(f"{got['p50_ms']:8.1f} {got['p99_ms']:8.1f} {share:7.2f} {rate}")
        print(f"{label[:46]:46} {cells[0]} | {cells[1]}")
    for keep in (False, True):
        listing, file = found[keep]["events list"], found[keep]["static"]
        failed = sum(int(found[keep][k]["failures"]) for k in ("events list", "aggregates"))
        print(
            f"{name}, answers {'kept' if keep else 'not kept'}: events list {listing['rps']:.0f}"
            f" requests/s, static {file['rps']:.0f}: ratio {listing['rps'] / file['rps']:.2f};"
            f" events p99 / static p99 {listing['p99_ms'] / file['p99_ms']:.2f} (goal <= 2);"
            f" {failed} failed"
        )


def sqlite_store(args: argparse.Namespace, work: Path) -> str:
    """The SQLite store's URL: the kept one when there and current, else built now."""
    began = time.perf_counter()
    if args.store is not None and args.store.exists() and not stale(args.store):
        print(f"store {args.store} used as it is (built by an earlier run)")
        url = f"sqlite:///{args.store}"
    else:
        if args.store is not None and args.store.exists():
            print(f"store {args.store} built under older reconciliation rules: built again")
            for old in args.store.parent.glob(args.store.name + "*"):
                old.unlink()
        url = build_store(args.store or work / "bench.db", args.events)
        print(f"store of {args.events} events built in {time.perf_counter() - began:.1f} s")
    Store.open(url).close()  # a kept store made by an older defcoop: its schema upgraded
    return url


def main() -> None:
    """Build, serve, measure, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (as `defcoop serve --workers`)"
    )
    parser.add_argument(
        "--store", type=Path, help="keep the built store in this file and use it when there"
    )
    parser.add_argument(
        "--postgres-events",
        type=int,
        default=100_000,
        help="events in the PostgreSQL store (0: SQLite only)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        static = Path(work) / "static"
        static.mkdir()
        url = sqlite_store(args, Path(work))
        sqlite_found = measure_store(url, static, args)
        size = (static / "page.json").stat().st_size
        report(f"SQLite, {count_events(url)} events", sqlite_found, size, args)
        if args.postgres_events and binaries() is not None:
            with running_server() as server:
                pg_url = new_database(server)
                began = time.perf_counter()
                build_postgres_store(pg_url, args.postgres_events)
                print(
                    f"PostgreSQL store of {args.postgres_events} events built in"
                    f" {time.perf_counter() - began:.1f} s"
                )
                pg_found = measure_store(pg_url, static, args)
            report(f"PostgreSQL, {args.postgres_events} events", pg_found, size, args)
        elif args.postgres_events:
            print("PostgreSQL binaries not installed: SQLite only")
    for keep in (False, True):
        listing, file = sqlite_found[keep]["events list"], sqlite_found[keep]["static"]
        print(
            f"ratio answers {'kept' if keep else 'not kept'} (SQLite):"
            f" {listing['rps'] / file['rps']:.2f}"
        )
    listing, file = sqlite_found[True]["events list"], sqlite_found[True]["static"]
    print(f"ratio {listing['rps'] / file['rps']:.2f}")
    sys.stdout.flush()


def count_events(url: str) -> int:
    """How many events the store holds."""
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(events)).scalar_one())
    finally:
        engine.dispose()


@contextmanager
def running(url: str, static: Path, workers: int, *, keep: bool) -> Iterator[str]:
    """A server (see `serve`) on a free port while the block runs; its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = multiprocessing.Process(target=serve, args=(url, str(static), port, workers, keep))
    server.start()
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/api/events?limit=1", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.join(10)


def show_answers(
    base: str,
    first: list[tuple[str, str]],
    deep: list[tuple[str, str]],
    counts: list[tuple[str, str]],
    static: Path,
) -> None:
    """Print each kind of request's answer and time alone; write the static file (as
    large as the largest page)."""
    sizes = []
    for _, path in first + deep[:: max(1, len(deep) // 6)] + counts:
        began = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=120) as answer:
            body = answer.read()
        took = 1000 * (time.perf_counter() - began)
        value = json.loads(body)
        said = (
            f"total {value['total']}{' (estimate)' if value['total_is_estimate'] else ''}"
            if isinstance(value, dict)
            else f"{len(value)} rows"
        )
        print(f"{path[:90]}: {said}, {len(body)} bytes, {took:.0f} ms alone")
        if isinstance(value, dict):
            sizes.append((len(body), body))
    _, body = max(sizes)
    (static / "page.json").write_bytes(body)


if __name__ == "__main__":
    main()
