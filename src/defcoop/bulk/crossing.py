"""A part too large for memory, replayed in pieces that pass each other crossing mentions.

Classes (`bulk.parts`) are joined into one part when a report re-dates a mention m
from class X to class Y: ingest then re-groups m's event E, whose id stays with the
group of E's lowest mention, which may be m, now in Y. An event's members always
share a class, so at that step the only news between X and Y is "m leaves E; E's id,
when E was made and whether m holds it" (`Crossing`), told by X as it stands before
the step. So each class of such a part is a piece, replayed alone (`Piece`, the
replay's own code with a piece's hooks), the pieces stepping through the crossing
steps in report order (`replay_pieces`): before each, the pieces concerned are
brought up to it, the leaving ones say what they leave, and all take the step. Pieces
not concerned wait on disk (pickled) when the pieces in memory hold more than
`budget` mentions, so that memory holds a bounded number of mentions, not the part.

Creation numbers: the pieces draw provisional numbers from one counter and log into
files of their own, all merged by `bulk.numbering` as one part's; events are compared
by when they were made, (step, position), the order ingest's numbers follow among live
events. Aliases are those of the part's merges in the whole replay's order.
"""

from __future__ import annotations

import gc
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defcoop.bulk.assignment import _NOTHING_STORED, Assignment, _Replay
from defcoop.bulk.grouping import Candidates
from defcoop.bulk.intake import Intake
from defcoop.bulk.numbering import Position, ReplayLog
from defcoop.bulk.parts import class_of, read_spooled
from defcoop.records import Evidence, Mention

Moves = dict[int, list[tuple[int, Mention]]]


@dataclass(frozen=True)
class Crossing:
    """What a piece tells of a mention leaving it: its event, and whether it holds the
    event's id (its lowest mention), then with when it was made and its number."""

    event: str
    holds: bool
    rank: tuple[int, Position] | None
    seq: int


# A piece's re-datings at a step: mentions re-dated staying in it, leaving, arriving.
StepMoves = tuple[list[tuple[int, Mention]], list[int], list[tuple[int, Mention]]]


@dataclass
class _Plan:
    """A piece's re-datings by step."""

    steps: dict[int, StepMoves] = field(default_factory=dict)

    def at(self, step: int) -> StepMoves:
        return self.steps.setdefault(step, ([], [], []))


class Piece(_Replay):
    """One class of a part replayed alone, stepping as `replay_pieces` drives it."""

    def __init__(self, state: dict[int, Mention], log: ReplayLog) -> None:
        super().__init__(state, Candidates(), _NOTHING_STORED, None, log)
        self.rank = {}
        self.todo: list[int] = []  # its steps still to take, descending (popped from the end)
        self.new_at: dict[int, list[int]] = {}  # its mentions by the step that brings them

    def __getstate__(self) -> dict[str, Any]:
        kept = dict(self.__dict__)
        for name in ("stored", "log", "decisions"):
            kept.pop(name)
        return kept

    def __setstate__(self, kept: dict[str, Any]) -> None:
        self.__dict__.update(kept)
        self.stored, self.decisions = _NOTHING_STORED, None

    def leaving(self, mention_id: int) -> Crossing:
        """What the piece tells of a mention leaving it at its next step (before taking it)."""
        ev = self.label[mention_id]
        if mention_id != min(self.members[ev]):
            return Crossing(ev, False, None, 0)
        assert self.rank is not None
        return Crossing(ev, True, self.rank[ev], self.seq[ev])

    def take(
        self,
        step: int,
        plan: StepMoves,
        told: dict[int, Crossing],
    ) -> None:
        """Take a step: its new mentions, re-datings, mentions leaving and arriving."""
        redated, leaving, arriving = plan
        new = self.new_at.pop(step, [])
        self.step_no = step
        lowest = {ev: min(self.members[ev]) for ev in {self.label[m] for m in leaving}}
        held_away = {ev for ev, low in lowest.items() if low in leaving}
        for mention_id in leaving:
            ev = self.label.pop(mention_id)
            self.members[ev].discard(mention_id)
            for key in self.keys.pop(mention_id):
                self.index[key].discard(mention_id)
            del self.state[mention_id]
        self.left = set(lowest)
        holding = set()
        for mention_id, mention in arriving:
            crossing = told[mention_id]
            ev = crossing.event
            self.label[mention_id] = ev
            self.members[ev].add(mention_id)
            self.state[mention_id] = mention
            if crossing.holds:
                assert self.rank is not None and crossing.rank is not None
                holding.add(ev)
                self.rank[ev] = crossing.rank
                self.seq[ev] = crossing.seq
                self.live_new.add(ev)
        self.foreign = held_away | ({told[m].event for m, _ in arriving} - holding)
        self.step(new, [*redated, *arriving])
        for ev in held_away:
            self.live_new.discard(ev)  # its id lives on in another piece
        self.left, self.foreign = set(), set()

    def outcome(self) -> Assignment:
        out = self.out
        out.event_of = {mention_id: self.label[mention_id] for mention_id in self.state}
        out.new_events = {ev: self.seq[ev] for ev in self.live_new}
        out.merges = []  # the part's aliases are made from all pieces' merges (`merges`)
        return out


