"""Cut the inputs of a batch run into shards: the unit of work of one Dask task.

A JSON Lines file (``.jsonl``, ``.ndjson``, gzipped or not), a WARC file or any
single file given is one shard. The report files of a directory are grouped, in reading
order, into shards of ``shard_size`` files; a JSON Lines or WARC file found in a
directory is a shard of its own, since it may hold any number of reports.

A shard's id is derived from the input path as given (resolved), the shard's
index within that input and the names of its files, so the same command gives
the same ids, and a re-run can tell which shards are already done.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from defcoop.ingest.readers import input_format

DEFAULT_SHARD_SIZE = 250
_SLUG_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_SLUG_LENGTH = 40


@dataclass(frozen=True)
class Shard:
    """One unit of work: the paths read by one task, and the id its output files carry."""

    id: str
    paths: tuple[str, ...]


def shard_id(given: Path, index: int, members: Sequence[str]) -> str:
    """A stable, file-name-safe id: the input's name, the shard's index and a digest."""
    anchor = os.path.realpath(given)
    names = [os.path.relpath(member, given) for member in members]
    digest = hashlib.sha1("\n".join([anchor, str(index), *names]).encode()).hexdigest()[:10]
    slug = _SLUG_CHARS.sub("-", given.name or "input").strip("-.")[:_SLUG_LENGTH] or "input"
    return f"{slug}-{index:05d}-{digest}"


def plan_shards(inputs: Iterable[Path], shard_size: int = DEFAULT_SHARD_SIZE) -> list[Shard]:
    """The shards of the given inputs, in input order; an input given twice is planned once."""
    if shard_size < 1:
        raise ValueError(f"shard size must be at least 1, got {shard_size}")
    shards: dict[str, Shard] = {}
    for given in inputs:
        # Absolute, so that workers on other machines (or in another directory) find it.
        path = Path(os.path.abspath(given))
        groups = _directory_groups(path, shard_size) if path.is_dir() else [[str(path)]]
        for index, members in enumerate(groups):
            shard = Shard(shard_id(path, index, members), tuple(members))
            shards.setdefault(shard.id, shard)
    return list(shards.values())


def _is_lines(path: str) -> bool:
    """Whether a file is JSON Lines or WARC, which may hold any number of reports: a shard alone."""
    return input_format(Path(path))[0] in ("jsonl", "warc")


def _directory_groups(directory: Path, size: int) -> list[list[str]]:
    """A directory's report files, grouped into shards in the order they are read."""
    groups: list[list[str]] = []
    current: list[str] = []
    for member in _report_files(directory, set()):
        if _is_lines(member):
            if current:
                groups.append(current)
                current = []
            groups.append([member])
            continue
        current.append(member)
        if len(current) == size:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    # A directory with no report file is read whole, so that reading reports why.
    return groups or [[str(directory)]]


def _report_files(directory: Path, seen: set[str]) -> Iterator[str]:
    """Report files under a directory in the reader's order: depth first, by name.

    A subdirectory that cannot be listed is given as it is, so that reading it
    reports the fault as an input error.
    """
    seen.add(os.path.realpath(directory))
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        yield str(directory)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            yield entry.path
            continue
        if is_dir:
            if os.path.realpath(entry.path) not in seen:
                yield from _report_files(Path(entry.path), seen)
        elif is_file and input_format(Path(entry.path))[0] is not None:
            yield entry.path
