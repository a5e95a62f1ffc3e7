"""The read phase's rows, built from a batch of reports in any process.

A batch of reports the loader has checked (none stored yet, none repeated) and given
its first mention and evidence ids becomes, with no database: the rows of `reports`,
`mentions` (no event yet), `evidence` and `mention_prints`, ready to send (PostgreSQL
COPY text, or tuples as SQLite's driver takes them, each column converted as
SQLAlchemy converts it), and what resolution needs of each mention (`Mention`s
without evidence, by class for the spool, `bulk.parts`, pickled). So the batches are
built in `workers` processes at once (`build_batches`), while the loader, the one
process holding the store's transaction, only checks the reports and sends the
finished batches' rows, in order: the rows are those one process building them
one batch after the other gives.
"""

from __future__ import annotations

import math
import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table

from defcoop.bulk.parts import class_of, names_of
from defcoop.bulk.sink import sqlite_values
from defcoop.bulk.worker_pool import in_order
from defcoop.records import Evidence, Extraction, Mention
from defcoop.resolve.background import mention_fingerprints
from defcoop.store.rows import evidence_rows, mention_from_row, mention_row, report_row
from defcoop.store.schema import evidence, mention_prints, mentions, reports

TABLES: tuple[Table, ...] = (reports, mentions, evidence, mention_prints)  # parents first
# a tuple of one table's values, in the order of its columns (`columns`)
Values = tuple[Any, ...]


def columns(table: Table) -> list[str]:
    """The columns a batch gives values for, in order: all of the table's."""
    return [column.name for column in table.columns]


@dataclass(frozen=True)
class ReadJob:
    """A checked batch of reports and the ids its first mention and evidence take."""

    extractions: list[Extraction]
    first_mention: int
    first_evidence: int
    now: datetime  # `reports.ingested_at`
    postgres: bool  # COPY text, else SQLite's values
    spooled: bool  # mentions for the spool by class, else as a list


@dataclass
class ReadDone:
    """A built batch: its tables' rows, its reports' boundaries and its mentions."""

    # table name -> COPY text (PostgreSQL) or value tuples (SQLite), in `TABLES` order
    rows: dict[str, bytes | list[Values]] = field(default_factory=dict)
    reports: int = 0
    mention_count: int = 0
    next_evidence: int = 0
    starts: list[int] = field(default_factory=list)  # each report's first mention id
    first_starts: list[int] = field(default_factory=list)  # by mention, -1: no evidence
    # (class, count, a pickled list of (id, mention, evidence)) in the spool's format,
    # and the keys of their agreements' names (`bulk.parts.names_of`)
    blocks: list[tuple[str, int, bytes, frozenset[str]]] = field(default_factory=list)
    lean: list[tuple[int, Mention]] = field(default_factory=list)  # when not spooled


def _shared(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def lean_mention(row: dict[str, object]) -> Mention:
    """The mention of a row as resolution reads it back: without its evidence, its
    strings shared (a load holds millions of "exercise" and "AZE")."""
    mention = mention_from_row(row, [])
    return replace(
        mention,
        doc=sys.intern(mention.doc),
        participants=tuple(sys.intern(code) for code in mention.participants),
        start=_shared(mention.start),
        end=_shared(mention.end),
    )


def build(job: ReadJob) -> ReadDone:
    """The rows and mentions of a batch (no I/O)."""
    done = ReadDone()
    tables: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
    classes: dict[str, list[tuple[int, Mention, tuple[Evidence, ...]]]] = {}
    next_mention = job.first_mention
    next_evidence = job.first_evidence
    for extraction in job.extractions:
        report = extraction.report
        tables[reports.name].append(report_row(report, job.now))
        done.starts.append(next_mention)
        for ordinal, mention in enumerate(extraction.mentions):
            mention_id = next_mention
            next_mention += 1
            row = {"id": mention_id, **mention_row(mention, report.id, ordinal), "event_id": None}
            tables[mentions.name].append(row)
            lean = lean_mention(row)
            if job.spooled:
                classes.setdefault(class_of(lean), []).append((mention_id, lean, mention.evidence))
            else:
                done.lean.append((mention_id, lean))
            done.first_starts.append(mention.evidence[0].start if mention.evidence else -1)
            for item in evidence_rows(mention_id, mention.evidence):
                tables[evidence.name].append({"id": next_evidence, **item})
                next_evidence += 1
            for mark in mention_fingerprints(mention):
                tables[mention_prints.name].append({"print": mark, "mention_id": mention_id})
        done.reports += 1
    done.mention_count = next_mention - job.first_mention
    done.next_evidence = next_evidence
    for table in TABLES:
        names = columns(table)
        values = [tuple(row[c] for c in names) for row in tables[table.name]]
        done.rows[table.name] = (
            copy_text(values) if job.postgres else sqlite_values(table, names, values)
        )
    done.blocks = [
        (
            name,
            len(block),
            pickle.dumps(block, pickle.HIGHEST_PROTOCOL),
            frozenset().union(*(names_of(m) for _, m, _ in block)),
        )
        for name, block in classes.items()
    ]
    return done


def _escaped(text: str) -> str:
    """A text value in COPY's text format (backslash, newline, return and tab escaped)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    return text


def _field(value: object) -> str:
    """One value in COPY's text format, as psycopg's text dumpers write it."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return _escaped(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in a timestamptz column")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no COPY text for a {type(value).__name__}")


def copy_text(values: Sequence[Values]) -> bytes:
    """Rows in PostgreSQL COPY's text format (tab-separated, one line a row), UTF-8."""
    return "".join("\t".join(map(_field, row)) + "\n" for row in values).encode()


def build_batches(jobs: Iterator[ReadJob], workers: int) -> Iterator[ReadDone]:
    """The built batches, in the order of `jobs`: here with one worker, else in `workers`
    processes of its own, at most twice as many batches under way (bounded memory)."""
    return in_order(build, jobs, workers)
