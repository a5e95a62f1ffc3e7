"""The events one part of a load into an empty store made, written from memory.

A part (`bulk.by_part`) holds its mentions, their evidence and their events; every
event it made is new, and no analyst has corrected one yet (the store held no event,
correction or alias when the load began: `bulk.load`). So the rows that
`store.events.recompute` would read back from the store are built from memory with
the same functions (`reconcile`, `event_row`, `pair_rows`, the summaries'
`row_cells`, the full-text row of `store.fulltext.reindex`) and sent in bulk: COPY on
PostgreSQL, batched inserts on SQLite, the summaries added by upsert. Building the rows
(`part_rows`) needs no database, so it runs in the worker that replayed the part
(`bulk.part_replay`); the loader only sends them (`send_rows`), in the same order.
"""

from __future__ import annotations

import pickle
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import Connection, select

from defcoop.bulk.assignment import Assignment
from defcoop.bulk.intake import Intake
from defcoop.bulk.sink import FLUSH_ROWS, RowSink, add_cells, copy_rows, set_event_ids
from defcoop.records import Evidence, Mention
from defcoop.resolve.events import apply_corrections, reconcile
from defcoop.resolve.matching import blocking_keys
from defcoop.store.events import event_row, pair_rows, participant_rows
from defcoop.store.fulltext import SEARCH_TABLE, add_search_rows, search_row
from defcoop.store.schema import (
    corrections,
    event_aliases,
    event_pairs,
    event_participants,
    events,
    mention_keys,
)
from defcoop.store.tallies import Cell, row_cells
from defcoop.store.word_rows import add_words

SEARCH_BATCH = 500  # full-text rows sent together (their ids in one IN list on SQLite)


def nothing_to_keep(connection: Connection) -> bool:
    """Whether no analyst's correction or alias is stored (new events need none applied)."""
    return all(
        connection.execute(select(column).limit(1)).first() is None
        for column in (corrections.c.event_id, event_aliases.c.alias)
    )


@dataclass(frozen=True)
class KeyRows:
    """Blocking-key rows of the part's mentions, as they end."""

    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class MentionEvents:
    """(mention id, event id) of every mention of the part."""

    pairs: list[tuple[int, str]]


@dataclass(frozen=True)
class AliasRows:
    """The aliases the part's merges leave."""

    rows: list[dict[str, str]]


@dataclass(frozen=True)
class EventRows:
    """A batch of new events: their rows, participants, pairs and full-text rows.

    `seq` in the events rows is the part's own provisional number (`send_rows` shifts it).
    """

    events: list[dict[str, Any]]
    participants: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    search: list[dict[str, Any]]


@dataclass(frozen=True)
class CellCounts:
    """What the part's events add to the summary tables."""

    counted: Counter[Cell]


PartRow = KeyRows | MentionEvents | AliasRows | EventRows | CellCounts


def part_rows(
    intake: Intake,
    assignment: Assignment,
    state: dict[int, Mention],
    evidence: dict[int, tuple[Evidence, ...]],
    now: datetime,
) -> Iterator[PartRow]:
    """The rows of a replayed part, all new, in the order they are written (no I/O).

    `intake` needs only the reports' boundaries and first-sentence offsets (`_leads`).
    """
    keys: list[dict[str, Any]] = []
    for mention_id, mention in state.items():
        for key in blocking_keys(mention):
            keys.append({"key": key, "mention_id": mention_id})
            if len(keys) >= FLUSH_ROWS:
                yield KeyRows(keys)
                keys = []
    if keys:
        yield KeyRows(keys)
    yield MentionEvents(sorted(assignment.event_of.items()))
    aliases = aliases_of(assignment.merges)
    if aliases:
        yield AliasRows(aliases)
    members: dict[str, list[int]] = defaultdict(list)
    for mention_id, ev in sorted(assignment.event_of.items()):
        members[ev].append(mention_id)
    counted: Counter[Cell] = Counter()
    batch = EventRows([], [], [], [])
    ordered = sorted(assignment.new_events, key=lambda ev: assignment.new_events[ev])
    for ev in ordered:
        own = members[ev]
        found = [replace(state[i], evidence=evidence[i], event_id=ev) for i in own]
        record = reconcile(
            ev, found, [f"mention:{i}" for i in own], [_leads(intake, i) for i in own]
        )
        row = {**event_row(apply_corrections(record, []), now), "event_id": ev}
        row["seq"] = assignment.new_events[ev]
        batch.events.append(row)
        batch.participants.extend(participant_rows(ev, record.participants, record.start))
        batch.pairs.extend(pair_rows(ev, record.participants, record.start))
        counted.update(row_cells(row))
        batch.search.append(search_row(row, [text.text for m in found for text in m.evidence]))
        if len(batch.events) >= SEARCH_BATCH:
            yield batch
            batch = EventRows([], [], [], [])
    if batch.events:
        yield batch
    yield CellCounts(counted)


