"""Incremental cross-report resolution inside the store's write transaction.

A new mention is compared only with the stored mentions that share one of its
blocking keys (an indexed table), so the cost of a report does not grow with the
store. Events are the connected components of `same_event`, as `defcoop extract`
finds them in memory; a mention whose dates change (a background fact restated,
re-dated when an earlier report arrives) is re-resolved with the rest of its event,
since the link it made may be gone. Analysts' links win: a "must" link keeps two
mentions in one event, a "cannot" link keeps them apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from defcoop.records import Mention
from defcoop.resolve.background import mention_fingerprints, restate_first
from defcoop.resolve.event_ids import event_id
from defcoop.resolve.matching import blocking_keys, meeting_pairs, meets, met_under, same_event
from defcoop.store.rows import mention_from_row
from defcoop.store.schema import (
    event_aliases,
    events,
    evidence,
    mention_keys,
    mention_links,
    mention_prints,
    mentions,
)

_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


def chunks(ids: Iterable[Any]) -> Iterable[list[Any]]:
    """The ids in lists small enough for one IN clause."""
    items = list(ids)
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def load_mentions(
    connection: Connection, ids: Iterable[int], *, told: bool = False, with_evidence: bool = False
) -> dict[int, Mention]:
    """Stored mentions by id; evidence only when asked (matching does not need it)."""
    found: dict[int, Mention] = {}
    for part in chunks(sorted(set(ids))):
        rows = [
            dict(r._mapping)
            for r in connection.execute(select(mentions).where(mentions.c.id.in_(part)))
        ]
        texts: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if with_evidence:
            query = (
                select(evidence)
                .where(evidence.c.mention_id.in_(part))
                .order_by(evidence.c.mention_id, evidence.c.ordinal)
            )
            for item in connection.execute(query):
                texts[item.mention_id].append(dict(item._mapping))
        for row in rows:
            found[row["id"]] = mention_from_row(row, texts.get(row["id"], []), told=told)
    return found


def index_mention(connection: Connection, mention_id: int, mention: Mention) -> None:
    """Store the blocking keys of a mention (its restated version) in place of its old ones."""
    connection.execute(delete(mention_keys).where(mention_keys.c.mention_id == mention_id))
    keys = [{"key": key, "mention_id": mention_id} for key in blocking_keys(mention)]
    if keys:
        connection.execute(insert(mention_keys), keys)


def index_prints(connection: Connection, mention_id: int, mention: Mention) -> None:
    """Store the fingerprints of a mention's evidence sentences."""
    prints = [{"print": p, "mention_id": mention_id} for p in mention_fingerprints(mention)]
    if prints:
        connection.execute(insert(mention_prints), prints)


def print_sharers(connection: Connection, ids: Iterable[int]) -> dict[int, set[int]]:
    """For each mention, the other stored mentions sharing a fingerprint with it."""
    wanted = set(ids)
    prints: dict[str, set[int]] = defaultdict(set)
    for part in chunks(wanted):
        query = select(mention_prints).where(mention_prints.c.mention_id.in_(part))
        for row in connection.execute(query):
            prints[row.print].add(row.mention_id)
    sharers: dict[int, set[int]] = {i: set() for i in wanted}
    for part in chunks(prints):
        query = select(mention_prints).where(mention_prints.c.print.in_(part))
        for row in connection.execute(query):
            for own in prints[row.print]:
                if row.mention_id != own:
                    sharers[own].add(row.mention_id)
    return sharers


def restate_stored(connection: Connection, ids: Iterable[int]) -> set[int]:
    """Re-date the mentions from the earliest report of each fact they restate.

    Works from what each report told, so the result is the same whatever order the
    reports came in; returns the mentions whose dates changed (their keys updated).
    """
    sharers = print_sharers(connection, ids)
    told = load_mentions(
        connection,
        set(sharers) | {s for group in sharers.values() for s in group},
        told=True,
        with_evidence=True,
    )
    current = load_mentions(connection, sharers)
    changed: set[int] = set()
    for mention_id, others in sharers.items():
        if mention_id not in told:
            continue
        restated = restate_first([told[mention_id], *(told[o] for o in sorted(others))])
        now = current[mention_id]
        fields = ("start", "end", "status", "background")
        if all(getattr(restated, f) == getattr(now, f) for f in fields):
            continue
        connection.execute(
            update(mentions)
            .where(mentions.c.id == mention_id)
            .values({f: getattr(restated, f) for f in fields})
        )
        index_mention(connection, mention_id, restated)
        changed.add(mention_id)
    return changed


