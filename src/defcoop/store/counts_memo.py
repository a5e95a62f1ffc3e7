"""Counts from the summaries and the word index, kept in memory while the store's version
stands: a page's plan reads several (how many events a participant, a type, some months
have) and they change only with a write.

A count is filed under the store version read in the same transaction, before the count
(`schema.store_version`, raised by every write that changes rows, in the write's
transaction): a count kept at version V was computed from a store at V or newer, and is
used only by transactions that read V, so a page never counts from an older store than
the one it reads. The version is read at most once per transaction: the store engine's
begin hook (`store.engine`) calls `new_transaction`. A writing transaction, or one on an
engine without that hook, counts afresh and keeps nothing (its changes are not yet the
version it read). One process keeps the counts of its stores' newest versions, at most
MAX_COUNTS.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from sqlalchemy import Connection, select

from defcoop.store.schema import store_version

MAX_COUNTS = 20_000
_VERSION = "defcoop_counts_version"  # in the database connection's `info`
_WRITING = -1
_READ_VERSION = select(store_version.c.version)  # built once: read by every page's plan

_lock = threading.Lock()
_kept: dict[str, tuple[int, dict[Hashable, int]]] = {}  # store URL: (version, counts)


def new_transaction(connection: Connection, *, writes: bool) -> None:
    """A transaction begins on this connection: its version is read at its first count."""
    connection.info[_VERSION] = _WRITING if writes else None


def _version(connection: Connection) -> int | None:
    """The store version this transaction reads under (read once per transaction); None
    when its counts are not to be kept."""
    if not connection.in_transaction():
        connection.begin()  # begin it now: the engine's hook marks it new (`new_transaction`)
    if _VERSION not in connection.info:
        return None
    found = connection.info[_VERSION]
    if found == _WRITING:
        return None
    if found is None:
        found = int(connection.execute(_READ_VERSION).scalar() or 0)
        connection.info[_VERSION] = found
    return int(found)


def kept_count(connection: Connection, key: Hashable, count: Callable[[], int]) -> int:
    """`count()`, kept under the store version (see the module's note)."""
    version = _version(connection)
    if version is None:
        return count()
    store = connection.engine.url.render_as_string(hide_password=False)
    with _lock:
        held = _kept.get(store)
        if held is not None and held[0] == version and key in held[1]:
            return held[1][key]
    found = count()
    with _lock:
        held = _kept.get(store)
        if held is None or held[0] < version or len(held[1]) >= MAX_COUNTS:
            if held is not None and held[0] > version:
                return found  # a newer version is kept already: this count is older
            held = (version, {})
            _kept[store] = held
        if held[0] == version:
            held[1][key] = found
    return found
