"""Rows sent in bulk (`bulk.sink.RowSink`) are stored as SQLAlchemy's own insert stores them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from defcoop.bulk.sink import RowSink
from defcoop.store.schema import event_participants, events, metadata

AWKWARD = "tab\there, back\\slash\\N, line\nbreak, return\r, Zürich «Ωμέγα» 東京 🚢"


def awkward_event(event_id: str, seq: int, *, empty: bool = False) -> dict[str, Any]:
    """An events row whose every column needs care: text with COPY's special characters,
    booleans, dates, an aware datetime off UTC, floats; or (`empty`) NULL where allowed."""
    return {
        "event_id": event_id,
        "seq": seq,
        "type": "exercise",
        "name": None if empty else AWKWARD,
        "participants": '["FRA", "DEU"]',
        "support": '{"FRA": 2}',
        "has_location": not empty,
        "location_name": None if empty else "Saint-Étienne\\",
        "location_country": None if empty else "FRA",
        "location_lat": None if empty else 45.4397,
        "location_lon": None if empty else -0.1,
        "location_place_id": None,
        "start": None if empty else "2021-03",
        "end": None,
        "start_year": None if empty else 2021,
        "status": None if empty else "planned",
        "n_mentions": 2,
        "n_reports": 1,
        "first_report": None if empty else date(2021, 2, 28),
        "last_report": None if empty else date(2021, 3, 1),
        "provenance": '{"name": 1}',
        "updated_at": datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=2))),
        "conflicts": "{}",
        "set_aside": "[]",
        "n_conflicts": 0,
        "series": None if empty else AWKWARD,
        "status_as_of": None if empty else date(2021, 1, 31),
        "reconciled": 3,
    }


def stored(url: str, table: str) -> list[tuple[Any, ...]]:
    """Each row's values as SQLite holds them: storage class and literal of each column."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = [r[1] for r in connection.exec_driver_sql(f'PRAGMA table_info("{table}")')]
            cells = ", ".join(f'typeof("{n}"), quote("{n}")' for n in names)
            return [tuple(r) for r in connection.execute(text(f'SELECT {cells} FROM "{table}"'))]
    finally:
        engine.dispose()


def test_row_sink_stores_what_sqlalchemy_stores(tmp_path: Path) -> None:
    """The driver's executemany with SQLAlchemy's conversions: dates as its text, an aware
    datetime as SQLAlchemy writes it (not sqlite3's own adapter), booleans as 0/1."""
    rows = [awkward_event("e-1", 1), awkward_event("e-2", 2, empty=True)]
    participants = [{"event_id": "e-1", "code": "FRA", "start": "2021-03"}]
    found = {}
    for way in ("sqlalchemy", "sink"):
        url = f"sqlite:///{tmp_path / f'{way}.db'}"
        engine = create_engine(url)
        metadata.create_all(engine, tables=[events, event_participants])
        with engine.begin() as connection:
            if way == "sink":
                sink = RowSink(connection, [events, event_participants])
                for row in rows:
                    sink.add(events, row)
                for row in participants:
                    sink.add(event_participants, row)
                sink.flush()
            else:
                connection.execute(events.insert(), rows)
                connection.execute(event_participants.insert(), participants)
        engine.dispose()
        found[way] = {t: stored(url, t) for t in ("events", "event_participants")}
    assert len(found["sink"]["events"]) == 2
    assert found["sink"] == found["sqlalchemy"]
    # the aware datetime is written as SQLAlchemy's text, not sqlite3's isoformat
    assert "'2026-05-06 07:08:09.123456'" in found["sink"]["events"][0]
