"""Events for the load's mentions, named as one-by-one ingest names them.

Ingest resolves each report in turn (`store.resolution.resolve`): its new mentions,
and the earlier ones it re-dates, are grouped with the members of the events those
leave, pairs sharing a blocking key decided by `same_event`, and joined to the
events of the stored mentions they match; a group keeps its oldest event, else
starts one named after its first mention. Replaying that in memory, report by
report and in the same order, gives the same events, ids (collisions included),
creation numbers and aliases, without a database round trip per report.

A stored event is known to the replay by the stored mentions it shares keys with,
until a report re-dates one of its mentions: ingest then re-groups the whole event,
so the replay adopts it, reading all its stored members once (`StoredEvents.members`);
their new events and dates are part of the outcome.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from defcoop.bulk.decisions import Decisions
from defcoop.bulk.grouping import Candidates
from defcoop.bulk.intake import Intake, NeedsReplay
from defcoop.bulk.numbering import Position, ReplayLog
from defcoop.records import Mention
from defcoop.resolve.event_ids import event_id
from defcoop.resolve.matching import blocking_keys, meeting_pairs, met_under, same_event


@dataclass
class Assignment:
    """The outcome: each load mention's event, the new events, what merged into what."""

    event_of: dict[int, str] = field(default_factory=dict)
    new_events: dict[str, int] = field(default_factory=dict)  # live new event -> seq
    merges: list[tuple[str, str]] = field(default_factory=list)  # (gone, kept), in order
    stored_touched: set[str] = field(default_factory=set)
    stored_removed: set[str] = field(default_factory=set)
    # mentions stored before the load that the replay adopted: their last event and dates
    stored_event_of: dict[int, str] = field(default_factory=dict)
    stored_redated: dict[int, Mention] = field(default_factory=dict)


@dataclass
class StoredEvents:
    """What the store says about events outside the candidates (injected: it queries)."""

    exists: Callable[[str], bool]  # whether an event id is stored
    max_seq: Callable[[set[str]], int]  # the largest seq of stored events not in the set
    # the stored members of stored events: mention id -> (event, mention, blocking keys)
    members: Callable[[set[str]], dict[int, tuple[str, Mention, tuple[str, ...]]]]
    events_of: Callable[[set[int]], dict[int, str | None]]  # stored mentions' events
    seq_of: Callable[[set[str]], dict[str, int]]  # stored events' creation numbers


class _Sets:
    """Union-find over one report's working set: mention ids and "event:ID" nodes."""

    def __init__(self, nodes: list[object]) -> None:
        self.parent: dict[object, object] = {node: node for node in nodes}

    def find(self, node: object) -> object:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: object, b: object) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a


def base_id(lead: Mention) -> str:
    """The id a new event led by this mention takes unless it is taken (then `-2`, ...),
    as `store.resolution.new_event_id` names it, on a mention read without evidence."""
    offset = lead.evidence[0].start if lead.evidence else 0
    return event_id(lead, anchor=f"{lead.doc}@{offset}")


