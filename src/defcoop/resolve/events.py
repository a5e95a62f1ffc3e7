"""Canonical events: the mentions that share an event id, reconciled into one record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from defcoop.records import Location, Mention


@dataclass(frozen=True)
class EventRecord:
    """One real event with the fields reconciled from all its mentions."""

    event_id: str
    type: str
    name: str | None
    participants: tuple[str, ...]
    location: Location | None
    start: str | None
    end: str | None
    status: str | None
    reports: int
    first_report: date | None
    last_report: date | None

    def as_json(self) -> dict[str, object]:
        """The GUIDELINES fields plus the event id and report counts."""
        loc: dict[str, object] | None = None
        if self.location is not None:
            loc = {"name": self.location.name, "country": self.location.country}
            if self.location.lat is not None and self.location.lon is not None:
                loc["lat"] = round(self.location.lat, 4)
                loc["lon"] = round(self.location.lon, 4)
        return {
            "event_id": self.event_id,
            "type": self.type,
            "name": self.name,
            "participants": list(self.participants),
            "location": loc,
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "reports": self.reports,
            "first_report": self.first_report.isoformat() if self.first_report else None,
            "last_report": self.last_report.isoformat() if self.last_report else None,
        }


def _most_specific(values: Iterable[str | None]) -> str | None:
    """The most precise ISO value among the mentions, the most frequent on ties."""
    counted = Counter(v for v in values if v)
    if not counted:
        return None
    return max(counted, key=lambda v: (v.count("-"), counted[v]))


def reconcile(event_id: str, mentions: list[Mention]) -> EventRecord:
    """Reconcile the mentions of one event into one record."""
    names = Counter(m.name for m in mentions if m.name)
    places = [m.location for m in mentions if m.location is not None]
    named_places = [p for p in places if p.name and p.place_id and "country" not in p.place_id]
    location = (named_places or places)[0] if places else None
    participants = sorted({code for m in mentions for code in m.participants})
    latest = max(mentions, key=lambda m: m.published or date.min)
    dates = [m.published for m in mentions if m.published]
    return EventRecord(
        event_id=event_id,
        type=mentions[0].type,
        name=names.most_common(1)[0][0] if names else None,
        participants=tuple(participants),
        location=location,
        start=_most_specific(m.start for m in mentions),
        end=_most_specific(m.end for m in mentions),
        status=latest.status,
        reports=len({m.doc for m in mentions}),
        first_report=min(dates) if dates else None,
        last_report=max(dates) if dates else None,
    )


def canonical_events(mentions: Iterable[Mention]) -> list[EventRecord]:
    """Group mentions by event id and reconcile each group, earliest event first."""
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.event_id or "", []).append(mention)
    records = [reconcile(key, group) for key, group in groups.items()]
    return sorted(records, key=lambda r: (r.start or "9999", r.event_id))
