"""Creation numbers (`events.seq`) of a load replayed in parts, as one-by-one ingest gives them.

Ingest numbers a new event one past the largest number of a live event, so the
number depends on every event created and removed before it, in every part of the
load. Each part's replay (`bulk.assignment.assign_part`) gives its new events
provisional numbers from PROVISIONAL, increasing in creation order (all a part
compares; shifted past the parts before it when the logs are merged), and logs
when each was created and removed: the report (step) and where its group stands in
that report's working set (`Position`, which orders groups as ingest's one working
set does). Merging the parts' logs in that order replays the numbering of the whole
load. It also checks the one other thing a part cannot see: ingest names a new
event `ID-2` when `ID` is live elsewhere; if two parts' live events ever share an
id, the load is done whole instead (`NeedsWhole`).

The logs go to files, so what stays in memory is the live events' numbers.
"""

from __future__ import annotations

import hashlib
import heapq
import pickle
from array import array
from collections.abc import Iterator
from pathlib import Path

# (0, dirty event, mention id) for a member of an event the report re-dates,
# (1, "", mention id) for a mention the report brings or re-dates.
Position = tuple[int, str, int]
# (step, 0 created / 1 removed, position, provisional number, event id)
Record = tuple[int, int, Position, int, str]
PROVISIONAL = 1_000_000_000  # provisional numbers start here, above any real one
_BLOCK = 5_000  # records pickled together
_NOWHERE: Position = (0, "", 0)


class NeedsWhole(Exception):
    """The load cannot go in parts (two parts made live events of one id: only the whole
    load names them; or a part would hold too much, `bulk.parts.uncut_over`)."""


class ReplayLog:
    """What one part's replay created and removed, in its order, spooled to a file."""

    def __init__(self, path: Path, next_provisional: int) -> None:
        self.path = path
        self.next_provisional = next_provisional
        self._records: list[Record] = []
        self._file = path.open("wb")

    def created(self, step: int, position: Position, provisional: int, ident: str) -> None:
        self._add((step, 0, position, provisional, ident))

    def removed(self, step: int, provisional: int) -> None:
        self._add((step, 1, _NOWHERE, provisional, ""))

    def _add(self, record: Record) -> None:
        self._records.append(record)
        if len(self._records) >= _BLOCK:
            self._write()

    def _write(self) -> None:
        if self._records:
            pickle.dump(self._records, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._records = []

    def close(self) -> None:
        self._write()
        self._file.close()


def _records(path: Path, shift: int) -> Iterator[Record]:
    with path.open("rb") as source:
        while True:
            try:
                block: list[Record] = pickle.load(source)
            except EOFError:
                return
            for step, kind, position, provisional, ident in block:
                yield step, kind, position, provisional + shift, ident


def _digest(ident: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(ident.encode(), digest_size=8).digest(), "big", signed=True
    )


def numbers(logs: list[tuple[Path, int]], first_free: int) -> Iterator[tuple[int, int]]:
    """The number of each event the parts created: (provisional, final), as they come.

    `logs`: each part's log and what its provisional numbers are shifted by (the
    events the parts before it created: parts replayed apart all start at PROVISIONAL).

    `first_free` is one past the largest number stored before the load (the store was
    empty of events: 1). Raises `NeedsWhole` when parts' live events share an id.
    """
    # final number and id digest of each event made, by provisional number - PROVISIONAL
    # (arrays: 16 bytes an event; the live ids' digests are the one set)
    final_of = array("q")
    digest_of = array("q")
    live_ids: set[int] = set()
    stack = array("q")  # finals in creation order; the live maximum is on top
    alive = bytearray()
    step_now = -1
    following = first_free
    # Records of one step: creations by position (as ingest walks its groups), then removals.
    for step, kind, _position, provisional, ident in heapq.merge(
        *(_records(p, shift) for p, shift in logs)
    ):
        if step != step_now:
            step_now = step
            while stack and not alive[stack[-1]]:
                stack.pop()
            following = max(first_free, stack[-1] + 1 if stack else 0)
        if kind == 0:
            digest = _digest(ident)
            if digest in live_ids:
                raise NeedsWhole(f"two parts of the load named a live event {ident!r}")
            live_ids.add(digest)
            slot = provisional - PROVISIONAL
            if slot >= len(final_of):
                grow = slot + 1 - len(final_of)
                final_of.extend([0] * grow)
                digest_of.extend([0] * grow)
            final_of[slot], digest_of[slot] = following, digest
            if following >= len(alive):
                alive.extend(bytes(following + 1 - len(alive)))
            alive[following] = 1
            stack.append(following)
            yield provisional, following
            following += 1
        else:
            slot = provisional - PROVISIONAL
            live_ids.discard(digest_of[slot])
            alive[final_of[slot]] = 0
