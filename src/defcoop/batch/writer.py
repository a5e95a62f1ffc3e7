"""Write one shard's output: Parquet by publication year, its errors, and its done marker.

The layout is in `defcoop.batch.layout`. Every file is written under a hidden
temporary name and renamed into place, the marker last, so a crash leaves either
a complete shard or one without a marker, which the next run redoes from scratch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from defcoop.batch.layout import (
    ERRORS_DIR,
    MENTIONS_DIR,
    REPORTS_DIR,
    ShardResult,
    marker_path,
)
from defcoop.batch.shards import Shard
from defcoop.batch.tables import MENTIONS_SCHEMA, REPORTS_SCHEMA, extraction_records
from defcoop.records import Extraction

# Rows buffered per file before they are written as one row group: bounds memory
# on a shard of any size, and depends on row counts only, so output stays byte-stable.
ROW_GROUP_ROWS = 1000
_SCHEMAS = {MENTIONS_DIR: MENTIONS_SCHEMA, REPORTS_DIR: REPORTS_SCHEMA}


def _replace_durably(temp: Path, final: Path) -> None:
    """Flush a finished temporary file to disk, then rename it into place."""
    with temp.open("rb") as stream:
        os.fsync(stream.fileno())
    os.replace(temp, final)


def _temp_name(final: Path) -> Path:
    """The hidden name a file is written under (Parquet readers skip dot files)."""
    return final.with_name(f".{final.name}.tmp")


class ShardWriter:
    """Holds the open Parquet writers of one shard while its reports stream in."""

    def __init__(self, out: Path, shard: Shard) -> None:
        self.out = out
        self.shard = shard
        self.reports = 0
        self.mentions = 0
        self.errors: list[dict[str, str]] = []
        self.left_out = 0  # records holding no report (WARC requests, images)
        self._rows: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._writers: dict[tuple[str, int], pq.ParquetWriter] = {}

    def final_path(self, table: str, year: int) -> Path:
        """Where the shard's file of one table and year ends up."""
        return self.out / table / f"year={year:04d}" / f"part-{self.shard.id}.parquet"

    def add(self, extraction: Extraction) -> None:
        """Buffer one report and its mentions, writing a row group when a buffer is full."""
        year = extraction.report.published.year
        report_row, mention_rows = extraction_records(extraction, self.reports)
        self._buffer(REPORTS_DIR, year, [report_row])
        if mention_rows:
            self._buffer(MENTIONS_DIR, year, mention_rows)
        self.reports += 1
        self.mentions += len(mention_rows)

    def add_error(self, source: str, reason: str) -> None:
        """Record an input that could not be read or extracted."""
        self.errors.append({"source": source, "reason": reason})

    def _buffer(self, table: str, year: int, rows: list[dict[str, Any]]) -> None:
        """Add rows to a file's buffer; write it out once it holds a row group."""
        buffer = self._rows.setdefault((table, year), [])
        buffer.extend(rows)
        if len(buffer) >= ROW_GROUP_ROWS:
            self._flush(table, year)

    def _flush(self, table: str, year: int) -> None:
        """Write a file's buffered rows as one row group."""
        rows = self._rows.get((table, year))
        if not rows:
            return
        writer = self._writers.get((table, year))
        if writer is None:
            final = self.final_path(table, year)
            final.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(_temp_name(final), _SCHEMAS[table], compression="zstd")
            self._writers[(table, year)] = writer
        writer.write_table(pa.Table.from_pylist(rows, schema=_SCHEMAS[table]))
        self._rows[(table, year)] = []

    def commit(self) -> ShardResult:
        """Put every file in place, then the done marker; the shard's result."""
        for table, year in sorted(self._rows):
            self._flush(table, year)
        files: list[Path] = []
        for (table, year), writer in sorted(self._writers.items()):
            writer.close()
            final = self.final_path(table, year)
            _replace_durably(_temp_name(final), final)
            files.append(final)
        self._writers.clear()
        if self.errors:
            final = self.out / ERRORS_DIR / f"part-{self.shard.id}.jsonl"
            final.parent.mkdir(parents=True, exist_ok=True)
            lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.errors)
            _temp_name(final).write_text(lines, encoding="utf-8")
            _replace_durably(_temp_name(final), final)
            files.append(final)
        result = ShardResult(
            shard=self.shard.id,
            inputs=self.shard.paths,
            reports=self.reports,
            mentions=self.mentions,
            errors=len(self.errors),
            left_out=self.left_out,
            files=tuple(sorted(f.relative_to(self.out).as_posix() for f in files)),
        )
        marker = marker_path(self.out, self.shard.id)
        marker.parent.mkdir(parents=True, exist_ok=True)
        _temp_name(marker).write_text(
            json.dumps(result.as_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        _replace_durably(_temp_name(marker), marker)
        return result

    def abort(self) -> None:
        """Close and remove the temporary files of a shard that failed."""
        for (table, year), writer in self._writers.items():
            writer.close()
            _temp_name(self.final_path(table, year)).unlink(missing_ok=True)
        self._writers.clear()
