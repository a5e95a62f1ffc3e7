"""On PostgreSQL the store reads on a pool of its own (`engine.reader_for`): in autocommit,
no ping at checkout; a read whose connection the server dropped is run again."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, create_engine, event, text, update
from synthetic_events import synthetic_store

from defcoop.store.database import Store
from defcoop.store.engine import store_url
from defcoop.store.schema import events
from defcoop.store.search import EventQuery
from defcoop.store.word_pages import postgres_word_page, walks_for_words

pytestmark = pytest.mark.postgres


def drop_connections(url: str) -> int:
    """End every other session on the database of `url`, as a restarted server would."""
    engine = create_engine(store_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM"
                    " pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)


def test_reads_outlive_connections_the_server_dropped(postgres_url: str) -> None:
    synthetic_store(postgres_url, 300)
    query = EventQuery(country="TUR", limit=7)
    with Store.open(postgres_url) as store:
        listed, found = store.listing(query), store.search(query)
        assert listed.items and found.items
        assert drop_connections(postgres_url) >= 1  # the pooled reader among them
        assert store.listing(query) == listed
        assert store.search(query) == found
        assert drop_connections(postgres_url) >= 1
        assert store.tally("year", EventQuery()) == store.tally("year", EventQuery())


def test_reads_take_no_transaction_and_see_each_write(postgres_url: str) -> None:
    synthetic_store(postgres_url, 50)
    with Store.open(postgres_url) as store:

        def open_transaction(connection: Connection) -> bool:
            # In a transaction, now() is its start, before the second statement's time.
            connection.exec_driver_sql("SELECT pg_sleep(0.01)")
            row = connection.exec_driver_sql("SELECT now() < statement_timestamp()").one()
            return bool(row[0])

        assert store._read("check", open_transaction) is False  # autocommit: no BEGIN/ROLLBACK
        (first,) = store.search(EventQuery(limit=1)).items
        writer = create_engine(store_url(postgres_url))
        try:
            with writer.begin() as connection:  # another process's write, committed
                connection.execute(
                    update(events).where(events.c.event_id == first.event_id).values(name="Quill")
                )
        finally:
            writer.dispose()
        (again,) = store.search(EventQuery(limit=1)).items
        assert (again.event_id, again.name) == (first.event_id, "Quill")


def test_word_rows_written_together_lie_in_page_order(postgres_url: str) -> None:
    synthetic_store(postgres_url, 400)  # its word rows written by one call (`add_words`)
    engine = create_engine(store_url(postgres_url))
    try:
        with engine.connect() as connection:
            stored = [
                (str(row[0]), str(row[1]))
                for row in connection.exec_driver_sql(
                    "SELECT start, event_id FROM event_words ORDER BY ctid"
                )
            ]
    finally:
        engine.dispose()
    assert len(stored) == 400
    assert len({start for start, _ in stored}) > 10  # the events' starts differ
    assert stored == sorted(stored, reverse=True)  # the table's own order is the page order


def test_a_page_of_a_common_word_reads_its_events_in_the_walk(postgres_url: str) -> None:
    synthetic_store(postgres_url, 600)  # "town" is in most events' places
    query = EventQuery(text="town", limit=10)
    with Store.open(postgres_url) as store:
        listed = store.listing(query)  # the counts kept from now on
        with store._reader.connect() as connection:
            assert walks_for_words(listed.total, 600, 11)
            page = postgres_word_page(connection, ["town"], None, 11)  # ids, then events
        statements: list[str] = []
        event.listen(
            store._reader, "before_cursor_execute", lambda *given: statements.append(given[2])
        )
        assert store.listing(query) == listed
        assert [item["event_id"] for item in listed.items] == page[:10]
        assert listed.next_key == (listed.items[-1]["start"], listed.items[-1]["event_id"])
        assert len(statements) == 2  # the kept counts' version; the walk with its events
