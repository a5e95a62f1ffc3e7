"""Read a batch run's output back into extractions, so that `ingest` can store it.

Only shards with a done marker are read; each gives its reports in the order
they were read, each with its mentions exactly as extracted (evidence offsets
included), then its input errors.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from defcoop.batch.layout import (
    DONE_DIR,
    ERRORS_DIR,
    MENTIONS_DIR,
    REPORTS_DIR,
    ShardResult,
    read_marker,
)
from defcoop.errors import InputError, MalformedInput, UnreadableInput
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.records import Extraction, SkippedRecords


def is_batch_output(path: Path) -> bool:
    """Whether a path is the output directory of `defcoop batch`."""
    if not path.is_dir():
        return False
    return (path / DONE_DIR).is_dir() or (
        (path / REPORTS_DIR).is_dir() and (path / MENTIONS_DIR).is_dir()
    )


def done_shards(out: Path) -> list[str]:
    """The ids of the shards with a done marker, sorted."""
    marker_dir = out / DONE_DIR
    if not marker_dir.is_dir():
        return []
    return sorted(p.name for p in marker_dir.iterdir() if not p.name.startswith("."))


def _rows(path: Path) -> list[dict[str, Any]]:
    """The rows of one Parquet file, read as a single file (no partition columns added)."""
    # Imported here: `ingest` imports this module, and only batch outputs need pyarrow.
    import pyarrow.parquet as pq

    return list(pq.ParquetFile(path).read().to_pylist())


def _shard_items(out: Path, result: ShardResult) -> Iterator[Extraction | InputError]:
    """The extractions of one done shard in reading order, then its errors."""
    from defcoop.batch.tables import mention_from_record  # needs pyarrow
    from defcoop.store.rows import report_from_row

    reports: list[dict[str, Any]] = []
    mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    errors: list[InputError] = []
    for name in result.files:
        path = out / name
        top = name.split("/", 1)[0]
        if top == REPORTS_DIR:
            reports.extend(_rows(path))
        elif top == MENTIONS_DIR:
            for row in _rows(path):
                mentions[row["report_ordinal"]].append(row)
        elif top == ERRORS_DIR:
            errors.extend(_errors(path))
    for row in sorted(reports, key=lambda r: int(r["ordinal"])):
        found = tuple(mention_from_record(m) for m in mentions[row["ordinal"]])
        yield Extraction(report=report_from_row(row), mentions=found)
    yield from errors


def _errors(path: Path) -> Iterator[InputError]:
    """The input errors an errors file records."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            value = json.loads(line)
            yield InputError(str(value["source"]), str(value["reason"]))


def read_batch_output(out: Path) -> Iterator[Extraction | InputError]:
    """Every report of a batch output with its mentions, and every input error it recorded.

    A shard whose files are missing or unreadable gives one error naming its
    marker, and reading goes on with the next shard.
    """
    shards = done_shards(out)
    if not shards:
        yield MalformedInput(str(out), f"no complete shard (nothing in {DONE_DIR}/)")
        return
    for shard in shards:
        result = read_marker(out, shard)
        if result is None:
            yield MalformedInput(str(out / DONE_DIR / shard), "unreadable done marker")
            continue
        try:
            items = list(_shard_items(out, result))
        except (OSError, ValueError, KeyError) as exc:
            reason = f"batch shard cannot be read: {type(exc).__name__}: {exc}"
            yield UnreadableInput(str(out / DONE_DIR / shard), reason)
            continue
        yield from items


def ingest_items(
    paths: Iterable[Path], options: ReadOptions, extractor: Extractor
) -> Iterator[Extraction | InputError | SkippedRecords]:
    """What `ingest` stores: a batch output read back, any other path read and extracted."""
    for path in paths:
        if is_batch_output(Path(path)):
            yield from read_batch_output(Path(path))
        else:
            yield from run_paths([path], options, extractor)
