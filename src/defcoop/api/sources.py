"""Followed sources (`defcoop watch`): `GET /api/sources` and the Sources page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from defcoop.api.backend import BackendDep
from defcoop.api.pages import templates

router = APIRouter()


class SourceOut(BaseModel):
    """A followed feed or sitemap: its last poll and what it gave."""

    name: str
    url: str
    kind: str
    last_poll: str | None = None
    http_status: int | None = None
    found: int
    new: int
    failed: int
    stored_total: int
    last_error: str | None = None
    last_error_at: str | None = None


@router.get("/api/sources", response_model=list[SourceOut], tags=["sources"])
def list_sources(backend: BackendDep) -> list[dict[str, object]]:
    """The followed sources by name: last poll, HTTP status, articles found/new/failed, errors."""
    return [state.as_json() for state in backend.store.sources()]


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, backend: BackendDep) -> Response:
    """The followed sources as a table."""
    return templates.TemplateResponse(request, "sources.html", {"sources": backend.store.sources()})
