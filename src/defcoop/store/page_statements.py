"""The statements of a page of events (`store.pages`), built once per shape of query.

Building a page's statement costs more than running it: at a million events on SQLite,
0.22 ms to build the statement of a participant's page, 0.32 ms more for SQLAlchemy to
find its compiled form from the new statement's cache key, against 0.35 ms to run one
built before. So the statements of the API's listing are built once per shape of query
(which filters it has, how its dates are bounded, which index it walks, where its
cursor is), with every value a parameter (`walks.value`), kept, and run with the
query's values (`bound_values`). Queries with words are built each time (their match is
part of the statement); the store's own reads (`pages.find_events`) too.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, bindparam, func, select, tuple_

from defcoop.store.schema import events
from defcoop.store.search import EventQuery, conditions
from defcoop.store.walks import PLACE, order_of, place_kinds, value, walk_for

_AFTER_ANY_DATE = "~"  # sorts after every digit and '-': '2005-06~' bounds all of June 2005
_MOST_SHAPES = 2000  # statements kept (a few hundred shapes exist): then built afresh
_built: dict[Hashable, PageStatements] = {}


@dataclass(frozen=True)
class PageStatements:
    """A page's dated events (None when the page starts among the undated), then its
    undated ones; each takes the number of rows it reads as the parameter `wanted`."""

    dated: Select[Any] | None
    undated: Select[Any]


def _dated_bounds(
    query: EventQuery, start: ColumnElement[Any], bound: bool
) -> list[ColumnElement[bool]]:
    """`since`/`until` as a range of `start` for dated events, which the page index walks."""
    terms: list[ColumnElement[bool]] = []
    if query.since:
        terms.append(start >= value(bound, "since", query.since))
    if query.until:
        terms.append(start <= value(bound, "until_bound", query.until + _AFTER_ANY_DATE))
    return terms


def page_statements(
    connection: Connection,
    query: EventQuery,
    columns: Sequence[Any],
    *,
    in_order: bool,
    narrow: str | None,
    bound: bool = False,
) -> PageStatements:
    """The statements of a page (`pages._page_rows`); `bound`: every value a parameter."""
    walk = walk_for(connection, query, in_order=in_order, narrow=narrow, bound=bound)
    terms = and_(
        True,
        *walk.terms,
        *conditions(connection, walk.rest, in_order=in_order, narrowed=walk.narrowed, bound=bound),
    )
    key: tuple[ColumnElement[Any], ColumnElement[Any]] = (walk.start, walk.ident)
    dated: list[ColumnElement[bool]] = [
        walk.start.is_not(None),
        *_dated_bounds(query, walk.start, bound),
    ]
    if not in_order:
        # Few matches: the filters' own indexes find them; terms on the page order's
        # columns, seen by the planner, would make it walk that index instead.
        key = (func.coalesce(events.c.start, ""), func.coalesce(events.c.event_id, ""))
        dated = [key[0] != ""]
    after = query.after
    wanted: ColumnElement[int] = bindparam("wanted")
    first = None
    if after is None or after[0] is not None:
        if after is not None:
            cursor = (value(bound, "after_start", after[0]), value(bound, "after_id", after[1]))
            dated.append(tuple_(*key) < tuple_(*cursor))
        first = select(*columns).select_from(walk.source).where(terms, *dated)
        first = first.order_by(*order_of(connection, walk)).limit(wanted)
    undated: list[ColumnElement[bool]] = [walk.start.is_(None)]
    if after is not None and after[0] is None:
        undated.append(walk.ident < value(bound, "after_id", after[1]))
    rest = (
        select(*columns)
        .select_from(walk.source)
        .where(terms, *undated)
        .order_by(walk.ident.desc())
        .limit(wanted)
    )
    return PageStatements(first, rest)


def bound_values(query: EventQuery) -> dict[str, Any]:
    """The values of the parameters of a bound statement of this query (all it may use)."""
    found: dict[str, Any] = {
        "country": query.country,
        "type": query.type,
        "status": query.status,
        "series": query.series,
        "since": query.since,
        "until": query.until,
    }
    if query.dyad:
        found["a"], found["b"] = sorted(query.dyad)
    found["walk_code"] = query.country or (query.dyad[0] if query.dyad else None)
    if query.since and len(query.since) == 4:
        found["since_year"] = int(query.since)
    if query.until:
        found["until_bound"] = query.until + _AFTER_ANY_DATE
        if len(query.until) == 4:
            found["until_year"] = int(query.until)
    if query.place:
        found["place_lower"], found["place_upper"] = query.place.lower(), query.place.upper()
    if query.after is not None:
        found["after_start"], found["after_id"] = query.after
    return found


def _shape(
    connection: Connection, query: EventQuery, in_order: bool, narrow: str | None
) -> Hashable:
    """What a page's statements are built from, but the values."""
    dyad = None
    if query.dyad:
        dyad = (query.dyad[0] == query.dyad[1], query.country == query.dyad[0])
    kinds = (
        place_kinds(connection, query.place) if in_order and narrow == PLACE and query.place else 0
    )
    after = None if query.after is None else query.after[0] is None
    return (
        connection.dialect.name,
        in_order,
        narrow,
        kinds,
        after,
        query.country is not None,
        dyad,
        query.type is not None,
        query.status is not None,
        len(query.since or ""),
        len(query.until or ""),
        query.place is not None,
        query.conflicts,
        query.series is not None,
    )


def kept_statements(
    connection: Connection,
    query: EventQuery,
    columns: Sequence[Any],
    *,
    in_order: bool,
    narrow: str | None,
) -> tuple[PageStatements, dict[str, Any]]:
    """The page's statements, built once per shape of query and kept (for these columns:
    the API listing's, built once), and the values they run with. Not for words."""
    shape = (id(columns), _shape(connection, query, in_order, narrow))
    statements = _built.get(shape)
    if statements is None:
        statements = page_statements(
            connection, query, columns, in_order=in_order, narrow=narrow, bound=True
        )
        if len(_built) >= _MOST_SHAPES:
            _built.clear()
        _built[shape] = statements
    return statements, bound_values(query)
