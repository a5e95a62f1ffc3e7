"""Series as entities: the editions of one named exercise or course, read from the events.

An event's series key is set when it is reconciled (`resolve.series`); a series
is every event sharing that key, its editions in time order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, select

from defcoop.resolve.events import EventRecord
from defcoop.resolve.series import series_of
from defcoop.store.events import record_from_row
from defcoop.store.schema import events


@dataclass(frozen=True)
class Series:
    """A series and its editions, earliest first."""

    key: str
    name: str
    editions: tuple[EventRecord, ...]

    @property
    def years(self) -> list[int]:
        """The years of its dated editions, in order."""
        return [int(y) for e in self.editions if (y := (e.start or e.end or "")[:4]).isdigit()]

    def summary(self) -> dict[str, object]:
        """The series in a list: name, editions, years, partners, reports."""
        years = self.years
        partners = Counter(code for e in self.editions for code in e.participants)
        return {
            "key": self.key,
            "name": self.name,
            "type": Counter(e.type for e in self.editions).most_common(1)[0][0],
            "editions": len(self.editions),
            "first_year": min(years) if years else None,
            "last_year": max(years) if years else None,
            "participants": sorted(partners, key=lambda c: (-partners[c], c)),
            "reports": sum(e.reports for e in self.editions),
        }

    def as_json(self) -> dict[str, object]:
        """The series with every edition: its year, dates, place, participants, reports."""
        return {
            **self.summary(),
            "editions": [
                {"year": int(y) if (y := (e.start or e.end or "")[:4]).isdigit() else None}
                | e.as_json()
                for e in self.editions
            ],
        }


def _series(key: str, editions: list[EventRecord]) -> Series:
    """A series from its editions; its name the one most of them give, the latest on a tie."""
    ordered = sorted(editions, key=lambda e: (e.start or e.end or "9999", e.event_id))
    names = [found[1] for e in ordered if (found := series_of(e.type, e.name))]
    counted = Counter(names)
    latest = {name: i for i, name in enumerate(names)}
    name = max(counted, key=lambda n: (counted[n], latest[n])) if names else key
    return Series(key=key, name=name, editions=tuple(ordered))


def all_series(connection: Connection) -> list[Series]:
    """Every series, the most editions first."""
    grouped: dict[str, list[EventRecord]] = defaultdict(list)
    for row in connection.execute(select(events).where(events.c.series.is_not(None))):
        record = record_from_row(dict(row._mapping))
        grouped[str(record.series)].append(record)
    found = [_series(key, editions) for key, editions in grouped.items()]
    return sorted(found, key=lambda s: (-len(s.editions), s.key))


def series_key_of(text: str) -> str:
    """The key a series is asked for by: its key, or a name of it or of an edition."""
    found = series_of("exercise", text)
    return found[0] if found else text.strip().lower()


def one_series(connection: Connection, key: str) -> Series | None:
    """The series with this key (or name), or None."""
    wanted = series_key_of(key)
    rows = connection.execute(select(events).where(events.c.series == wanted)).all()
    if not rows:
        return None
    return _series(wanted, [record_from_row(dict(r._mapping)) for r in rows])
