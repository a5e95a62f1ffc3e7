"""The synthetic store of bench/api_speed.py: canonical events written straight into the
tables (events, participants, pairs, full-text rows and their keys), the summaries then
counted once; in SQLite (the driver's executemany) or PostgreSQL (COPY).
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine

from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.database import Store
from defcoop.store.engine import store_url
from defcoop.store.events import RECONCILED, pair_rows
from defcoop.store.events import participant_rows as participant_rows_of
from defcoop.store.fulltext import KEYS_TABLE, SEARCH_TABLE, start_bucket
from defcoop.store.schema import event_pairs, event_participants, events
from defcoop.store.tallies import rebuild
from defcoop.store.word_rows import add_words

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
        key = start_bucket(start) + i + 1  # in its start's bucket (store.fulltext)
        key_rows.append({"id": key, "event_id": event_id, "start": start})
        text_rows.append(
            {
                "rowid": key,  # the id of its key
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
    places = _places(rng)
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


def _places(rng: random.Random) -> list[tuple[str, str, float, float]]:
    """The 300 places the events are at."""
    return [
        (f"Place{i}", rng.choice(CODES), rng.uniform(-50, 70), rng.uniform(-170, 170))
        for i in range(300)
    ]


def build_postgres_store(url: str, n: int) -> None:
    """A PostgreSQL store of the same `n` synthetic events (COPY), its summaries counted."""
    Store.open(url).close()  # schema, filter indexes, the full-text table, the summaries
    rng = random.Random(7)
    places = _places(rng)
    engine = create_engine(store_url(url))
    try:
        with engine.begin() as connection:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            for first in range(0, n, BATCH):
                rows = synthetic_rows(first, min(BATCH, n - first), rng, places)
                tables = (events.name, event_participants.name, event_pairs.name, SEARCH_TABLE)
                for batch, target in zip(rows, tables, strict=False):
                    if target == SEARCH_TABLE:  # no rowid on PostgreSQL
                        batch = [{k: v for k, v in r.items() if k != "rowid"} for r in batch]
                    names = ", ".join(f'"{name}"' for name in batch[0])
                    with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(tuple(row.values()))
                add_words(connection, [row["event_id"] for row in rows[3]])  # as the bulk load
                if first and first % (20 * BATCH) == 0:
                    print(f"  {first} events written", flush=True)
            rebuild(connection)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
