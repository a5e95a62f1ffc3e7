"""Pages of events by keyset (cursor), and how many events a query finds.

A page is cut by the key of the last event of the page before, (start, event_id) in
the page order (latest start first, undated last, then by id descending), never by
an offset: a deep page costs what the first one does, and an event stored between two
requests neither repeats nor hides one. The cursor a client holds is that key,
encoded (`encode_cursor`).

The total is exact when the summary tables hold the query's filters (participant,
type, status, a year or month bound; or a place and a type: a sum of summary rows), or
when words are the only filter (the word index's count). Otherwise it is counted
exactly up to EXACT_TOTAL_UP_TO matches, and beyond that estimated: the summaries'
count for the filters they hold, times the share of the latest SAMPLE such events
that match the rest.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, cast

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    String,
    and_,
    func,
    literal,
    or_,
    select,
    type_coerce,
)

from defcoop.resolve.events import EventRecord
from defcoop.store.aggregates import (
    counted_in_places,
    counted_in_summary,
    pair_total,
    place_total,
    summary_total,
    walk_in_order,
)
from defcoop.store.counts_memo import kept_count
from defcoop.store.events import record_from_row
from defcoop.store.fulltext import count_matches, words_of
from defcoop.store.page_statements import kept_statements, page_statements
from defcoop.store.schema import events
from defcoop.store.search import EventQuery, PageKey, conditions, latest_first
from defcoop.store.walks import events_walk, narrow_walk, order_of, query_pair
from defcoop.store.word_pages import postgres_word_rows, word_page

EXACT_TOTAL_UP_TO = 1000  # totals up to this many matches are counted exactly
SAMPLE = 1000  # events whose share of matches scales an estimated total


@dataclass(frozen=True)
class EventPage:
    """One page of the events a query finds, how many it finds, where the next page starts."""

    items: list[EventRecord]
    total: int
    total_is_estimate: bool = False
    next_key: PageKey | None = None  # None on the last page


@dataclass(frozen=True)
class EventListing:
    """A page of events as JSON objects (what the API answers), and the rest of EventPage."""

    items: list[dict[str, object]]
    total: int
    total_is_estimate: bool = False
    next_key: PageKey | None = None


def encode_cursor(key: PageKey) -> str:
    """The opaque cursor a client sends back for the page after `key`."""
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> PageKey:
    """The key a cursor holds; ValueError when it is not one `encode_cursor` made."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a cursor this server gave (undecodable)") from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not (value[0] is None or (isinstance(value[0], str) and len(value[0]) <= 10))
        or not (isinstance(value[1], str) and 0 < len(value[1]) <= 200)
    ):
        raise ValueError("not a cursor this server gave (not a page key)")
    return (value[0], value[1])


def _count_up_to(connection: Connection, query: EventQuery, cap: int) -> int:
    """How many events the query finds, counting no further than cap + 1."""
    found = (
        select(literal(1).label("one"))
        .select_from(events)
        .where(and_(True, *conditions(connection, query)))
        .limit(cap + 1)
        .subquery()
    )
    return int(connection.execute(select(func.count()).select_from(found)).scalar_one())


def _held_part(query: EventQuery) -> EventQuery:
    """The widest query the summaries count that finds every event `query` finds."""
    country = query.country or (query.dyad[0] if query.dyad else None)
    return EventQuery(
        country=country,
        type=query.type,
        status=query.status,
        since=query.since[:7] if query.since else None,
        until=query.until[:7] if query.until else None,
    )


