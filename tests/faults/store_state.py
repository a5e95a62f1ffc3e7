"""What a store holds, in comparable form: reports, mentions by stable key, event partition.

Mention ids and event ids depend on the order of writes; a mention's report, first
evidence offset and type do not, so stores are compared through those.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from defcoop.records import Mention
from defcoop.store.database import Store

Key = tuple[str, int, str]
DEFCOOP = [sys.executable, "-m", "defcoop"]


def key(mention: Mention) -> Key:
    """A mention's report, first offset and type."""
    return (mention.doc, mention.evidence[0].start if mention.evidence else 0, mention.type)


def what_was_told(mention: Mention) -> tuple[object, ...]:
    """The fields of a mention that depend only on its own report."""
    return (mention.name, mention.participants, mention.location, mention.evidence)


@dataclass(frozen=True)
class Snapshot:
    """A store's reports (id -> content hash), mentions by key, and events as key sets."""

    reports: dict[str, str]
    mentions: dict[Key, Mention]
    events: set[frozenset[Key]]
    event_rows: int

    def told_by(self, report_id: str) -> dict[Key, tuple[object, ...]]:
        """The mentions of one report, as it told them."""
        return {k: what_was_told(m) for k, m in self.mentions.items() if k[0] == report_id}

    def dated(self) -> dict[Key, tuple[object, ...]]:
        """Every mention with its (possibly restated) dates and status."""
        return {
            k: (*what_was_told(m), m.start, m.end, m.status, m.background)
            for k, m in self.mentions.items()
        }


def snapshot(url: str) -> Snapshot:
    """Read the whole store at `url`."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, content_hash FROM reports")).all()
    finally:
        engine.dispose()
    with Store(url) as store:
        found = list(store.mentions())
        counts = store.counts()
    groups: dict[str | None, set[Key]] = defaultdict(set)
    for mention in found:
        groups[mention.event_id].add(key(mention))
    by_key = {key(m): m for m in found}
    assert len(by_key) == len(found), "two stored mentions share a key"
    return Snapshot(
        reports={row[0]: row[1] for row in rows},
        mentions=by_key,
        events={frozenset(g) for g in groups.values()},
        event_rows=counts["events"],
    )


def integrity(path: Path) -> str:
    """SQLite's own verdict on the file."""
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def ingest(paths: list[Path], url: str) -> subprocess.CompletedProcess[str]:
    """Run `defcoop ingest` to completion in its own process."""
    return subprocess.run(
        [*DEFCOOP, "ingest", *map(str, paths), "--db", url],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "DEFCOOP_DB": ""},
        check=False,
    )