class _Replay:
    """The store's events as ingest would have them after each report."""

    def __init__(
        self,
        state: dict[int, Mention],
        candidates: Candidates,
        stored: StoredEvents,
        decisions: Decisions | None,
        log: ReplayLog | None = None,
    ) -> None:
        self.decisions = decisions
        # `log`: a part of the load replayed alone (`bulk.chunks`): new events get
        # provisional numbers, and their creations and removals are logged for the
        # numbering of the whole load (`bulk.numbering`).
        self.log = log
        self.step_no = 0
        # the load's mentions as the replay goes (one dict with the candidates: a load
        # holds millions), stored ones taken out at the end (`assign`)
        self.state: dict[int, Mention] = state
        for mention_id, mention in candidates.mentions.items():
            self.state.setdefault(mention_id, mention)
        self.index: dict[str, set[int]] = defaultdict(set)
        for key, ids in candidates.keys.items():
            self.index[key].update(ids)
        self.keys: dict[int, tuple[str, ...]] = {}
        self.stored_event = candidates.event_of  # events of mentions stored before the load
        self.label: dict[int, str] = {}  # events of the load's mentions
        self.members: dict[str, set[int]] = defaultdict(set)  # the load's mentions of events
        self.seq: dict[str, int] = dict(candidates.seq)
        self.with_stored: set[str] = set(candidates.seq)  # events holding earlier mentions
        self.merged_into: dict[str, str] = {}
        self.live_new: set[str] = set()
        self.removed_stored: set[str] = set()
        self.heap: list[tuple[int, str]] = []
        self.stored = stored
        self.stored_max = stored.max_seq(set())
        self.out = Assignment()
        self.adopted: set[int] = set()  # stored mentions whose event the replay follows
        self.redated_stored: set[int] = set()
        # A part replayed in pieces (`bulk.crossing`): events compared by when they were
        # made, (step, position), comparable across pieces; dirty events of a step whose
        # id a group of another piece decides; merges in the whole replay's order.
        self.rank: dict[str, tuple[int, Position]] | None = None
        self.foreign: set[str] = set()
        self.left: set[str] = set()  # events a mention of this step left this piece from
        self.merge_at: list[tuple[int, Position, int, str, str]] = []

    def adopt_mentions(self, ids: set[int]) -> None:
        """Follow the stored events of these stored mentions whole."""
        found = self.stored.events_of(ids - self.adopted)
        if any(ev is None for ev in found.values()):
            raise NeedsReplay("the load re-dates a stored mention that is in no event")
        live = {self.current(str(ev)) for ev in found.values()}
        self.with_stored |= live  # not all their members are known yet
        self.adopt(live)

    def same(self, a: int, b: int) -> bool:
        """`same_event` on two mentions as they are now (looked up when decided on a cluster)."""
        if self.decisions is None or a in self.adopted or b in self.adopted:
            return same_event(self.state[a], self.state[b])
        return self.decisions.same(a, self.state[a], b, self.state[b])

    def current(self, ev: str) -> str:
        """The live event a stored event ended in."""
        while ev in self.merged_into:
            ev = self.merged_into[ev]
        return ev

    def adopt(self, live: set[str]) -> None:
        """Take in every stored member of these events (as they are now in the replay)."""
        wanted = {ev for ev in live if ev in self.with_stored}
        if not wanted:
            return
        origins = set(wanted) | {ev for ev in self.merged_into if self.current(ev) in wanted}
        self.seq.update(
            {ev: n for ev, n in self.stored.seq_of(wanted).items() if ev not in self.seq}
        )
        for mention_id, (ev, mention, keys) in sorted(self.stored.members(origins).items()):
            if mention_id in self.label:
                continue  # adopted before, with its event since
            self.state.setdefault(mention_id, mention)
            self.keys[mention_id] = keys
            for key in keys:
                self.index[key].add(mention_id)
            self.label[mention_id] = self.current(ev)
            self.members[self.current(ev)].add(mention_id)
            self.adopted.add(mention_id)
        self.with_stored -= wanted

    def event(self, mention_id: int) -> str:
        if mention_id in self.label:
            return self.label[mention_id]
        ev = self.stored_event[mention_id]
        while ev in self.merged_into:
            ev = self.merged_into[ev]
        return ev

    def exists(self, ident: str) -> bool:
        if ident in self.live_new:
            return True
        if ident in self.removed_stored or ident in self.merged_into:
            return False
        return self.stored.exists(ident)

    def index_mention(self, mention_id: int, mention: Mention) -> None:
        for key in self.keys.get(mention_id, ()):
            self.index[key].discard(mention_id)
        self.state[mention_id] = mention
        self.keys[mention_id] = blocking_keys(mention)
        for key in self.keys[mention_id]:
            self.index[key].add(mention_id)

    def next_seq(self) -> int:
        if self.log is not None:
            return self.log.next_provisional
        while self.heap and self.heap[0][1] not in self.live_new:
            heapq.heappop(self.heap)
        return max(self.stored_max, -self.heap[0][0] if self.heap else 0) + 1

    def step(self, new: list[int], redated: list[tuple[int, Mention]]) -> None:
        """Resolve one report: its new mentions and the mentions it re-dates."""
        stored = {m for m, _ in redated if m not in self.label}
        if stored:
            self.adopt_mentions(stored)
        self.adopt({self.label[m] for m, _ in redated})
        for mention_id, mention in redated:
            self.index_mention(mention_id, mention)
            if mention_id in self.adopted:
                self.redated_stored.add(mention_id)
        for mention_id in new:
            self.index_mention(mention_id, self.state[mention_id])
        changed = set(new) | {m for m, _ in redated}
        dirty = {self.label[m] for m, _ in redated} | self.left
        local: dict[int, str] = {}
        # where each mention stands in `local`, comparable across parts of the load
        position: dict[int, Position] = {}
        for ev in sorted(dirty):
            for mention_id in sorted(self.members[ev]):
                local[mention_id] = ev
                position[mention_id] = (0, ev, mention_id)
        for mention_id in sorted(changed):
            if mention_id not in local:
                local[mention_id] = self.label.get(mention_id, "")
                position[mention_id] = (1, "", mention_id)
        keys: dict[str, set[int]] = defaultdict(set)
        for mention_id in local:
            for key in self.keys[mention_id]:
                keys[key].add(mention_id)
        edges: list[tuple[int, str]] = []
        for key in sorted(k for k, ids in keys.items() if ids & changed):
            for cand in sorted(met_under(key, self.index) - local.keys()):
                if cand not in self.label and cand not in self.stored_event:
                    continue  # a stored mention in no event: ingest passes it by
                for own in sorted(keys[key] & changed):
                    if self.same(own, cand):
                        edges.append((own, self.event(cand)))
        external = {ev for _, ev in edges}
        sets = _Sets([*local, *(f"event:{ev}" for ev in sorted(external))])
        for x, y in meeting_pairs(keys):
            if self.same(x, y):
                sets.union(x, y)
        seq_next = self.next_seq()
        for own, ev in sorted(edges, key=lambda e: (self.seq.get(e[1], 0), e[0])):
            sets.union(own, f"event:{ev}")
        self._assign(sets, local, dirty, seq_next, position)

    def _assign(
        self,
        sets: _Sets,
        local: dict[int, str],
        dirty: set[str],
        seq_next: int,
        position: dict[int, Position],
    ) -> None:
        groups: dict[object, list[object]] = defaultdict(list)
        for node in sets.parent:
            groups[sets.find(node)].append(node)
        holder: dict[str, object] = {}
        for mention_id in sorted(local):
            ev = local[mention_id]
            if ev in dirty and ev not in holder and ev not in self.foreign:
                holder[ev] = sets.find(mention_id)
        taken: set[str] = set()
        touched: set[str] = set()
        removed: set[str] = set()
        keep_of: dict[int, str] = {}
        for root, nodes in groups.items():
            held = [ev for ev, r in holder.items() if r == root]
            held += [str(n)[6:] for n in nodes if isinstance(n, str)]
            ids = sorted(n for n in nodes if isinstance(n, int))
            if held:
                keep = min(held, key=lambda ev: self._age(ev, seq_next))
            else:
                base = base_id(self.state[ids[0]])
                keep, n = base, 1
                while keep in taken or self.exists(keep):
                    n += 1
                    keep = f"{base}-{n}"
                self.seq[keep] = seq_next
                if self.rank is not None:
                    self.rank[keep] = (self.step_no, min(position[i] for i in ids))
                if self.log is not None:
                    # a group's nodes come in `local` order: its first is where it stands
                    first = nodes[0]
                    assert isinstance(first, int)  # a group without events: mentions only
                    self.log.created(self.step_no, position[first], seq_next, keep)
                seq_next += 1
                self.live_new.add(keep)
                if self.log is None:  # a part's numbers are provisional: no live maximum
                    heapq.heappush(self.heap, (-self.seq[keep], keep))
            taken.add(keep)
            touched.add(keep)
            for gone in held:
                if gone != keep:
                    self.out.merges.append((gone, keep))
                    if self.rank is not None:
                        where = min(position[i] for i in ids)
                        self.merge_at.append((self.step_no, where, len(self.merge_at), gone, keep))
                    removed.add(gone)
                    for mention_id in list(self.members[gone]):
                        self._move(mention_id, keep)
                    if gone in self.with_stored:
                        self.with_stored.add(keep)
                        self.merged_into[gone] = keep
            for mention_id in ids:
                keep_of[mention_id] = keep
        if self.log is not None:
            self.log.next_provisional = seq_next
        for mention_id, keep in keep_of.items():
            self._move(mention_id, keep)
        removed |= dirty - set(holder) - self.foreign
        removed -= touched
        for ev in (touched | dirty) - removed - self.foreign:
            if not self.members[ev] and ev not in self.with_stored:
                removed.add(ev)
        for ev in touched - removed:
            if ev not in self.live_new:
                self.out.stored_touched.add(ev)
        for ev in removed:
            if ev in self.live_new:
                self.live_new.discard(ev)
                if self.log is not None:
                    self.log.removed(self.step_no, self.seq[ev])
            else:
                self.removed_stored.add(ev)
                if self.seq.get(ev, 0) >= self.stored_max:
                    self.stored_max = self.stored.max_seq(self.removed_stored)

    def _age(self, ev: str, seq_next: int) -> tuple[object, str]:
        """What orders events by creation: their number, or in pieces their rank."""
        if self.rank is not None:
            return self.rank[ev], ev
        return self.seq.get(ev, seq_next), ev

    def _move(self, mention_id: int, keep: str) -> None:
        old = self.label.get(mention_id)
        if old == keep:
            return
        if old is not None:
            self.members[old].discard(mention_id)
        self.label[mention_id] = keep
        self.members[keep].add(mention_id)


