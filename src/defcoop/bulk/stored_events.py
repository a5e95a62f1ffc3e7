"""What a whole replay (`bulk.load`) reads of the stored events, and the stored
mentions it re-dates, written back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from sqlalchemy import Connection, delete, func, select

from defcoop.bulk.assignment import StoredEvents, base_id
from defcoop.bulk.intake import Intake
from defcoop.bulk.restating import write_dates
from defcoop.records import Mention
from defcoop.resolve.matching import blocking_keys
from defcoop.store.resolution import chunks, events_of_mentions, load_mentions, members_of
from defcoop.store.schema import events, mention_keys


def likely_ids(intake: Intake, later: dict[int, list[tuple[int, Mention]]]) -> Iterator[str]:
    """The ids the replay will most likely ask the store about: a new event is named
    after its lowest mention (`bulk.assignment.base_id`), one of the load's, as read or
    as re-dated."""
    told = (m for moves in later.values() for _, m in moves)
    return (base_id(m) for m in chain(intake.mentions.values(), told))


def stored_events(connection: Connection, likely: Iterable[str]) -> StoredEvents:
    """Event existence and order as the store has them before the load; whether the
    `likely` ids are stored is read up front (not from an empty store), a chunk a
    statement (one look-up per new event was 17 % of a slice's time on PostgreSQL),
    others one at a time."""
    known: dict[str, bool] = {}
    # An empty events table needs no look-up per new event (a round trip on PostgreSQL).
    empty = connection.execute(select(events.c.event_id).limit(1)).first() is None
    if not empty:
        for part in chunks(sorted(set(likely))):
            query = select(events.c.event_id).where(events.c.event_id.in_(part))
            found = set(connection.execute(query).scalars())
            known.update((ident, ident in found) for ident in part)

    def exists(ident: str) -> bool:
        if empty:
            return False
        if ident not in known:
            query = select(events.c.event_id).where(events.c.event_id == ident)
            known[ident] = connection.execute(query).first() is not None
        return known[ident]

    def max_seq(without: set[str]) -> int:
        query = select(func.coalesce(func.max(events.c.seq), 0))
        if without:
            query = query.where(events.c.event_id.not_in(sorted(without)))
        return int(connection.execute(query).scalar_one())

    def members(event_ids: set[str]) -> dict[int, tuple[str, Mention, tuple[str, ...]]]:
        found = members_of(connection, event_ids)
        states = load_mentions(connection, found)
        keys: dict[int, list[str]] = {i: [] for i in found}
        for part in chunks(found):
            query = select(mention_keys).where(mention_keys.c.mention_id.in_(part))
            for row in connection.execute(query):
                keys[row.mention_id].append(row.key)
        # in the order ingest reads them back (`store.resolution._keys_of` builds sets)
        return {i: (ev, states[i], tuple(sorted(keys[i]))) for i, (ev, _) in found.items()}

    def events_of(ids: set[int]) -> dict[int, str | None]:
        return {i: ev for i, (ev, _) in events_of_mentions(connection, ids).items()}

    def seq_of(event_ids: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(event_ids):
            query = select(events.c.event_id, events.c.seq).where(events.c.event_id.in_(part))
            found.update({row.event_id: row.seq for row in connection.execute(query)})
        return found

    return StoredEvents(
        exists=exists, max_seq=max_seq, members=members, events_of=events_of, seq_of=seq_of
    )


def redate_stored(connection: Connection, redated: dict[int, Mention]) -> None:
    """The last dates of the stored mentions the load re-dated, and their blocking keys."""
    for part in chunks(sorted(redated)):
        connection.execute(delete(mention_keys).where(mention_keys.c.mention_id.in_(part)))
    write_dates(connection, redated)
    rows = [
        {"key": key, "mention_id": i}
        for i, m in sorted(redated.items())
        for key in blocking_keys(m)
    ]
    if rows:
        connection.execute(mention_keys.insert(), rows)
