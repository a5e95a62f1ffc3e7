"""Frozen records passed between the stages of defcoop.

A stage takes one of these and returns another; none of them does I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

EventType = Literal["exercise", "training", "agreement", "meeting", "transfer"]
Status = Literal["planned", "ongoing", "completed"]
# Long work reports (phase, done so far, total when known) through one of these.
Progress = Callable[[str, int, int | None], None]


def no_progress(phase: str, done: int, total: int | None) -> None:
    """The Progress of work nobody watches."""


EVENT_TYPES: tuple[EventType, ...] = ("exercise", "training", "agreement", "meeting", "transfer")
STATUSES: tuple[Status, ...] = ("planned", "ongoing", "completed")


@dataclass(frozen=True)
class Report:
    """One published report: the text and the date every relative date is anchored to."""

    id: str
    text: str
    published: date
    source: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    language: str = "en"
    origin: str | None = None  # the file (and line) the report was read from

    @property
    def content_hash(self) -> str:
        """SHA-256 of text and publication date: re-ingesting a report changes nothing."""
        data = f"{self.published.isoformat()}\n{self.text}".encode()
        return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SkippedRecords:
    """Records of an input left out on purpose, counted (a WARC file's requests, images).

    Not an error: the input is read whole; these records hold no report.
    """

    source: str
    count: int
    reason: str  # what was left out, by kind: "3 request records, 1 image/png response"


@dataclass(frozen=True)
class Sentence:
    """A sentence of a report, with character offsets into `Report.text`."""

    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: GeoNames-style id, name, admin area, ISO3 country, coordinates."""

    id: str
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"  # city, region, country, water, range, base, capital
    admin: str | None = None
    source: str = "geonames"


@dataclass(frozen=True)
class Actor:
    """A country (ISO 3166-1 alpha-3) or an alliance (acronym)."""

    code: str
    name: str
    kind: Literal["country", "alliance"] = "country"


@dataclass(frozen=True)
class DateSpan:
    """A date expression found in a sentence, resolved against the publication date.

    `first`/`last` are ISO values of any precision: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    `role` says what the expression bounds: a point ("on June 15"), a range ("from
    August 1 to 5"), only the end ("until September 17") or only the start ("from
    Monday", "starting September 6").
    """

    start: int  # offsets into the text the expression was found in
    end: int
    text: str
    first: str | None
    last: str | None
    role: Literal["point", "range", "until", "since"] = "point"
    relative: bool = False  # resolved against the publication date ("on Monday", "yesterday")


@dataclass(frozen=True)
class Evidence:
    """A sentence that states an event, with its offsets into the report text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Location:
    """Where an event took place: a resolved place, or only a country."""

    name: str | None
    country: str | None
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None

    def as_json(self) -> dict[str, object]:
        """The location object of `eval/GUIDELINES.md`: name, country, and lat/lon if known."""
        loc: dict[str, object] = {"name": self.name, "country": self.country}
        if self.lat is not None and self.lon is not None:
            loc["lat"] = round(self.lat, 4)
            loc["lon"] = round(self.lon, 4)
        return loc


@dataclass(frozen=True)
class Mention:
    """One event as one report states it."""

    doc: str
    type: EventType
    name: str | None
    participants: tuple[str, ...]
    location: Location | None
    start: str | None
    end: str | None
    status: Status | None
    evidence: tuple[Evidence, ...]
    forces: tuple[str, ...] = ()
    background: bool = False
    event_id: str | None = None
    published: date | None = None

    def as_json(self) -> dict[str, object]:
        """The JSON Lines record of `eval/GUIDELINES.md`."""
        return {
            "doc": self.doc,
            "type": self.type,
            "name": self.name,
            "participants": list(self.participants),
            "location": self.location.as_json() if self.location is not None else None,
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "evidence": [e.text for e in self.evidence],
            "event_id": self.event_id,
        }


@dataclass(frozen=True)
class Extraction:
    """What the extraction of one report gives: its mentions."""

    report: Report
    mentions: tuple[Mention, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SourceState:
    """A followed feed or sitemap as the store keeps it: its last poll and what it gave."""

    name: str
    url: str
    kind: str  # feed, sitemap, or auto until first read
    last_poll: datetime | None = None
    last_full_fetch: datetime | None = None  # last poll sent without validators
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    found: int = 0  # articles listed at the last poll
    new: int = 0  # of those, stored at the last poll
    failed: int = 0  # of those, failed at the last poll
    stored_total: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None

    def as_json(self) -> dict[str, object]:
        """The source as the REST API gives it; dates in ISO 8601."""
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in self.__dict__.items()
            if key not in ("etag", "last_modified", "last_full_fetch")
        }
