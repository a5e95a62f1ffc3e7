"""SQLite: a page of the events holding some words, read from the full-text index in
page order (`store.fulltext`: each row's id has its start's bucket in its high bits).

The index gives its matches by id from the top: the latest starts first. A page reads
a few pages' worth of matches at once, each with its page key (start, event_id) from
the narrow key rows, in the same statement; the buckets (starts) it read whole are
kept, and the last one, perhaps cut by the limit, is read again by the next read when
the page is not full yet. One read usually fills a page: a prefix search ("falcon"*)
makes FTS5 gather every match of the prefix before it gives the first, so each read
costs about as much as counting them, whatever its limit. Events of one start are
ordered by id, which the bucket's ids do not follow: what was read is sorted by
(start, event_id). Undated events (bucket 0) come last, sorted by id among themselves.
"""

from __future__ import annotations

from sqlalchemy import Connection

from defcoop.store.fulltext import BUCKET, KEYS_TABLE, SEARCH_TABLE, fts5_match, start_bucket
from defcoop.store.search import PageKey

_TOP = 1 << 62  # above every id
_READ_PAGES = 4  # pages' worth of matches one read of the index takes
_MATCHES = (
    f"SELECT {SEARCH_TABLE}.rowid, {KEYS_TABLE}.start, {KEYS_TABLE}.event_id"
    f" FROM {SEARCH_TABLE} LEFT JOIN {KEYS_TABLE} ON {KEYS_TABLE}.id = {SEARCH_TABLE}.rowid"
    f" WHERE {SEARCH_TABLE} MATCH ? AND {SEARCH_TABLE}.rowid >= ? AND {SEARCH_TABLE}.rowid < ?"
    f" ORDER BY {SEARCH_TABLE}.rowid DESC"
)
_MATCHES_UP_TO = _MATCHES + " LIMIT ?"

Match = tuple[int, str | None, str | None]  # full-text row id, its event's start and id


def _matches(
    connection: Connection, words: str, low: int, high: int, limit: int | None
) -> list[Match]:
    """The full-text rows with ids in [low, high) holding the words, highest first, with
    their page keys (None for a row without its key row, which no store should hold)."""
    if limit is None:
        found = connection.exec_driver_sql(_MATCHES, (words, low, high))
    else:
        found = connection.exec_driver_sql(_MATCHES_UP_TO, (words, low, high, limit))
    return [(int(row[0]), row[1], row[2]) for row in found]


def _whole_buckets(
    connection: Connection, words: str, high: int, limit: int
) -> tuple[list[Match], int]:
    """The dated matches of the highest buckets below `high` read whole (at least one
    bucket, up to about `limit` matches), and the bucket bound below them."""
    found = _matches(connection, words, BUCKET, high, limit)
    if len(found) < limit:  # every dated match below `high`
        return found, BUCKET
    low = found[-1][0] - found[-1][0] % BUCKET  # the last match's bucket: perhaps cut
    whole = [match for match in found if match[0] >= low + BUCKET]
    if whole:
        return whole, low + BUCKET
    return _matches(connection, words, low, high, None), low  # one bucket over the limit


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
            matches, high = _whole_buckets(connection, words, high, _READ_PAGES * wanted)
            keys = [(start or "", ident) for _, start, ident in matches if ident is not None]
            if after is not None:
                keys = [k for k in keys if k < (after[0] or "", after[1])]
            found += keys
        found = sorted(found, reverse=True)[:wanted]
    if len(found) < wanted:
        undated = _matches(connection, words, 0, BUCKET, None)
        named = sorted((ident for _, _, ident in undated if ident is not None), reverse=True)
        if after is not None and after[0] is None:
            named = [ident for ident in named if ident < after[1]]
        return [ident for _, ident in found] + named[: wanted - len(found)]
    return [ident for _, ident in found]
