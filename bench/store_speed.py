"""Store speed on SQLite and PostgreSQL in one run: ingest rate and resolution cost per report.

    python bench/store_speed.py [--reports 500] [--small 1000] [--large 100000] [--batch 200]
                                [--postgres URL]

For each backend:

- ingest: reports/s of `Store.add` of fresh synthetic reports (already extracted, two
  mentions each) into an empty store, one transaction per report, resolution included;
- resolution: seconds per report to add a batch into stores already holding about
  `--small` and `--large` mentions (bench/resolve_speed.py builds the SQLite stores;
  the PostgreSQL ones are bulk copies of them).

PostgreSQL is a throwaway server started from Debian's binaries (see
tests/postgres/pg_server.py), or the server at `--postgres` (a database URL whose
user may create databases). The last line is `ratio R`: per-report time at the large
store over the small one, the worse of the two backends (near 1 means the cost of a
report does not grow with the store).
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "postgres"))

from pg_server import binaries, new_database, running_server  # noqa: E402
from resolve_speed import build_store, synthetic_reports, time_batch  # noqa: E402

from defcoop.store.database import Store  # noqa: E402
from defcoop.store.schema import metadata  # noqa: E402

COPY_CHUNK = 5_000
SERIAL_TABLES = ("mentions", "evidence", "errors", "corrections")


def ingest_rate(url: str, count: int) -> float:
    """Reports/s of adding `count` fresh reports to the (empty) store at `url`."""
    batch = list(synthetic_reports(count, 3, "ingest-"))
    with Store(url) as store:
        started = time.perf_counter()
        for extraction in batch:
            assert store.add(extraction)
        return count / (time.perf_counter() - started)


def copy_store(source_url: str, target_url: str) -> None:
    """Copy every table of a SQLite store into an empty PostgreSQL store at head."""
    Store(target_url).close()  # schema at head
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        with source.connect() as reading, target.begin() as writing:
            for table in metadata.sorted_tables:
                rows = reading.execute(select(table)).mappings()
                while chunk := rows.fetchmany(COPY_CHUNK):
                    writing.execute(insert(table), [dict(row) for row in chunk])
            for name in SERIAL_TABLES:
                top = writing.execute(select(func.max(metadata.tables[name].c.id))).scalar()
                if top:
                    writing.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {top})")
                    )
        with target.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    finally:
        source.dispose()
        target.dispose()


@contextmanager
def postgres(given: str | None) -> Iterator[str | None]:
    """A server URL: the one given, a throwaway one, or None when PostgreSQL is absent."""
    if given:
        with nullcontext(given) as url:
            yield url
    elif binaries() is None:
        print("PostgreSQL binaries not installed: SQLite only", flush=True)
        yield None
    else:
        with running_server() as url:
            yield url


def main() -> None:
    """Time both backends; print the figures, `ratio R` last."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--postgres", default=None, help="server URL (default: start one)")
    args = parser.parse_args()
    # A terminated run still stops its throwaway server and removes its files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    batch = list(synthetic_reports(args.batch, 2, "new-"))
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder, postgres(args.postgres) as server:
        backends = {"sqlite": lambda name: f"sqlite:///{Path(folder) / name}.db"}
        if server is not None:
            backends["postgresql"] = lambda name: new_database(server, name.replace("-", "_"))
        for backend, make in backends.items():
            rate = ingest_rate(make("ingest"), args.reports)
            print(f"{backend}: ingest {rate:.1f} reports/s ({args.reports} reports)", flush=True)
        timings: dict[tuple[str, int], float] = {}
        for size in (args.small, args.large):
            started = time.perf_counter()
            lite = build_store(Path(folder) / f"resolve-{size}.db", size)
            print(f"store of {size} mentions built in {time.perf_counter() - started:.1f} s")
            urls = {"sqlite": lite}
            if server is not None:
                started = time.perf_counter()
                urls["postgresql"] = new_database(server, f"resolve_{size}")
                copy_store(lite, urls["postgresql"])
                print(f"copied to PostgreSQL in {time.perf_counter() - started:.1f} s")
            for backend, url in urls.items():
                timings[(backend, size)] = time_batch(url, batch)
                print(
                    f"{backend}: {size} mentions: "
                    f"{timings[(backend, size)] * 1000:.2f} ms per report",
                    flush=True,
                )
        for backend in backends:
            ratios[backend] = timings[(backend, args.large)] / timings[(backend, args.small)]
            print(f"{backend}: ratio {ratios[backend]:.2f} ({args.large} / {args.small} mentions)")
    print(f"ratio {max(ratios.values()):.2f}")


if __name__ == "__main__":
    main()
