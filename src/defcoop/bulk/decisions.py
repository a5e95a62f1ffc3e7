"""Pairs of a bulk load decided on a Dask cluster, partitioned by blocking key.

The replay (`bulk.assignment`) asks `same_event` about two mentions each time they
share a blocking key; with many mentions under one key that is the quadratic part of
a load. On a cluster, every version of every mention the replay may compare (a
stored candidate as stored; a mention of the load as first stored and as each later
report re-dates it) is sent under each of its keys to the partition that holds the
key; each partition decides its pairs with the same `same_event` and sends back the
pairs that match. The replay then looks pairs up instead of deciding them; it still
names events itself, in report order, so the store is the one the in-process load
gives. Stored mentions it adopts (`bulk.assignment`) were not sent: their pairs are
decided in process.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from defcoop.records import Mention
from defcoop.resolve.matching import blocking_keys, meets, same_event

# A mention in one of its dated states: id, start, end, status, background.
Version = tuple[int, str | None, str | None, str | None, bool]
Pair = tuple[Version, Version]  # the smaller version first
# (blocking key, version, mention in that version)
Entry = tuple[str, Version, Mention]
# Decides the pairs of many entries (on a cluster): the pairs sharing a key that match.
DecidePairs = Callable[[list[Entry]], set[Pair]]
PARTITIONS_PER_WORKER = 4


def version(mention_id: int, mention: Mention) -> Version:
    """The version of a mention: its id and the dates restating may change."""
    return (mention_id, mention.start, mention.end, mention.status, mention.background)


@dataclass(frozen=True)
class Decisions:
    """The pairs decided on the cluster, and which versions were sent."""

    matched: frozenset[Pair]
    sent: frozenset[Version]

    def same(self, a_id: int, a: Mention, b_id: int, b: Mention) -> bool:
        """`same_event(a, b)`, looked up when both versions were sent (they share a key)."""
        first, second = version(a_id, a), version(b_id, b)
        if first in self.sent and second in self.sent:
            return (min(first, second), max(first, second)) in self.matched
        return same_event(a, b)


def entries(
    load: dict[int, Mention],
    later: Iterable[tuple[int, Mention]],
    stored: dict[int, Mention],
    stored_keys: dict[str, set[int]],
) -> Iterator[Entry]:
    """Every version the replay may compare, under each key it is looked up by."""
    for mention_id, mention in load.items():
        for key in blocking_keys(mention):
            yield key, version(mention_id, mention), mention
    for mention_id, mention in later:
        for key in blocking_keys(mention):
            yield key, version(mention_id, mention), mention
    for key, ids in stored_keys.items():
        for mention_id in ids:
            yield key, version(mention_id, stored[mention_id]), stored[mention_id]


def partition_of(key: str, partitions: int) -> int:
    """The partition that holds a key and the keys it meets (stable across processes,
    unlike `hash`)."""
    return zlib.crc32(min(meets(key)).encode()) % partitions


def matching_pairs(part: list[Entry]) -> set[Pair]:
    """The pairs of different mentions meeting on a key in one partition that `same_event`
    joins."""
    by_key: dict[str, dict[Version, Mention]] = defaultdict(dict)
    for key, ver, mention in part:
        by_key[key][ver] = mention
    found: set[Pair] = set()
    for key, group in by_key.items():
        items = sorted(group.items())
        for met in meets(key):
            if met < key:
                continue  # taken from the other key's side
            if met == key:
                candidates = ((x, y) for i, x in enumerate(items) for y in items[i + 1 :])
            else:
                others = sorted(by_key.get(met, {}).items())
                candidates = ((x, y) if x[0] < y[0] else (y, x) for x in items for y in others)
            for (first, a), (second, b) in candidates:
                pair = (first, second)
                if first[0] != second[0] and pair not in found and same_event(a, b):
                    found.add(pair)
    return found


def on_cluster(client: Any) -> DecidePairs:
    """Decide pairs on the Dask cluster of `client`, a few partitions per worker."""

    def decide(every: list[Entry]) -> set[Pair]:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        partitions = workers * PARTITIONS_PER_WORKER
        parts: list[list[Entry]] = [[] for _ in range(partitions)]
        for entry in every:
            parts[partition_of(entry[0], partitions)].append(entry)
        futures = client.map(matching_pairs, [p for p in parts if p], pure=False)
        found: set[Pair] = set()
        for result in client.gather(futures):
            found |= result
        return found

    return decide


def decide_all(every: list[Entry], decide: DecidePairs) -> Decisions:
    """Send the entries to be decided; what the replay looks up."""
    return Decisions(matched=frozenset(decide(every)), sent=frozenset(ver for _, ver, _ in every))