def assign(
    intake: Intake,
    later: dict[int, list[tuple[int, Mention]]],
    candidates: Candidates,
    stored: StoredEvents,
    *,
    decisions: Decisions | None = None,
    on_step: Callable[[int], None] = lambda n: None,
) -> Assignment:
    """Replay ingest's event assignment report by report (see the module docstring).

    `decisions`: pairs decided beforehand on a cluster (`bulk.decisions`).
    """
    replay = _Replay(intake.mentions, candidates, stored, decisions)
    for step in range(intake.steps):
        replay.step_no = step
        replay.step(list(intake.step_ids(step)), later.get(step, []))
        on_step(step + 1)
    out = replay.out
    for mention_id in replay.adopted:
        out.stored_event_of[mention_id] = replay.label[mention_id]
    for mention_id in replay.redated_stored:
        out.stored_redated[mention_id] = replay.state[mention_id]
    for mention_id in [m for m in intake.mentions if m < intake.first_mention]:
        del intake.mentions[mention_id]  # stored mentions the replay read
    for mention_id in intake.mentions:
        out.event_of[mention_id] = replay.label[mention_id]
    out.new_events = {ev: replay.seq[ev] for ev in replay.live_new}
    out.stored_removed = set(replay.removed_stored)
    out.stored_touched -= replay.removed_stored
    return out


