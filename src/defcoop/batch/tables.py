"""The rows of a batch run's Parquet files, and the records they are rebuilt into.

`mentions` rows carry the fields of `defcoop extract --format jsonl` (with the
location as a struct and unrounded coordinates), plus what rebuilding the exact
`Mention` needs: the report's id and position in its shard, the evidence offsets,
the publication date, the forces, the background flag and the place id.
`reports` rows carry every field of a `Report` and its content hash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from defcoop.records import (
    EVENT_TYPES,
    STATUSES,
    EventType,
    Evidence,
    Extraction,
    Location,
    Mention,
    Report,
    Status,
)

LOCATION = pa.struct(
    [
        pa.field("name", pa.string()),
        pa.field("country", pa.string()),
        pa.field("lat", pa.float64()),
        pa.field("lon", pa.float64()),
        pa.field("place_id", pa.string()),
    ]
)
OFFSETS = pa.struct([pa.field("start", pa.int64()), pa.field("end", pa.int64())])

MENTIONS_SCHEMA = pa.schema(
    [
        pa.field("doc", pa.string(), nullable=False),
        pa.field("type", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("participants", pa.list_(pa.string()), nullable=False),
        pa.field("location", LOCATION),
        pa.field("start", pa.string()),
        pa.field("end", pa.string()),
        pa.field("status", pa.string()),
        pa.field("evidence", pa.list_(pa.string()), nullable=False),
        pa.field("event_id", pa.string()),
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("evidence_offsets", pa.list_(OFFSETS), nullable=False),
        pa.field("published", pa.date32()),
        pa.field("forces", pa.list_(pa.string()), nullable=False),
        pa.field("background", pa.bool_(), nullable=False),
        pa.field("report_ordinal", pa.int64(), nullable=False),
    ]
)

REPORTS_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("published", pa.date32(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("author", pa.string()),
        pa.field("language", pa.string(), nullable=False),
        pa.field("origin", pa.string()),
        pa.field("ordinal", pa.int64(), nullable=False),
    ]
)


def report_record(report: Report, ordinal: int) -> dict[str, Any]:
    """The `reports` row of a report, `ordinal` being its position in its shard."""
    return {
        "id": report.id,
        "published": report.published,
        "source": report.source,
        "url": report.url,
        "title": report.title,
        "text": report.text,
        "content_hash": report.content_hash,
        "author": report.author,
        "language": report.language,
        "origin": report.origin,
        "ordinal": ordinal,
    }


def _location_record(location: Location | None) -> dict[str, Any] | None:
    """The location struct of a mention row."""
    if location is None:
        return None
    return {
        "name": location.name,
        "country": location.country,
        "lat": location.lat,
        "lon": location.lon,
        "place_id": location.place_id,
    }


def mention_record(mention: Mention, report_id: str, ordinal: int) -> dict[str, Any]:
    """The `mentions` row of one mention of the report at `ordinal` in its shard."""
    return {
        "doc": mention.doc,
        "type": mention.type,
        "name": mention.name,
        "participants": list(mention.participants),
        "location": _location_record(mention.location),
        "start": mention.start,
        "end": mention.end,
        "status": mention.status,
        "evidence": [e.text for e in mention.evidence],
        "event_id": mention.event_id,
        "report_id": report_id,
        "evidence_offsets": [{"start": e.start, "end": e.end} for e in mention.evidence],
        "published": mention.published,
        "forces": list(mention.forces),
        "background": mention.background,
        "report_ordinal": ordinal,
    }


def extraction_records(
    extraction: Extraction, ordinal: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The `reports` row and the `mentions` rows of one extraction."""
    report = extraction.report
    return report_record(report, ordinal), [
        mention_record(m, report.id, ordinal) for m in extraction.mentions
    ]


def _location_from_record(value: Mapping[str, Any] | None) -> Location | None:
    """The location a mention row's struct holds."""
    if value is None:
        return None
    return Location(
        name=value["name"],
        country=value["country"],
        lat=value["lat"],
        lon=value["lon"],
        place_id=value["place_id"],
    )


def _event_type(value: str) -> EventType:
    """A stored event type, checked."""
    if value not in EVENT_TYPES:
        raise ValueError(f"unknown event type {value!r}")
    return value


def _status(value: str | None) -> Status | None:
    """A stored status, checked."""
    if value is not None and value not in STATUSES:
        raise ValueError(f"unknown status {value!r}")
    return value


def mention_from_record(row: Mapping[str, Any]) -> Mention:
    """The mention a `mentions` row holds, evidence offsets included."""
    texts: Sequence[str] = row["evidence"]
    offsets: Sequence[Mapping[str, int]] = row["evidence_offsets"]
    if len(texts) != len(offsets):
        raise ValueError(f"mention of {row['doc']!r}: evidence and offsets differ in number")
    return Mention(
        doc=row["doc"],
        type=_event_type(row["type"]),
        name=row["name"],
        participants=tuple(row["participants"]),
        location=_location_from_record(row["location"]),
        start=row["start"],
        end=row["end"],
        status=_status(row["status"]),
        evidence=tuple(
            Evidence(text=t, start=o["start"], end=o["end"])
            for t, o in zip(texts, offsets, strict=True)
        ),
        forces=tuple(row["forces"]),
        background=bool(row["background"]),
        event_id=row["event_id"],
        published=row["published"],
    )
