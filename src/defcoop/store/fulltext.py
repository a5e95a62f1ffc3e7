"""The full-text index of events: name, place and evidence sentences of each event.

On SQLite it is an FTS5 table; on PostgreSQL a plain table with a GIN index over
`to_tsvector`, queried with `plainto_tsquery`. `recompute` rebuilds the rows of the
events it touches in the same transaction, so the index never lags the events table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
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

from defcoop.store.resolution import chunks
from defcoop.store.schema import events, evidence, mentions

SEARCH_TABLE = "event_search"
_FTS_CONFIG = "simple"  # names and places are not English words: no stemming, no stop words
_WORD = re.compile(r"\w+", re.UNICODE)
_search = table(
    SEARCH_TABLE, column("event_id"), column("name"), column("place"), column("evidence")
)

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
_PG_DOCUMENT = (
    f"to_tsvector('{_FTS_CONFIG}', coalesce(name, '') || ' ' || coalesce(place, '')"
    " || ' ' || coalesce(evidence, ''))"
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
            f"CREATE INDEX ix_{SEARCH_TABLE}_document ON {SEARCH_TABLE} USING GIN ({_PG_DOCUMENT})"
        )
    else:
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(event_id UNINDEXED, name, place,"
            " evidence, tokenize='unicode61 remove_diacritics 2')"
        )
    reindex(connection, [row.event_id for row in connection.execute(select(events.c.event_id))])


def drop_search(connection: Connection) -> None:
    """Drop the full-text index and the filter indexes (the revision's downgrade)."""
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    for name in INDEX_NAMES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def reindex(connection: Connection, event_ids: Iterable[str]) -> None:
    """Rebuild the full-text rows of some events; events that are gone lose theirs."""
    for part in chunks(sorted(set(event_ids))):
        connection.execute(delete(_search).where(_search.c.event_id.in_(part)))
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
            {
                "event_id": row.event_id,
                "name": row.name or "",
                "place": " ".join(v for v in (row.location_name, row.location_country) if v),
                "evidence": "\n".join(dict.fromkeys(sentences[row.event_id])),
            }
            for row in connection.execute(
                select(
                    events.c.event_id,
                    events.c.name,
                    events.c.location_name,
                    events.c.location_country,
                ).where(events.c.event_id.in_(part))
            )
        ]
        if rows:
            connection.execute(insert(_search), rows)


def _fts5_match(words: Sequence[str]) -> str:
    """An FTS5 query that needs every word, each as a prefix; quoting keeps syntax out."""
    return " ".join(f'"{word}"*' for word in words)


def _matching(connection: Connection, tokens: Sequence[str]) -> Select[Any]:
    """The full-text rows holding all the words (each a prefix on SQLite)."""
    if connection.dialect.name == "postgresql":
        return (
            select(literal_column("event_id"))
            .select_from(text(SEARCH_TABLE))
            .where(
                text(f"{_PG_DOCUMENT} @@ plainto_tsquery('{_FTS_CONFIG}', :words)").bindparams(
                    words=" ".join(tokens)
                )
            )
        )
    return (
        select(literal_column("event_id"))
        .select_from(text(SEARCH_TABLE))
        .where(text(f"{SEARCH_TABLE} MATCH :words").bindparams(words=_fts5_match(tokens)))
    )


def count_matches(connection: Connection, words: str) -> int:
    """How many events hold all the words: the index's own count, no event read."""
    tokens = _WORD.findall(words)
    if not tokens:
        return 0
    found = _matching(connection, tokens).with_only_columns(func.count())
    return int(connection.execute(found).scalar_one())


def text_filter(
    connection: Connection, words: str, ident: ColumnElement[Any] = events.c.event_id
) -> ColumnElement[bool]:
    """Events whose name, place or evidence hold all the words."""
    tokens = _WORD.findall(words)
    if not tokens:
        return literal_column("1") == literal_column("0")
    return ident.in_(_matching(connection, tokens))
