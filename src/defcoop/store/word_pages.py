"""SQLite: a page of the events holding some words, read from the full-text index in
page order (`store.fulltext`: each row's id has its start's bucket in its high bits).

The index gives its matches by id from the top: the latest starts first. A page takes
matches until it has enough, then the rest of the last start's bucket (events of one
start are ordered by id, which the bucket's ids do not follow), and sorts what it took
by (start, event_id) from the narrow key rows: it reads about a page of matches, not
every match. Undated events (bucket 0) come last, sorted by id among themselves.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, text

from defcoop.store.fulltext import BUCKET, SEARCH_TABLE, fts5_match, search_keys, start_bucket
from defcoop.store.search import PageKey

_TOP = 1 << 62  # above every id
_MATCHES = (
    f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :words"
    " AND rowid >= :low AND rowid < :high ORDER BY rowid DESC"
)


def _matches(
    connection: Connection, words: str, low: int, high: int, limit: int | None
) -> list[int]:
    """The ids in [low, high) of the full-text rows holding the words, highest first."""
    statement = _MATCHES + ("" if limit is None else f" LIMIT {int(limit)}")
    found = connection.execute(text(statement), {"words": words, "low": low, "high": high})
    return [int(row[0]) for row in found]


def _keys(connection: Connection, ids: list[int]) -> list[tuple[str | None, str]]:
    """The page keys (start, event_id) of these full-text rows."""
    keys = search_keys.c
    found: list[tuple[str | None, str]] = []
    for first in range(0, len(ids), 500):
        part = ids[first : first + 500]
        query = select(keys.start, keys.event_id).where(keys.id.in_(part))
        found += [(row.start, row.event_id) for row in connection.execute(query)]
    return found


def word_page(
    connection: Connection, tokens: list[str], after: PageKey | None, wanted: int
) -> list[str]:
    """The ids of up to `wanted` events holding all the words, in page order after `after`."""
    if not tokens:
        return []
    words = fts5_match(tokens)
    found: list[tuple[str, str]] = []
    if after is None or after[0] is not None:
        high = _TOP if after is None else start_bucket(after[0]) + BUCKET
        while len(found) < wanted and high > BUCKET:
            ids = _matches(connection, words, BUCKET, high, wanted - len(found))
            if not ids:
                break
            low = ids[-1] - (ids[-1] % BUCKET)  # the last match's bucket, taken whole
            ids += _matches(connection, words, low, ids[-1], None)
            keys = [(start or "", ident) for start, ident in _keys(connection, ids)]
            if after is not None:
                keys = [k for k in keys if k < (after[0] or "", after[1])]
            found += keys
            high = low
        found = sorted(found, reverse=True)[:wanted]
    if len(found) < wanted:
        undated = _keys(connection, _matches(connection, words, 0, BUCKET, None))
        named = sorted((ident for _, ident in undated), reverse=True)
        if after is not None and after[0] is None:
            named = [ident for ident in named if ident < after[1]]
        return [ident for _, ident in found] + named[: wanted - len(found)]
    return [ident for _, ident in found]
