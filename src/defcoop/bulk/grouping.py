"""The blocking keys of a bulk load: written for its mentions, and the stored mentions under them.

Every stored mention sharing a key with one of the load's (in any of the dates the
load gives it) is a candidate `same_event` may pair with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from defcoop.bulk.intake import Intake
from defcoop.bulk.sink import RowSink
from defcoop.records import Mention
from defcoop.resolve.matching import blocking_keys
from defcoop.store.resolution import chunks, events_of_mentions, load_mentions
from defcoop.store.schema import events, mention_keys


@dataclass
class Candidates:
    """The stored mentions that share a key with the load, their events and those events' order."""

    mentions: dict[int, Mention] = field(default_factory=dict)
    event_of: dict[int, str] = field(default_factory=dict)
    seq: dict[str, int] = field(default_factory=dict)
    keys: dict[str, set[int]] = field(default_factory=dict)  # key -> stored mentions


def index_keys(connection: Connection, ended: dict[int, Mention]) -> None:
    """Write the blocking keys of the load's mentions (as they end)."""
    sink = RowSink(connection, [mention_keys])
    for mention_id, mention in ended.items():
        for key in blocking_keys(mention):
            sink.add(mention_keys, {"key": key, "mention_id": mention_id})
    sink.flush()


def stored_candidates(connection: Connection, intake: Intake, keys: set[str]) -> Candidates:
    """The mentions stored before the load under any of the keys, with their events."""
    found = Candidates()
    for part in chunks(keys):
        query = select(mention_keys).where(
            mention_keys.c.key.in_(part), mention_keys.c.mention_id < intake.first_mention
        )
        for row in connection.execute(query):
            found.keys.setdefault(row.key, set()).add(row.mention_id)
    ids = {i for group in found.keys.values() for i in group}
    found.mentions = load_mentions(connection, ids)
    found.event_of = {i: ev for i, (ev, _) in events_of_mentions(connection, ids).items() if ev}
    for part in chunks(set(found.event_of.values())):
        query = select(events.c.event_id, events.c.seq).where(events.c.event_id.in_(part))
        found.seq.update({row.event_id: row.seq for row in connection.execute(query)})
    return found
