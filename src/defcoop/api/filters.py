"""The event filters shared by the list, the counts and the map: query parameters, checked."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Query

from defcoop.iso_dates import PARTIAL_FORMAT, PARTIAL_PATTERN
from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.pages import decode_cursor
from defcoop.store.search import EventQuery

EventTypeName = StrEnum("EventTypeName", {t: t for t in EVENT_TYPES})  # type: ignore[misc]
StatusName = StrEnum("StatusName", {s: s for s in STATUSES})  # type: ignore[misc]

_CODE = r"^[A-Za-z]{2,10}$"
MAX_PAGE = 500
MAX_OFFSET = 10**9


async def event_filters(
    country: Annotated[
        str | None, Query(pattern=_CODE, description="a participant: ISO3 code or alliance")
    ] = None,
    dyad: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z]{2,10}-[A-Za-z]{2,10}$",
            description="two participants, both taking part: AZE-TUR",
        ),
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
        Query(min_length=1, max_length=200, description="place name or country code, any case"),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="words to find in names, places and evidence"),
    ] = None,
    conflicts: Annotated[
        bool, Query(description="only events whose mentions disagree on a field")
    ] = False,
    series: Annotated[
        str | None,
        Query(pattern=r"^[a-z0-9]{1,200}$", description="only editions of this series (its key)"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="events per page")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="events to skip (`cursor` is faster)")
    ] = 0,
) -> EventQuery:
    """The events query the request's parameters describe (FastAPI answers 422 when invalid)."""
    pair: tuple[str, str] | None = None
    if dyad:
        first, second = dyad.upper().split("-")
        pair = (first, second)
    # An `until` before `since` is a range that holds no event: an empty answer, not an error.
    return EventQuery(
        country=country.upper() if country else None,
        dyad=pair,
        type=type.value if type else None,
        status=status.value if status else None,
        since=since,
        until=until,
        place=place.strip() or None if place else None,
        text=q.strip() or None if q else None,
        conflicts=conflicts,
        series=series,
        limit=limit,
        offset=offset,
    )


async def page_filters(
    query: Annotated[EventQuery, Depends(event_filters)],
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=400,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="where the page starts: the `next_cursor` of the page before",
        ),
    ] = None,
) -> EventQuery:
    """The filters, and where the page starts; 404 for a cursor this server did not give.

    With an offset too, the page starts that many events after the cursor.
    """
    if cursor is None:
        return query
    try:
        after = decode_cursor(cursor)
    except ValueError as exc:
        # No page starts there: the page the cursor names does not exist.
        raise HTTPException(404, f"cursor {cursor[:40]!r}: {exc}") from None
    return replace(query, after=after)
