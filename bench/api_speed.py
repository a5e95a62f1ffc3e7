"""Speed of the events list (first and deep cursor pages) and the aggregates, against a static file.

    python bench/api_speed.py [--events 1000000] [--requests 2000] [--concurrency 16]
                              [--workers 1] [--store PATH]

Builds a SQLite store of synthetic canonical events (written straight into the tables
in batches with the driver's executemany: events, participants, pairs, full-text rows
and their keys; then the summary tables counted once). Then, twice, starts a server in
its own process: uvicorn with `--workers` processes, each serving `defcoop`'s app and
one extra static directory (as `defcoop serve --workers` runs), first with answers not
kept (`ServeConfig(cached_answers=0)`: every request computed), then as `defcoop
serve` runs by default (answers kept while the store is unchanged). From a third
process (an asyncio client, `--concurrency` requests in flight) it sends `--requests`
requests to each of:

- the first page of the events list with the usual filters (none, country, dyad,
  type + since, words, place, status + until + country), 50 events a page;
- deep pages of the same lists, by cursor, at positions spread over the whole list
  (up to the last page);
- the aggregates (timeline by year and by month, dyads, places, points), unfiltered
  and filtered;
- a static JSON file as large as the largest page, served by the same server.

Prints p50/p99 latency and requests/s of each, for each server; and last `ratio R`:
the events list's requests/s (first and deep pages together) over the static file's,
answers kept (the default). With answers kept, each distinct request is computed once
(its first time) and its p99 counts those. The goals: ratio >= 0.5 and the events
list's p99 <= 2x the static file's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, select

from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.database import Store
from defcoop.store.events import RECONCILED, pair_rows
from defcoop.store.events import participant_rows as participant_rows_of
from defcoop.store.fulltext import KEYS_TABLE, SEARCH_TABLE
from defcoop.store.pages import encode_cursor
from defcoop.store.schema import event_pairs, event_participants, events
from defcoop.store.search import EventQuery, conditions, latest_first
from defcoop.store.tallies import rebuild

CODES = [
    "ARM", "AUS", "AZE", "BEL", "BGR", "BRA", "CAN", "CHL", "CHN", "COL", "CZE", "DEU", "DNK",
    "EGY", "ESP", "EST", "FIN", "FRA", "GBR", "GEO", "GRC", "HUN", "IDN", "IND", "IRN", "ISR",
    "ITA", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KOR", "LTU", "LVA", "MAR", "MNG", "MYS", "NGA",
    "NLD", "NOR", "NZL", "PAK", "PER", "PHL", "POL", "PRT", "PRY", "ROU", "RUS", "SAU", "SRB",
    "SWE", "THA", "TJK", "TUR", "UKR", "USA", "UZB", "VNM",
]  # fmt: skip
WORDS = [
    "joint", "naval", "air", "defence", "mountain", "desert", "brigade", "frigate", "drill",
    "course", "cadets", "officers", "logistics", "radar", "delivery", "signing", "memorandum",
    "talks", "delegation", "shield", "eagle", "storm", "bridge", "anchor", "falcon", "steppe",
]  # fmt: skip
SYLLABLES = ["ka", "ro", "ven", "ti", "mar", "sol", "den", "ur", "bal", "nik", "ost", "pra", "le"]
PAGE = 50
BATCH = 5000
# Evidence words from a vocabulary of news-text size, so that a word matches few events.
VOCABULARY = [
    "".join(random.Random(i).choice(SYLLABLES) for _ in range(2 + i % 3)) for i in range(5000)
]


def synthetic_rows(
    first: int, n: int, rng: random.Random, places: list[tuple[str, str, float, float]]
) -> tuple[list[dict[str, Any]], ...]:
    """Events, participant, pair and full-text rows of `n` random events, from number `first`."""
    now = datetime.now(UTC)
    event_rows, participant_rows, pair_rows_, text_rows, key_rows = [], [], [], [], []
    for i in range(first, first + n):
        kind = rng.choice(EVENT_TYPES)
        codes = sorted(rng.sample(CODES, rng.choice((2, 2, 2, 3))))
        year = rng.randint(2000, 2024)
        start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        place = rng.choice(places) if rng.random() < 0.8 else None
        name = (
            f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}-{year}"
            if rng.random() < 0.3
            else None
        )
        event_id = f"{kind}-{'-'.join(c.lower() for c in codes)}-{year}-{i:08x}"
        event_rows.append(
            {
                "event_id": event_id,
                "seq": i + 1,
                "type": kind,
                "name": name,
                "participants": json.dumps(codes),
                "support": json.dumps(dict.fromkeys(codes, 1)),
                "has_location": place is not None,
                "location_name": place[0] if place else None,
                "location_country": place[1] if place else None,
                "location_lat": place[2] if place else None,
                "location_lon": place[3] if place else None,
                "location_place_id": None,
                "start": start,
                "end": None,
                "start_year": year,
                "status": rng.choice(STATUSES),
                "n_mentions": 1,
                "n_reports": 1,
                "first_report": date(year, 12, 31),
                "last_report": date(year, 12, 31),
                "provenance": "{}",
                "updated_at": now,
                "reconciled": RECONCILED,  # else opening the store would reconcile them again
            }
        )
        participant_rows.extend(participant_rows_of(event_id, codes, start))
        pair_rows_.extend(pair_rows(event_id, codes, start))
        sentence = " ".join(rng.choice(VOCABULARY) for _ in range(12))
        key_rows.append({"id": i + 1, "event_id": event_id, "start": start})
        text_rows.append(
            {
                "rowid": i + 1,  # the id of its key (store.fulltext)
                "event_id": event_id,
                "name": name or "",
                "place": f"{place[0]} {place[1]}" if place else "",
                "evidence": f"{' and '.join(codes)} held a {sentence}.",
            }
        )
    return event_rows, participant_rows, pair_rows_, text_rows, key_rows


def stale(path: Path) -> bool:
    """Whether a kept store's events were written under older reconciliation rules: opening
    it would reconcile them again, and these events, having no mentions, would go."""
    with sqlite3.connect(path) as connection:
        found = connection.execute(
            "SELECT 1 FROM events WHERE reconciled < ? LIMIT 1", (RECONCILED,)
        )
        return found.fetchone() is not None


def insert_many(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows with the driver's own executemany (no per-row SQLAlchemy processing)."""
    names = list(rows[0])
    quoted = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    values = [tuple(_sqlite_value(row[n]) for n in names) for row in rows]
    connection.exec_driver_sql(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", values)


def _sqlite_value(value: object) -> object:
    """A value as SQLAlchemy stores it in SQLite (dates and times as ISO text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def build_store(path: Path, n: int) -> str:
    """A SQLite store of `n` synthetic events, its URL."""
    url = f"sqlite:///{path}"
    Store.open(url).close()  # schema, filter indexes, the full-text table, the summaries
    rng = random.Random(7)
    places = [
        (f"Place{i}", rng.choice(CODES), rng.uniform(-50, 70), rng.uniform(-170, 170))
        for i in range(300)
    ]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA synchronous=OFF")  # a bench store: speed first
        for first in range(0, n, BATCH):
            rows = synthetic_rows(first, min(BATCH, n - first), rng, places)
            tables = (
                events.name,
                event_participants.name,
                event_pairs.name,
                SEARCH_TABLE,
                KEYS_TABLE,
            )
            for batch, target in zip(rows, tables, strict=True):
                insert_many(connection, target, batch)
            if first and first % (20 * BATCH) == 0:
                print(f"  {first} events written", flush=True)
        rebuild(connection)  # the summaries, counted once (ingest keeps them afterwards)
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url


BENCH_SETUP = "DEFCOOP_BENCH_SERVER"


def bench_app() -> Any:
    """One server process's application: defcoop's over the store, and /bench-static
    (uvicorn's factory: every worker process builds its own)."""
    from fastapi.staticfiles import StaticFiles

    from defcoop.api.app import create_app
    from defcoop.api.backend import Backend
    from defcoop.api.config import ServeConfig
    from defcoop.nlp.actors import ActorLexicon
    from defcoop.nlp.places import Gazetteer

    setup = json.loads(os.environ[BENCH_SETUP])
    config = ServeConfig() if setup["keep"] else ServeConfig(cached_answers=0)
    store = Store.open(setup["url"])
    app = create_app(Backend(store, ActorLexicon.from_package(), Gazetteer.from_package(), config))
    app.mount("/bench-static", StaticFiles(directory=setup["static"]), name="bench-static")
    return app


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


# The usual filters of the list: (query string, the same as an EventQuery).
FILTERS = [
    ("", EventQuery()),
    ("country=TUR", EventQuery(country="TUR")),
    ("dyad=AZE-TUR", EventQuery(dyad=("AZE", "TUR"))),
    ("type=exercise&since=2020", EventQuery(type="exercise", since="2020")),
    ("q=falcon", EventQuery(text="falcon")),
    ("place=Place17", EventQuery(place="Place17")),
    (
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


def first_pages() -> list[str]:
    """The first page of each usual filter."""
    return [
        f"/api/events?{q}&limit={PAGE}" if q else f"/api/events?limit={PAGE}" for q, _ in FILTERS
    ]


def deep_pages(url: str, per_filter: int = 4) -> list[str]:
    """Cursor pages spread over each filter's whole list, the last page included."""
    engine = create_engine(url)
    paths = []
    with engine.connect() as connection:
        for q, query in FILTERS:
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
                paths.append(f"/api/events?{q}&limit={PAGE}&cursor={cursor}".replace("?&", "?"))
    engine.dispose()
    return paths


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
        found[label] = figures(values, elapsed, 0)  # its requests/s: its share of the run
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        began = time.perf_counter()
        if args.store is not None and args.store.exists() and not stale(args.store):
            url = f"sqlite:///{args.store}"
            print(f"store {args.store} used as it is (built by an earlier run)")
        else:
            if args.store is not None and args.store.exists():
                print(f"store {args.store} built under older reconciliation rules: built again")
                for old in args.store.parent.glob(args.store.name + "*"):
                    old.unlink()
            url = build_store(args.store or Path(work) / "bench.db", args.events)
            print(f"store of {args.events} events built in {time.perf_counter() - began:.1f} s")
        static = Path(work) / "static"
        static.mkdir()
        first = first_pages()
        deep = deep_pages(url)
        found = {}
        for keep in (False, True):
            with running(url, static, args.workers, keep=keep) as base:
                if not (static / "page.json").exists():
                    size = show_answers(base, first, deep, static)
                mixed = [("first pages", p) for p in first]
                mixed += [("deep cursor pages", p) for p in deep]
                random.Random(1).shuffle(mixed)
                found[keep] = (
                    measure(base, mixed, args.requests, args.concurrency),
                    measure(
                        base,
                        [("aggregates", p) for p in AGGREGATES],
                        args.requests // 2,
                        args.concurrency,
                    ),
                    measure(
                        base,
                        [("static", "/bench-static/page.json")],
                        args.requests,
                        args.concurrency,
                    ),
                )
    print(f"{len(first)} first pages, {len(deep)} deep cursor pages, {len(AGGREGATES)} aggregates")
    print(
        f"one server, {args.workers} worker process(es), serves the API and the static file "
        f"alike; {args.concurrency} requests in flight"
    )
    for keep in (False, True):
        listing, counts, file = found[keep]
        print(
            "answers kept between requests (the default; a write drops them)"
            if keep
            else "answers not kept (every request computed: ServeConfig(cached_answers=0))"
        )
        rows = [
            ("  events list (first + deep pages)", listing["all"]),
            ("    first pages", listing["first pages"]),
            ("    deep cursor pages", listing["deep cursor pages"]),
            ("  aggregates", counts["all"]),
            (f"  static file ({size} bytes)", file["all"]),
        ]
        for label, figures_ in rows:
            rate = f", {figures_['rps']:.0f} requests/s" if not label.startswith("    ") else ""
            print(
                f"{label}: {figures_['requests']:.0f} requests, {figures_['failures']:.0f} "
                f"failed, p50 {figures_['p50_ms']:.1f} ms, p99 {figures_['p99_ms']:.1f} ms{rate}"
            )
        api, static_p99 = listing["all"], file["all"]["p99_ms"]
        print(f"  events p99 / static p99: {api['p99_ms'] / static_p99:.2f} (goal <= 2)")
        print(f"  events requests/s / static requests/s: {api['rps'] / file['all']['rps']:.2f}")
    listing, _, file = found[True]
    print(f"ratio {listing['all']['rps'] / file['all']['rps']:.2f}")
    sys.stdout.flush()


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


def show_answers(base: str, first: list[str], deep: list[str], static: Path) -> int:
    """Print each kind of request's answer and time alone; write the static file (as
    large as the largest page); its size."""
    sizes = []
    for path in first + deep[:: max(1, len(deep) // 6)] + AGGREGATES:
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
    size, body = max(sizes)
    (static / "page.json").write_bytes(body)
    return size


if __name__ == "__main__":
    main()
