"""Records to table rows and back; a mention read back equals the one written."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from defcoop.records import EventType, Evidence, Location, Mention, Report, Status


def start_year(start: str | None) -> int | None:
    """The year of an ISO value of any precision (``2021``, ``2021-09``, ``2021-09-06``)."""
    if start is None or len(start) < 4 or not start[:4].isdigit():
        return None
    return int(start[:4])


def report_row(report: Report, ingested_at: datetime) -> dict[str, Any]:
    """The `reports` row of a report."""
    return {
        "id": report.id,
        "content_hash": report.content_hash,
        "published": report.published,
        "source": report.source,
        "url": report.url,
        "title": report.title,
        "author": report.author,
        "language": report.language,
        "text": report.text,
        "origin": report.origin,
        "ingested_at": ingested_at,
    }


def report_from_row(row: Mapping[str, Any]) -> Report:
    """The report a `reports` row holds."""
    return Report(
        id=row["id"],
        text=row["text"],
        published=row["published"],
        source=row["source"],
        url=row["url"],
        title=row["title"],
        author=row["author"],
        language=row["language"],
        origin=row["origin"],
    )


def mention_anchor(mention: Mention) -> str:
    """Where a mention stands, stable across re-extraction: report, offset, type."""
    offset = mention.evidence[0].start if mention.evidence else 0
    return f"{mention.doc}@{offset}|{mention.type}"


def location_columns(location: Location | None) -> dict[str, Any]:
    """The location columns shared by the `mentions` and `events` tables."""
    return {
        "has_location": location is not None,
        "location_name": location.name if location else None,
        "location_country": location.country if location else None,
        "location_lat": location.lat if location else None,
        "location_lon": location.lon if location else None,
        "location_place_id": location.place_id if location else None,
    }


def location_from_row(row: Mapping[str, Any]) -> Location | None:
    """The location held by the location columns of a row."""
    if not row["has_location"]:
        return None
    return Location(
        name=row["location_name"],
        country=row["location_country"],
        lat=row["location_lat"],
        lon=row["location_lon"],
        place_id=row["location_place_id"],
    )


def mention_row(mention: Mention, report_id: str, ordinal: int) -> dict[str, Any]:
    """The `mentions` row of a mention (its evidence goes to its own table)."""
    return {
        "report_id": report_id,
        "ordinal": ordinal,
        "doc": mention.doc,
        "type": mention.type,
        "name": mention.name,
        "participants": json.dumps(list(mention.participants)),
        **location_columns(mention.location),
        "start": mention.start,
        "end": mention.end,
        "start_year": start_year(mention.start),
        "status": mention.status,
        "forces": json.dumps(list(mention.forces)),
        "background": mention.background,
        "event_id": mention.event_id,
        "published": mention.published,
        "told_start": mention.start,
        "told_end": mention.end,
        "told_status": mention.status,
        "told_background": mention.background,
        "anchor": mention_anchor(mention),
    }


def evidence_rows(mention_id: int, evidence: Sequence[Evidence]) -> list[dict[str, Any]]:
    """The `evidence` rows of one mention, in order."""
    return [
        {
            "mention_id": mention_id,
            "ordinal": ordinal,
            "start": item.start,
            "end": item.end,
            "text": item.text,
        }
        for ordinal, item in enumerate(evidence)
    ]


def _strings(value: str) -> tuple[str, ...]:
    """A tuple of strings from a JSON array column."""
    return tuple(str(item) for item in json.loads(value))


def mention_from_row(
    row: Mapping[str, Any], evidence: Sequence[Mapping[str, Any]], *, told: bool = False
) -> Mention:
    """The mention a `mentions` row and its `evidence` rows (in order) hold.

    `told` gives the dates and status as the report told them, before any restating.
    """
    prefix = "told_" if told else ""
    return Mention(
        doc=row["doc"],
        type=cast(EventType, row["type"]),
        name=row["name"],
        participants=_strings(row["participants"]),
        location=location_from_row(row),
        start=row[f"{prefix}start"],
        end=row[f"{prefix}end"],
        status=cast(Status | None, row[f"{prefix}status"]),
        evidence=tuple(
            Evidence(text=item["text"], start=item["start"], end=item["end"]) for item in evidence
        ),
        forces=_strings(row["forces"]),
        background=bool(row[f"{prefix}background"]),
        event_id=row["event_id"],
        published=row["published"],
    )
