"""A page of the events holding some words, read in page order.

SQLite: from the full-text index (`store.fulltext`: each row's id has its start's
bucket in its high bits).

The index gives its matches by id from the top: the latest starts first. A page reads
a few pages' worth of matches at once, each with its page key (start, event_id) from
the narrow key rows, in the same statement; the buckets (starts) it read whole are
kept, and the last one, perhaps cut by the limit, is read again by the next read when
the page is not full yet. One read usually fills a page: a prefix search ("falcon"*)
makes FTS5 gather every match of the prefix before it gives the first, so each read
costs about as much as counting them, whatever its limit. Events of one start are
ordered by id, which the bucket's ids do not follow: what was read is sorted by
(start, event_id). Undated events (bucket 0) come last, sorted by id among themselves.

PostgreSQL: from the word rows (`store.word_rows`), one of two ways, whichever reads
fewer rows by the estimate (the planner cannot tell: it does not know that a word's
matches are spread over the page order). A common word's page walks the rows in page
order, testing each row's words, until the page is full: about wanted x events /
matches rows. It walks at most a few times that many (matches bunched far down the
order, or fewer than counted): from where it stopped, the GIN index gives the rest. A
rare word's matches come from the GIN index, their page keys with them, and are sorted.
The events themselves are read only for the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, String, column, select, text

from defcoop.store.aggregates import summary_total
from defcoop.store.fulltext import (
    BUCKET,
    KEYS_TABLE,
    SEARCH_TABLE,
    count_matches,
    fts5_match,
    start_bucket,
)
from defcoop.store.schema import events
from defcoop.store.search import EventQuery, PageKey, latest_first
from defcoop.store.word_rows import WORDS_TABLE, prefixes, words_query

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
    if connection.dialect.name == "postgresql":
        return postgres_word_page(connection, tokens, after, wanted)
    return _sqlite_word_page(connection, tokens, after, wanted)


def _sqlite_word_page(
    connection: Connection, tokens: list[str], after: PageKey | None, wanted: int
) -> list[str]:
    """SQLite: `word_page` from the full-text index read by id from the top."""
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


# Walked rows that cost about as much as one match from the GIN index (a million events:
# a walk of 2,316 rows 2.3 ms; 22,460 matches looked up and sorted 115 ms).
_LOOKUP_COST = 5
_WALK_SLACK = 4  # a walk reads at most this many times the rows it expects
_LEAST_WALK = 1000  # and at least this many before it turns to the GIN index
_ORDER = " ORDER BY start DESC, event_id DESC"
_AFTER = " WHERE (start, event_id) < (%(start)s, %(ident)s)"
_MATCH = f"words @@ {words_query()}"


def _statements(template: str) -> tuple[str, str]:
    """A statement from the first row in page order, and from after a key."""
    return template.format(after=""), template.format(after=_AFTER)


# The matches among the first `walk` rows from the key, in page order: the walk stops
# when it has `wanted` (the inner LIMIT caps the rows read, the outer the matches).
_WALKED = _statements(
    f"SELECT event_id, start FROM (SELECT event_id, start, words FROM {WORDS_TABLE}{{after}}"
    f"{_ORDER} LIMIT %(walk)s) walked WHERE {_MATCH}{_ORDER} LIMIT %(wanted)s"
)
# The key of the `walk`-th row from the key: where a walk that found too few stopped.
_LAST_WALKED = _statements(
    f"SELECT start, event_id FROM {WORDS_TABLE}{{after}}{_ORDER} OFFSET %(walk)s - 1 LIMIT 1"
)
# Every match, from the GIN index (materialized: the planner would walk the page order
# with the key's range instead), then the page's from the key.
_LOOKED_UP = _statements(
    f"WITH matched AS MATERIALIZED (SELECT event_id, start FROM {WORDS_TABLE} WHERE {_MATCH})"
    f" SELECT event_id, start FROM matched{{after}}{_ORDER} LIMIT %(wanted)s"
)


def _named(statement: str) -> str:
    """A statement above with its parameters named as SQLAlchemy's `text` names them."""
    return re.sub(r"%\((\w+)\)s", r":\1", statement)


