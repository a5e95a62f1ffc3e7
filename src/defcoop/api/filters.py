"""The event filters shared by the list, the counts and the map: query parameters, checked.

FastAPI checks each parameter against the schema below (`event_filters`,
`page_filters`), which costs more than computing a page of a big store's events
(about a fifth of a list request's time, at a million events). The events list
checks the usual request itself first (`quick_page_query`: every value given once,
in the form the schema takes, with the same bounds), and leaves anything else to
FastAPI, whose errors it answers with: both build the query with `filters_query`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Query
from starlette.datastructures import QueryParams

from defcoop.iso_dates import PARTIAL_FORMAT, PARTIAL_PATTERN
from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.pages import decode_cursor
from defcoop.store.search import EventQuery

EventTypeName = StrEnum("EventTypeName", {t: t for t in EVENT_TYPES})  # type: ignore[misc]
StatusName = StrEnum("StatusName", {s: s for s in STATUSES})  # type: ignore[misc]

_CODE = r"^[A-Za-z]{2,10}$"
_DYAD = r"^[A-Za-z]{2,10}-[A-Za-z]{2,10}$"
_SERIES = r"^[a-z0-9]{1,200}$"
_CURSOR = r"^[A-Za-z0-9_-]+$"
MAX_PAGE = 500
MAX_OFFSET = 10**9
MAX_TEXT = 200  # characters of a place or of the words searched
MAX_CURSOR = 400


def filters_query(
    *,
    country: str | None,
    dyad: str | None,
    kind: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
    place: str | None,
    q: str | None,
    conflicts: bool,
    series: str | None,
    limit: int,
    offset: int,
) -> EventQuery:
    """The events query of parameter values already checked."""
    pair: tuple[str, str] | None = None
    if dyad:
        first, second = dyad.upper().split("-")
        pair = (first, second)
    # An `until` before `since` is a range that holds no event: an empty answer, not an error.
    return EventQuery(
        country=country.upper() if country else None,
        dyad=pair,
        type=kind,
        status=status,
        since=since,
        until=until,
        place=place.strip() or None if place else None,
        text=q.strip() or None if q else None,
        conflicts=conflicts,
        series=series,
        limit=limit,
        offset=offset,
    )


async def event_filters(
    country: Annotated[
        str | None, Query(pattern=_CODE, description="a participant: ISO3 code or alliance")
    ] = None,
    dyad: Annotated[
        str | None,
        Query(pattern=_DYAD, description="two participants, both taking part: AZE-TUR"),
    ] = None,
    type: Annotated[EventTypeName | None, Query(description="event type")] = None,
    status: Annotated[StatusName | None, Query(description="event status")] = None,
    since: Annotated[
        str | None, Query(pattern=PARTIAL_PATTERN, description=f"earliest start: {PARTIAL_FORMAT}")
    ] = None,
    until: Annotated[
        str | None,
        Query(pattern=PARTIAL_PATTERN, description="latest start, inclusive at its precision"),
    ] = None,
    place: Annotated[
        str | None,
        Query(
            min_length=1, max_length=MAX_TEXT, description="place name or country code, any case"
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=MAX_TEXT, description="words to find in names, places and evidence"),
    ] = None,
    conflicts: Annotated[
        bool, Query(description="only events whose mentions disagree on a field")
    ] = False,
    series: Annotated[
        str | None,
        Query(pattern=_SERIES, description="only editions of this series (its key)"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="events per page")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="events to skip (`cursor` is faster)")
    ] = 0,
) -> EventQuery:
    """The events query the request's parameters describe (FastAPI answers 422 when invalid)."""
    return filters_query(
        country=country,
        dyad=dyad,
        kind=type.value if type else None,
        status=status.value if status else None,
        since=since,
        until=until,
        place=place,
        q=q,
        conflicts=conflicts,
        series=series,
        limit=limit,
        offset=offset,
    )


def _after_cursor(query: EventQuery, cursor: str) -> EventQuery:
    """The query's page starting after the cursor; 404 for a cursor this server did not give."""
    try:
        after = decode_cursor(cursor)
    except ValueError as exc:
        # No page starts there: the page the cursor names does not exist.
        raise HTTPException(404, f"cursor {cursor[:40]!r}: {exc}") from None
    return replace(query, after=after)


async def page_filters(
    query: Annotated[EventQuery, Depends(event_filters)],
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_CURSOR,
            pattern=_CURSOR,
            description="where the page starts: the `next_cursor` of the page before",
        ),
    ] = None,
) -> EventQuery:
    """The filters, and where the page starts; 404 for a cursor this server did not give.

    With an offset too, the page starts that many events after the cursor.
    """
    return query if cursor is None else _after_cursor(query, cursor)


# The quick check: each parameter's test of its value as the schema above states it,
# narrowed to plain forms (ASCII text for the patterns, counts in plain digits, booleans
# as true or false); a value outside them is left to FastAPI, which may still take it.
_PATTERNS = {
    name: re.compile(pattern)
    for name, pattern in (
        ("country", _CODE),
        ("dyad", _DYAD),
        ("since", PARTIAL_PATTERN),
        ("until", PARTIAL_PATTERN),
        ("series", _SERIES),
        ("cursor", _CURSOR),
    )
}
_COUNT = re.compile(r"0|[1-9][0-9]{0,9}")
_CHOICES = {"type": frozenset(EVENT_TYPES), "status": frozenset(STATUSES)}
_LENGTHS = {"place": (1, MAX_TEXT), "q": (0, MAX_TEXT), "cursor": (1, MAX_CURSOR)}
_BOUNDS = {"limit": (1, MAX_PAGE), "offset": (0, MAX_OFFSET)}
_FLAGS = {"true": True, "false": False}


def _plain(values: dict[str, str]) -> bool:
    """Whether every value the quick check takes is in its plain form and bounds."""
    for name, value in values.items():
        pattern = _PATTERNS.get(name)
        if pattern is not None and not (value.isascii() and pattern.fullmatch(value)):
            return False
        if name in _CHOICES and value not in _CHOICES[name]:
            return False
        low, high = _LENGTHS.get(name, (0, len(value)))
        if not low <= len(value) <= high:
            return False
        if name in _BOUNDS:
            bottom, top = _BOUNDS[name]
            if not (_COUNT.fullmatch(value) and bottom <= int(value) <= top):
                return False
        if name == "conflicts" and value not in _FLAGS:
            return False
    return True


def quick_page_query(params: QueryParams) -> EventQuery | None:
    """The page query of a usual request to the events list, as `page_filters` makes it;
    None when a parameter is given twice, a value is not in its plain form
    (`_plain`), or the cursor does not decode: FastAPI's checks then answer."""
    items = params.multi_items()
    values = dict(items)
    if len(values) != len(items) or not _plain(values):
        return None
    query = filters_query(
        country=values.get("country"),
        dyad=values.get("dyad"),
        kind=values.get("type"),
        status=values.get("status"),
        since=values.get("since"),
        until=values.get("until"),
        place=values.get("place"),
        q=values.get("q"),
        conflicts=_FLAGS.get(values.get("conflicts", "false"), False),
        series=values.get("series"),
        limit=int(values.get("limit", "50")),
        offset=int(values.get("offset", "0")),
    )
    cursor = values.get("cursor")
    if cursor is None:
        return query
    try:
        return replace(query, after=decode_cursor(cursor))
    except ValueError:
        return None