class _Sets:
    """Disjoint sets of nodes (mention ids, or "event:ID" for a stored event taken whole)."""

    def __init__(self, anchors: dict[object, set[str]], cannot: set[tuple[str, str]]) -> None:
        self.parent: dict[object, object] = {node: node for node in anchors}
        self.anchors = anchors  # the anchors of each root's set
        self.cannot = cannot

    def find(self, node: object) -> object:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: object, b: object) -> None:
        """Join two sets unless an analyst said some of their mentions are apart."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        ours, theirs = self.anchors[root_a], self.anchors[root_b]
        if self.cannot and any(
            (x, y) in self.cannot or (y, x) in self.cannot for x in ours for y in theirs
        ):
            return
        keep, gone = sorted((root_a, root_b), key=str)
        self.parent[gone] = keep
        self.anchors[keep] = ours | theirs


@dataclass
class Resolution:
    """What a resolution step changed: events to recompute, events gone."""

    touched: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


def links_of(connection: Connection, anchors: Iterable[str], kind: str) -> set[tuple[str, str]]:
    """The analysts' links of one kind that touch any of the anchors."""
    found: set[tuple[str, str]] = set()
    for part in chunks(set(anchors)):
        query = select(mention_links.c.a, mention_links.c.b).where(
            mention_links.c.kind == kind,
            or_(mention_links.c.a.in_(part), mention_links.c.b.in_(part)),
        )
        found.update((row.a, row.b) for row in connection.execute(query))
    return found


def events_of_mentions(
    connection: Connection, ids: Iterable[int]
) -> dict[int, tuple[str | None, str]]:
    """Event id and anchor of stored mentions, in id order.

    Resolution names new events in the order it meets their mentions: the order is
    stated here (sorted in Python, whatever the server's row order or collation).
    """
    rows: list[tuple[int, str | None, str]] = []
    for part in chunks(set(ids)):
        query = select(mentions.c.id, mentions.c.event_id, mentions.c.anchor).where(
            mentions.c.id.in_(part)
        )
        rows.extend((row.id, row.event_id, row.anchor) for row in connection.execute(query))
    return {i: (ev, anchor) for i, ev, anchor in sorted(rows)}


def members_of(connection: Connection, event_ids: Iterable[str]) -> dict[int, tuple[str, str]]:
    """The mentions of events: id -> (event id, anchor), by event id then mention id.

    The order is stated (see `events_of_mentions`): the one SQLite's index gave.
    """
    rows: list[tuple[str, int, str]] = []
    for part in chunks(set(event_ids)):
        query = select(mentions.c.id, mentions.c.event_id, mentions.c.anchor).where(
            mentions.c.event_id.in_(part)
        )
        rows.extend((row.event_id, row.id, row.anchor) for row in connection.execute(query))
    return {i: (ev, anchor) for ev, i, anchor in sorted(rows)}


def _keys_of(connection: Connection, ids: Iterable[int]) -> dict[str, set[int]]:
    """Blocking key -> the given mentions that carry it."""
    found: dict[str, set[int]] = defaultdict(set)
    for part in chunks(set(ids)):
        query = select(mention_keys).where(mention_keys.c.mention_id.in_(part))
        for row in connection.execute(query):
            found[row.key].add(row.mention_id)
    return found


def _seq_of(connection: Connection, event_ids: Iterable[str]) -> dict[str, int]:
    """The creation order of stored events."""
    found: dict[str, int] = {}
    for part in chunks(set(event_ids)):
        query = select(events.c.event_id, events.c.seq).where(events.c.event_id.in_(part))
        found.update({row.event_id: row.seq for row in connection.execute(query)})
    return found


def next_seq(connection: Connection) -> int:
    """The creation number of the next new event."""
    return (
        int(connection.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one()) + 1
    )


def new_event_id(connection: Connection, mention: Mention, taken: set[str]) -> str:
    """An id for a new event led by this mention, unused so far."""
    offset = mention.evidence[0].start if mention.evidence else 0
    base = event_id(mention, anchor=f"{mention.doc}@{offset}")
    ident, n = base, 1
    while (
        ident in taken
        or connection.execute(select(events.c.event_id).where(events.c.event_id == ident)).first()
    ):
        n += 1
        ident = f"{base}-{n}"
    return ident


def alias(connection: Connection, gone: str, into: str) -> None:
    """Record that event `gone` now lives on as `into` (old links follow)."""
    connection.execute(
        update(event_aliases).where(event_aliases.c.event_id == gone).values(event_id=into)
    )
    connection.execute(delete(event_aliases).where(event_aliases.c.alias.in_([gone, into])))
    connection.execute(insert(event_aliases), [{"alias": gone, "event_id": into}])


