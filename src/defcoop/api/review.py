"""The review queue and the input errors: `GET /api/review`, `GET /api/errors`, the Review page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from defcoop.api.backend import BackendDep
from defcoop.api.models import EventOut, MergeIn, WriteOut
from defcoop.api.pages import templates
from defcoop.api.routes import ERRORS, EVENT_WRITE_ERRORS
from defcoop.api.security import writer_name

# Every error answer is ErrorOut, as on the other API routes.
router = APIRouter(responses=ERRORS, generate_unique_id_function=lambda route: route.name)
MAX_ITEMS = 1000


class ReviewItemOut(BaseModel):
    """One thing to check: conflicts, a near-duplicate pair, or an incomplete event."""

    kind: str = Field(description="conflicts, near_duplicate or incomplete")
    event_ids: list[str] = Field(description="the event, or the two events of a pair")
    reports: int = Field(description="reports behind the item (both events' for a pair)")
    reasons: list[str] = Field(description="what to check, in words")
    events: list[EventOut]


class ReviewOut(BaseModel):
    """The review queue, most reported first, and its length before the limit."""

    items: list[ReviewItemOut]
    total: int


class InputErrorOut(BaseModel):
    """An input error `ingest` recorded."""

    id: int
    source: str = Field(description="the file (and line) or URL that failed")
    reason: str
    at: str = Field(description="when it was recorded (ISO 8601)")


EventId = Annotated[str, Path(min_length=1, max_length=200, description="an event id")]
Limit = Annotated[int, Query(ge=1, le=MAX_ITEMS, description="at most this many")]


@router.get("/api/review", response_model=ReviewOut, tags=["review"])
def review(backend: BackendDep, limit: Limit = 100) -> dict[str, object]:
    """What to check first, most reported first: conflicts, near-duplicates, thin events."""
    items = backend.store.review()
    return {"items": [item.as_json() for item in items[:limit]], "total": len(items)}


@router.get("/api/errors", response_model=list[InputErrorOut], tags=["review"])
def input_errors(backend: BackendDep, limit: Limit = 100) -> list[dict[str, object]]:
    """The input errors ingest recorded: which input, why, when; latest first."""
    return backend.store.errors(limit)


@router.post(
    "/api/events/{event_id}/apart",
    response_model=WriteOut,
    tags=["writes"],
    responses=EVENT_WRITE_ERRORS,
)
def keep_apart(
    backend: BackendDep, request: Request, event_id: EventId, body: MergeIn
) -> dict[str, str]:
    """Record that the listed events are not this one: they are never joined from then on."""
    who = writer_name(request, backend.config.token, body.who)
    if backend.store.event(event_id) is None:
        raise HTTPException(404, f"no event {event_id!r} in the store")
    return {"event_id": backend.store.keep_apart([event_id, *body.events], who, body.why)}


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, backend: BackendDep) -> Response:
    """The review queue, with a one-click merge for each near-duplicate pair."""
    items = backend.store.review()
    return templates.TemplateResponse(
        request, "review.html", {"items": items[:MAX_ITEMS], "total": len(items)}
    )