def _estimate(connection: Connection, query: EventQuery) -> int:
    """The summaries' count of the held filters (or of the query's pair), scaled by the
    share of the latest SAMPLE such events that match the rest."""
    held = _held_part(query)
    pair = query_pair(query)
    if pair is not None:  # a pair is narrower than its first participant
        held = EventQuery(dyad=pair)
        wider = pair_total(connection, pair)
    else:
        wider = summary_total(connection, held)
    walk = narrow_walk(held) or events_walk(held)  # read in its index's order, no sort
    sample = (
        select(walk.ident.label("event_id"))
        .select_from(walk.source)
        .where(
            *walk.terms,
            *conditions(connection, walk.rest, in_order=True, narrowed=walk.narrowed),
        )
        .order_by(*order_of(connection, walk))
        .limit(SAMPLE)
        .subquery()
    )
    sampled = min(SAMPLE, wider)
    hits = connection.execute(
        select(func.count())
        .select_from(sample.join(events, events.c.event_id == sample.c.event_id))
        .where(*conditions(connection, query, in_order=True))
    ).scalar_one()
    return max(EXACT_TOTAL_UP_TO + 1, round(wider * int(hits) / max(1, sampled)))


def _words_only(query: EventQuery) -> bool:
    """Whether words are the query's only filter."""
    alone = replace(query, text=None, limit=50, offset=0, after=None) == EventQuery()
    return bool(query.text) and alone


def count_events(connection: Connection, query: EventQuery) -> tuple[int, bool]:
    """How many events a query finds, and whether that number is an estimate."""
    if counted_in_summary(query):  # a few hundred summary rows, however many events
        return summary_total(connection, query), False
    if counted_in_places(query):
        return place_total(connection, query), False
    if _words_only(query):
        return count_matches(connection, query.text or ""), False  # the word index counts
    # Counted once per store version for the filters, whatever the page (`store.counts_memo`).
    filters = replace(query, limit=50, offset=0, after=None)
    found = kept_count(
        connection,
        ("up to", filters),
        lambda: _count_up_to(connection, filters, EXACT_TOTAL_UP_TO),
    )
    if found <= EXACT_TOTAL_UP_TO:
        return found, False
    return kept_count(
        connection, ("estimate", filters), lambda: _estimate(connection, filters)
    ), True


def _beyond(after: PageKey) -> ColumnElement[bool]:
    """The events after a key in page order (in one term, which no index range serves)."""
    start, ident = after
    if start is None:
        return and_(events.c.start.is_(None), events.c.event_id < ident)
    return or_(
        events.c.start < start,
        and_(events.c.start == start, events.c.event_id < ident),
        events.c.start.is_(None),
    )


def _page_rows(
    connection: Connection,
    query: EventQuery,
    columns: Sequence[Any],
    *,
    in_order: bool,
    narrow: str | None = None,
) -> list[Row[Any]]:
    """The page's rows (the given columns, start and event_id first) and one more row,
    which tells that a page follows.

    `in_order`: walk an index in page order until the page is full (`narrow`: the
    query's participant's, pair's or place's, `store.walks`); otherwise look the
    matches up.
    """
    wanted = query.limit + 1
    after = query.after
    if query.offset:  # one query in page order, skipping rows: slower the deeper it goes
        terms = and_(True, *conditions(connection, query, in_order=in_order))
        statement: Select[Any] = select(*columns).where(terms)
        if after is not None:
            statement = statement.where(_beyond(after))
        statement = statement.order_by(*latest_first(connection)).offset(query.offset)
        return list(connection.execute(statement.limit(wanted)).all())
    if _words_only(query):
        if connection.dialect.name == "postgresql":
            return postgres_word_rows(
                connection, words_of(query.text or ""), after, wanted, columns
            )
        page = word_page(connection, words_of(query.text or ""), after, wanted)
        statement = select(*columns).where(events.c.event_id.in_(page))
        return list(connection.execute(statement.order_by(*latest_first(connection))).all())
    if query.text or columns is not _LISTED:  # built for this query
        statements = page_statements(connection, query, columns, in_order=in_order, narrow=narrow)
        values: dict[str, Any] = {}
    else:
        statements, values = kept_statements(
            connection, query, columns, in_order=in_order, narrow=narrow
        )
    found: list[Row[Any]] = []
    if statements.dated is not None:
        found = list(connection.execute(statements.dated, {**values, "wanted": wanted}).all())
    if len(found) < wanted:
        rest = {**values, "wanted": wanted - len(found)}
        found += connection.execute(statements.undated, rest).all()
    return found


