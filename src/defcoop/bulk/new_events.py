"""The events one part of a load into an empty store made, written from memory.

A part (`bulk.by_part`) holds its mentions, their evidence and their events; every
event it made is new, and no analyst has corrected one yet (the store held no event,
correction or alias when the load began: `bulk.load`). So the rows that
`store.events.recompute` would read back from the store are built from memory with
the same functions (`reconcile`, `event_row`, `pair_rows`, the summaries'
`row_cells`, the full-text row of `store.fulltext.reindex`) and sent in bulk: COPY on
PostgreSQL, batched inserts on SQLite, the summaries added by upsert.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from defcoop.bulk.assignment import Assignment
from defcoop.bulk.intake import Intake
from defcoop.bulk.sink import RowSink, add_cells, copy_rows, set_event_ids
from defcoop.records import Evidence, Mention
from defcoop.resolve.events import apply_corrections, reconcile
from defcoop.store.events import event_row, pair_rows, participant_rows
from defcoop.store.fulltext import SEARCH_TABLE, add_search_rows, search_row
from defcoop.store.schema import (
    corrections,
    event_aliases,
    event_pairs,
    event_participants,
    events,
)
from defcoop.store.tallies import Cell, row_cells

SEARCH_BATCH = 500  # full-text rows sent together (their ids in one IN list on SQLite)


def nothing_to_keep(connection: Connection) -> bool:
    """Whether no analyst's correction or alias is stored (new events need none applied)."""
    return all(
        connection.execute(select(column).limit(1)).first() is None
        for column in (corrections.c.event_id, event_aliases.c.alias)
    )


def write_new_events(
    connection: Connection,
    intake: Intake,
    assignment: Assignment,
    state: dict[int, Mention],
    evidence: dict[int, tuple[Evidence, ...]],
    *,
    on_events: Callable[[int], None] = lambda n: None,
) -> None:
    """Put the part's mentions in their events and write those events, all new."""
    set_event_ids(connection, sorted(assignment.event_of.items()))
    aliases = _aliases(assignment.merges)
    if aliases:
        connection.execute(
            event_aliases.insert(),
            [{"alias": gone, "event_id": kept} for gone, kept in sorted(aliases.items())],
        )
    members: dict[str, list[int]] = defaultdict(list)
    for mention_id, ev in sorted(assignment.event_of.items()):
        members[ev].append(mention_id)
    now = datetime.now(UTC)
    sink = RowSink(connection, [events, event_participants, event_pairs])
    counted: Counter[Cell] = Counter()
    search: list[dict[str, object]] = []
    ordered = sorted(assignment.new_events, key=lambda ev: assignment.new_events[ev])
    for done, ev in enumerate(ordered, start=1):
        own = members[ev]
        found = [replace(state[i], evidence=evidence[i], event_id=ev) for i in own]
        record = reconcile(
            ev, found, [f"mention:{i}" for i in own], [_leads(intake, i) for i in own]
        )
        row = {**event_row(apply_corrections(record, []), now), "event_id": ev}
        row["seq"] = assignment.new_events[ev]
        sink.add(events, row)
        for item in participant_rows(ev, record.participants, record.start):
            sink.add(event_participants, item)
        for pair in pair_rows(ev, record.participants, record.start):
            sink.add(event_pairs, pair)
        counted.update(row_cells(row))
        search.append(search_row(row, [text.text for m in found for text in m.evidence]))
        if len(search) >= SEARCH_BATCH:
            sink.flush()
            _search(connection, search)
            search = []
        on_events(done)
    sink.flush()
    _search(connection, search)
    add_cells(connection, counted)


def _search(connection: Connection, rows: list[dict[str, object]]) -> None:
    """Full-text rows: COPY on PostgreSQL; SQLite's keyed rows as `reindex` adds them."""
    if connection.dialect.name != "postgresql":
        add_search_rows(connection, rows)
        return
    columns = ("event_id", "name", "place", "evidence")
    copy_rows(
        connection,
        f"COPY {SEARCH_TABLE} ({', '.join(columns)}) FROM STDIN",
        ([row[c] for c in columns] for row in rows),
    )


def _aliases(merges: list[tuple[str, str]]) -> dict[str, str]:
    """The aliases `store.resolution.alias` leaves after these merges, in order, from none."""
    into: dict[str, str] = {}
    pointing: dict[str, set[str]] = defaultdict(set)  # event -> aliases pointing at it
    for gone, kept in merges:
        for name in pointing.pop(gone, set()):
            into[name] = kept
            pointing[kept].add(name)
        for name in (gone, kept):
            if name in into:
                pointing[into.pop(name)].discard(name)
        into[gone] = kept
        pointing[kept].add(gone)
    return into


def _leads(intake: Intake, mention_id: int) -> set[int]:
    """Where the first sentences of the other mentions of its report start (`other_leads`)."""
    starts: array[int] = intake.first_starts
    base = intake.first_mention
    return {
        starts[other - base]
        for other in intake.step_ids(intake.step_of(mention_id))
        if other != mention_id and starts[other - base] >= 0
    }
