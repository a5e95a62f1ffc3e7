"""PostgreSQL: each event's words as a stored tsvector beside its page key (revision 0016).

WORDS_TABLE holds, for each full-text row (`store.fulltext`), the event's id, its start
('' when undated, so that one btree order puts the undated last, as the page order
does) and its document's words (`strip`ped: no positions, which no `&` query needs).
Its (start, event_id) index lets a page of a common word walk the events in page order
and test each row's words, stopping when the page is full; its GIN index gives the
matches of a rare word, and the word counts (`store.word_pages`). The rows are narrow:
a walk reads no names, places or sentences.

The rows are made from the full-text rows and the events in SQL, so that every writer
of full-text rows (`fulltext.reindex`, the bulk loader's COPY) adds them with one call.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, inspect

WORDS_TABLE = "event_words"
FTS_CONFIG = "simple"  # names and places are not English words: no stemming, no stop words
_OLD_INDEX = "ix_event_search_document"  # the GIN index over event_search's texts, before 0016


def document(prefix: str = "") -> str:
    """The tsvector of a full-text row's texts (`prefix`: the row's table's alias and a dot)."""
    return (
        f"to_tsvector('{FTS_CONFIG}', coalesce({prefix}name, '') || ' ' ||"
        f" coalesce({prefix}place, '') || ' ' || coalesce({prefix}evidence, ''))"
    )


def words_query(parameter: str = "%(words)s") -> str:
    """The tsquery of the words searched, given as `prefixes` gives them."""
    return f"to_tsquery('{FTS_CONFIG}', {parameter})"


def prefixes(tokens: Sequence[str]) -> str:
    """The tsquery text that needs every word, each as a prefix ("falcon" finds
    "falcons"), as SQLite's full-text search does (`fulltext.fts5_match`); quoting keeps
    syntax out (a token, `\\w+`, holds no quote)."""
    return " & ".join(f"'{token}':*" for token in tokens)


_FROM_SEARCH = (
    f"INSERT INTO {WORDS_TABLE} (event_id, start, words)"
    f" SELECT s.event_id, coalesce(e.start, ''), strip({document('s.')})"
    " FROM event_search s JOIN events e ON e.event_id = s.event_id"
)


def create_words(connection: Connection) -> None:
    """Create WORDS_TABLE filled from the full-text rows, in page order (so that a walk
    reads the table's pages in order), then its indexes; drop the full-text table's GIN
    index, which it replaces. Nothing on SQLite (its key rows do this: `store.fulltext`)."""
    if connection.dialect.name != "postgresql" or inspect(connection).has_table(WORDS_TABLE):
        return
    connection.exec_driver_sql(
        f"CREATE TABLE {WORDS_TABLE} (event_id TEXT PRIMARY KEY, start TEXT NOT NULL,"
        " words TSVECTOR NOT NULL)"
    )
    connection.exec_driver_sql(_FROM_SEARCH + " ORDER BY e.start DESC NULLS LAST, s.event_id DESC")
    connection.exec_driver_sql(
        f"CREATE INDEX ix_{WORDS_TABLE}_page ON {WORDS_TABLE} (start DESC, event_id DESC)"
    )
    connection.exec_driver_sql(
        f"CREATE INDEX ix_{WORDS_TABLE}_words ON {WORDS_TABLE} USING GIN (words)"
    )
    connection.exec_driver_sql(f"DROP INDEX IF EXISTS {_OLD_INDEX}")
    connection.exec_driver_sql(f"ANALYZE {WORDS_TABLE}")


def drop_words(connection: Connection) -> None:
    """The revision's downgrade: the full-text table's GIN index again, WORDS_TABLE gone."""
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {_OLD_INDEX} ON event_search USING GIN ({document()})"
    )
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {WORDS_TABLE}")


def add_words(connection: Connection, event_ids: Sequence[str]) -> None:
    """PostgreSQL: the word rows of these events, from their full-text rows (written
    before, in the same transaction) and their starts.

    Written in page order: a walk reads the rows in that order, and rows written together
    (a bulk load's part, thousands of events) then lie together in the table. At a million
    events written 5,000 at a time, the walk of a common word's first page (2,316 rows)
    took 1.4 ms instead of 2.6 (the rows in load order: a table page for each).
    """
    if connection.dialect.name != "postgresql" or not event_ids:
        return
    connection.exec_driver_sql(
        _FROM_SEARCH + " WHERE s.event_id = ANY(%(ids)s) ORDER BY 2 DESC, 1 DESC",
        {"ids": list(event_ids)},
    )


def remove_words(connection: Connection, event_ids: Sequence[str]) -> None:
    """PostgreSQL: remove the word rows of these events."""
    if connection.dialect.name != "postgresql" or not event_ids:
        return
    connection.exec_driver_sql(
        f"DELETE FROM {WORDS_TABLE} WHERE event_id = ANY(%(ids)s)", {"ids": list(event_ids)}
    )