# `_WALKED` as a table of event ids, for a statement that reads their events with them.
_WALKED_IDS = tuple(
    text(_named(statement)).columns(column("event_id", String), column("start", String))
    for statement in _WALKED
)


def walks_for_words(matches: int, every: int, wanted: int) -> bool:
    """Whether a walk in page order reads fewer rows (about wanted x every / matches)
    than looking up the matches (weighed at `_LOOKUP_COST` rows each)."""
    return matches > 0 and wanted * every < _LOOKUP_COST * matches * matches


def postgres_word_page(
    connection: Connection,
    tokens: list[str],
    after: PageKey | None,
    wanted: int,
    *,
    walk: bool | None = None,
    walk_cap: int | None = None,
) -> list[str]:
    """PostgreSQL: `word_page` from the word rows, walked in page order or looked up
    (`walk`: chosen by `walks_for_words` when None; `walk_cap`: the most rows a walk reads,
    a few times what it expects when None)."""
    matches = count_matches(connection, " ".join(tokens))
    if matches == 0:
        return []
    every = summary_total(connection, EventQuery())
    words = prefixes(tokens)
    if walk is None:
        walk = walks_for_words(matches, every, wanted)
    key = None if after is None else (after[0] or "", after[1])  # '' is undated: last
    found: list[str] = []
    if walk:
        cap = walk_cap or max(_LEAST_WALK, _WALK_SLACK * wanted * every // matches)
        found = [row[0] for row in _read(connection, _WALKED, words, key, wanted, cap)]
        if len(found) == wanted:
            return found
        stop = _read(connection, _LAST_WALKED, words, key, wanted, cap)
        if not stop:  # the walk reached the last row
            return found
        key = (stop[0][0], stop[0][1])
    looked_up = _read(connection, _LOOKED_UP, words, key, wanted - len(found), 0)
    return found + [row[0] for row in looked_up]


def postgres_word_rows(
    connection: Connection,
    tokens: list[str],
    after: PageKey | None,
    wanted: int,
    columns: Sequence[Any],
) -> list[Row[Any]]:
    """PostgreSQL: the events of `word_page` (the given columns), in page order. A walk
    that fills the page reads its events in the same statement, one round trip instead
    of two; any other page looks its ids up (`postgres_word_page`, not walked again: a
    look-up from `after` gives what a walk's rows and a look-up from where it stopped
    give), then reads the events."""
    if not tokens:
        return []
    matches = count_matches(connection, " ".join(tokens))
    every = summary_total(connection, EventQuery())
    if walks_for_words(matches, every, wanted):
        cap = max(_LEAST_WALK, _WALK_SLACK * wanted * every // matches)
        parameters: dict[str, Any] = {"words": prefixes(tokens), "wanted": wanted, "walk": cap}
        if after is not None:
            parameters |= {"start": after[0] or "", "ident": after[1]}
        walked = _WALKED_IDS[after is not None].subquery("walked")
        statement = (
            select(*columns)
            .join_from(events, walked, events.c.event_id == walked.c.event_id)
            .order_by(*latest_first(connection))
        )
        found = list(connection.execute(statement, parameters).all())
        if len(found) == wanted:
            return found
    page = postgres_word_page(connection, tokens, after, wanted, walk=False)
    if not page:
        return []
    statement = select(*columns).where(events.c.event_id.in_(page))
    return list(connection.execute(statement.order_by(*latest_first(connection))).all())


def _read(
    connection: Connection,
    statements: tuple[str, str],
    words: str,
    key: tuple[str, str] | None,
    wanted: int,
    walk: int,
) -> list[tuple[str, str]]:
    """The rows of one of the statements above, from the first row or after `key`."""
    parameters = {"words": words, "wanted": wanted, "walk": walk}
    if key is None:
        found = connection.exec_driver_sql(statements[0], parameters)
    else:
        parameters |= {"start": key[0], "ident": key[1]}
        found = connection.exec_driver_sql(statements[1], parameters)
    return [(str(row[0]), str(row[1])) for row in found]
