"""Canonical events: the mentions of one real event reconciled into one record.

Each reconciled value remembers the mention it came from (its provenance), and an
analyst's correction, applied on top, wins over any machine value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

from defcoop.records import EVENT_TYPES, STATUSES, Location, Mention
from defcoop.resolve.choice import choose_date, choose_location, choose_name, conflicts
from defcoop.resolve.series import series_of
from defcoop.resolve.statements import statement

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
    # Field -> its disagreeing values, each with the mentions giving it (see resolve.choice).
    conflicts: Mapping[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)
    # Values reconciliation left out: field, value, mention, reason.
    set_aside: tuple[Mapping[str, object], ...] = ()
    series: str | None = None  # the key of the series it is an edition of
    status_as_of: date | None = None  # the publication date of the report the status is from

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
            "series": self.series,
            "status_as_of": self.status_as_of.isoformat() if self.status_as_of else None,
            "conflicts": sorted(self.conflicts),
        }


def _chronological(
    mentions: Sequence[Mention], sources: Sequence[str]
) -> list[tuple[str, Mention]]:
    """Mentions with their sources, earliest report first: ties go the same way every time."""
    paired = list(zip(sources, mentions, strict=True))
    return sorted(paired, key=lambda p: (p[1].published or date.max, p[1].doc, p[0]))


def reconcile(
    event_id: str,
    mentions: Sequence[Mention],
    sources: Sequence[str] | None = None,
    foreign: Sequence[Collection[int]] | None = None,
) -> EventRecord:
    """Reconcile the mentions of one event into one record, noting where each value came from.

    Dates, place and name as `resolve.choice` chooses them, participants with their
    support, the status of the latest report that tells one. `sources` names each
    mention for the provenance (default: its report and offset); `foreign` gives,
    for each mention, the offsets of its evidence sentences that lead another
    mention of its report (see `resolve.statements`).
    """
    if not mentions:
        raise ValueError(f"event {event_id} has no mentions")
    labels = list(sources) if sources is not None else [_anchor(m) for m in mentions]
    aliens = list(foreign) if foreign is not None else [() for _ in mentions]
    told = dict(zip(labels, aliens, strict=True))
    items = _chronological(mentions, labels)
    statements = [statement(s, m, told[s]) for s, m in items]
    provenance: dict[str, str] = {}
    chosen: dict[str, object] = {}
    picks = {
        "name": choose_name(statements),
        "start": choose_date(statements, "start"),
        "end": choose_date(statements, "end"),
        "location": choose_location(statements),
    }
    for name, picked in picks.items():
        chosen[name] = None if picked is None else picked[0]
        if picked is not None:
            provenance[name] = picked[1]
    kinds = Counter(m.type for _, m in items)
    kind = max(
        kinds, key=lambda k: (kinds[k], -next(i for i, (_, m) in enumerate(items) if m.type == k))
    )
    provenance["type"] = next(s for s, m in items if m.type == kind)
    with_status = [(s, m) for s, m in items if m.status is not None]
    status, as_of = None, None
    if with_status:
        source, latest = with_status[-1]
        status, as_of, provenance["status"] = latest.status, latest.published, source
    support = Counter(code for _, m in items for code in dict.fromkeys(m.participants))
    kept = {
        code
        for code, count in support.items()
        if len(items) < _MIN_MENTIONS_FOR_SUPPORT or count >= _MIN_SUPPORT * len(items)
    }
    for code in kept:
        provenance[f"participants.{code}"] = next(s for s, m in items if code in m.participants)
    published = [m.published for _, m in items if m.published]
    title = cast(str | None, chosen["name"])
    found = conflicts(statements)
    dropped = sorted(set(support) - kept)
    if dropped and "participants" not in found:
        found["participants"] = [
            {"value": code, "mentions": [s for s, m in items if code in m.participants]}
            for code in dropped
        ]
    series = series_of(kind, title)
    return EventRecord(
        event_id=event_id,
        type=kind,
        name=title,
        participants=tuple(sorted(kept)),
        location=cast(Location | None, chosen["location"]),
        start=cast(str | None, chosen["start"]),
        end=cast(str | None, chosen["end"]),
        status=status,
        reports=len({m.doc for _, m in items}),
        first_report=min(published) if published else None,
        last_report=max(published) if published else None,
        mentions=len(items),
        support=tuple(sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))),
        provenance=provenance,
        conflicts=found,
        set_aside=tuple(
            {"field": a.field, "value": a.value, "mention": a.source, "reason": a.reason}
            for st in statements
            for a in st.set_aside
        ),
        series=series[0] if series else None,
        status_as_of=as_of,
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
    """The record with analysts' values set on top, in log order (a later one wins).

    An entry `{"revert": [FIELD, ...]}` returns those fields to the machine's values.
    """
    machine = dict(record.provenance)
    provenance = dict(record.provenance)
    changes: dict[str, object] = {}
    for correction_id, values in corrections:
        for name in cast(Sequence[str], values.get("revert", ())):
            if name not in CORRECTABLE:
                continue
            changes.pop(name, None)
            for key in [k for k in provenance if k == name or k.startswith(f"{name}.")]:
                del provenance[key]
            provenance.update(
                {k: v for k, v in machine.items() if k == name or k.startswith(f"{name}.")}
            )
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


def corrected_fields(record: EventRecord) -> list[str]:
    """The fields that hold an analyst's value."""
    return [
        name for name in CORRECTABLE if record.provenance.get(name, "").startswith("correction:")
    ]


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