def resolve(connection: Connection, changed: set[int], dirty: set[str]) -> Resolution:
    """Put changed mentions (new, or re-dated) into events; re-cluster the events they leave.

    `dirty` are events that lost mentions. Returns the events to recompute and
    those that are gone.
    """
    state = events_of_mentions(connection, changed)
    dirty = set(dirty) | {ev for ev, _ in state.values() if ev}
    local = members_of(connection, dirty)
    local.update({i: (ev or "", anchor) for i, (ev, anchor) in state.items()})
    loaded = load_mentions(connection, local)
    keys = _keys_of(connection, local)
    # Stored mentions outside the working set that share a key with a changed mention.
    outside: dict[int, set[str]] = defaultdict(set)
    wanted = {met for k, ids in keys.items() if ids & changed for met in meets(k)}
    for part in chunks(wanted):
        query = select(mention_keys).where(mention_keys.c.key.in_(part))
        for row in connection.execute(query):
            if row.mention_id not in local:
                outside[row.mention_id].add(row.key)
    candidates = load_mentions(connection, outside)
    edges_out: list[tuple[int, str]] = []
    outside_events = events_of_mentions(connection, candidates)
    for cand_id, cand in sorted(candidates.items()):
        ev = outside_events[cand_id][0]
        for key in sorted(outside[cand_id]):
            for own in sorted(met_under(key, keys) & changed):
                if ev and same_event(loaded[own], cand):
                    edges_out.append((own, ev))
    external = {ev for _, ev in edges_out}
    external_members = members_of(connection, external)
    anchors: dict[object, set[str]] = {i: {a} for i, (_, a) in local.items()}
    for ev in external:
        anchors[f"event:{ev}"] = {a for e, a in external_members.values() if e == ev}
    every = {a for group in anchors.values() for a in group}
    sets = _Sets(anchors, links_of(connection, every, "cannot"))
    by_anchor: dict[str, list[int]] = defaultdict(list)
    for i, (_, anchor) in local.items():
        by_anchor[anchor].append(i)
    for a, b in sorted(links_of(connection, by_anchor, "must")):
        for x in by_anchor.get(a, ()):
            for y in by_anchor.get(b, ()):
                sets.union(x, y)
    for x, y in meeting_pairs(keys):
        if same_event(loaded[x], loaded[y]):
            sets.union(x, y)
    seq = _seq_of(connection, dirty | external)
    for own, ev in sorted(edges_out, key=lambda e: (seq.get(e[1], 0), e[0])):
        sets.union(own, f"event:{ev}")
    return _assign(connection, sets, local, loaded, dirty, external, seq)


def _assign(
    connection: Connection,
    sets: _Sets,
    local: dict[int, tuple[str, str]],
    loaded: dict[int, Mention],
    dirty: set[str],
    external: set[str],
    seq: dict[str, int],
) -> Resolution:
    """Name the components: the oldest event each holds, else a new id; write it all."""
    groups: dict[object, list[object]] = defaultdict(list)
    for node in sets.parent:
        groups[sets.find(node)].append(node)
    # An event that lost mentions stays with the group holding its first remaining one.
    holder: dict[str, object] = {}
    for i in sorted(local):
        ev = local[i][0]
        if ev in dirty and ev not in holder:
            holder[ev] = sets.find(i)
    result = Resolution()
    taken: set[str] = set()
    seq_next = next_seq(connection)
    for root, nodes in groups.items():
        held = [ev for ev, r in holder.items() if r == root]
        held += [str(n)[6:] for n in nodes if isinstance(n, str)]
        mention_ids = sorted(n for n in nodes if isinstance(n, int))
        if held:
            keep = min(held, key=lambda ev: (seq.get(ev, seq_next), ev))
        else:
            keep = new_event_id(connection, loaded[mention_ids[0]], taken)
            connection.execute(
                insert(events),
                [_placeholder(keep, seq_next, loaded[mention_ids[0]].type)],
            )
            seq_next += 1
        taken.add(keep)
        result.touched.add(keep)
        for gone in held:
            if gone != keep:
                connection.execute(
                    update(mentions).where(mentions.c.event_id == gone).values(event_id=keep)
                )
                alias(connection, gone, keep)
                result.removed.add(gone)
        moved = [i for i in mention_ids if local[i][0] != keep]
        for part in chunks(moved):
            connection.execute(
                update(mentions).where(mentions.c.id.in_(part)).values(event_id=keep)
            )
    # Events of the working set no group holds have lost all their mentions.
    result.removed |= dirty - set(holder)
    result.removed -= result.touched
    return result


def _placeholder(ident: str, seq: int, kind: str) -> dict[str, Any]:
    """An events row to be filled in by the recomputation that follows."""
    return {
        "event_id": ident,
        "seq": seq,
        "type": kind,
        "participants": "[]",
        "support": "{}",
        "has_location": False,
        "n_mentions": 0,
        "n_reports": 0,
        "provenance": "{}",
        "updated_at": datetime.now(UTC),
    }
