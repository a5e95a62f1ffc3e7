"""Rows written in bulk: PostgreSQL COPY (psycopg 3), batched inserts on SQLite.

Everything goes through the caller's connection, so it is all one transaction: a
load that stops half-way is rolled back whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from defcoop.store.tallies import TALLY_KEYS, Cell, cell_key

Converter = Callable[[Any], Any]

FLUSH_ROWS = 5000  # rows buffered per table before they are sent


def quoted(name: str) -> str:
    """A column or table name quoted for SQL ("end" is a keyword)."""
    return '"' + name.replace('"', '""') + '"'


class RowSink:
    """Buffers rows per table and sends them in bulk, parents before children."""

    def __init__(self, connection: Connection, order: Sequence[Table]) -> None:
        self.connection = connection
        self.order = list(order)  # tables in foreign-key order: flushed in this order
        self._rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in order}
        self.postgres = connection.dialect.name == "postgresql"

    def add(self, table: Table, row: dict[str, Any]) -> None:
        """Queue a row; a full buffer sends every table's rows (keeping parents first)."""
        buffered = self._rows[table.name]
        buffered.append(row)
        if len(buffered) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Send every buffered row."""
        for table in self.order:
            rows = self._rows[table.name]
            if rows:
                self._send(table, rows)
                self._rows[table.name] = []

    def _send(self, table: Table, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        if not self.postgres and not _defaults_left(table, columns):
            # the driver's own executemany, each value converted as SQLAlchemy converts
            # it (dates as text, booleans as 0/1), without its processing of each row
            # (a load sends millions of key, event and participant rows)
            names = ", ".join(quoted(c) for c in columns)
            marks = ", ".join("?" for _ in columns)
            raw: Any = self.connection.connection.driver_connection
            raw.executemany(
                f"INSERT INTO {quoted(table.name)} ({names}) VALUES ({marks})",
                sqlite_values(table, columns, [tuple(v) for v in _in_order(columns, rows)]),
            )
            return
        if not self.postgres:
            self.connection.execute(table.insert(), rows)
            return
        names = ", ".join(quoted(c) for c in columns)
        copy_rows(
            self.connection,
            f"COPY {quoted(table.name)} ({names}) FROM STDIN",
            _in_order(columns, rows),
        )


def _in_order(columns: Sequence[str], rows: list[dict[str, Any]]) -> Iterable[Sequence[Any]]:
    """Each row's values in `columns` order (by `itemgetter`, in C, for several)."""
    if len(columns) < 2:
        return [[row[c] for c in columns] for row in rows]
    return map(itemgetter(*columns), rows)


def _defaults_left(table: Table, columns: Sequence[str]) -> bool:
    """Whether a column the rows leave out has a default SQLAlchemy would fill in."""
    given = set(columns)
    return any(c.default is not None for c in table.columns if c.name not in given)


@cache
def _converters(table: Table, columns: tuple[str, ...]) -> tuple[tuple[int, Converter], ...]:
    """SQLAlchemy's SQLite conversion of the columns that have one (dates as text,
    booleans as 0/1), by their place in `columns`."""
    dialect = SQLiteDialect_pysqlite()
    found = ((i, table.c[name].type.dialect_impl(dialect)) for i, name in enumerate(columns))
    return tuple((i, f) for i, kind in found if (f := kind.bind_processor(dialect)) is not None)


def sqlite_values(
    table: Table, columns: Sequence[str], values: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Rows' values (in `columns` order) as SQLAlchemy hands them to SQLite's driver."""
    converted = _converters(table, tuple(columns))
    if not converted:
        return values
    done = []
    for found in values:
        cells = list(found)
        for i, f in converted:
            if cells[i] is not None:
                cells[i] = f(cells[i])
        done.append(tuple(cells))
    return done


@contextmanager
def page_cache(connection: Connection, kib: int) -> Iterator[None]:
    """SQLite: a page cache of `kib` KiB for the load's connection while it runs (the
    default 2 MB is soon outgrown by the indexes the load adds to, and each row then
    costs page reads and writes), and no memory-mapped reads (every page of the store a
    load reads through the map stays in its RSS: 911 MB for 10,000 reports onto 100,000,
    growing with the store); the connection's own values afterwards."""
    if connection.dialect.name != "sqlite" or kib <= 0:
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    mapped = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    connection.exec_driver_sql("PRAGMA mmap_size=0")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")
        connection.exec_driver_sql(f"PRAGMA mmap_size={int(mapped or 0)}")


