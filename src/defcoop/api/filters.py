"""The event filters shared by the list, the counts and the map: query parameters, checked."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import HTTPException, Query

from defcoop.records import EVENT_TYPES, STATUSES
from defcoop.store.search import EventQuery

EventTypeName = StrEnum("EventTypeName", {t: t for t in EVENT_TYPES})  # type: ignore[misc]
StatusName = StrEnum("StatusName", {s: s for s in STATUSES})  # type: ignore[misc]

_CODE = r"^[A-Za-z]{2,10}$"
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_PAGE = 500
MAX_OFFSET = 10**9


def _checked_date(name: str, value: str | None) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD value that names a real month or day."""
    if value is None:
        return None
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise HTTPException(422, f"{name}: {value!r} is not a date ({exc})") from None
    return value


def event_filters(
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
        str | None, Query(pattern=_DATE, description="earliest start: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    until: Annotated[
        str | None, Query(pattern=_DATE, description="latest start, inclusive at its precision")
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
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="events to skip")] = 0,
) -> EventQuery:
    """The events query the request's parameters describe; 422 with a reason when invalid."""
    pair: tuple[str, str] | None = None
    if dyad:
        first, second = dyad.upper().split("-")
        pair = (first, second)
    since_value = _checked_date("since", since)
    until_value = _checked_date("until", until)
    if (
        since_value
        and until_value
        and until_value[: len(since_value)] < since_value[: len(until_value)]
    ):
        raise HTTPException(422, f"until {until_value} is before since {since_value}")
    return EventQuery(
        country=country.upper() if country else None,
        dyad=pair,
        type=type.value if type else None,
        status=status.value if status else None,
        since=since_value,
        until=until_value,
        place=place.strip() or None if place else None,
        text=q.strip() or None if q else None,
        conflicts=conflicts,
        series=series,
        limit=limit,
        offset=offset,
    )
