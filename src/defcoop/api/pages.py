"""The HTML pages: the overview, one event with its sources, one report with its mentions.

The pages are rendered with autoescaping on; a report's text reaches them only as
escaped pieces (see `api.highlight`). Scripts are files under /static (the CSP
allows no inline script), and they read the REST API.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from defcoop.api.backend import BackendDep
from defcoop.api.highlight import Span, pieces
from defcoop.records import EVENT_TYPES, STATUSES, Mention
from defcoop.render import overdue, status_note
from defcoop.resolve.events import CORRECTABLE, EventRecord

WEB = FilePath(__file__).resolve().parents[1] / "web"
# Autoescape every template: report text is untrusted.
templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=True)
)
router = APIRouter(include_in_schema=False)
FILTERS = ("q", "country", "dyad", "type", "status", "since", "until", "place")


def _not_found(request: Request, what: str) -> Response:
    """The page saying what is not in the store, with status 404."""
    return templates.TemplateResponse(request, "missing.html", {"what": what}, status_code=404)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    """Timeline, list, map and network of the events the filters in the URL find."""
    given = {name: request.query_params.get(name, "") for name in FILTERS}
    return templates.TemplateResponse(
        request,
        "index.html",
        {"filters": given, "types": EVENT_TYPES, "statuses": STATUSES},
    )


def field_value(record: EventRecord, name: str) -> str:
    """A field of an event as the edit form shows it (participants comma-separated)."""
    if name == "participants":
        return ", ".join(record.participants)
    if name == "location":
        loc = record.location
        return (loc.name or loc.country or "") if loc else ""
    value = getattr(record, name)
    return "" if value is None else str(value)


def field_rows(record: EventRecord, found: dict[int, Mention]) -> list[dict[str, object]]:
    """Each reconciled field: its value, where it came from, and that source's sentences."""
    rows: list[dict[str, object]] = []
    for name in CORRECTABLE:
        source = record.provenance.get(name)
        if name == "participants":
            sources = [record.provenance.get(f"participants.{c}", "") for c in record.participants]
            source = ", ".join(dict.fromkeys(s for s in sources if s)) or None
        mention_ids = [
            int(part.split(":")[1])
            for part in (source or "").split(", ")
            if part.startswith("mention:")
        ]
        sentences = [e.text for i in mention_ids if i in found for e in found[i].evidence[:1]]
        rows.append(
            {
                "name": name,
                "value": field_value(record, name),
                "source": source,
                "mentions": mention_ids,
                "sentences": sentences,
            }
        )
    return rows


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    request: Request, backend: BackendDep, event_id: Annotated[str, Path(max_length=200)]
) -> Response:
    """An event: fields with their source sentences highlighted in the reports; edit forms."""
    store = backend.store
    record = store.event(event_id)
    if record is None:
        return _not_found(request, f"event {event_id}")
    if record.event_id != event_id:  # merged into another event
        return RedirectResponse(f"/events/{record.event_id}", status_code=307)
    mentions = store.event_mentions(record.event_id)
    found = dict(mentions)
    reports = []
    for doc in dict.fromkeys(m.doc for _, m in mentions):
        report = store.report(doc)
        if report is None:
            continue
        spans = [
            Span(e.start, e.end, f"m{i}", m.type)
            for i, m in mentions
            if m.doc == doc
            for e in m.evidence
        ]
        reports.append({"report": report, "pieces": pieces(report.text, spans)})
    return templates.TemplateResponse(
        request,
        "event.html",
        {
            "event": record,
            "fields": field_rows(record, found),
            "mentions": mentions,
            "reports": reports,
            "history": store.history(record.event_id),
            "status_note": status_note(record, date.today()),
            "overdue": overdue(record, date.today()),
            "types": EVENT_TYPES,
            "statuses": STATUSES,
        },
    )


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(
    request: Request, backend: BackendDep, report_id: Annotated[str, Path(max_length=500)]
) -> Response:
    """A report's text with every mention extracted from it highlighted."""
    report = backend.store.report(report_id)
    if report is None:
        return _not_found(request, f"report {report_id}")
    mentions = backend.store.report_mentions(report.id)
    spans = [Span(e.start, e.end, f"m{i}", m.type) for i, m in mentions for e in m.evidence]
    return templates.TemplateResponse(
        request,
        "report.html",
        {"report": report, "pieces": pieces(report.text, spans), "mentions": mentions},
    )
