"""Checks that the summary tables of a store equal a recount of its events."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, and_, create_engine, func, select, text

from defcoop.store.aggregates import TALLIES, counted_in_summary, place_total, summary_total
from defcoop.store.engine import store_url
from defcoop.store.schema import event_pairs, events, tally_dyads, tally_events, tally_places
from defcoop.store.search import (
    EventQuery,
    conditions,
    count_by_dyad,
    count_by_period,
    count_by_place,
)
from defcoop.store.tallies import TALLY_KEYS, Cell, cells

# Queries the summaries answer; each is also counted on the events table.
SUMMARY_QUERIES = [
    EventQuery(),
    EventQuery(type="exercise"),
    EventQuery(type="agreement"),
    EventQuery(country="AZE"),
    EventQuery(country="TUR", type="exercise", status="completed"),
    EventQuery(since="2021"),
    EventQuery(since="2021-06", until="2022"),
    EventQuery(until="2021-09", country="GEO"),
]


def stored_cells(connection: Connection) -> Counter[Cell]:
    """What the summary tables hold, cell by cell."""
    held: Counter[Cell] = Counter()
    for table in (tally_events, tally_dyads, tally_places):
        names = TALLY_KEYS[table.name]
        for row in connection.execute(select(table)):
            held[(table.name, tuple(row._mapping[n] for n in names))] += row.n
    return held


def _recount_total(connection: Connection, query: EventQuery) -> int:
    found = (
        select(func.count()).select_from(events).where(and_(True, *conditions(connection, query)))
    )
    return int(connection.execute(found).scalar_one())


def summary_differences(url: str) -> list[str]:
    """How the summaries differ from a recount of the events (none when they agree)."""
    engine = create_engine(store_url(url))
    problems: list[str] = []
    try:
        with engine.connect() as connection:
            every = [row.event_id for row in connection.execute(select(events.c.event_id))]
            recount = +cells(connection, every)
            held = stored_cells(connection)
            if held != recount:
                problems.append(
                    f"cells: held-recount {held - recount}, recount-held {recount - held}"
                )
            pairs = connection.execute(
                text(
                    "SELECT x.code, y.code, x.event_id FROM event_participants x"
                    " JOIN event_participants y ON y.event_id = x.event_id AND x.code < y.code"
                )
            )
            stored_pairs = connection.execute(
                select(event_pairs.c.a, event_pairs.c.b, event_pairs.c.event_id)
            )
            if sorted(map(tuple, pairs)) != sorted(map(tuple, stored_pairs)):
                problems.append("event_pairs differ from the participants' pairs")
            for table in ("event_participants", "event_pairs"):  # the page order's copy
                unlike = connection.execute(
                    text(
                        f"SELECT count(*) FROM {table} t JOIN events e ON e.event_id = t.event_id"
                        " WHERE t.start IS DISTINCT FROM e.start"
                        if connection.dialect.name == "postgresql"
                        else f"SELECT count(*) FROM {table} t JOIN events e"
                        " ON e.event_id = t.event_id WHERE t.start IS NOT e.start"
                    )
                ).scalar_one()
                if unlike:
                    problems.append(f"{table}: {unlike} rows whose start is not their event's")
            for query in SUMMARY_QUERIES:
                for monthly, name in ((False, "year"), (True, "month")):
                    got = TALLIES[name](connection, query)
                    want = count_by_period(connection, query, monthly=monthly)
                    if got != want:
                        problems.append(f"{name} {query}: {got} != {want}")
                assert counted_in_summary(query)
                if summary_total(connection, query) != _recount_total(connection, query):
                    problems.append(f"total {query}")
                if query.country or query.status or query.since or query.until:
                    continue
                if TALLIES["dyad"](connection, query) != count_by_dyad(connection, query):
                    problems.append(f"dyads {query}")
                if TALLIES["place"](connection, query) != count_by_place(connection, query):
                    problems.append(f"places {query}")
            for place in ("Tbilisi", "tbilisi", "GEO", "geo", "Nowhere"):
                for kind in (None, "exercise"):
                    query = EventQuery(place=place, type=kind)
                    if place_total(connection, query) != _recount_total(connection, query):
                        problems.append(f"place total {query}")
    finally:
        engine.dispose()
    return problems
