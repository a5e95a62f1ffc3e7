"""Canonical events: the mentions of one real event reconciled into one record.

Each reconciled value remembers the mention it came from (its provenance), and an
analyst's correction, applied on top, wins over any machine value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

from defcoop.records import EVENT_TYPES, STATUSES, Location, Mention

# A participant named by fewer than this share of an event's mentions is dropped,
# once the event has enough mentions for the share to mean something.
_MIN_SUPPORT = 1 / 3
_MIN_MENTIONS_FOR_SUPPORT = 3
CORRECTABLE = ("type", "name", "participants", "location", "start", "end", "status")


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
    mentions: int = 0
    # How many mentions name each participant, strongest first.
    support: tuple[tuple[str, int], ...] = ()
    # Field -> where its value came from: a mention ("mention:12") or "correction:3".
    provenance: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The GUIDELINES fields plus the event id and report counts."""
        loc = self.location.as_json() if self.location is not None else None
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


def _precision(value: str | None) -> int:
    """0 without a date, 1 a year, 2 a month, 3 a day."""
    return 0 if not value else value.count("-") + 1


def _place_rank(location: Location | None) -> int:
    """How specific a location is: 3 a named site, 2 a region, 1 a country, 0 none."""
    if location is None or (location.name is None and location.country is None):
        return 0
    if location.name is None or location.name == location.country:
        return 1
    if location.place_id is None or location.place_id.startswith(("iso3166-2:", "country")):
        return 2
    return 3


def _pick(
    values: Sequence[tuple[str, object]], rank: dict[object, int]
) -> tuple[object, str] | None:
    """The value ranked highest, then most frequent, then first given; with its source."""
    present = [(source, value) for source, value in values if value is not None]
    if not present:
        return None
    counted = Counter(value for _, value in present)
    order = {value: i for i, (_, value) in reversed(list(enumerate(present)))}
    best = max(counted, key=lambda v: (rank.get(v, 0), counted[v], -order[v]))
    return best, present[order[best]][0]


def _chronological(
    mentions: Sequence[Mention], sources: Sequence[str]
) -> list[tuple[str, Mention]]:
    """Mentions with their sources, earliest report first: ties go the same way every time."""
    paired = list(zip(sources, mentions, strict=True))
    return sorted(paired, key=lambda p: (p[1].published or date.max, p[1].doc, p[0]))


def reconcile(
    event_id: str, mentions: Sequence[Mention], sources: Sequence[str] | None = None
) -> EventRecord:
    """Reconcile the mentions of one event into one record, noting where each value came from.

    Most specific date and place, the most common name, participants with their
    support, the status of the latest report. `sources` names each mention for the
    provenance (default: its report and offset).
    """
    if not mentions:
        raise ValueError(f"event {event_id} has no mentions")
    labels = list(sources) if sources is not None else [_anchor(m) for m in mentions]
    items = _chronological(mentions, labels)
    provenance: dict[str, str] = {}

    def take(name: str, values: list[tuple[str, object]], rank: dict[object, int]) -> object:
        """The chosen value of a field, its source noted in the provenance."""
        picked = _pick(values, rank)
        if picked is None:
            return None
        provenance[name] = picked[1]
        return picked[0]

    kind = take("type", [(s, m.type) for s, m in items], {})
    name = take("name", [(s, m.name) for s, m in items], {})
    starts = [(s, m.start) for s, m in items]
    start = take("start", list(starts), {v: _precision(v) for _, v in starts if v})
    ends = [(s, m.end) for s, m in items]
    end = take("end", list(ends), {v: _precision(v) for _, v in ends if v})
    places = [(s, m.location) for s, m in items if _place_rank(m.location) > 0]
    location = take("location", list(places), {p: _place_rank(p) for _, p in places})
    with_status = [(s, m) for s, m in items if m.status is not None]
    status = None
    if with_status:
        source, latest = with_status[-1]
        status, provenance["status"] = latest.status, source
    support = Counter(code for _, m in items for code in dict.fromkeys(m.participants))
    kept = {
        code
        for code, count in support.items()
        if len(items) < _MIN_MENTIONS_FOR_SUPPORT or count >= _MIN_SUPPORT * len(items)
    }
    for code in kept:
        provenance[f"participants.{code}"] = next(s for s, m in items if code in m.participants)
    published = [m.published for _, m in items if m.published]
    return EventRecord(
        event_id=event_id,
        type=str(kind),
        name=cast(str | None, name),
        participants=tuple(sorted(kept)),
        location=cast(Location | None, location),
        start=cast(str | None, start),
        end=cast(str | None, end),
        status=status,
        reports=len({m.doc for _, m in items}),
        first_report=min(published) if published else None,
        last_report=max(published) if published else None,
        mentions=len(items),
        support=tuple(sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))),
        provenance=provenance,
    )


def _anchor(mention: Mention) -> str:
    """A mention's report and the offset of its first evidence sentence."""
    offset = mention.evidence[0].start if mention.evidence else 0
    return f"{mention.doc}@{offset}"


def location_value(value: Mapping[str, object] | None) -> Location | None:
    """The location a correction's JSON value holds."""
    if value is None:
        return None

    def number(key: str) -> float | None:
        item = value.get(key)
        return float(item) if isinstance(item, int | float) else None

    def text(key: str) -> str | None:
        item = value.get(key)
        return str(item) if item is not None else None

    return Location(
        name=text("name"),
        country=text("country"),
        lat=number("lat"),
        lon=number("lon"),
        place_id=text("place_id"),
    )


def apply_corrections(
    record: EventRecord, corrections: Iterable[tuple[int, Mapping[str, object]]]
) -> EventRecord:
    """The record with analysts' values set on top, in log order (a later one wins)."""
    provenance = dict(record.provenance)
    changes: dict[str, object] = {}
    for correction_id, values in corrections:
        for name, value in values.items():
            if name not in CORRECTABLE:
                continue
            if name == "participants":
                codes = tuple(str(v) for v in cast(Sequence[object], value or ()))
                changes[name] = codes
                for key in [k for k in provenance if k.startswith("participants.")]:
                    del provenance[key]
                for code in codes:
                    provenance[f"participants.{code}"] = f"correction:{correction_id}"
            elif name == "location":
                changes[name] = location_value(cast(Mapping[str, object] | None, value))
            else:
                changes[name] = value
            provenance[name] = f"correction:{correction_id}"
    return replace(record, **changes, provenance=provenance)  # type: ignore[arg-type]


def check_type(value: str) -> str:
    """An event type, or ValueError naming the allowed ones."""
    if value not in EVENT_TYPES:
        raise ValueError(f"type: {value!r} is not one of {', '.join(EVENT_TYPES)}")
    return value


def check_status(value: str) -> str:
    """A status, or ValueError naming the allowed ones."""
    if value not in STATUSES:
        raise ValueError(f"status: {value!r} is not one of {', '.join(STATUSES)}")
    return value
