"""A load cut into parts that resolve alone, and its mentions spooled to disk by part.

`same_event` joins two mentions only if they share a blocking key, and so a type and
the year their keys carry (`resolve.matching.key_year`: the event's year, or for
undated news the year of its days), except an undated named agreement, which may join
a named agreement of any year whose name shares a key with its own. So the mentions of
one (type, year) class never match those of another, and replaying each class alone,
in report order, groups them as the whole replay does. Undated named agreements are
classed by their name's first key, and such a class is joined to every other holding
a named agreement that shares a key of its names (the spool keeps each class's names'
keys): an undated name joins the years of the names it meets, not every year. A
restated mention may change its year: the classes of all its versions are joined into
one part, which, when larger than the number of mentions a part may hold, is replayed
a class at a time (`bulk.crossing`). Small parts are packed together up to that number,
so that memory holds one part at a time, not the load.

The read phase spools each mention (and its evidence) to its class's file; a part
reads back the files of its classes (`read_spooled`), in the loader's process or in a
worker's (`bulk.part_replay`).
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Mapping, Set
from pathlib import Path
from typing import BinaryIO

from defcoop.records import Evidence, Mention
from defcoop.resolve.matching import key_year, name_keys

_ANY_YEAR = "*"
# A part joined by undated names is never replayed a class at a time (their events may
# span years); past this many parts' worth of mentions (a worker holds some 8 KB a
# mention) the load is replayed in slices instead (`uncut_over`).
JOINED_PARTS_MOST = 4


def class_of(mention: Mention) -> str:
    """The class of a mention: type and event year ("agreement|*|KEY": undated and
    named, by its name's first key; "TYPE|-": undated, which meets nothing)."""
    year = key_year(mention)
    if year is None:
        if mention.name and mention.type == "agreement":
            # It may be the same as a named agreement of any year (`plan_parts`).
            return f"{mention.type}|{_ANY_YEAR}|{name_keys(mention)[0]}"
        return f"{mention.type}|-"
    return f"{mention.type}|{year}"


def names_of(mention: Mention) -> frozenset[str]:
    """The keys of a named agreement's name, on which an undated one meets it."""
    if mention.type != "agreement" or not mention.name:
        return frozenset()
    return frozenset(name_keys(mention))


class Spool:
    """Mentions by class in files under a folder, in the order they were added: blocks of
    (id, mention as resolution reads it, its evidence) pickled by the read phase's
    workers (`bulk.report_rows`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts: Counter[str] = Counter()
        self._files: dict[str, BinaryIO] = {}
        self.paths: dict[str, Path] = {}  # each class's file
        self.names: dict[str, set[str]] = {}  # the keys of each class's agreements' names

    def add_block(
        self, name: str, count: int, block: bytes, names: frozenset[str] = frozenset()
    ) -> None:
        """Spool `count` mentions of a class pickled together (`names`: the keys of
        their agreements' names, `names_of`)."""
        if names:
            self.names.setdefault(name, set()).update(names)
        if name not in self._files:
            path = self.folder / f"class-{len(self._files)}.pickle"
            self.paths[name] = path
            self._files[name] = path.open("w+b")
        self.counts[name] += count
        self._files[name].write(block)

    def close(self) -> None:
        """Flush: other processes may read the files now."""
        for source in self._files.values():
            source.flush()

    def files(self, names: Iterable[str]) -> tuple[Path, ...]:
        """The files of these classes (a class without mentions has none)."""
        return tuple(self.paths[name] for name in names if name in self.paths)

    def discard(self) -> None:
        for source in self._files.values():
            source.close()
        self._files.clear()


def read_spooled(
    files: Iterable[Path],
) -> tuple[dict[int, Mention], dict[int, tuple[Evidence, ...]]]:
    """The mentions spooled in these files by id, and their evidence."""
    found: dict[int, Mention] = {}
    texts: dict[int, tuple[Evidence, ...]] = {}
    for path in files:
        with path.open("rb") as source:
            while True:
                try:
                    block: list[tuple[int, Mention, tuple[Evidence, ...]]] = pickle.load(source)
                except EOFError:
                    break
                for mention_id, mention, evidence in block:
                    found[mention_id] = mention
                    texts[mention_id] = evidence
    return found, texts


class _Classes:
    """Union-find over class names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.parent = {name: name for name in names}

    def find(self, name: str) -> str:
        self.parent.setdefault(name, name)
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def plan_parts(
    counts: Counter[str],
    versions: Iterable[list[Mention]],
    most: int,
    names: Mapping[str, Set[str]],
) -> list[list[list[str]]]:
    """The pieces of classes each part replays, parts of at most `most` mentions where
    they can be: a part is one piece, or, when re-dated mentions join more than `most`
    mentions' classes, a piece per class (`bulk.crossing`; not when it holds undated
    named agreements, whose events may span classes).

    `versions`: for each restated mention, every version of it the load holds (as told,
    as first stored, as each later report re-dates it). `names`: the keys of each
    class's agreements' names (`Spool.names`).
    """
    classes = _Classes(counts)
    held = {name: set(keys) for name, keys in names.items()}
    for told in versions:
        found = [class_of(m) for m in told]
        for name in found[1:]:
            classes.union(found[0], name)
        for name, mention in zip(found, told, strict=True):
            held.setdefault(name, set()).update(names_of(mention))
    # An undated named agreement meets a named agreement of any year on a key of their
    # names only: its class joins the classes holding one that shares a key.
    undated: dict[str, str] = {}  # a key of undated names -> a class holding it
    for name in sorted(held):
        if _any_year(name):
            for key in sorted(held[name]):
                classes.union(undated.setdefault(key, name), name)
    for name in sorted(held):
        for key in held[name] & undated.keys():
            classes.union(undated[key], name)
    groups: dict[str, list[str]] = {}
    for name in sorted(classes.parent):
        groups.setdefault(classes.find(name), []).append(name)
    parts: list[list[list[str]]] = []
    size = 0
    for root in sorted(groups):
        members = groups[root]
        weight = sum(counts[name] for name in members)
        if weight > most and len(members) > 1 and not any(_any_year(n) for n in members):
            parts.append([[name] for name in members])
            size = most  # a part alone
            continue
        if not parts or size + weight > most:
            parts.append([[]])
            size = 0
        parts[-1][0].extend(members)
        size += weight
    return [part for part in parts if part != [[]]]


def _any_year(name: str) -> bool:
    """Whether a class is one of undated named agreements (`class_of`)."""
    return name.split("|", 2)[1:2] == [_ANY_YEAR]


def uncut_over(
    parts: list[list[list[str]]], counts: Counter[str], most: int, in_pieces: bool = True
) -> str | None:
    """Why these parts would not keep memory bounded, or None: a part of classes joined
    (by undated named agreements, or by re-dated mentions when parts cannot be replayed
    a class at a time, `in_pieces` False) holding more than `JOINED_PARTS_MOST` parts'
    worth of mentions. (A class alone is never cut: its size bounds memory.)"""
    for part in parts:
        if in_pieces and len(part) > 1:
            continue
        names = [name for piece in part for name in piece]
        weight = sum(counts[name] for name in names)
        if len(names) > 1 and weight > JOINED_PARTS_MOST * most:
            by = "undated named agreements" if any(map(_any_year, names)) else "re-dated mentions"
            return (
                f"{by} join {weight} mentions' classes,"
                f" more than {JOINED_PARTS_MOST} parts of {most} hold"
            )
    return None
