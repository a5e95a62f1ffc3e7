"""The work of one Dask task: read a shard's reports, extract them, write the shard's files.

The extraction itself stays a pure function of each report; what this module
adds is the worker-side cache of the loaded lexicons and gazetteers, so that a
worker process loads them once, not once per shard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from defcoop.batch.layout import ShardResult
from defcoop.batch.shards import Shard
from defcoop.batch.writer import ShardWriter
from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.pipeline import Extractor
from defcoop.records import Extraction, Report, SkippedRecords
from defcoop.resolve.event_ids import with_event_id

# One extractor per worker process, built on first use; the lock keeps a worker
# with several threads from building it twice.
_EXTRACTORS: dict[str, Extractor] = {}
_EXTRACTOR_LOCK = threading.Lock()


def worker_extractor() -> Extractor:
    """The extractor of this process, loading the lexicons and gazetteers on first call."""
    with _EXTRACTOR_LOCK:
        if "package" not in _EXTRACTORS:
            _EXTRACTORS["package"] = Extractor.from_package()
        return _EXTRACTORS["package"]


def warm_worker() -> bool:
    """Load this worker's extractor now (run on every worker before timing a batch)."""
    return worker_extractor() is not None


def extract_with_ids(extractor: Extractor, report: Report) -> Extraction:
    """The extraction of a report, each mention with its key-based event id (as `ingest`)."""
    extraction = extractor.extract(report)
    return replace(extraction, mentions=tuple(with_event_id(m) for m in extraction.mentions))


def process_shard(
    shard: Shard,
    out: Path,
    options: ReadOptions,
    extract: Callable[[Report], Extraction],
) -> ShardResult:
    """Read, extract and write one shard; a bad report is recorded, never fatal."""
    writer = ShardWriter(out, shard)
    try:
        for item in read_inputs([Path(p) for p in shard.paths], options):
            if isinstance(item, InputError):
                writer.add_error(item.source, item.reason)
                continue
            if isinstance(item, SkippedRecords):
                writer.left_out += item.count
                continue
            try:
                extraction = extract(item)
            except Exception as exc:  # one report's fault must not lose the shard
                source = item.origin or item.id
                writer.add_error(source, f"extraction failed: {type(exc).__name__}: {exc}")
                continue
            writer.add(extraction)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def run_shard(shard: Shard, out: str, options: ReadOptions) -> ShardResult:
    """The Dask task of one shard, with this worker's extractor."""
    extractor = worker_extractor()
    return process_shard(shard, Path(out), options, lambda r: extract_with_ids(extractor, r))
