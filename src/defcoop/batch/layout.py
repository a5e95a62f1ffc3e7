"""Where a batch run puts things, and the done marker that says a shard is complete.

Layout under the output directory, for shard ``ID``::

    mentions/year=YYYY/part-ID.parquet
    reports/year=YYYY/part-ID.parquet
    errors/part-ID.jsonl          only when some input of the shard failed
    _done/ID                      written last: the shard is complete (JSON: counts, files)

This module needs neither pyarrow nor Dask, so commands that only look at an
output directory stay quick to start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DONE_DIR = "_done"
MENTIONS_DIR = "mentions"
REPORTS_DIR = "reports"
ERRORS_DIR = "errors"


@dataclass(frozen=True)
class ShardResult:
    """What one shard gave: counts and the files written, relative to the output directory."""

    shard: str
    inputs: tuple[str, ...]
    reports: int
    mentions: int
    errors: int
    files: tuple[str, ...]
    left_out: int = 0  # records holding no report (WARC requests, images), counted

    def as_json(self) -> dict[str, object]:
        """The done marker's content."""
        return {
            "shard": self.shard,
            "inputs": list(self.inputs),
            "reports": self.reports,
            "mentions": self.mentions,
            "errors": self.errors,
            "files": list(self.files),
            "left_out": self.left_out,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> ShardResult:
        """The result a done marker records."""
        return cls(
            shard=str(value["shard"]),
            inputs=tuple(str(p) for p in value["inputs"]),
            reports=int(value["reports"]),
            mentions=int(value["mentions"]),
            errors=int(value["errors"]),
            files=tuple(str(f) for f in value["files"]),
            left_out=int(value.get("left_out", 0)),
        )


def marker_path(out: Path, shard: str) -> Path:
    """The done marker of a shard."""
    return out / DONE_DIR / shard


def read_marker(out: Path, shard: str) -> ShardResult | None:
    """The recorded result of a shard, None when the shard is not done."""
    try:
        value = json.loads(marker_path(out, shard).read_text(encoding="utf-8"))
        return ShardResult.from_json(value)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no marker, or one cut short: the shard is redone