def send_rows(
    connection: Connection,
    rows: Iterable[PartRow],
    seq_shift: int = 0,
    *,
    on_events: Callable[[int], None] = lambda n: None,
    search_tops: dict[int, int] | None = None,
    defer: BinaryIO | None = None,
) -> int:
    """Write a part's rows (`part_rows`) in their order; the events' numbers shifted by
    `seq_shift` (the new events of the parts before). Returns how many events it wrote.

    `search_tops`: the full-text ids used so far (SQLite), kept from part to part.
    `defer`: the events' rows go to this file instead, to be sent with their final
    numbers once every part is replayed (`send_deferred`)."""
    tops = {} if search_tops is None else search_tops
    done = 0
    for item in rows:
        if isinstance(item, KeyRows):
            keys = RowSink(connection, [mention_keys])
            for row in item.rows:
                keys.add(mention_keys, row)
            keys.flush()
        elif isinstance(item, MentionEvents):
            set_event_ids(connection, item.pairs)
        elif isinstance(item, AliasRows):
            connection.execute(event_aliases.insert(), item.rows)
        elif isinstance(item, EventRows) and defer is not None:
            pickle.dump((seq_shift, item), defer, pickle.HIGHEST_PROTOCOL)
        elif isinstance(item, EventRows):
            _send_events(connection, item, lambda seq: seq + seq_shift, tops)
            done += len(item.events)
            on_events(done)
        else:
            add_cells(connection, item.counted)
    return done


def send_deferred(
    connection: Connection,
    source: BinaryIO,
    final: Callable[[int], int],
    *,
    on_events: Callable[[int], None] = lambda n: None,
    search_tops: dict[int, int] | None = None,
) -> int:
    """Write the events' rows `send_rows` deferred to `source` (read from its start),
    each event numbered `final(its shifted provisional number)`. Returns how many."""
    tops = {} if search_tops is None else search_tops
    done = 0
    source.seek(0)
    while True:
        try:
            shift, item = pickle.load(source)
        except EOFError:
            return done
        _send_events(connection, item, _shifted(final, shift), tops)
        done += len(item.events)
        on_events(done)


def _shifted(final: Callable[[int], int], shift: int) -> Callable[[int], int]:
    return lambda seq: final(seq + shift)


def _send_events(
    connection: Connection, item: EventRows, seq: Callable[[int], int], tops: dict[int, int]
) -> None:
    sink = RowSink(connection, [events, event_participants, event_pairs])
    for row in item.events:
        sink.add(events, {**row, "seq": seq(row["seq"])})
    for row in item.participants:
        sink.add(event_participants, row)
    for row in item.pairs:
        sink.add(event_pairs, row)
    sink.flush()
    _search(connection, item.search, tops)


def _search(connection: Connection, rows: list[dict[str, object]], tops: dict[int, int]) -> None:
    """Full-text rows: COPY on PostgreSQL; SQLite's keyed rows as `reindex` adds them."""
    if connection.dialect.name != "postgresql":
        add_search_rows(connection, rows, tops)
        return
    columns = ("event_id", "name", "place", "evidence")
    copy_rows(
        connection,
        f"COPY {SEARCH_TABLE} ({', '.join(columns)}) FROM STDIN",
        ([row[c] for c in columns] for row in rows),
    )
    add_words(connection, [str(row["event_id"]) for row in rows])  # from the rows just copied


def aliases_of(merges: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The alias rows `store.resolution.alias` leaves after these merges, in order, from none."""
    return [{"alias": gone, "event_id": kept} for gone, kept in sorted(_aliases(merges).items())]


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