@dataclass(frozen=True)
class PieceSource:
    """Where a piece's mentions are: its classes, their spool files, its restated mentions
    as first stored (those whose class is one of its classes then)."""

    classes: tuple[str, ...]
    files: tuple[Path, ...]
    restated: dict[int, Mention]


@dataclass
class PiecesDone:
    """What the pieces of a part made, for its rows: each piece's outcome in turn."""

    created: int = 0
    steps: int = 0
    most_held: int = 0  # the most mentions held in memory at once
    merges: list[tuple[int, Position, int, str, str]] = field(default_factory=list)


def replay_pieces(
    sources: list[PieceSource],
    moves: Moves,
    intake: Intake,
    folder: Path,
    number: int,
    counter: int,
    budget: int,
    finished: Callable[[Assignment, dict[int, Mention], dict[int, tuple[Evidence, ...]]], None],
) -> tuple[PiecesDone, list[Path]]:
    """Replay a part's pieces in step with each other; `finished` is given each piece's
    outcome, mentions and their evidence as it ends. Returns what they made, their logs.

    `moves`: the part's re-datings by step; `counter`: its first provisional number.
    """
    class_piece = {name: p for p, src in enumerate(sources) for name in src.classes}
    where = {m: p for p, src in enumerate(sources) for m in src.restated}
    restated_ids = set(where)
    plans = [_Plan() for _ in sources]
    crossings: dict[int, list[tuple[int, int, int]]] = {}  # step -> (mention, from, to)
    for step in sorted(moves):
        for mention_id, mention in moves[step]:
            to = class_piece.get(class_of(mention))
            if to is None:
                raise ValueError(f"a re-dating at step {step} leaves the part's classes")
            at = where[mention_id]
            if to == at:
                plans[at].at(step)[0].append((mention_id, mention))
                continue
            plans[at].at(step)[1].append(mention_id)
            plans[to].at(step)[2].append((mention_id, mention))
            crossings.setdefault(step, []).append((mention_id, at, to))
            where[mention_id] = to
    # a restated mention's evidence is spooled with the class it was told in, which may
    # be another piece's than the one it ends in
    moved_evidence = _evidence_of(sources, restated_ids)
    logs = [ReplayLog(folder / f"log-{number}-{p}", 0) for p in range(len(sources))]
    pieces = _Pieces(sources, plans, restated_ids, intake, logs, folder / f"pieces-{number}")
    done = PiecesDone()
    next_number = counter

    def advance(p: int, before: int | None) -> Piece:
        nonlocal next_number
        piece = pieces.get(p)
        while piece.todo and (before is None or piece.todo[-1] < before):
            step = piece.todo.pop()
            piece.log = logs[p]
            logs[p].next_provisional = next_number
            piece.take(step, plans[p].steps.pop(step, ([], [], [])), {})
            next_number = logs[p].next_provisional
            done.steps += 1
        return piece

    order = [
        (step, sorted({p for _, a, b in crossings[step] for p in (a, b)}))
        for step in sorted(crossings)
    ]
    uses: list[list[int]] = [[] for _ in sources]  # each piece's crossings, last first
    for k in range(len(order) - 1, -1, -1):
        for p in order[k][1]:
            uses[p].append(k)
    for step, involved in order:
        for p in involved:
            uses[p].pop()
        for p in involved:
            advance(p, step)
        told = {m: pieces.get(a).leaving(m) for m, a, _ in crossings[step]}
        for p in involved:
            piece = pieces.get(p)
            if piece.todo and piece.todo[-1] == step:
                piece.todo.pop()
            logs[p].next_provisional = next_number
            piece.take(step, plans[p].steps.pop(step), told)
            next_number = logs[p].next_provisional
            done.steps += 1
        done.most_held = max(done.most_held, pieces.held)
        # the pieces needed again last wait on disk first (fewest reloads)
        pieces.spill(involved, budget, lambda p: uses[p][-1] if uses[p] else len(order))
    for p in range(len(sources)):
        piece = advance(p, None)
        done.most_held = max(done.most_held, pieces.held)
        logs[p].close()
        assert piece.rank is not None
        done.merges.extend(piece.merge_at)
        state = dict(piece.state)
        evidence = _own_evidence(sources[p], state, moved_evidence)
        finished(piece.outcome(), state, evidence)
        pieces.drop(p)
    done.created = next_number - counter
    done.merges.sort()
    return done, [log.path for log in logs]


