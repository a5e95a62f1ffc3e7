"""The last phases of a bulk load: mentions into their events, events reconciled and written.

New events are reconciled in batches with the same functions `store.events.recompute`
uses (`reconcile`, `apply_corrections`, `event_row`, `reindex`, the summaries'
`cells`); stored events the load adds to or merges away, and new ones an analyst's
correction already names, go through `recompute` itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, select, update

from defcoop.bulk.assignment import Assignment
from defcoop.bulk.sink import RowSink, analyze, set_event_ids
from defcoop.resolve.events import apply_corrections, reconcile
from defcoop.store.events import (
    event_row,
    other_leads,
    pair_rows,
    participant_rows,
    recompute,
)
from defcoop.store.fulltext import reindex
from defcoop.store.resolution import alias, chunks, load_mentions
from defcoop.store.schema import (
    corrections,
    event_aliases,
    event_pairs,
    event_participants,
    events,
    mentions,
    tally_dyads,
    tally_events,
    tally_places,
)
from defcoop.store.tallies import Cell, apply, cells

EVENT_BATCH = 500
ANALYZE_AT = {EVENT_BATCH * 4**n for n in range(12)}  # events written, growing: stats
TALLY_TABLES = (tally_events, tally_dyads, tally_places)
TALLY_CELLS = 20_000  # summary cells counted before they are added to the tables


def _final(assignment: Assignment) -> dict[str, str]:
    """Each event merged away -> the live event it ended in."""
    into = dict(assignment.merges)
    final: dict[str, str] = {}
    for gone in into:
        ev = gone
        while ev in into:
            ev = into[ev]
        final[gone] = ev
    return final


def _needs_recompute(connection: Connection, assignment: Assignment) -> set[str]:
    """New events whose names (or the names merged into them) carry analysts' corrections."""
    final = _final(assignment)
    names: dict[str, set[str]] = defaultdict(set)
    for ev in assignment.new_events:
        names[ev].add(ev)
    for gone, ev in final.items():
        if ev in assignment.new_events:
            names[ev].add(gone)
    every = {n for group in names.values() for n in group}
    marked: set[str] = set()
    for part in chunks(every):
        query = select(corrections.c.event_id).where(corrections.c.event_id.in_(part))
        marked.update(row.event_id for row in connection.execute(query))
    for part in chunks(assignment.new_events):
        query = select(event_aliases.c.event_id).where(event_aliases.c.event_id.in_(part))
        marked.update(row.event_id for row in connection.execute(query))
    return {ev for ev, group in names.items() if ev in marked or group & marked}


def write_events(
    connection: Connection,
    assignment: Assignment,
    *,
    on_events: Callable[[int], None] = lambda n: None,
) -> None:
    """Put the mentions in their events, merge events, write every event the load made."""
    special = _needs_recompute(connection, assignment)
    set_event_ids(connection, sorted({**assignment.event_of, **assignment.stored_event_of}.items()))
    final = _final(assignment)
    # The mentions the replay did not adopt follow their event into the one it merged into
    # (an adopted event that lost all its mentions merged into none).
    for gone in sorted(assignment.stored_removed & final.keys()):
        connection.execute(
            update(mentions).where(mentions.c.event_id == gone).values(event_id=final[gone])
        )
    for gone, kept in assignment.merges:
        alias(connection, gone, kept)
    analyze(connection, [mentions])  # its event ids are set now: the write looks them up
    members: dict[str, list[int]] = defaultdict(list)
    # stored mentions the replay adopted may end in a new event too
    every = {**assignment.event_of, **assignment.stored_event_of}
    for mention_id, ev in sorted(every.items()):
        if ev in assignment.new_events:
            members[ev].append(mention_id)
    ordered = sorted(assignment.new_events, key=lambda ev: assignment.new_events[ev])
    plain = [ev for ev in ordered if ev not in special]
    now = datetime.now(UTC)
    sink = RowSink(connection, [events, event_participants, event_pairs])
    done = 0
    counted: Counter[Cell] = Counter()  # the summaries' change, applied once at the end
    for start in range(0, len(plain), EVENT_BATCH):
        batch = plain[start : start + EVENT_BATCH]
        ids = [i for ev in batch for i in members[ev]]
        found = load_mentions(connection, ids, with_evidence=True)
        leads = other_leads(connection, ids)
        for ev in batch:
            own = members[ev]
            record = reconcile(
                ev,
                [found[i] for i in own],
                [f"mention:{i}" for i in own],
                [leads.get(i, set()) for i in own],
            )
            record = apply_corrections(record, [])
            sink.add(
                events, {**event_row(record, now), "event_id": ev, "seq": assignment.new_events[ev]}
            )
            for row in participant_rows(ev, record.participants, record.start):
                sink.add(event_participants, row)
            for pair in pair_rows(ev, record.participants, record.start):
                sink.add(event_pairs, pair)
        sink.flush()
        if done in ANALYZE_AT:
            analyze(connection, [events, event_participants, event_pairs, *TALLY_TABLES])
        reindex(connection, batch)
        counted.update(cells(connection, batch))
        if len(counted) >= TALLY_CELLS:
            apply(connection, counted)  # additive: applied in parts, memory stays bounded
            counted.clear()
        done += len(batch)
        on_events(done)
    apply(connection, counted)
    if special:
        for ev in sorted(special, key=lambda e: assignment.new_events[e]):
            sink.add(events, _placeholder(ev, assignment.new_events[ev], now))
        sink.flush()
    recompute(
        connection,
        special | assignment.stored_touched,
        assignment.stored_removed,
    )
    on_events(len(ordered))


def _placeholder(ident: str, seq: int, now: datetime) -> dict[str, object]:
    """An events row that `recompute` fills in."""
    return {
        "event_id": ident,
        "seq": seq,
        "type": "exercise",
        "participants": "[]",
        "support": "{}",
        "has_location": False,
        "n_mentions": 0,
        "n_reports": 0,
        "provenance": "{}",
        "updated_at": now,
    }