def _page(
    connection: Connection, query: EventQuery, columns: Sequence[Any]
) -> tuple[list[Row[Any]], int, bool, PageKey | None]:
    """The rows of a page, the total, whether it is estimated, the key of the next page.

    Walk an index in page order until the page is full, or look the matches up and sort
    them, whichever reads fewer rows (`aggregates.walk_in_order`).
    """
    total, estimated = count_events(connection, query)
    in_order, narrow = False, None
    if not _words_only(query):  # else `word_page`
        in_order, narrow = walk_in_order(connection, query, total, query.limit)
    rows = _page_rows(connection, query, columns, in_order=in_order, narrow=narrow)
    page = rows[: query.limit]
    following = (page[-1].start, page[-1].event_id) if len(rows) > query.limit else None
    return page, total, estimated, following


def find_events(connection: Connection, query: EventQuery) -> EventPage:
    """One page of the events a query finds, latest start first, and their total."""
    rows, total, estimated, following = _page(connection, query, list(events.c))
    items = [record_from_row(dict(row._mapping)) for row in rows]
    return EventPage(items, total, estimated, following)


# What a listed event shows (`EventRecord.as_json`): no provenance, support or values
# set aside, which cost more to decode than the rest of the row. Read as tuples, in
# this order (`_listed`); the dates as the text SQLite holds (ISO already: no parsing
# into a date to print it again), which PostgreSQL gives as dates.
_LISTED_NAMES = (
    "start event_id type name participants has_location location_name location_country"
    " location_lat location_lon location_place_id end status n_reports first_report"
    " last_report series status_as_of conflicts n_conflicts"
).split()
_DATES = {"first_report", "last_report", "status_as_of"}
_LISTED = [
    type_coerce(events.c[name], String).label(name) if name in _DATES else events.c[name]
    for name in _LISTED_NAMES
]


def _listed(row: Row[Any]) -> dict[str, object]:
    """The JSON of a listed event, as `EventRecord.as_json` gives it, from its row."""
    (
        start,
        event_id,
        kind,
        name,
        participants,
        has_location,
        location_name,
        location_country,
        lat,
        lon,
        _place_id,
        end,
        status,
        n_reports,
        first_report,
        last_report,
        series,
        status_as_of,
        conflicts,
        n_conflicts,
    ) = cast("tuple[Any, ...]", row)
    location: dict[str, object] | None = None
    if has_location:  # as `Location.as_json`
        location = {"name": location_name, "country": location_country}
        if lat is not None and lon is not None:
            location["lat"] = round(lat, 4)
            location["lon"] = round(lon, 4)
    return {
        "event_id": event_id,
        "type": kind,
        "name": name,
        "participants": orjson.loads(participants),
        "location": location,
        "start": start,
        "end": end,
        "status": status,
        "reports": n_reports,
        "first_report": _iso(first_report),
        "last_report": _iso(last_report),
        "series": series,
        "status_as_of": _iso(status_as_of),
        "conflicts": sorted(orjson.loads(conflicts)) if n_conflicts else [],
    }


def _iso(day: date | str | None) -> str | None:
    """A date (or its ISO text) as ISO text, or None."""
    return day.isoformat() if isinstance(day, date) else day


def list_events(connection: Connection, query: EventQuery) -> EventListing:
    """One page of the events a query finds as their JSON (`EventRecord.as_json`), for the API."""
    rows, total, estimated, following = _page(connection, query, _LISTED)
    return EventListing([_listed(row) for row in rows], total, estimated, following)


def page_after(query: EventQuery, page: EventPage) -> EventQuery | None:
    """The query of the page after this one, or None on the last page."""
    if page.next_key is None:
        return None
    return replace(query, after=page.next_key, offset=0)
