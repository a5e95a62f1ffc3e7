"""The aggregates (timeline, dyads, places, points) and totals, from the summary tables.

A query whose filters the summaries hold (`store.tallies`: participant, type, status,
a year or month bound for the timeline and the totals; type alone for the dyads and
places) is answered by summing a few hundred summary rows. Other queries are counted
on the events table through its indexes (`store.search`), which gives the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, select

from defcoop.store.counts_memo import kept_count
from defcoop.store.fulltext import count_matches
from defcoop.store.schema import tally_dyads, tally_events, tally_places
from defcoop.store.search import (
    POINTS_CAP,
    EventQuery,
    count_by_dyad,
    count_by_period,
    count_by_place,
    located_events,
)
from defcoop.store.tallies import ALL
from defcoop.store.walks import PARTY, PLACE, narrow_walk, query_pair

_MONTH_PRECISION = (4, 7)  # since/until the summaries' periods can bound


def _only(query: EventQuery, *allowed: str) -> bool:
    """Whether the query filters by nothing but the allowed fields."""
    given = {
        "country": query.country is not None,
        "dyad": query.dyad is not None,
        "type": query.type is not None,
        "status": query.status is not None,
        "since": query.since is not None,
        "until": query.until is not None,
        "place": query.place is not None,
        "text": query.text is not None,
        "conflicts": query.conflicts,
        "series": query.series is not None,
    }
    return all(name in allowed for name, on in given.items() if on)


def counted_in_summary(query: EventQuery) -> bool:
    """Whether `tally_events` can count the events the query finds."""
    bounds = all(
        bound is None or len(bound) in _MONTH_PRECISION for bound in (query.since, query.until)
    )
    return bounds and _only(query, "country", "type", "status", "since", "until")


def _event_cells(query: EventQuery) -> list[ColumnElement[bool]]:
    """The `tally_events` rows of the events a (summary-counted) query finds."""
    table = tally_events.c
    terms = [table.code == (query.country or ALL)]
    if query.type:
        terms.append(table.type == query.type)
    if query.status:
        terms.append(table.status == query.status)
    # As ranges of the period's text (an index walks them): a period is YYYY or YYYY-MM,
    # and "2005" <= "2005-06" < "2005~", so `until` takes every period it starts.
    if query.since:
        terms.append(table.period >= query.since)
    if query.until:
        terms.append(table.period <= query.until + "~")
    return terms


def summary_total(connection: Connection, query: EventQuery) -> int:
    """How many events a summary-counted query finds."""

    def count() -> int:  # built only when not kept: a page's plan reads several
        cells = _event_cells(query)
        statement = select(func.coalesce(func.sum(tally_events.c.n), 0)).where(*cells)
        return int(connection.execute(statement).scalar_one())

    return kept_count(connection, ("events", query), count)


def counted_in_places(query: EventQuery) -> bool:
    """Whether `tally_places` can count the events the query finds (a place, a type)."""
    return query.place is not None and _only(query, "place", "type")


def place_total(connection: Connection, query: EventQuery) -> int:
    """How many events a place-counted query finds (the place filter of `conditions`)."""
    place = query.place or ""

    def count() -> int:  # built only when not kept
        cells = tally_places.c
        terms: list[ColumnElement[bool]] = [
            (func.lower(cells.name) == place.lower()) | (cells.country == place.upper())
        ]
        if query.type:
            terms.append(cells.type == query.type)
        statement = select(func.coalesce(func.sum(cells.n), 0)).where(*terms)
        return int(connection.execute(statement).scalar_one())

    return kept_count(connection, ("place", place.lower(), query.type), count)


def by_period(connection: Connection, query: EventQuery, *, monthly: bool) -> list[dict[str, Any]]:
    """Events per year (or month) and type (see `store.search.count_by_period`)."""
    if not counted_in_summary(query):
        return count_by_period(connection, query, monthly=monthly)
    width = 7 if monthly else 4
    period = func.substr(tally_events.c.period, 1, width)
    found = connection.execute(
        select(period.label("period"), tally_events.c.type, func.sum(tally_events.c.n).label("n"))
        .where(*_event_cells(query), func.length(tally_events.c.period) >= width)
        .group_by(period, tally_events.c.type)
        .order_by(period, tally_events.c.type)
    )
    return [{"period": r.period, "type": r.type, "count": int(r.n)} for r in found]


def by_dyad(connection: Connection, query: EventQuery) -> list[dict[str, Any]]:
    """Events per pair of participants, most first (see `store.search.count_by_dyad`)."""
    if not _only(query, "type"):
        return count_by_dyad(connection, query)
    total = func.sum(tally_dyads.c.n)
    statement: Select[Any] = select(tally_dyads.c.a, tally_dyads.c.b, total.label("n"))
    if query.type:
        statement = statement.where(tally_dyads.c.type == query.type)
    found = connection.execute(
        statement.group_by(tally_dyads.c.a, tally_dyads.c.b).order_by(
            total.desc(), tally_dyads.c.a, tally_dyads.c.b
        )
    )
    return [{"a": r.a, "b": r.b, "count": int(r.n)} for r in found]


def by_place(connection: Connection, query: EventQuery) -> list[dict[str, Any]]:
    """Events per place, most first (see `store.search.count_by_place`)."""
    if not _only(query, "type"):
        return count_by_place(connection, query)
    keys = (tally_places.c.name, tally_places.c.country)
    total = func.sum(tally_places.c.n)
    statement: Select[Any] = select(
        *keys,
        func.min(tally_places.c.lat).label("lat"),
        func.min(tally_places.c.lon).label("lon"),
        total.label("n"),
    )
    if query.type:
        statement = statement.where(tally_places.c.type == query.type)
    found = connection.execute(statement.group_by(*keys).order_by(total.desc(), *keys))
    return [
        {"name": r.name, "country": r.country, "lat": r.lat, "lon": r.lon, "count": int(r.n)}
        for r in found
    ]


def pair_total(connection: Connection, pair: tuple[str, str]) -> int:
    """How many events have both participants (a < b)."""

    def count() -> int:  # built only when not kept
        found = select(func.coalesce(func.sum(tally_dyads.c.n), 0)).where(
            tally_dyads.c.a == pair[0], tally_dyads.c.b == pair[1]
        )
        return int(connection.execute(found).scalar_one())

    return kept_count(connection, ("pair", pair), count)


def lookup_size(connection: Connection, query: EventQuery, every: int) -> int:
    """About how many events looking the matches up reads: the count of the filter with
    the fewest events among those with an index of their own (`every` event if none)."""
    sizes = [every]
    if query.country:
        sizes.append(summary_total(connection, EventQuery(country=query.country)))
    pair = query_pair(query)
    if pair is not None:
        sizes.append(pair_total(connection, pair))
    if query.place:
        sizes.append(place_total(connection, EventQuery(place=query.place)))
    if query.text:
        sizes.append(count_matches(connection, query.text))
    return min(sizes)


def _narrow_sizes(
    connection: Connection, query: EventQuery, months: EventQuery
) -> list[tuple[int, str]]:
    """About how many events a walk of the query's pair's or participant's index passes,
    and of its place's (`store.walks`): those it names."""
    sizes = []
    pair = query_pair(query)
    code = query.country or (query.dyad[0] if query.dyad else None)
    if pair is not None:
        sizes.append((pair_total(connection, pair), PARTY))
    elif code is not None:
        sizes.append((summary_total(connection, replace(months, country=code)), PARTY))
    if query.place:
        sizes.append((place_total(connection, EventQuery(place=query.place)), PLACE))
    return sizes