def assign_part(
    state: dict[int, Mention],
    steps: list[tuple[int, list[int], list[tuple[int, Mention]]]],
    log: ReplayLog,
    *,
    on_step: Callable[[int], None] = lambda n: None,
) -> Assignment:
    """Replay one part of a load into an empty store (`bulk.chunks`): mentions no other
    part can match, its steps (step, new mentions, re-dated ones) in report order.

    New events carry provisional numbers, logged in `log` for the final ones.
    """
    replay = _Replay(state, Candidates(), _NOTHING_STORED, None, log)
    for done, (step, new, redated) in enumerate(steps, start=1):
        replay.step_no = step
        replay.step(new, redated)
        on_step(done)
    out = replay.out
    out.event_of = {mention_id: replay.label[mention_id] for mention_id in state}
    out.new_events = {ev: replay.seq[ev] for ev in replay.live_new}
    if replay.removed_stored or out.stored_touched:
        raise NeedsReplay("a part of the load touched stored events")  # cannot: store empty
    return out


def _no_members(event_ids: set[str]) -> dict[int, tuple[str, Mention, tuple[str, ...]]]:
    return {}


_NOTHING_STORED = StoredEvents(
    exists=lambda ident: False,
    max_seq=lambda without: 0,
    members=_no_members,
    events_of=lambda ids: {},
    seq_of=lambda event_ids: {},
)
