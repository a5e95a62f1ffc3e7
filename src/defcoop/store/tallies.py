"""Summary tables of the events: counts the aggregates and the totals read instead of a scan.

Three small tables hold how many events fall in each cell:

- `tally_events`: per participant code ('' for every event), period (`YYYY-MM`, or
  `YYYY` for an event dated only by its year, NULL when undated), type and status;
- `tally_dyads`: per pair of participants (a < b) and type;
- `tally_places`: per place (name, country, latitude, longitude) and type, for events
  with a location.

They are changed by the transaction that changes the events: `recompute` and the bulk
writer take the cells of the events before and after (`cells`) and add the difference
(`apply`), so the tables never lag the events table. Placeholder rows (no mentions
yet) count for nothing until they are reconciled. `rebuild` counts them again from
scratch (the schema revision that creates them, and benchmarks loading events raw).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from defcoop.store.resolution import chunks
from defcoop.store.schema import events, tally_dyads, tally_events, tally_places

ALL = ""  # the code of the tally_events rows that count every event

# A cell: the table it is in and the values of its key columns, in TALLY_KEYS order.
Cell = tuple[str, tuple[Any, ...]]
TALLY_KEYS: dict[str, tuple[str, ...]] = {
    tally_events.name: ("code", "period", "type", "status"),
    tally_dyads.name: ("a", "b", "type"),
    tally_places.name: ("name", "country", "lat", "lon", "type"),
}
_TABLES: dict[str, Table] = {t.name: t for t in (tally_events, tally_dyads, tally_places)}
_COLUMNS = (
    events.c.event_id,
    events.c.type,
    events.c.status,
    events.c.start,
    events.c.end,
    events.c.participants,
    events.c.has_location,
    events.c.location_name,
    events.c.location_country,
    events.c.location_lat,
    events.c.location_lon,
    events.c.n_mentions,
)


def period_of(start: str | None, end: str | None) -> str | None:
    """The month an event is in (`YYYY-MM`), its year when only that is known, or None."""
    when = start if start is not None else end
    if when is None or len(when) < 4:
        return None
    return when[:7] if len(when) >= 7 else when[:4]


def row_cells(row: Mapping[Any, Any]) -> list[Cell]:
    """The cells one events row counts in; none for a placeholder."""
    if not row["n_mentions"]:
        return []
    kind = row["type"]
    period = period_of(row["start"], row["end"])
    codes = sorted(set(json.loads(row["participants"])))
    found: list[Cell] = [
        (tally_events.name, (code, period, kind, row["status"])) for code in (ALL, *codes)
    ]
    found.extend(
        (tally_dyads.name, (a, b, kind)) for i, a in enumerate(codes) for b in codes[i + 1 :]
    )
    if row["has_location"]:
        place = (row["location_name"], row["location_country"])
        found.append((tally_places.name, (*place, row["location_lat"], row["location_lon"], kind)))
    return found


def cells(connection: Connection, event_ids: Iterable[str]) -> Counter[Cell]:
    """How many of these events (as stored now) count in each cell."""
    found: Counter[Cell] = Counter()
    for part in chunks(sorted(set(event_ids))):
        for row in connection.execute(select(*_COLUMNS).where(events.c.event_id.in_(part))):
            found.update(row_cells(row._mapping))
    return found


def difference(after: Counter[Cell], before: Counter[Cell]) -> Counter[Cell]:
    """after - before, keeping negative counts (Counter's `-` drops them)."""
    change = Counter(after)
    change.subtract(before)
    return change


def cell_key(values: tuple[Any, ...]) -> str:
    """The text a cell is found by (NULLs included, which a unique index would not match)."""
    return json.dumps(values)


def apply(connection: Connection, change: Counter[Cell]) -> None:
    """Add a change to the tables; cells that reach zero are removed."""
    by_table: dict[str, dict[str, tuple[tuple[Any, ...], int]]] = {}
    for (name, values), n in change.items():
        if n:
            by_table.setdefault(name, {})[cell_key(values)] = (values, n)
    for name, wanted in by_table.items():
        table = _TABLES[name]
        stored: dict[str, int] = {}
        for part in chunks(wanted):
            query = select(table.c.key, table.c.n).where(table.c.key.in_(part))
            stored.update({row.key: row.n for row in connection.execute(query)})
        changed = [
            {"k": key, "total": stored[key] + n} for key, (_, n) in wanted.items() if key in stored
        ]
        if changed:
            connection.execute(
                update(table).where(table.c.key == bindparam("k")).values(n=bindparam("total")),
                changed,
            )
        names = TALLY_KEYS[name]
        new = [
            {"key": key, **dict(zip(names, values, strict=True)), "n": n}
            for key, (values, n) in wanted.items()
            if key not in stored
        ]
        if new:
            connection.execute(insert(table), new)
        # Only the cells this change touched can have reached zero (no full-table scan).
        for part in chunks(wanted):
            connection.execute(delete(table).where(table.c.key.in_(part), table.c.n <= 0))


def rebuild(connection: Connection, batch: int = 10_000) -> None:
    """Count every event again into empty tables (the tables' first fill)."""
    for table in _TABLES.values():
        connection.execute(delete(table))
    found: Counter[Cell] = Counter()
    # On the statement, not the connection: that would stream every later statement too.
    result = connection.execute(select(*_COLUMNS).execution_options(yield_per=batch))
    for rows in result.partitions():
        for row in rows:
            found.update(row_cells(row._mapping))
    apply(connection, found)
