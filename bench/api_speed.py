"""Speed of the events list (first and deep cursor pages) and the aggregates, against a static file.

    python bench/api_speed.py [--events 1000000] [--requests 2000] [--concurrency 16]
                              [--store PATH]

Builds a SQLite store of synthetic canonical events (written straight into the tables
in batches: events, participants, pairs, full-text rows; then the summary tables counted
once), starts `defcoop`'s app under uvicorn in its own process with one extra static
directory, and from a third process (an asyncio client, `--concurrency` requests in
flight) sends `--requests` requests to each of:

- the first page of the events list with the usual filters (none, country, dyad,
  type + since, words, place, status + until + country), 50 events a page;
- deep pages of the same lists, by cursor, at positions spread over the whole list
  (up to the last page);
- the aggregates (timeline by year and by month, dyads, places, points), unfiltered
  and filtered;
- a static JSON file as large as the largest page, served by the same server.

Prints p50/p99 latency and requests/s of each, and last `ratio R`: the events list's
requests/s (first and deep pages together) over the static file's. The goals: ratio
>= 0.5 and the events list's p99 <= 2x the static file's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import column, create_engine, insert, select, table

from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.database import Store
from defcoop.store.events import RECONCILED, pair_rows
from defcoop.store.fulltext import SEARCH_TABLE
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
    event_rows, participant_rows, pair_rows_, text_rows = [], [], [], []
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
        participant_rows.extend({"event_id": event_id, "code": c} for c in codes)
        pair_rows_.extend(pair_rows(event_id, codes))
        sentence = " ".join(rng.choice(VOCABULARY) for _ in range(12))
        text_rows.append(
            {
                "event_id": event_id,
                "name": name or "",
                "place": f"{place[0]} {place[1]}" if place else "",
                "evidence": f"{' and '.join(codes)} held a {sentence}.",
            }
        )
    return event_rows, participant_rows, pair_rows_, text_rows


def build_store(path: Path, n: int) -> str:
    """A SQLite store of `n` synthetic events, its URL."""
    url = f"sqlite:///{path}"
    Store.open(url).close()  # schema, filter indexes, the full-text table, the summaries
    rng = random.Random(7)
    places = [
        (f"Place{i}", rng.choice(CODES), rng.uniform(-50, 70), rng.uniform(-170, 170))
        for i in range(300)
    ]
    search = table(
        SEARCH_TABLE, column("event_id"), column("name"), column("place"), column("evidence")
    )
    engine = create_engine(url)
    with engine.begin() as connection:
        for first in range(0, n, BATCH):
            rows = synthetic_rows(first, min(BATCH, n - first), rng, places)
            tables = (events, event_participants, event_pairs, search)
            for batch, target in zip(rows, tables, strict=True):
                connection.execute(insert(target), batch)
            if first and first % (20 * BATCH) == 0:
                print(f"  {first} events written", flush=True)
        rebuild(connection)  # the summaries, counted once (ingest keeps them afterwards)
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url


def serve(url: str, static_dir: str, port: int) -> None:
    """The app over the store, plus /bench-static, under uvicorn (runs in its own process)."""
    import uvicorn
    from fastapi.staticfiles import StaticFiles

    from defcoop.api.app import create_app
    from defcoop.api.backend import Backend
    from defcoop.api.config import ServeConfig
    from defcoop.nlp.actors import ActorLexicon
    from defcoop.nlp.places import Gazetteer

    store = Store.open(url)
    app = create_app(
        Backend(store, ActorLexicon.from_package(), Gazetteer.from_package(), ServeConfig())
    )
    app.mount("/bench-static", StaticFiles(directory=static_dir), name="bench-static")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


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
        "--store", type=Path, help="keep the built store in this file and use it when there"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        began = time.perf_counter()
        if args.store is not None and args.store.exists():
            url = f"sqlite:///{args.store}"
            print(f"store {args.store} used as it is (built by an earlier run)")
        else:
            url = build_store(args.store or Path(work) / "bench.db", args.events)
            print(f"store of {args.events} events built in {time.perf_counter() - began:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        static = Path(work) / "static"
        static.mkdir()
        server = multiprocessing.Process(target=serve, args=(url, str(static), port), daemon=True)
        server.start()
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(base + "/api/events?limit=1", timeout=2):
                        break
                except OSError:
                    time.sleep(0.2)
            first = first_pages()
            deep = deep_pages(url)
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
            mixed = [("first pages", p) for p in first] + [("deep cursor pages", p) for p in deep]
            random.Random(1).shuffle(mixed)
            listing = measure(base, mixed, args.requests, args.concurrency)
            counts = measure(
                base, [("aggregates", p) for p in AGGREGATES], args.requests // 2, args.concurrency
            )
            file = measure(
                base, [("static", "/bench-static/page.json")], args.requests, args.concurrency
            )
        finally:
            server.terminate()
            server.join(10)
    print(f"{len(first)} first pages, {len(deep)} deep cursor pages, {len(AGGREGATES)} aggregates")
    rows = [
        ("events list (first + deep pages)", listing["all"]),
        ("  first pages", listing["first pages"]),
        ("  deep cursor pages", listing["deep cursor pages"]),
        ("aggregates", counts["all"]),
        (f"static file ({size} bytes)", file["all"]),
    ]
    for label, found in rows:
        rate = f", {found['rps']:.0f} requests/s" if not label.startswith("  ") else ""
        print(
            f"{label}: {found['requests']:.0f} requests, {found['failures']:.0f} failed, "
            f"p50 {found['p50_ms']:.1f} ms, p99 {found['p99_ms']:.1f} ms{rate}"
        )
    api = listing["all"]
    static_p99 = file["all"]["p99_ms"]
    print(f"events p99 / static p99: {api['p99_ms'] / static_p99:.2f} (goal <= 2)")
    print(f"ratio {api['rps'] / file['all']['rps']:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
