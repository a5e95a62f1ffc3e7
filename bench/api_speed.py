"""Speed of GET /api/events with filters against a static JSON file of the same size.

    python bench/api_speed.py [--events 100000] [--requests 2000] [--concurrency 16]

Builds a SQLite store of synthetic canonical events (written in bulk: events,
participants, full-text rows), starts `defcoop`'s app under uvicorn in its own
process with one extra static directory, and from a third process (an asyncio
client, `--concurrency` requests in flight) sends the same number of requests to
the events endpoint (rotating filters: country, dyad, type + since, words,
place, status + until, each a page of 50) and to a static JSON file as large as a
page. Prints p50/p99 latency and requests/s of each and, last, `ratio R`: the
events endpoint's requests/s over the static file's (1.0 would be as fast as
serving a file).
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

from sqlalchemy import create_engine, insert

from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.database import Store
from defcoop.store.fulltext import SEARCH_TABLE
from defcoop.store.schema import event_participants, events

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


def synthetic_rows(
    n: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Events, participant and full-text rows of `n` random events."""
    rng = random.Random(seed)
    places = [
        (f"Place{i}", rng.choice(CODES), rng.uniform(-50, 70), rng.uniform(-170, 170))
        for i in range(300)
    ]
    now = datetime.now(UTC)
    # Evidence words from a vocabulary of news-text size, so that a word matches few events.
    vocabulary = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(5000)
    ]
    event_rows, participant_rows, text_rows = [], [], []
    for i in range(n):
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
            }
        )
        participant_rows.extend({"event_id": event_id, "code": c} for c in codes)
        sentence = " ".join(rng.choice(vocabulary) for _ in range(12))
        text_rows.append(
            {
                "event_id": event_id,
                "name": name or "",
                "place": f"{place[0]} {place[1]}" if place else "",
                "evidence": f"{' and '.join(codes)} held a {sentence}.",
            }
        )
    return event_rows, participant_rows, text_rows


def build_store(path: Path, n: int) -> str:
    """A SQLite store of `n` synthetic events, its URL."""
    url = f"sqlite:///{path}"
    Store.open(url).close()  # schema, filter indexes and the full-text table
    event_rows, participant_rows, text_rows = synthetic_rows(n, seed=7)
    engine = create_engine(url)
    from sqlalchemy import column, table

    search = table(
        SEARCH_TABLE, column("event_id"), column("name"), column("place"), column("evidence")
    )
    with engine.begin() as connection:
        for rows, target in (
            (event_rows, events),
            (participant_rows, event_participants),
            (text_rows, search),
        ):
            for i in range(0, len(rows), BATCH):
                connection.execute(insert(target), rows[i : i + BATCH])
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


def queries() -> list[str]:
    """Filtered event queries the client rotates through."""
    return [
        f"/api/events?country=TUR&limit={PAGE}",
        f"/api/events?dyad=AZE-TUR&limit={PAGE}",
        f"/api/events?type=exercise&since=2020&limit={PAGE}",
        f"/api/events?q=falcon&limit={PAGE}",
        f"/api/events?place=Place17&limit={PAGE}",
        f"/api/events?status=planned&until=2005-06&country=USA&limit={PAGE}",
        f"/api/events?country=POL&type=training&offset=50&limit={PAGE}",
    ]


async def hammer(
    base: str, paths: list[str], count: int, concurrency: int, limit_s: float
) -> dict[str, float]:
    """Send `count` GETs cycling over the paths, `concurrency` at once; latency and rate."""
    import httpx2

    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + limit_s
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for path in paths:  # warm up: connections, caches
            await client.get(path)
        queue = iter(range(count))

        async def worker() -> None:
            nonlocal failures
            for i in queue:
                if time.perf_counter() > deadline:
                    return
                began = time.perf_counter()
                response = await client.get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": failures,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "rps": len(latencies) / elapsed,
    }


def client(base: str, paths: list[str], count: int, concurrency: int, out: Any) -> None:
    """The client process: measures and sends the figures back."""
    out.send(asyncio.run(hammer(base, paths, count, concurrency, limit_s=300)))


def measure(base: str, paths: list[str], count: int, concurrency: int) -> dict[str, float]:
    """Run the client in its own process and return its figures."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=client, args=(base, paths, count, concurrency, send))
    process.start()
    figures: dict[str, float] = receive.recv()
    process.join()
    return figures


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        began = time.perf_counter()
        url = build_store(Path(work) / "bench.db", args.events)
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
            paths = queries()
            sizes = []
            for path in paths:
                with urllib.request.urlopen(base + path, timeout=30) as answer:
                    body = answer.read()
                    sizes.append(len(body))
                    print(f"{path}: total {json.loads(body)['total']}, {len(body)} bytes")
            page = max(sizes)
            with urllib.request.urlopen(base + paths[sizes.index(page)], timeout=30) as answer:
                (static / "page.json").write_bytes(answer.read())
            api = measure(base, paths, args.requests, args.concurrency)
            file = measure(base, ["/bench-static/page.json"], args.requests, args.concurrency)
        finally:
            server.terminate()
            server.join(10)
    for label, figures in (("events endpoint", api), (f"static file ({page} bytes)", file)):
        print(
            f"{label}: {figures['requests']:.0f} requests, {figures['failures']:.0f} failed, "
            f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
            f"{figures['rps']:.0f} requests/s"
        )
    print(f"ratio {api['rps'] / file['rps']:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
