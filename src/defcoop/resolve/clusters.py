"""Cluster the mentions of many reports into events, in memory (for `defcoop extract`).

Connected components of the `same_event` relation, found through blocking keys
and a union-find: the components, and so the event ids, do not depend on the
order the mentions came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from defcoop.records import Mention
from defcoop.resolve.event_ids import event_id
from defcoop.resolve.matching import blocking_keys, met_under, same_event


def _anchor(mention: Mention) -> str:
    """Where a mention stands: its report and first evidence sentence."""
    offset = mention.evidence[0].start if mention.evidence else 0
    return f"{mention.doc}@{offset}"


class _UnionFind:
    """Disjoint sets of mention indices."""

    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        root_i, root_j = self.find(i), self.find(j)
        if root_i != root_j:
            self.parent[max(root_i, root_j)] = min(root_i, root_j)


def cluster_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions, in their order, each with the id of the event it belongs to."""
    items = list(mentions)
    sets = _UnionFind()
    blocks: dict[str, list[int]] = {}
    for index, mention in enumerate(items):
        sets.add()
        seen: set[int] = set()
        for key in blocking_keys(mention):
            for other in sorted(met_under(key, blocks)):
                if other not in seen:
                    seen.add(other)
                    if same_event(mention, items[other]):
                        sets.union(index, other)
            blocks.setdefault(key, []).append(index)
    members: dict[int, list[int]] = {}
    for index in range(len(items)):
        members.setdefault(sets.find(index), []).append(index)
    out = list(items)
    used: set[str] = set()
    for group in members.values():
        # The id comes from the group's most telling mention: named, earliest, first.
        lead = min(group, key=lambda i: (items[i].name is None, str(items[i].published), i))
        base = event_id(items[lead], anchor=_anchor(items[lead]))
        ident, n = base, 1
        while ident in used:  # two groups led from one sentence: keep them apart
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        for i in group:
            out[i] = replace(items[i], event_id=ident)
    return out
