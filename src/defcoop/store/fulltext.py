"""The full-text index of events: name, place and evidence sentences of each event.

On SQLite it is an FTS5 table; on PostgreSQL a plain table of the texts, whose words are
kept as a tsvector beside each event's page key (`store.word_rows`, revision 0016),
queried with `to_tsquery`, every word a prefix as on SQLite. `recompute` rebuilds the rows of the
events it touches in the same transaction, so the index never lags the events table.

On SQLite each full-text row's rowid is the id of a narrow row of KEYS_TABLE holding
the event's id and start (its page key): the index gives the rowids of the matches
without reading its content, and a page of matches is sorted from those narrow rows,
not from the events. The id is in page order by start (revision 0012): its high bits
are the start's day (`start_bucket`, 0 when undated), so the index, read by rowid
from the top, gives the latest matches first and a page stops when it is full
(`store.word_pages`); only the order among events of one start is left to sort.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    column,
    delete,
    func,
    insert,
    inspect,
    literal_column,
    select,
    table,
    text,
)

from defcoop.store.counts_memo import kept_count
from defcoop.store.resolution import chunks
from defcoop.store.schema import events, evidence, mentions
from defcoop.store.word_rows import (
    WORDS_TABLE,
    add_words,
    document,
    prefixes,
    remove_words,
    words_query,
)

SEARCH_TABLE = "event_search"
KEYS_TABLE = "event_search_keys"
_WORD = re.compile(r"\w+", re.UNICODE)
_search = table(
    SEARCH_TABLE,
    column("rowid"),
    column("event_id"),
    column("name"),
    column("place"),
    column("evidence"),
)
search_keys = table(KEYS_TABLE, column("id"), column("event_id"), column("start"))

# Indexes the event filters and the page order use, beside the schema module's own
# (an expression index and a PostgreSQL sort order it cannot state portably).
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_events_status ON events (status)",
    "CREATE INDEX IF NOT EXISTS ix_events_location_name_lower ON events (lower(location_name))",
    "CREATE INDEX IF NOT EXISTS ix_event_participants_code_event_id"
    " ON event_participants (code, event_id)",
)
# Pages list the latest events first: an index in that order lets a page stop early.
_ORDER_INDEX = {
    "sqlite": "CREATE INDEX IF NOT EXISTS ix_events_start_event_id ON events (start, event_id)",
    "postgresql": "CREATE INDEX IF NOT EXISTS ix_events_start_event_id"
    " ON events (start DESC NULLS LAST, event_id DESC)",
}
INDEX_NAMES = (
    "ix_events_status",
    "ix_events_location_name_lower",
    "ix_event_participants_code_event_id",
    "ix_events_start_event_id",
)


def create_search(connection: Connection) -> None:
    """Create the filter indexes and the full-text index if missing, and fill a new index.

    Run by the schema revision that brings them (stores made before it may have them
    already, made when a store was opened: then only what is missing is added).
    """
    for statement in (*_INDEXES, _ORDER_INDEX.get(connection.dialect.name, _ORDER_INDEX["sqlite"])):
        connection.exec_driver_sql(statement)
    if inspect(connection).has_table(SEARCH_TABLE):
        return
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"CREATE TABLE {SEARCH_TABLE} (event_id TEXT PRIMARY KEY, name TEXT, place TEXT,"
            " evidence TEXT)"
        )
        connection.exec_driver_sql(
            f"CREATE INDEX ix_{SEARCH_TABLE}_document ON {SEARCH_TABLE} USING GIN ({document()})"
        )
    else:
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(event_id UNINDEXED, name, place,"
            " evidence, tokenize='unicode61 remove_diacritics 2')"
        )
        create_keys(connection)
    # The word rows come with their own revision (0016), which fills them from these.
    every = [row.event_id for row in connection.execute(select(events.c.event_id))]
    reindex(connection, every, words=False)


def create_keys(connection: Connection) -> None:
    """SQLite: create KEYS_TABLE if missing, with a row for each full-text row there
    (a row whose event is gone, which no store should hold, goes)."""
    if connection.dialect.name == "postgresql" or inspect(connection).has_table(KEYS_TABLE):
        return
    connection.exec_driver_sql(
        f"CREATE TABLE {KEYS_TABLE} (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, start TEXT)"
    )
    connection.exec_driver_sql(f"CREATE INDEX ix_{KEYS_TABLE}_event_id ON {KEYS_TABLE} (event_id)")
    if inspect(connection).has_table(SEARCH_TABLE):
        connection.exec_driver_sql(
            f"DELETE FROM {SEARCH_TABLE} WHERE event_id NOT IN (SELECT event_id FROM events)"
        )
        connection.exec_driver_sql(
            f"INSERT INTO {KEYS_TABLE} (id, event_id, start) SELECT s.rowid, s.event_id,"
            f" e.start FROM {SEARCH_TABLE} s JOIN events e ON e.event_id = s.event_id"
        )


def drop_search(connection: Connection) -> None:
    """Drop the full-text index and the filter indexes (the revision's downgrade)."""
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {KEYS_TABLE}")
    for name in INDEX_NAMES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def reindex(connection: Connection, event_ids: Iterable[str], *, words: bool = True) -> None:
    """Rebuild the full-text rows of some events; events that are gone lose theirs.

    `words`: and the word rows (PostgreSQL, `store.word_rows`); not before their revision.
    """
    keyed = connection.dialect.name != "postgresql"
    for part in chunks(sorted(set(event_ids))):
        if keyed:
            _unkey(connection, part)
        else:
            connection.execute(delete(_search).where(_search.c.event_id.in_(part)))
            if words:
                remove_words(connection, part)
        sentences: dict[str, list[str]] = defaultdict(list)
        query = (
            select(mentions.c.event_id, evidence.c.text)
            .join(evidence, evidence.c.mention_id == mentions.c.id)
            .where(mentions.c.event_id.in_(part))
            .order_by(mentions.c.id, evidence.c.ordinal)
        )
        for row in connection.execute(query):
            sentences[row.event_id].append(row.text)
        rows = [
            search_row(row._mapping, sentences[row.event_id])
            for row in connection.execute(
                select(
                    events.c.event_id,
                    events.c.name,
                    events.c.location_name,
                    events.c.location_country,
                    events.c.start,
                ).where(events.c.event_id.in_(part))
            )
        ]
        add_search_rows(connection, rows, words=words)


def search_row(event: Mapping[Any, Any], sentences: Iterable[str]) -> dict[str, Any]:
    """The full-text row of an event: its events row and its mentions' evidence in order."""
    place = (event["location_name"], event["location_country"])
    return {
        "event_id": event["event_id"],
        "name": event["name"] or "",
        "place": " ".join(v for v in place if v),
        "evidence": "\n".join(dict.fromkeys(sentences)),
        "start": event["start"],
    }


def add_search_rows(
    connection: Connection,
    rows: list[dict[str, Any]],
    tops: dict[int, int] | None = None,
    *,
    words: bool = True,
) -> None:
    """Add full-text rows (`search_row`) of events that have none.

    `tops`: the last id of each bucket, kept by a caller that adds rows many times in
    one transaction and is its only writer (a bulk load), instead of read every time.
    `words`: and their word rows (PostgreSQL, `store.word_rows`).
    """
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        # the driver's own executemany: text and integers, nothing to convert, and a
        # bulk load sends a row per event (SQLAlchemy's processing of each cost more)
        raw: Any = connection.connection.driver_connection
        _key(raw, rows, {} if tops is None else tops)
        raw.executemany(
            f"INSERT INTO {SEARCH_TABLE} (rowid, event_id, name, place, evidence)"
            " VALUES (?, ?, ?, ?, ?)",
            [(r["rowid"], r["event_id"], r["name"], r["place"], r["evidence"]) for r in rows],
        )
        return
    connection.execute(
        insert(_search), [{k: v for k, v in r.items() if k != "start"} for r in rows]
    )
    if words:
        add_words(connection, [r["event_id"] for r in rows])


def _unkey(connection: Connection, event_ids: Sequence[str]) -> None:
    """SQLite: remove the full-text rows of these events, found by their keys, and the keys."""
    found = select(search_keys.c.id).where(search_keys.c.event_id.in_(event_ids))
    rowids = [row.id for row in connection.execute(found)]
    for part in chunks(rowids):
        connection.execute(delete(_search).where(_search.c.rowid.in_(part)))
    connection.execute(delete(search_keys).where(search_keys.c.event_id.in_(event_ids)))


def _key(raw: Any, rows: list[dict[str, Any]], tops: dict[int, int]) -> None:
    """SQLite (`raw`: the driver's connection): a key for each new full-text row, whose
    id (in its start's bucket, after the ids there) becomes the row's rowid; `tops`
    keeps each bucket's last id."""
    by_bucket: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_bucket[start_bucket(row["start"])].append(row)
    for low, members in by_bucket.items():
        if low not in tops:
            (top,) = raw.execute(
                f"SELECT max(id) FROM {KEYS_TABLE} WHERE id >= ? AND id < ?", (low, low + BUCKET)
            ).fetchone()
            tops[low] = low if top is None else int(top)
        following = tops[low] + 1
        if following + len(members) > low + BUCKET:
            raise ValueError(f"more than {BUCKET} full-text rows start on {members[0]['start']}")
        for offset, row in enumerate(members):
            row["rowid"] = following + offset
        tops[low] = following + len(members) - 1
    raw.executemany(
        f"INSERT INTO {KEYS_TABLE} (id, event_id, start) VALUES (?, ?, ?)",
        [(r["rowid"], r["event_id"], r["start"]) for r in rows],
    )


def renumber_keys(connection: Connection) -> None:
    """SQLite: give every key and full-text row an id in its start's bucket (revision
    0012); the full-text table is written again in id order."""
    if connection.dialect.name == "postgresql" or not inspect(connection).has_table(KEYS_TABLE):
        return
    following: dict[int, int] = {}
    moves = []
    for row in connection.execute(select(search_keys.c.id, search_keys.c.start)):
        low = start_bucket(row.start)
        following[low] = following.get(low, low) + 1
        moves.append((row.id, following[low]))
    connection.exec_driver_sql("CREATE TEMP TABLE key_moves (old INTEGER PRIMARY KEY, new INTEGER)")
    for first in range(0, len(moves), 50_000):
        part = moves[first : first + 50_000]
        connection.exec_driver_sql("INSERT INTO key_moves (old, new) VALUES (?, ?)", part)
    fresh = f"{SEARCH_TABLE}_renumbered"
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {fresh}")
    connection.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {fresh} USING fts5(event_id UNINDEXED, name, place,"
        " evidence, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.exec_driver_sql(
        f"INSERT INTO {fresh} (rowid, event_id, name, place, evidence)"
        f" SELECT m.new, s.event_id, s.name, s.place, s.evidence FROM {SEARCH_TABLE} s"
        " JOIN key_moves m ON m.old = s.rowid ORDER BY m.new"
    )
    connection.exec_driver_sql(f"DROP TABLE {SEARCH_TABLE}")
    connection.exec_driver_sql(f"ALTER TABLE {fresh} RENAME TO {SEARCH_TABLE}")
    connection.exec_driver_sql(
        f"CREATE TABLE {KEYS_TABLE}_renumbered (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL,"
        " start TEXT)"
    )
    connection.exec_driver_sql(
        f"INSERT INTO {KEYS_TABLE}_renumbered (id, event_id, start) SELECT m.new, k.event_id,"
        f" k.start FROM {KEYS_TABLE} k JOIN key_moves m ON m.old = k.id ORDER BY m.new"
    )
    connection.exec_driver_sql(f"DROP TABLE {KEYS_TABLE}")
    connection.exec_driver_sql(f"ALTER TABLE {KEYS_TABLE}_renumbered RENAME TO {KEYS_TABLE}")
    connection.exec_driver_sql(f"CREATE INDEX ix_{KEYS_TABLE}_event_id ON {KEYS_TABLE} (event_id)")
    connection.exec_driver_sql("DROP TABLE key_moves")


BUCKET = 1 << 24  # the ids of one start's full-text rows: [start_bucket, + BUCKET)
_START = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def start_bucket(start: str | None) -> int:
    """The lowest id of the full-text rows of events with this start: ordered as the
    starts are as text ("2020" < "2020-01" < "2020-01-01"), 0 for undated events."""
    if start is None:
        return 0
    found = _START.fullmatch(start)
    if found is None:  # not a date the store writes: with the year's, or the undated
        return int(start[:4]) * 10_000 * BUCKET if start[:4].isdigit() else 0
    parts = [int(part or 0) for part in found.groups()]
    return (parts[0] * 10_000 + parts[1] * 100 + parts[2]) * BUCKET


def fts5_match(words: Sequence[str]) -> str:
    """An FTS5 query that needs every word, each as a prefix; quoting keeps syntax out."""
    return " ".join(f'"{word}"*' for word in words)


def _matching(connection: Connection, tokens: Sequence[str]) -> Select[Any]:
    """The full-text rows holding all the words (each a prefix on SQLite)."""
    if connection.dialect.name == "postgresql":
        return (
            select(literal_column("event_id"))
            .select_from(text(WORDS_TABLE))
            .where(text(f"words @@ {words_query(':words')}").bindparams(words=prefixes(tokens)))
        )
    return select(search_keys.c.event_id).where(search_keys.c.id.in_(matching_rowids(tokens)))


def matching_rowids(tokens: Sequence[str]) -> Select[Any]:
    """SQLite: the rowids of the full-text rows holding all the words (each a prefix)."""
    return (
        select(literal_column("rowid"))
        .select_from(text(SEARCH_TABLE))
        .where(text(f"{SEARCH_TABLE} MATCH :words").bindparams(words=fts5_match(tokens)))
    )


def count_matches(connection: Connection, words: str) -> int:
    """How many events hold all the words: the index's own count, no event read."""
    tokens = _WORD.findall(words)
    if not tokens:
        return 0

    def count() -> int:  # built only when not kept: a page's plan reads it several times
        if connection.dialect.name == "postgresql":
            found = _matching(connection, tokens).with_only_columns(func.count())
        else:
            found = matching_rowids(tokens).with_only_columns(func.count())
        return int(connection.execute(found).scalar_one())

    return kept_count(connection, ("words", tuple(tokens)), count)


def words_of(text_: str) -> list[str]:
    """The words a search for `text_` looks for."""
    return _WORD.findall(text_)


def text_filter(
    connection: Connection, words: str, ident: ColumnElement[Any] = events.c.event_id
) -> ColumnElement[bool]:
    """Events whose name, place or evidence hold all the words."""
    tokens = _WORD.findall(words)
    if not tokens:
        return literal_column("1") == literal_column("0")
    if connection.dialect.name == "postgresql":
        # Matched once, by the GIN index: left to itself the planner walks the page order
        # and computes each event's document again to test it (40 ms for a page of a
        # word in 2% of 100,000 events).
        matched = _matching(connection, tokens).cte("words_matched").prefix_with("MATERIALIZED")
        return ident.in_(select(matched.c.event_id))
    return ident.in_(_matching(connection, tokens))
