"""The REST API: events with filters, one event with its sources, reports, writes, counts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from defcoop.api.answers import json_bytes, json_response
from defcoop.api.backend import Backend, BackendDep
from defcoop.api.filters import event_filters, page_filters
from defcoop.api.models import (
    CorrectionIn,
    DyadCount,
    ErrorOut,
    EventDetail,
    EventList,
    EventPoint,
    IngestOut,
    MergeIn,
    PeriodCount,
    PlaceCount,
    ReportIn,
    ReportOut,
    SplitIn,
    WriteOut,
)
from defcoop.api.quick_route import QuickPageRoute
from defcoop.api.security import writer_name
from defcoop.errors import InputError, OversizedInput, ReportConflict
from defcoop.ingest.json_report import ReportContext, report_from_json
from defcoop.render import event_detail
from defcoop.resolve.event_ids import with_event_id
from defcoop.store.corrections import parse_settings, revert_fields
from defcoop.store.pages import encode_cursor
from defcoop.store.search import EventQuery

# Every operation may answer these; each body is ErrorOut, {"detail": "..."}.
ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorOut, "description": "a malformed request (Host, Content-Length)"},
    404: {"model": ErrorOut, "description": "no such event, report or page (cursor)"},
    405: {"model": ErrorOut, "description": "the path does not take this method"},
    413: {"model": ErrorOut, "description": "the request body is over the size limit"},
    422: {"model": ErrorOut, "description": "an invalid parameter or body, named"},
    503: {"model": ErrorOut, "description": "the store is busy or unavailable: try again"},
}
_WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "the server needs the token for writes"},
}
# A schema-valid write the store's data refuses is a 409, never a 422.
EVENT_WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **_WRITE_ERRORS,
    409: {
        "model": ErrorOut,
        "description": "a well-formed write the event cannot take (an unknown participant or"
        " place, an end before the start, a revert of a field no analyst set, a mention not"
        " in the event, ...), named",
    },
}
# Operation ids are the function names: the links between operations (api.links) use them.
router = APIRouter(
    prefix="/api", responses=ERRORS, generate_unique_id_function=lambda route: route.name
)
Filters = Annotated[EventQuery, Depends(event_filters)]
PageFilters = Annotated[EventQuery, Depends(page_filters)]
EventId = Annotated[str, Path(min_length=1, max_length=200, description="an event id")]
ReportId = Annotated[str, Path(min_length=1, max_length=500, description="a report id")]


async def list_events(backend: BackendDep, query: PageFilters) -> Response:
    """Canonical events matching every filter given, latest start first, one page at a time.

    Pages follow each other by `cursor` (the `next_cursor` of the page before); `offset`
    still works but costs more the deeper it goes. The total is exact up to 1000
    events and for filters the summaries count; otherwise it is estimated and
    `total_is_estimate` says so.
    """

    def compute() -> dict[str, object]:
        page = backend.store.listing(query)
        return {
            "items": page.items,
            "total": page.total,
            "total_is_estimate": page.total_is_estimate,
            "next_cursor": None if page.next_key is None else encode_cursor(page.next_key),
        }

    return await _cached(backend, ("events", query), compute)


# Added, not decorated: its usual requests skip FastAPI's parameter checks (`api.quick_route`).
router.add_api_route(
    "/events",
    list_events,
    methods=["GET"],
    response_model=EventList,
    tags=["events"],
    route_class_override=QuickPageRoute,
)


async def _cached(backend: Backend, key: Hashable, compute: Callable[[], object]) -> Response:
    """The JSON of `compute()`, kept while the store is unchanged (`api.answers`).

    A kept answer is served from the event loop (on SQLite the version is one read of a
    local file, `store.version`; a database server's round trip runs on the thread pool);
    computing one runs off the loop (`Backend.computed`). A server that keeps no answers
    does not read the version: on PostgreSQL it is a round trip, on one connection shared
    by every request. Built by hand (the shape is the operation's response model):
    validating each item again costs more than the query.
    """
    if not backend.answers.keeps:
        return json_response(await backend.computed(lambda: json_bytes(compute())))
    store = backend.store
    version = store.version() if store.version_is_local else await run_in_threadpool(store.version)
    body = backend.answers.get(version, key)
    if body is None:
        body = await backend.computed(lambda: json_bytes(compute()))
        backend.answers.put(version, key, body)
    return json_response(body)


@router.get("/events/{event_id}", response_model=EventDetail, tags=["events"])
def get_event(backend: BackendDep, event_id: EventId) -> dict[str, object]:
    """One event: its fields and where each came from, its mentions, its correction history.

    An id that was merged into another event gives the event it was merged into.
    """
    store = backend.store
    record = store.event(event_id)
    if record is None:
        raise HTTPException(404, f"no event {event_id!r} in the store")
    return event_detail(
        record, store.event_mentions(record.event_id), store.history(record.event_id)
    )


def _who(request: Request, backend: Backend, given: str | None) -> str:
    """The writer's name; 401 when the server needs a token and the request lacks it."""
    return writer_name(request, backend.config.token, given)


def _settings(values: dict[str, str | list[str] | None]) -> list[str]:
    """`FIELD=VALUE` pairs, as `defcoop correct --set` takes them."""
    pairs = []
    for name, value in values.items():
        text = ",".join(value) if isinstance(value, list) else (value or "")
        pairs.append(f"{name}={text}")
    return pairs


@router.post(
    "/events/{event_id}/corrections",
    response_model=WriteOut,
    tags=["writes"],
    responses=EVENT_WRITE_ERRORS,
)
def correct_event(
    backend: BackendDep, request: Request, event_id: EventId, body: CorrectionIn
) -> dict[str, str]:
    """Set fields of an event, or revert them to the machine's values; logged with who, when, why.

    Checked as `defcoop correct` checks them: an unknown country or place, an end before
    the start, a field both set and reverted, a revert of a field no analyst set is refused
    (409, with the reason).
    """
    who = _who(request, backend, body.who)
    if backend.store.event(event_id) is None:
        raise HTTPException(404, f"no event {event_id!r} in the store")
    given = body.set.model_dump(exclude_unset=True) if body.set is not None else {}
    values = parse_settings(_settings(given), backend.places, backend.actors)
    fields = revert_fields(body.revert)
    return {"event_id": backend.store.correct(event_id, values, who, body.why, fields)}


@router.post(
    "/events/{event_id}/merge",
    response_model=WriteOut,
    tags=["writes"],
    responses=EVENT_WRITE_ERRORS,
)
def merge_events(
    backend: BackendDep, request: Request, event_id: EventId, body: MergeIn
) -> dict[str, str]:
    """Merge the listed events into this one; they stay together from then on."""
    who = _who(request, backend, body.who)
    return {"event_id": backend.store.merge([event_id, *body.events], who, body.why)}


@router.post(
    "/events/{event_id}/split",
    response_model=WriteOut,
    tags=["writes"],
    responses=EVENT_WRITE_ERRORS,
)
def split_event(
    backend: BackendDep, request: Request, event_id: EventId, body: SplitIn
) -> dict[str, str]:
    """Move the listed mentions to a new event, kept apart from this one; the new event."""
    who = _who(request, backend, body.who)
    return {"event_id": backend.store.split(event_id, body.mentions, who, body.why)}


@router.get("/reports/{report_id}", response_model=ReportOut, tags=["reports"])
def get_report(backend: BackendDep, report_id: ReportId) -> dict[str, object]:
    """A stored report: its text, and each mention extracted from it with its event."""
    report = backend.store.report(report_id)
    if report is None:
        raise HTTPException(404, f"no report {report_id!r} in the store")
    return {
        "id": report.id,
        "published": report.published.isoformat(),
        "source": report.source,
        "url": report.url,
        "title": report.title,
        "author": report.author,
        "language": report.language,
        "text": report.text,
        "mentions": [
            {
                "mention_id": mention_id,
                "event_id": mention.event_id,
                "type": mention.type,
                "name": mention.name,
                "evidence": [
                    {"text": e.text, "start": e.start, "end": e.end} for e in mention.evidence
                ],
            }
            for mention_id, mention in backend.store.report_mentions(report.id)
        ],
    }


@router.post(
    "/reports",
    response_model=IngestOut,
    status_code=status.HTTP_201_CREATED,
    tags=["reports"],
    responses={
        **_WRITE_ERRORS,
        409: {"model": ErrorOut, "description": "the id is stored with other content"},
    },
)
def post_report(backend: BackendDep, request: Request, body: ReportIn) -> dict[str, object]:
    """Ingest a report at once, as `defcoop ingest` does: extract, store, resolve its events.

    A report id stored with other content is a 409 unless the body says `"replace":
    true`; a replacement keeps the analysts' corrections and is logged in the history
    of the events concerned. Content already stored (under any id) changes nothing and
    answers the id it is stored under. The writer's name comes from the X-Defcoop-User
    header (or the token holder) and is kept as the report's origin.
    """
    who = _who(request, backend, None)
    value = body.model_dump(exclude_none=True, exclude={"replace"})
    fallback = "api-" + hashlib.sha256(body.text.encode()).hexdigest()[:16]
    context = ReportContext(
        origin=f"POST /api/reports by {who} at {datetime.now(UTC).isoformat(timespec='seconds')}",
        fallback_id=fallback,
        published=None,
        max_bytes=backend.config.max_report_bytes,
    )
    try:
        report = report_from_json(value, context)
    except OversizedInput as exc:
        raise HTTPException(413, exc.reason) from None
    except InputError as exc:
        raise HTTPException(422, exc.reason) from None
    extraction = backend.extractor.extract(report)
    mentions = tuple(with_event_id(m) for m in extraction.mentions)
    try:
        stored = backend.store.add(
            type(extraction)(report=report, mentions=mentions), replace=body.replace
        )
    except ReportConflict as exc:
        raise HTTPException(409, str(exc)) from None
    report_id = report.id if stored else backend.store.stored_id(report.content_hash)
    found = backend.store.report_mentions(report_id or report.id)
    return {
        "report_id": report_id or report.id,
        "stored": stored,
        "mentions": len(found),
        "events": sorted({m.event_id for _, m in found if m.event_id}),
    }


@router.get("/aggregates/timeline", response_model=list[PeriodCount], tags=["aggregates"])
async def timeline(
    backend: BackendDep,
    query: Filters,
    granularity: Annotated[
        Literal["year", "month"], Query(description="count per year or per month")
    ] = "year",
) -> Response:
    """Events per year (or month) and type; events dated only by a year have no month."""
    return await _tally(backend, granularity, query)


@router.get("/aggregates/dyads", response_model=list[DyadCount], tags=["aggregates"])
async def dyads(backend: BackendDep, query: Filters) -> Response:
    """Events per pair of participants, most events first."""
    return await _tally(backend, "dyad", query)


@router.get("/aggregates/places", response_model=list[PlaceCount], tags=["aggregates"])
async def places(backend: BackendDep, query: Filters) -> Response:
    """Events per place, most events first."""
    return await _tally(backend, "place", query)


@router.get("/points", response_model=list[EventPoint], tags=["aggregates"])
async def points(backend: BackendDep, query: Filters) -> Response:
    """Events at geocoded places (up to 5000, latest first), for a map."""
    return await _tally(backend, "point", query)


async def _tally(backend: Backend, by: str, query: EventQuery) -> Response:
    """A count of the events the query finds (`Store.tally`), kept while the store is unchanged."""
    return await _cached(backend, (by, query), lambda: backend.store.tally(by, query))
