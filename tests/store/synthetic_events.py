"""A store of many invented canonical events, written straight into the tables."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import create_engine, insert

from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.database import Store
from defcoop.store.engine import store_url
from defcoop.store.events import RECONCILED, pair_rows, participant_rows
from defcoop.store.fulltext import reindex
from defcoop.store.schema import event_pairs, event_participants, events
from defcoop.store.tallies import rebuild

CODES = ["AZE", "GEO", "POL", "TUR"]


def event_rows(n: int, seed: int = 3) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Events (some sharing a start, some undated) and their participant rows."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows, codes_of = [], []
    for i in range(n):
        codes = sorted(rng.sample(CODES, rng.choice((2, 3))))
        roll = rng.random()
        # Few distinct starts, so that many events tie on their start.
        start = None if roll < 0.05 else f"20{rng.randint(15, 24)}-0{rng.randint(1, 3)}-01"
        if 0.05 <= roll < 0.1:
            start = f"20{rng.randint(15, 24)}"
        place = (f"Town{i % 40}", rng.choice(CODES), 40.0 + i % 40, 30.0) if roll > 0.3 else None
        rows.append(
            {
                "event_id": f"ev-{i:05d}",
                "seq": i + 1,
                "type": rng.choice(EVENT_TYPES),
                "name": None,
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
                "start_year": int(start[:4]) if start else None,
                "status": rng.choice(STATUSES),
                "n_mentions": 1,
                "n_reports": 1,
                "first_report": date(2024, 1, 1),
                "last_report": date(2024, 1, 1),
                "provenance": "{}",
                "updated_at": now,
                "reconciled": RECONCILED,  # else opening the store would reconcile them again
            }
        )
        codes_of.extend(participant_rows(f"ev-{i:05d}", codes, rows[-1]["start"]))
    return rows, codes_of


def synthetic_store(url: str, n: int) -> None:
    """A store at `url` holding `n` invented events, its summaries counted."""
    Store.open(url).close()
    rows, codes = event_rows(n)
    engine = create_engine(store_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(insert(events), rows)
            connection.execute(insert(event_participants), codes)
            pairs = [
                p
                for row in rows
                for p in pair_rows(row["event_id"], json.loads(row["participants"]), row["start"])
            ]
            connection.execute(insert(event_pairs), pairs)
            reindex(connection, [row["event_id"] for row in rows])  # places: words to find
            rebuild(connection)
    finally:
        engine.dispose()