@contextmanager
def indexes_made_after(
    connection: Connection, tables: Sequence[Table], also: Sequence[str] = ()
) -> Iterator[None]:
    """SQLite: the tables' indexes (and the indexes named in `also`) dropped while the
    block fills the tables, and made again from their own SQL after it. Rows sent in the
    order of the load's parts would otherwise update a dozen index trees each (events
    have 14) at random places, whose pages the page cache must hold or spill and read
    back; an index made from the full table sorts its entries once. The load is one
    transaction: readers never see the indexes gone, and a load stopped half-way (the
    block raising) rolls the drop back with the rest."""
    if connection.dialect.name != "sqlite":
        yield
        return
    filled = {t.name for t in tables}
    found = [
        (name, sql)
        for name, table, sql in connection.exec_driver_sql(
            "SELECT name, tbl_name, sql FROM sqlite_master"
            " WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        )
        if table in filled or name in also
    ]
    for name, _ in found:
        connection.exec_driver_sql(f"DROP INDEX {quoted(name)}")
    yield
    for _, sql in found:
        connection.exec_driver_sql(sql)


def copy_rows(connection: Connection, statement: str, rows: Iterable[Sequence[Any]]) -> None:
    """Send rows with PostgreSQL's COPY, on the connection's own transaction."""
    raw: Any = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def copy_text_rows(connection: Connection, statement: str, data: bytes) -> None:
    """Send rows already in COPY's text format (`bulk.report_rows.copy_text`)."""
    raw: Any = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(data)


def set_event_ids(connection: Connection, pairs: Iterable[tuple[int, str]]) -> None:
    """Set the event of many mentions: (mention id, event id)."""
    items = list(pairs)
    if not items:
        return
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "CREATE TEMPORARY TABLE bulk_event_of (mention_id INTEGER, event_id TEXT)"
            " ON COMMIT DROP"
        )
        copy_rows(connection, "COPY bulk_event_of (mention_id, event_id) FROM STDIN", items)
        connection.execute(
            text(
                "UPDATE mentions SET event_id = b.event_id FROM bulk_event_of b"
                " WHERE mentions.id = b.mention_id"
            )
        )
        connection.exec_driver_sql("DROP TABLE bulk_event_of")
        return
    raw: Any = connection.connection.driver_connection
    for start in range(0, len(items), FLUSH_ROWS):
        part = items[start : start + FLUSH_ROWS]
        raw.executemany("UPDATE mentions SET event_id = ? WHERE id = ?", [(e, m) for m, e in part])


def next_ids(connection: Connection, table: Table) -> int:
    """The first id new rows of a table with an integer key will get."""
    if connection.dialect.name == "postgresql":
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar_one()
        return int(connection.execute(text("SELECT nextval(:s)"), {"s": sequence}).scalar_one())
    found = connection.execute(text(f"SELECT max(id) FROM {quoted(table.name)}")).scalar()
    return int(found or 0) + 1


def claim_ids(connection: Connection, table: Table, last: int) -> None:
    """After rows with ids up to `last` were written: the next row gets `last + 1`."""
    if connection.dialect.name != "postgresql":
        return
    sequence = connection.execute(
        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
    ).scalar_one()
    connection.execute(
        text("SELECT setval(:s, :v, :called)"),
        {"s": sequence, "v": max(last, 1), "called": last >= 1},
    )


def analyze(connection: Connection, tables: Iterable[Table]) -> None:
    """Refresh PostgreSQL's statistics of tables the load filled, inside its transaction.

    Tables filled in this transaction have no statistics the planner can use (autovacuum
    cannot see uncommitted rows); without them it scans whole tables for the load's
    `IN (...)` look-ups, a cost that grows with the load. ANALYZE counts the rows the
    transaction itself inserted.
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.exec_driver_sql(f"ANALYZE {quoted(table.name)}")


def renumber_events(connection: Connection, pairs: Iterable[tuple[int, int]]) -> None:
    """Give events their final creation numbers: (provisional seq, final seq), streamed."""
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE bulk_seq (provisional INTEGER PRIMARY KEY, final INTEGER)"
    )
    if connection.dialect.name == "postgresql":
        copy_rows(connection, "COPY bulk_seq (provisional, final) FROM STDIN", pairs)
        connection.exec_driver_sql("ANALYZE bulk_seq")
        connection.exec_driver_sql(
            "UPDATE events SET seq = b.final FROM bulk_seq b WHERE events.seq = b.provisional"
        )
    else:
        insert = text("INSERT INTO bulk_seq (provisional, final) VALUES (:p, :f)")
        batch: list[dict[str, int]] = []
        for provisional, final in pairs:
            batch.append({"p": provisional, "f": final})
            if len(batch) >= FLUSH_ROWS:
                connection.execute(insert, batch)
                batch = []
        if batch:
            connection.execute(insert, batch)
        connection.exec_driver_sql(
            "UPDATE events SET seq = (SELECT final FROM bulk_seq WHERE provisional = events.seq)"
            " WHERE seq IN (SELECT provisional FROM bulk_seq)"
        )
    connection.exec_driver_sql("DROP TABLE bulk_seq")


def add_cells(connection: Connection, change: Counter[Cell]) -> None:
    """Add counts to the summary tables, by upsert (`store.tallies.apply`, in bulk).

    Counts only grow here (new events), so no cell reaches zero.
    """
    by_table: dict[str, list[list[Any]]] = {}
    for (name, values), n in change.items():
        if n < 0:
            raise ValueError("add_cells adds counts; a negative one needs tallies.apply")
        if n:
            by_table.setdefault(name, []).append([cell_key(values), *values, n])
    for name, rows in by_table.items():
        columns = ["key", *TALLY_KEYS[name], "n"]
        names = ", ".join(quoted(c) for c in columns)
        upsert = f" ON CONFLICT (key) DO UPDATE SET n = {quoted(name)}.n + excluded.n"
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(
                f"CREATE TEMPORARY TABLE bulk_cells AS SELECT {names} FROM {quoted(name)}"
                " WITH NO DATA"
            )
            copy_rows(connection, f"COPY bulk_cells ({names}) FROM STDIN", rows)
            connection.exec_driver_sql(
                f"INSERT INTO {quoted(name)} ({names}) SELECT {names} FROM bulk_cells" + upsert
            )
            connection.exec_driver_sql("DROP TABLE bulk_cells")
        else:
            marks = ", ".join("?" for _ in columns)
            raw: Any = connection.connection.driver_connection
            raw.executemany(f"INSERT INTO {quoted(name)} ({names}) VALUES ({marks})" + upsert, rows)
