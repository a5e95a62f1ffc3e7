"""Finding canonical events: filters, full-text search, pages and counts.

Every finder takes the same `EventQuery`, so the list, the timeline, the map and
the network of the web UI always show the same events. Words are looked up in the
full-text index (`store.fulltext`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    exists,
    func,
    literal_column,
    select,
)

from defcoop.records import Mention
from defcoop.store.fulltext import text_filter
from defcoop.store.resolution import load_mentions
from defcoop.store.schema import event_pairs, event_participants, events, mentions
from defcoop.store.walks import order_of, value, walk_for

POINTS_CAP = 5000  # events put on one map: more would not be readable anyway


# Where a page ends in the page order: the start and id of its last event.
PageKey = tuple[str | None, str]


@dataclass(frozen=True)
class EventQuery:
    """Which events to find: every filter is optional; the values are already checked."""

    country: str | None = None  # a participant's code
    dyad: tuple[str, str] | None = None  # two participants' codes
    type: str | None = None
    status: str | None = None
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    until: str | None = None  # likewise, inclusive at its precision
    place: str | None = None  # a place name or a country code, any case
    text: str | None = None  # words searched in names, places and evidence
    conflicts: bool = False  # only events whose mentions disagree on a field
    series: str | None = None  # only editions of this series (its key)
    limit: int = 50
    offset: int = 0
    after: PageKey | None = None  # the (start, event_id) of the last event of the page before


def _having(code: Any, ident: ColumnElement[Any], *, probe: bool) -> ColumnElement[bool]:
    """Events one of whose participants has this code.

    `probe`: checked event by event in the (code, event_id) index, for a walk in page
    order; otherwise the code's events are listed first (few matches).
    """
    if probe:
        return exists().where(
            event_participants.c.code == code, event_participants.c.event_id == events.c.event_id
        )
    return ident.in_(select(event_participants.c.event_id).where(event_participants.c.code == code))


def _pair(a: Any, b: Any, ident: ColumnElement[Any], *, probe: bool) -> ColumnElement[bool]:
    """Events with both participants (a < b), as `_having` does for one."""
    pair = (event_pairs.c.a == a) & (event_pairs.c.b == b)
    if probe:
        return exists().where(pair, event_pairs.c.event_id == events.c.event_id)
    return ident.in_(select(event_pairs.c.event_id).where(pair))


def _looked_up(query: EventQuery) -> bool:
    """Whether a filter with an index of its own that lists its events is given."""
    return bool(query.country or query.dyad or query.place or query.text)


def conditions(
    connection: Connection,
    query: EventQuery,
    *,
    in_order: bool = False,
    narrowed: bool = False,
    bound: bool = False,
) -> list[ColumnElement[bool]]:
    """The WHERE terms on the events table that a query asks for.

    `in_order` keeps SQLite from looking events up by id (a unary + hides the key
    from the planner), so that it walks the page-order index instead and stops at
    the end of the page, checking participants event by event: faster when many
    events match. `narrowed`: the events come from a participant's, pair's or place's index
    in page order (`store.walks`); the type's and status's indexes are hidden too.
    `bound`: the values as parameters (`walks.value`), for a statement built once per
    shape of query (`store.page_statements`); not for words.
    """
    ident: ColumnElement[Any] = events.c.event_id
    if in_order and connection.dialect.name == "sqlite":
        ident = literal_column("(+events.event_id)")
    terms: list[ColumnElement[bool]] = []
    if query.country:
        terms.append(_having(value(bound, "country", query.country), ident, probe=in_order))
    if query.dyad:
        a, b = sorted(query.dyad)
        if a == b:
            terms.append(_having(value(bound, "a", a), ident, probe=in_order))
        else:
            bound_a, bound_b = value(bound, "a", a), value(bound, "b", b)
            terms.append(_pair(bound_a, bound_b, ident, probe=in_order))
    kind: ColumnElement[Any] = events.c.type
    status: ColumnElement[Any] = events.c.status
    hidden = narrowed or (not in_order and _looked_up(query))
    if hidden and connection.dialect.name == "sqlite":
        # The matches come from a narrower index (participant, pair, place, words):
        # hidden, the type's and status's indexes cannot lead SQLite away from it.
        kind, status = literal_column("(+events.type)"), literal_column("(+events.status)")
    if query.type:
        terms.append(kind == value(bound, "type", query.type))
    if query.status:
        terms.append(status == value(bound, "status", query.status))
    when = func.coalesce(events.c.start, events.c.end)
    if query.since:
        if len(query.since) == 4:
            terms.append(events.c.start_year >= value(bound, "since_year", int(query.since)))
        else:
            terms.append(when >= value(bound, "since", query.since))
    if query.until:
        if len(query.until) == 4:
            terms.append(events.c.start_year <= value(bound, "until_year", int(query.until)))
        else:
            until = value(bound, "until", query.until)
            terms.append(func.substr(when, 1, len(query.until)) <= until)
    if query.place:
        name = value(bound, "place_lower", query.place.lower())
        code = value(bound, "place_upper", query.place.upper())
        # lower(location_name): an indexed expression
        terms.append(
            (func.lower(events.c.location_name) == name) | (events.c.location_country == code)
        )
    if query.text:
        if bound:
            raise ValueError("words are not bound as parameters")
        terms.append(text_filter(connection, query.text, ident))
    if query.conflicts:
        terms.append(events.c.n_conflicts > 0)
    if query.series:
        terms.append(events.c.series == value(bound, "series", query.series))
    return terms


def latest_first(connection: Connection) -> list[ColumnElement[Any]]:
    """Latest start first, undated events last, then by id: the order of an index."""
    if connection.dialect.name == "postgresql":
        return [events.c.start.desc().nulls_last(), events.c.event_id.desc()]
    return [events.c.start.desc(), events.c.event_id.desc()]  # SQLite: NULL sorts lowest


def count_by_period(
    connection: Connection, query: EventQuery, *, monthly: bool
) -> list[dict[str, object]]:
    """Events per year (or month) and type; an event dated only by its year has no month."""
    when = func.coalesce(events.c.start, events.c.end)
    width = 7 if monthly else 4
    period = func.substr(when, 1, width)
    found = connection.execute(
        select(period.label("period"), events.c.type, func.count().label("n"))
        .where(and_(True, *conditions(connection, query)), func.length(when) >= width)
        .group_by(period, events.c.type)
        .order_by(period, events.c.type)
    )
    return [{"period": r.period, "type": r.type, "count": int(r.n)} for r in found]


def count_by_dyad(connection: Connection, query: EventQuery) -> list[dict[str, object]]:
    """Events per pair of participants (a < b), most events first."""
    a, b = event_participants.alias("a"), event_participants.alias("b")
    chosen = select(events.c.event_id).where(and_(True, *conditions(connection, query)))
    found = connection.execute(
        select(a.c.code.label("a"), b.c.code.label("b"), func.count().label("n"))
        .join(b, and_(a.c.event_id == b.c.event_id, a.c.code < b.c.code))
        .where(a.c.event_id.in_(chosen))
        .group_by(a.c.code, b.c.code)
        .order_by(func.count().desc(), a.c.code, b.c.code)
    )
    return [{"a": r.a, "b": r.b, "count": int(r.n)} for r in found]


def count_by_place(connection: Connection, query: EventQuery) -> list[dict[str, object]]:
    """Events per place (name and country), with its coordinates when known."""
    keys = (events.c.location_name, events.c.location_country)
    found = connection.execute(
        select(
            *keys,
            func.min(events.c.location_lat).label("lat"),
            func.min(events.c.location_lon).label("lon"),
            func.count().label("n"),
        )
        .where(and_(True, *conditions(connection, query)), events.c.has_location.is_(True))
        .group_by(*keys)
        .order_by(func.count().desc(), *keys)
    )
    return [
        {
            "name": r.location_name,
            "country": r.location_country,
            "lat": r.lat,
            "lon": r.lon,
            "count": int(r.n),
        }
        for r in found
    ]


def located_events(
    connection: Connection,
    query: EventQuery,
    cap: int,
    *,
    in_order: bool = False,
    narrow: str | None = None,
) -> list[dict[str, object]]:
    """Up to `cap` events with coordinates, for a map: id, type, name, start, place, point.

    `in_order` as for `conditions`: when many events match, walking the page order
    stops at the cap; `narrow`: the walk is of the query's participant's, pair's or
    place's index (`store.walks`), which reads only their events.
    """
    walk = walk_for(connection, query, in_order=in_order, narrow=narrow)
    terms = conditions(connection, walk.rest, in_order=in_order, narrowed=walk.narrowed)
    found = connection.execute(
        select(
            events.c.event_id,
            events.c.type,
            events.c.name,
            events.c.start,
            events.c.location_name,
            events.c.location_lat,
            events.c.location_lon,
        )
        .select_from(walk.source)
        .where(
            and_(True, *walk.terms, *terms),
            events.c.location_lat.is_not(None),
            events.c.location_lon.is_not(None),
        )
        .order_by(*order_of(connection, walk))
        .limit(cap)
    )
    # Rows as plain tuples, read at once: a map's thousands of rows cost less unpacked
    # than through each row's named attributes.
    return [
        {
            "event_id": event_id,
            "type": kind,
            "name": name,
            "start": start,
            "place": place,
            "lat": round(float(lat), 4),
            "lon": round(float(lon), 4),
        }
        for event_id, kind, name, start, place, lat, lon in found.all()
    ]


def report_mentions(connection: Connection, report_id: str) -> list[tuple[int, Mention]]:
    """The mentions extracted from one report, with their ids, in extraction order."""
    ids = [
        row.id
        for row in connection.execute(
            select(mentions.c.id)
            .where(mentions.c.report_id == report_id)
            .order_by(mentions.c.ordinal)
        )
    ]
    found = load_mentions(connection, ids, with_evidence=True)
    return [(i, found[i]) for i in ids if i in found]