def _evidence_of(sources: list[PieceSource], ids: set[int]) -> dict[int, tuple[Evidence, ...]]:
    """The evidence of these mentions (those that end in another piece than they began)."""
    found: dict[int, tuple[Evidence, ...]] = {}
    if not ids:
        return found
    for source in sources:
        _, evidence = read_spooled(source.files)
        found.update((i, evidence[i]) for i in evidence.keys() & ids)
    return found


def _own_evidence(
    source: PieceSource, state: dict[int, Mention], moved: dict[int, tuple[Evidence, ...]]
) -> dict[int, tuple[Evidence, ...]]:
    _, evidence = read_spooled(source.files)
    return {i: moved[i] if i in moved else evidence[i] for i in state}


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic collector paused: unpickling a piece makes tens of thousands of objects,
    none garbage, which would set off collections that walk every object held."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Pieces:
    """The pieces, in memory or pickled in a folder while others step."""

    def __init__(
        self,
        sources: list[PieceSource],
        plans: list[_Plan],
        restated_ids: set[int],
        intake: Intake,
        logs: list[ReplayLog],
        folder: Path,
    ) -> None:
        self.sources, self.plans, self.restated_ids = sources, plans, restated_ids
        self.intake, self.logs, self.folder = intake, logs, folder
        folder.mkdir(exist_ok=True)
        self.live: dict[int, Piece] = {}
        self.spilled: set[int] = set()

    @property
    def held(self) -> int:
        return sum(len(piece.state) for piece in self.live.values())

    def get(self, p: int) -> Piece:
        if p in self.live:
            return self.live[p]
        if p in self.spilled:
            with (self.folder / f"{p}.pickle").open("rb") as source, _no_collection():
                piece: Piece = pickle.load(source)
            self.spilled.discard(p)
        else:
            piece = self._start(p)
        piece.log = self.logs[p]
        self.live[p] = piece
        return piece

    def _start(self, p: int) -> Piece:
        """A piece as it begins: its mentions as first stored, its steps."""
        source = self.sources[p]
        spooled, _ = read_spooled(source.files)
        state = {i: m for i, m in spooled.items() if i not in self.restated_ids}
        state.update(source.restated)
        piece = Piece(state, self.logs[p])
        for mention_id in sorted(state):
            piece.new_at.setdefault(self.intake.step_of(mention_id), []).append(mention_id)
        piece.todo = sorted(self.plans[p].steps.keys() | piece.new_at.keys(), reverse=True)
        return piece

    def spill(self, keep: list[int], budget: int, next_use: Callable[[int], int]) -> None:
        """Pickle the pieces not in `keep` needed again last while memory holds too many."""
        for p in sorted(self.live, key=next_use, reverse=True):
            if self.held <= budget:
                return
            if p in keep:
                continue
            piece = self.live.pop(p)
            with (self.folder / f"{p}.pickle").open("wb") as out, _no_collection():
                pickle.dump(piece, out, pickle.HIGHEST_PROTOCOL)
            self.spilled.add(p)

    def drop(self, p: int) -> None:
        self.live.pop(p, None)
        if p in self.spilled:
            (self.folder / f"{p}.pickle").unlink()
            self.spilled.discard(p)
