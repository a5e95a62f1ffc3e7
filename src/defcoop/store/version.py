"""Reading the store's version (`schema.store_version`) cheaply, for every API request.

The kept answers of the API (`api.answers`) are checked against the version on every
request, so reading it must cost next to nothing: one database connection is set
aside for it, in autocommit (each read sees the last committed version, with no
transaction to open and close), and the read is one primary-key SELECT through the
driver. A read from several threads at once waits on a lock: it takes microseconds
on SQLite, one round trip on PostgreSQL.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine

_READ = "SELECT version FROM store_version WHERE id = 1"


class VersionReader:
    """The store's version, read on a connection of its own (opened at the first read)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None  # the pool's proxy of the DBAPI connection
        self._lock = threading.Lock()
        # SQLite reads a file of this machine: microseconds, fine on an event loop.
        self.local = engine.dialect.name == "sqlite"

    def _cursor(self) -> Any:
        """A cursor on the set-aside connection, opened in autocommit when needed."""
        if self._connection is None:
            connection = self._engine.raw_connection()
            if self._engine.dialect.name == "postgresql":
                connection.dbapi_connection.autocommit = True  # type: ignore[union-attr]
            # SQLite: the store's connect hook already leaves transactions to explicit BEGINs.
            self._connection = connection
        return self._connection.cursor()

    def read(self) -> int:
        """The version now. A connection the database dropped (a restarted server) is
        opened again once; a second failure is the driver's error, for the caller."""
        with self._lock:
            try:
                return self._read()
            except Exception:  # the driver's own errors: no common base class
                self._drop()
            return self._read()

    def _read(self) -> int:
        """One read on the set-aside connection."""
        cursor = self._cursor()
        try:
            cursor.execute(_READ)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return 0 if row is None else int(row[0])

    def _drop(self) -> None:
        """Forget the set-aside connection (it is invalidated, not returned to the pool)."""
        if self._connection is not None:
            try:
                self._connection.invalidate()
            finally:
                self._connection = None

    def close(self) -> None:
        """Give the connection back (before the engine is disposed)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
