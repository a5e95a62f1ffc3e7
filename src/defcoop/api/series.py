"""Series of named exercises and courses: `GET /api/series`, `GET /api/series/{key}`, pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from defcoop.api.backend import BackendDep
from defcoop.api.models import EventOut
from defcoop.api.pages import templates
from defcoop.api.routes import ERRORS
from defcoop.store.series import Series

# Every error answer (404 for an unknown series, 422, ...) is ErrorOut, as on the other routes.
router = APIRouter(responses=ERRORS)
SeriesKey = Annotated[str, Path(min_length=1, max_length=200, description="a series key or name")]
_WIDTH, _MARGIN = 900, 40  # the timeline's drawing, in SVG units


class SeriesOut(BaseModel):
    """A series: its name, how many editions, over which years, who takes part."""

    key: str = Field(description="the series key, as the `series` field of events gives it")
    name: str
    type: str
    editions: int
    first_year: int | None = None
    last_year: int | None = None
    participants: list[str] = Field(description="partners, the most frequent first")
    reports: int


class EditionOut(EventOut):
    """An edition of a series: an event, with its year."""

    year: int | None = None


class SeriesDetail(SeriesOut):
    """A series with its editions, earliest first."""

    editions: list[EditionOut]  # type: ignore[assignment]


@router.get("/api/series", response_model=list[SeriesOut], tags=["series"])
def list_series(backend: BackendDep) -> list[dict[str, object]]:
    """Every series of named exercises and courses, the most editions first."""
    return [series.summary() for series in backend.store.series()]


def _one(backend: BackendDep, key: str) -> Series:
    """The series a key or name gives, or 404."""
    found = backend.store.series(key)
    if not found:
        raise HTTPException(404, f"no series {key!r} in the store")
    return found[0]


@router.get("/api/series/{key}", response_model=SeriesDetail, tags=["series"])
def get_series(backend: BackendDep, key: SeriesKey) -> dict[str, object]:
    """A series and its editions: year, dates, place, participants, reports."""
    return _one(backend, key).as_json()


def timeline(series: Series) -> dict[str, object]:
    """Where each dated edition sits on a timeline of the series' years (SVG units)."""
    years = series.years
    first, last = (min(years), max(years)) if years else (0, 0)
    span = max(last - first, 1)
    marks = []
    for edition in series.editions:
        year = (edition.start or edition.end or "")[:4]
        if not year.isdigit():
            continue
        x = _MARGIN + (int(year) - first) * (_WIDTH - 2 * _MARGIN) / span
        marks.append({"x": round(x, 1), "year": int(year), "event": edition})
    ticks = [
        {"x": round(_MARGIN + (y - first) * (_WIDTH - 2 * _MARGIN) / span, 1), "year": y}
        for y in range(first, last + 1)
    ] if years else []  # fmt: skip
    return {"width": _WIDTH, "marks": marks, "ticks": ticks}


@router.get("/series", response_class=HTMLResponse, include_in_schema=False)
def series_list_page(request: Request, backend: BackendDep) -> Response:
    """Every series as a table."""
    return templates.TemplateResponse(
        request, "series_list.html", {"series": backend.store.series()}
    )


@router.get("/series/{key}", response_class=HTMLResponse, include_in_schema=False)
def series_page(
    request: Request, backend: BackendDep, key: Annotated[str, Path(max_length=200)]
) -> Response:
    """A series: its editions on a timeline, and as a table."""
    found = backend.store.series(key)
    if not found:
        return templates.TemplateResponse(
            request, "missing.html", {"what": f"series {key}"}, status_code=404
        )
    return templates.TemplateResponse(
        request, "series.html", {"series": found[0], "timeline": timeline(found[0])}
    )
