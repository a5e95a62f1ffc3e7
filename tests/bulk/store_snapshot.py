"""Everything a store holds, table by table, for comparing two stores row for row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, inspect, text

from defcoop.store.engine import store_url

# Columns that say when a row was written, not what it holds.
_CLOCKS = {"ingested_at", "updated_at", "at"}
# Tables that say how the store was written (its schema revision, how many write
# transactions it took), not what it holds.
_BOOKKEEPING = {"alembic_version", "store_version"}


def snapshot(
    url: str, *, leave_out: frozenset[str] = frozenset()
) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows (clock columns and `leave_out` "table.column"s left out), sorted."""
    engine = create_engine(store_url(url))
    found: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as connection:
            tables = sorted(
                t
                for t in inspect(connection).get_table_names()
                if not t.startswith("event_search_") and t not in _BOOKKEEPING
            )
            for table in tables:
                columns = [
                    c["name"]
                    for c in inspect(connection).get_columns(table)
                    if c["name"] not in _CLOCKS and f"{table}.{c['name']}" not in leave_out
                ]
                names = ", ".join(f'"{c}"' for c in columns)
                rows = connection.execute(text(f'SELECT {names} FROM "{table}"'))
                found[table] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        engine.dispose()
    return found


def differences(a: dict[str, list[tuple[Any, ...]]], b: dict[str, list[tuple[Any, ...]]]) -> str:
    """A short account of the rows that differ, table by table ('' when none)."""
    lines = []
    for table in sorted(set(a) | set(b)):
        left, right = set(a.get(table, [])), set(b.get(table, []))
        if left != right:
            lines.append(f"{table}: {len(left - right)} rows only in the first, e.g.")
            lines.extend(f"  - {row!r}"[:400] for row in sorted(left - right, key=repr)[:3])
            lines.append(f"{table}: {len(right - left)} rows only in the second, e.g.")
            lines.extend(f"  + {row!r}"[:400] for row in sorted(right - left, key=repr)[:3])
    return "\n".join(lines)
