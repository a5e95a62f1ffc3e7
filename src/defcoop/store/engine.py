"""Database engines for the store: URL forms, SQLite pragmas, one writer at a time.

SQLite and PostgreSQL run the same store code; what differs is here. Writers are
serialized on both (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped
advisory lock) because cross-report resolution reads the candidates of a report
and then writes its events: two writers interleaving could each create an event
for one real event.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.pool import ConnectionPoolEntry

from defcoop.store.counts_memo import new_transaction

BUSY_TIMEOUT_MS = 30_000
# SQLite reads the file through memory mapped from the OS page cache, shared by every
# connection, instead of copying each page into the connection's own 2 MB cache: the
# reads of a page of a million-event store (one event row per event shown) cost about
# a third less. Capped by SQLite's build (2 GB by default).
MMAP_BYTES = 1 << 31
# Execution option marking a connection that writes: on SQLite its transaction takes
# the write lock at BEGIN, so concurrent writers queue on busy_timeout instead of
# failing when a read transaction is upgraded; on PostgreSQL it takes WRITER_LOCK.
WRITE_OPTION = "defcoop_write"
# pg_advisory_xact_lock key held by every writing transaction ("defcoop" in ASCII).
WRITER_LOCK = 0x646566636F6F70
# Marks a database connection on which `store_version` exists (in its `info`).
_VERSIONED = "defcoop_versioned"
# The writer's count of changed rows at BEGIN (SQLite), or True (PostgreSQL): in `info`
# while a writing transaction on a versioned store runs.
_CHANGES_AT_BEGIN = "defcoop_changes_at_begin"
_VERSION_TABLE_FOUND = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'store_version'",
    "postgresql": "SELECT to_regclass('store_version')",
}
# Drivers by the name a URL may give: plain postgresql:// means psycopg 3, not psycopg2.
_POSTGRES_NAMES = {"postgres", "postgresql", "postgresql+psycopg"}


def store_url(url: str) -> URL:
    """The parsed URL, PostgreSQL ones set to the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_NAMES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL, None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _on_sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    """Pragmas every SQLite connection needs; the driver's own BEGIN handling is turned off."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        _wal(cursor)
    finally:
        cursor.close()


def _wal(cursor: Any) -> None:
    """Put the file in WAL mode, waiting out another process that is creating the store.

    Changing the journal mode needs the file to itself and SQLite does not call the
    busy handler for it: while another process writes (its first migrations), the
    change fails at once with "database is locked", so it is retried up to the busy
    timeout. A file already in WAL mode is left alone.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.01
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()
            if mode is not None and str(mode[0]).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _versioned(connection: Connection) -> bool:
    """Whether `store_version` exists (`schema.store_version`); once seen on a database
    connection, remembered with it (before, in the transaction of the revision that
    creates it, there is nothing to raise)."""
    if not connection.info.get(_VERSIONED):
        found = connection.exec_driver_sql(_VERSION_TABLE_FOUND[connection.dialect.name]).first()
        if found is None or found[0] is None:
            return False
        connection.info[_VERSIONED] = True
    return True


def _raise_version(dbapi_connection: Any) -> None:
    """Count a writing transaction that changed something in `store_version`, in it."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("UPDATE store_version SET version = version + 1")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    """Open the transaction ourselves: IMMEDIATE for writers, deferred for readers.

    A writer notes how many rows the database connection has changed so far: at commit,
    more means this transaction stored something (`_on_sqlite_commit`).
    """
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
    connection.info.pop(_CHANGES_AT_BEGIN, None)
    new_transaction(connection, writes=writes)  # the kept counts' version: read again
    if writes and _versioned(connection):
        connection.info[_CHANGES_AT_BEGIN] = connection.connection.dbapi_connection.total_changes  # type: ignore[union-attr]


def _on_sqlite_commit(connection: Connection) -> None:
    """Raise the version, before COMMIT, when the writer changed rows; a write that
    stored nothing (content already stored) leaves the kept answers alone."""
    before = connection.info.pop(_CHANGES_AT_BEGIN, None)
    dbapi_connection = connection.connection.dbapi_connection
    if before is not None and dbapi_connection.total_changes > before:  # type: ignore[union-attr]
        _raise_version(dbapi_connection)


def _on_postgres_begin(connection: Connection) -> None:
    """Writers wait for each other: the lock is released when the transaction ends."""
    connection.info.pop(_CHANGES_AT_BEGIN, None)
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    new_transaction(connection, writes=writes)  # the kept counts' version: read again
    if writes:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
        if _versioned(connection):
            connection.info[_CHANGES_AT_BEGIN] = True


def _on_postgres_commit(connection: Connection) -> None:
    """Raise the version, before COMMIT, when the writer changed rows: PostgreSQL gives a
    transaction its id at its first change (the advisory lock takes none)."""
    if not connection.info.pop(_CHANGES_AT_BEGIN, None):
        return
    dbapi_connection = connection.connection.dbapi_connection
    cursor = dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("SELECT txid_current_if_assigned() IS NOT NULL")
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is not None and row[0]:
        _raise_version(dbapi_connection)


def engine_for(url: URL) -> Engine:
    """An engine for the URL with the store's transaction handling for its database."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        event.listen(engine, "commit", _on_sqlite_commit)
    elif backend == "postgresql":
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "begin", _on_postgres_begin)
        event.listen(engine, "commit", _on_postgres_commit)
    else:
        engine = create_engine(url)
    return engine


def reader_for(url: URL, engine: Engine) -> Engine:
    """The engine the store's reads take (`Store._read`): on PostgreSQL, a pool of its own
    in autocommit with no ping at checkout; otherwise `engine` itself.

    PostgreSQL's READ COMMITTED (its default, the store's) takes a snapshot per statement,
    so a read of several statements sees in a transaction what it sees in autocommit, and
    the transaction costs two round trips more (BEGIN, and ROLLBACK when the connection
    goes back to the pool), the ping a third: on an uncached page of the API, three of
    five. A connection the server dropped then fails its read, which `Store._read` runs
    once more on a fresh one. Writers keep the pinged pool of `engine`.

    Its reads are planned without parallel workers (`_serial_plans`).
    """
    if url.get_backend_name() != "postgresql":
        return engine
    reads = create_engine(url, isolation_level="AUTOCOMMIT")
    event.listen(reads, "connect", _serial_plans)
    event.listen(reads, "begin", _on_postgres_begin)  # the kept counts' version (no lock)
    return reads


def _serial_plans(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    """No parallel workers for the reads: the store's reads are pages and counts of a few
    thousand rows at most, which the planner cannot see when a walk in page order stops
    at its LIMIT. Starting a worker takes 10-15 ms (a process) for a page that takes 1:
    status + until + country's first page at a million events, 15.5 ms with one, 1 alone."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    finally:
        cursor.close()
    if not dbapi_connection.autocommit:  # the session's setting, out of the transaction
        dbapi_connection.commit()


def writer(engine: Engine) -> Engine:
    """The engine whose transactions write (and so wait for other writers)."""
    return engine.execution_options(**{WRITE_OPTION: True})
