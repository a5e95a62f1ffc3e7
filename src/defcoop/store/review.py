"""The review queue: what an analyst should check first, most reported first.

Three kinds of item, in this order of weight when two are as much reported:

- an event whose mentions disagree on a field (its conflicts);
- two events the resolver left apart that look like one: the same type and
  partners, dates within a few days (a point event) or a month (drills and
  courses), or two editions of one series in the same year; unless an analyst
  already split them;
- an event that is thin: one participant, no date, or no place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, select

from defcoop.nlp.dates import as_date
from defcoop.resolve.events import EventRecord
from defcoop.resolve.matching import names_agree
from defcoop.store.events import record_from_row
from defcoop.store.resolution import links_of, members_of
from defcoop.store.schema import events

KINDS = ("conflicts", "near_duplicate", "incomplete")
POINT_TYPES = ("agreement", "meeting", "transfer")
_POINT_WINDOW = timedelta(days=7)
_SPAN_WINDOW = timedelta(days=31)


@dataclass(frozen=True)
class ReviewItem:
    """One thing to check: its kind, the events concerned, why, and how much it is reported."""

    kind: str
    events: tuple[EventRecord, ...]
    reasons: tuple[str, ...]

    @property
    def reports(self) -> int:
        """Reports behind the item (both events' for a pair)."""
        return sum(e.reports for e in self.events)

    def as_json(self) -> dict[str, object]:
        """The item as the API and `defcoop review --format jsonl` give it."""
        return {
            "kind": self.kind,
            "event_ids": [e.event_id for e in self.events],
            "reports": self.reports,
            "reasons": list(self.reasons),
            "events": [e.as_json() for e in self.events],
        }


def _span(record: EventRecord) -> tuple[date, date] | None:
    """The days an event's dates cover, or None without a day or month."""
    first = record.start or record.end
    if first is None or len(first) < 7:
        return None
    start = as_date(first, last=False)
    end = as_date(record.end or first, last=True)
    if start is None or end is None:
        return None
    return start, max(start, end)


def _close(a: EventRecord, b: EventRecord) -> bool:
    """Whether two events of one type and partner set are near enough in time to be one."""
    if a.series and a.series == b.series:
        return bool(a.start and b.start and a.start[:4] == b.start[:4])
    if a.name and b.name and not names_agree(a.name, b.name):
        return False  # two names: two exercises, however close
    span_a, span_b = _span(a), _span(b)
    if span_a is None or span_b is None:
        return False
    window = _POINT_WINDOW if a.type in POINT_TYPES else _SPAN_WINDOW
    gap = max(span_a[0] - span_b[1], span_b[0] - span_a[1], timedelta(0))
    return gap <= window


def _conflict_reason(record: EventRecord) -> list[str]:
    """Each conflicting field with its values: "start: 2023-03-06 / 2023-03-09"."""
    return [
        f"{name}: " + " / ".join(str(v["value"]) for v in values)
        for name, values in sorted(record.conflicts.items())
    ]


def _thin_reasons(record: EventRecord) -> list[str]:
    """What an event lacks that an analyst would want."""
    reasons = []
    if len(record.participants) < 2:
        reasons.append("one participant" if record.participants else "no participants")
    if not record.start and not record.end:
        reasons.append("no date")
    if record.location is None:
        reasons.append("no place")
    return reasons


def _kept_apart(connection: Connection, a: str, b: str) -> bool:
    """Whether an analyst split some mentions of the two events apart."""
    members = members_of(connection, [a, b])
    ours = {anchor for ev, anchor in members.values() if ev == a}
    theirs = {anchor for ev, anchor in members.values() if ev == b}
    links = links_of(connection, ours, "cannot")
    return any((x in ours and y in theirs) or (y in ours and x in theirs) for x, y in links)


def near_duplicates(records: list[EventRecord]) -> list[tuple[EventRecord, EventRecord]]:
    """Pairs of events of one type and partner set close in time (or one series and year)."""
    groups: dict[tuple[str, tuple[str, ...]], list[EventRecord]] = defaultdict(list)
    for record in records:
        if len(record.participants) >= 2:
            groups[(record.type, record.participants)].append(record)
    pairs = []
    for group in groups.values():
        group.sort(key=lambda r: (r.start or r.end or "", r.event_id))
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _close(a, b):
                    pairs.append((a, b))
    return pairs


def review_queue(connection: Connection, limit: int | None = None) -> list[ReviewItem]:
    """The items to check, most reported first, then by kind, then by event id."""
    records = [record_from_row(dict(r._mapping)) for r in connection.execute(select(events))]
    items: list[ReviewItem] = []
    for record in records:
        if record.conflicts:
            items.append(ReviewItem("conflicts", (record,), tuple(_conflict_reason(record))))
    for a, b in near_duplicates(records):
        if _kept_apart(connection, a.event_id, b.event_id):
            continue
        when = " and ".join(str(r.start or r.end) for r in (a, b))
        reason = f"same type and partners ({', '.join(a.participants)}), dated {when}"
        if a.series and a.series == b.series:
            reason = f"two records of the {a.series} series in {str(a.start)[:4]}"
        items.append(ReviewItem("near_duplicate", (a, b), (reason,)))
    for record in records:
        thin = _thin_reasons(record)
        if thin:
            items.append(ReviewItem("incomplete", (record,), tuple(thin)))
    items.sort(key=lambda i: (-i.reports, KINDS.index(i.kind), [e.event_id for e in i.events]))
    return items if limit is None else items[:limit]