def walk_size(connection: Connection, query: EventQuery) -> tuple[int, str | None]:
    """About how many events a walk in page order passes: those in its months, of its
    type or status when it has one (an index in page order each: the walk takes the
    smaller), or of its participant, pair or place; and which of the last is the
    smallest, when it is (`store.walks`)."""
    months = EventQuery(
        since=query.since[:7] if query.since else None,
        until=query.until[:7] if query.until else None,
    )
    sizes = [summary_total(connection, months)]
    if query.type:
        sizes.append(summary_total(connection, replace(months, type=query.type)))
    if query.status:
        sizes.append(summary_total(connection, replace(months, status=query.status)))
    narrow = min(_narrow_sizes(connection, query, months), default=None)
    if narrow is not None and narrow[0] <= min(sizes):
        return narrow
    return min(sizes), None


def walk_in_order(
    connection: Connection, query: EventQuery, matches: int, wanted: int
) -> tuple[bool, str | None]:
    """Whether walking the page order beats looking the matches up and sorting them, and
    which narrow index the walk takes, if any (`store.walks`).

    A walk reads about wanted x walked / matches rows until it has `wanted` (`walk_size`);
    a look-up reads the events of its most selective indexed filter (`lookup_size`).
    """
    if matches <= 0:
        return False, None
    if _only(query):  # no filter: every event matches, the walk stops at once
        return True, None
    every = summary_total(connection, EventQuery())
    walked, narrow = walk_size(connection, query)
    if narrow is not None and walked <= wanted:  # all the narrow index's events, in order
        return True, narrow
    return wanted * walked / matches < lookup_size(connection, query, every), narrow


def points(connection: Connection, query: EventQuery) -> list[dict[str, Any]]:
    """Events at geocoded places, latest first, up to POINTS_CAP (`located_events`)."""
    in_order, narrow = False, None
    if counted_in_summary(query):
        in_order, narrow = walk_in_order(
            connection, query, summary_total(connection, query), POINTS_CAP
        )
    elif narrow_walk(query) is not None and not (query.place or query.text or query.series):
        in_order, narrow = True, PARTY  # the pair's or participant's index: nothing narrower
    elif query.place and _only(query, "place", "type"):
        in_order, narrow = walk_in_order(
            connection, query, place_total(connection, query), POINTS_CAP
        )
    return located_events(connection, query, POINTS_CAP, in_order=in_order, narrow=narrow)


Tally = Callable[[Connection, EventQuery], list[dict[str, object]]]

# The counts `Store.tally` gives, by name.
TALLIES: dict[str, Tally] = {
    "year": lambda c, q: by_period(c, q, monthly=False),
    "month": lambda c, q: by_period(c, q, monthly=True),
    "dyad": by_dyad,
    "place": by_place,
    "point": points,
}
