"""Schema versions: a store written by an older defcoop is upgraded on open, not rejected."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from linked_reports import linked_reports
from sqlalchemy import create_engine

from defcoop.errors import StoreError
from defcoop.records import Extraction, Mention
from defcoop.store import migrations
from defcoop.store.database import Store
from defcoop.store.engine import store_url
from defcoop.store.rows import evidence_rows, mention_row, report_row
from defcoop.store.schema import metadata

# The tables as the first stored schema had them (before canonical events), as
# that version of defcoop wrote them into SQLite.
OLD_DDL = """
CREATE TABLE reports (
    id TEXT NOT NULL, content_hash VARCHAR(64) NOT NULL, published DATE NOT NULL,
    source TEXT, url TEXT, title TEXT, author TEXT, language VARCHAR(16) NOT NULL,
    text TEXT NOT NULL, origin TEXT, ingested_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_reports_content_hash ON reports (content_hash);
CREATE TABLE errors (
    id INTEGER NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL, at DATETIME NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE mentions (
    id INTEGER NOT NULL, report_id TEXT NOT NULL, ordinal INTEGER NOT NULL, doc TEXT NOT NULL,
    type VARCHAR(16) NOT NULL, name TEXT, participants TEXT NOT NULL,
    has_location BOOLEAN NOT NULL, location_name TEXT, location_country VARCHAR(8),
    location_lat DOUBLE, location_lon DOUBLE, location_place_id TEXT, start VARCHAR(10),
    "end" VARCHAR(10), start_year INTEGER, status VARCHAR(16), forces TEXT NOT NULL,
    background BOOLEAN NOT NULL, event_id TEXT, published DATE, PRIMARY KEY (id),
    FOREIGN KEY(report_id) REFERENCES reports (id) ON DELETE CASCADE);
CREATE INDEX ix_mentions_event_id ON mentions (event_id);
CREATE INDEX ix_mentions_start_year ON mentions (start_year);
CREATE INDEX ix_mentions_type ON mentions (type);
CREATE INDEX ix_mentions_report_id ON mentions (report_id);
CREATE INDEX ix_mentions_start ON mentions (start);
CREATE TABLE evidence (
    id INTEGER NOT NULL, mention_id INTEGER NOT NULL, ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (id),
    FOREIGN KEY(mention_id) REFERENCES mentions (id) ON DELETE CASCADE);
CREATE INDEX ix_evidence_mention_id ON evidence (mention_id);
"""
OLD_MENTION_COLUMNS = (
    "report_id ordinal doc type name participants has_location location_name location_country"
    " location_lat location_lon location_place_id start end start_year status forces"
    " background event_id published"
).split()
NEW_TABLES = {"mention_keys", "mention_prints", "events", "event_participants", "corrections"}

Key = tuple[str, int, str]


def _sql_value(value: object) -> object:
    """A value as the older defcoop's SQLAlchemy stored it in SQLite."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def write_old_store(path: Path, extractions: Iterable[Extraction]) -> None:
    """A SQLite store in the first schema, filled as that version filled it."""
    connection = sqlite3.connect(path)
    connection.executescript(OLD_DDL)
    now = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    mention_id = 0
    for extraction in extractions:
        row = report_row(extraction.report, now)
        names = ", ".join(row)
        connection.execute(
            f"INSERT INTO reports ({names}) VALUES ({', '.join('?' * len(row))})",
            [_sql_value(v) for v in row.values()],
        )
        for ordinal, mention in enumerate(extraction.mentions):
            mention_id += 1
            full = mention_row(mention, extraction.report.id, ordinal)
            # extract-time ids were stored as given; they are not canonical events
            full["event_id"] = f"old-{mention_id}"
            values = [mention_id, *(_sql_value(full[c]) for c in OLD_MENTION_COLUMNS)]
            columns = ", ".join(["id", *(f'"{c}"' for c in OLD_MENTION_COLUMNS)])
            connection.execute(
                f"INSERT INTO mentions ({columns}) VALUES ({', '.join('?' * len(values))})",
                values,
            )
            for item in evidence_rows(mention_id, mention.evidence):
                connection.execute(
                    'INSERT INTO evidence (mention_id, ordinal, start, "end", text)'
                    " VALUES (?, ?, ?, ?, ?)",
                    [item["mention_id"], item["ordinal"], item["start"], item["end"], item["text"]],
                )
    connection.execute(
        "INSERT INTO errors (source, reason, at) VALUES (?, ?, ?)",
        ["bad.json", "malformed JSON", _sql_value(now)],
    )
    connection.commit()
    connection.close()


def key(mention: Mention) -> Key:
    """A mention's report, first offset and type."""
    return (mention.doc, mention.evidence[0].start, mention.type)


def partition(mentions: Iterable[Mention]) -> set[frozenset[Key]]:
    """The mentions grouped by event id."""
    groups: dict[str | None, set[Key]] = {}
    for mention in mentions:
        groups.setdefault(mention.event_id, set()).add(key(mention))
    return {frozenset(group) for group in groups.values()}


def clean_store(path: Path) -> tuple[set[frozenset[Key]], dict[str, int]]:
    """Partition and counts of the fixture ingested by the current code."""
    with Store(f"sqlite:///{path}") as store:
        for extraction in linked_reports():
            store.add(extraction)
        return partition(store.mentions()), store.counts()


def tables(path: Path) -> set[str]:
    """The tables of a SQLite file."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}


def test_an_old_store_is_upgraded_with_its_data(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    write_old_store(old, linked_reports())
    assert not NEW_TABLES & tables(old)
    with Store(f"sqlite:///{old}") as store:
        found = list(store.mentions())
        counts = store.counts()
        stored_report = store.report("fx-talks-2021")
        events = store.events()
    assert tables(old) >= NEW_TABLES
    with sqlite3.connect(old) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert version == [(migrations.head(),)]
    originals = [m for x in linked_reports() for m in x.mentions]
    assert sorted(key(m) for m in found) == sorted(key(m) for m in originals)
    assert {(m.name, m.participants, m.evidence) for m in found} == {
        (m.name, m.participants, m.evidence) for m in originals
    }
    assert stored_report is not None and stored_report.text == linked_reports()[1].report.text
    assert all(m.event_id and not m.event_id.startswith("old-") for m in found)
    expected_partition, expected_counts = clean_store(tmp_path / "clean.db")
    assert partition(found) == expected_partition
    assert counts == {**expected_counts, "errors": 1}
    assert len(events) == expected_counts["events"]


def test_an_upgraded_store_takes_new_reports_like_a_clean_one(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    extractions = linked_reports()
    write_old_store(old, extractions[:4])
    with Store(f"sqlite:///{old}") as store:
        for extraction in extractions:
            store.add(extraction)
        found = partition(store.mentions())
    assert found == clean_store(tmp_path / "clean.db")[0]


def test_two_processes_upgrading_at_once_leave_one_good_store(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    write_old_store(old, linked_reports())
    url = f"sqlite:///{old}"
    code = "import sys; from defcoop.store.database import Store; Store(sys.argv[1]).close()"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    with sqlite3.connect(old) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    with Store(url) as store:
        found = partition(store.mentions())
        counts = store.counts()
    expected_partition, expected_counts = clean_store(tmp_path / "clean.db")
    assert found == expected_partition
    assert counts["events"] == expected_counts["events"]


# The full-text module adds an expression index of its own, which reflection skips.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection:sqlalchemy.exc.SAWarning")
def test_a_new_store_at_head_matches_the_schema_module(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    Store(url).close()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    # Tables outside the schema module (the full-text index) are not its business.
    missing_or_changed = [d for d in differences if not str(d[0]).startswith("remove_")]
    assert missing_or_changed == []


def test_a_store_from_a_newer_defcoop_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this defcoop"):
        Store(f"sqlite:///{path}")


@pytest.mark.parametrize("given", ["postgresql://u@h/db", "postgres://u@h/db"])
def test_plain_postgresql_urls_use_psycopg_3(given: str) -> None:
    assert store_url(given).drivername == "postgresql+psycopg"


def test_a_store_made_before_versions_with_events_is_stamped_not_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "unversioned.db"
    with Store(f"sqlite:///{path}") as store:
        for extraction in linked_reports():
            store.add(extraction)
        before = partition(store.mentions()), store.counts()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE alembic_version")  # as create_all left it
    with Store(f"sqlite:///{path}") as store:
        assert (partition(store.mentions()), store.counts()) == before
    with sqlite3.connect(path) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert version == [(migrations.head(),)]
