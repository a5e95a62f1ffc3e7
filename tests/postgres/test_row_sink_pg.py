"""On PostgreSQL, rows sent by COPY (`bulk.sink.RowSink`) are those SQLAlchemy's insert stores."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, select
from test_row_sink import AWKWARD, awkward_event

from defcoop.bulk.sink import RowSink
from defcoop.store.schema import event_participants, events, metadata

pytestmark = pytest.mark.postgres


def test_row_sink_copies_what_sqlalchemy_inserts(postgres_url: str) -> None:
    """COPY's special characters (tab, backslash, a literal \\N, line breaks), non-ASCII,
    NULLs, dates and an aware datetime come back as SQLAlchemy's own insert leaves them."""
    engine = create_engine(postgres_url)
    try:
        metadata.create_all(engine, tables=[events, event_participants])
        found: dict[str, list[tuple[Any, ...]]] = {}
        for prefix in ("a", "b"):
            rows = [awkward_event(f"{prefix}-1", 1), awkward_event(f"{prefix}-2", 2, empty=True)]
            participants = [{"event_id": f"{prefix}-1", "code": "F\tR\\A", "start": None}]
            with engine.begin() as connection:
                if prefix == "b":
                    sink = RowSink(connection, [events, event_participants])
                    for row in rows:
                        sink.add(events, row)
                    sink.add(event_participants, participants[0])
                    sink.flush()
                else:
                    connection.execute(events.insert(), rows)
                    connection.execute(event_participants.insert(), participants)
            with engine.connect() as connection:
                found[prefix] = (
                    [
                        tuple(r)[1:]  # all but the event's id
                        for r in connection.execute(
                            select(events)
                            .where(events.c.event_id.startswith(prefix))
                            .order_by(events.c.event_id)
                        )
                    ]
                    + [
                        tuple(r)[1:]
                        for r in connection.execute(
                            select(event_participants).where(
                                event_participants.c.event_id.startswith(prefix)
                            )
                        )
                    ]
                )
        assert found["b"] == found["a"]
        assert found["b"][0][2] == AWKWARD
        assert found["b"][1][2] is None
    finally:
        engine.dispose()
