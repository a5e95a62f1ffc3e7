"""Walks in page order: the index a page (or a map) reads in order until it is full.

Every event is in the events' own page-order index (start, event_id). One participant's
events are also in `event_participants`' index (code, start, event_id), and one pair's
in `event_pairs`' (a, b, start, event_id), revision 0011: a query naming a participant
or a pair walks that narrower index and reads only the events it passes, rather than
walking every event and probing each one's participants. One place's events are in
the events' (lower(location_name), start, event_id) and (location_country, start,
event_id) indexes, revision 0013.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, FromClause, bindparam, func, literal, select

from defcoop.store.counts_memo import kept_count
from defcoop.store.schema import event_pairs, event_participants, events

if TYPE_CHECKING:  # search.py builds its queries with these walks
    from defcoop.store.search import EventQuery


def value(bound: bool, name: str, given: Any) -> Any:
    """A filter's value in a statement: the value itself, or (`bound`) a parameter of that
    name, whose value `store.page_statements.bound_values` gives when the statement runs."""
    return bindparam(name) if bound else given


@dataclass(frozen=True)
class Walk:
    """What a walk in page order reads, and the filters left to check on each event."""

    source: FromClause  # the walked table, joined to the events it lists
    start: ColumnElement[Any]  # the walked index's start column (the event's start)
    ident: ColumnElement[Any]  # and its event id
    terms: tuple[ColumnElement[bool], ...]  # what the walked index is cut to
    rest: EventQuery  # the query's other filters
    narrowed: bool = True  # a narrower index than the events' page order


PARTY, PLACE = "party", "place"  # the narrow walks: a participant's or pair's, a place's
# The narrow tables joined to their events, built once: a join costs about 0.1 ms to build,
# a tenth of a computed page.
_SOURCES = {
    table.name: table.join(events, events.c.event_id == table.c.event_id)
    for table in (event_pairs, event_participants)
}


def query_pair(query: EventQuery) -> tuple[str, str] | None:
    """The query's pair of two different participants (a < b), if any."""
    if query.dyad is None:
        return None
    a, b = sorted(query.dyad)
    return None if a == b else (a, b)


def narrow_walk(query: EventQuery, *, bound: bool = False) -> Walk | None:
    """The walk of the query's pair's or participant's index; None when it names neither.
    `bound`: its values as parameters (`value`)."""
    pair = query_pair(query)
    if pair is not None:
        table = event_pairs
        a, b = value(bound, "a", pair[0]), value(bound, "b", pair[1])
        terms: tuple[ColumnElement[bool], ...] = (table.c.a == a, table.c.b == b)
        rest = replace(query, dyad=None)
    else:
        code = query.country or (query.dyad[0] if query.dyad else None)
        if code is None:
            return None
        table = event_participants
        terms = (table.c.code == value(bound, "walk_code", code),)
        rest = replace(query, country=None, dyad=None)
        if query.country and query.dyad and query.country != query.dyad[0]:
            rest = replace(rest, dyad=query.dyad)
    return Walk(_SOURCES[table.name], table.c.start, table.c.event_id, terms, rest)


def events_walk(query: EventQuery) -> Walk:
    """The walk of every event (or of one type's or status's, which SQLite picks itself)."""
    return Walk(events, events.c.start, events.c.event_id, (), query, narrowed=False)


def place_kinds(connection: Connection, place: str) -> int:
    """Whether events are at a place of this name (1), in a country of this code (2), or
    both (3); kept per store version."""
    by_name = func.lower(events.c.location_name) == place.lower()
    by_code = events.c.location_country == place.upper()

    def found() -> int:  # 1: a place of that name, 2: a country of that code, 3: both
        named = connection.execute(select(literal(1)).where(by_name).limit(1)).first()
        coded = connection.execute(select(literal(1)).where(by_code).limit(1)).first()
        return (named is not None) + 2 * (coded is not None)

    return kept_count(connection, ("place kinds", place.lower()), found)


def place_walk(connection: Connection, query: EventQuery, *, bound: bool = False) -> Walk | None:
    """The walk of the query's place's index: by name, or by country code when no event
    is at a place of that name; None when it names no place, or events match both ways
    (the filter's two indexes then give its events, sorted). `bound` as `narrow_walk`."""
    if not query.place:
        return None
    kinds = place_kinds(connection, query.place)
    if kinds == 3:
        return None
    if kinds & 2:
        term = events.c.location_country == value(bound, "place_upper", query.place.upper())
    else:
        name = value(bound, "place_lower", query.place.lower())
        term = func.lower(events.c.location_name) == name
    return Walk(events, events.c.start, events.c.event_id, (term,), replace(query, place=None))


def walk_for(
    connection: Connection,
    query: EventQuery,
    *,
    in_order: bool,
    narrow: str | None,
    bound: bool = False,
) -> Walk:
    """The walk a page takes: the narrow index chosen (`aggregates.walk_in_order`), when
    the query has it, else the events'. `bound` as `narrow_walk`."""
    found = None
    if in_order and narrow == PARTY:
        found = narrow_walk(query, bound=bound)
    elif in_order and narrow == PLACE:
        found = place_walk(connection, query, bound=bound)
    return found or events_walk(query)


def order_of(connection: Connection, walk: Walk) -> list[ColumnElement[Any]]:
    """Latest start first, undated last, then by id: the walked index's order."""
    if connection.dialect.name == "postgresql":
        return [walk.start.desc().nulls_last(), walk.ident.desc()]
    return [walk.start.desc(), walk.ident.desc()]  # SQLite: NULL sorts lowest
