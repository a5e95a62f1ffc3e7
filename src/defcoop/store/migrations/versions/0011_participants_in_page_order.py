"""Each participant row and pair row holds its event's start, and an index lists them in
page order: a page of one participant's (or one pair's) events, and a map of them,
walk that index and read only the events shown.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The page order of ix_events_start_event_id, after the filter's columns.
_ORDER = {
    "sqlite": "start, event_id",
    "postgresql": "start DESC NULLS LAST, event_id DESC",
}
_TABLES = {"event_participants": "code", "event_pairs": "a, b"}


def upgrade() -> None:
    """Add the columns, copy each event's start into them, create the indexes."""
    bind = op.get_bind()
    order = _ORDER.get(bind.dialect.name, _ORDER["sqlite"])
    for table, keys in _TABLES.items():
        if "start" not in {c["name"] for c in sa.inspect(bind).get_columns(table)}:
            op.add_column(table, sa.Column("start", sa.String(10)))
        op.execute(
            f"UPDATE {table} SET start = (SELECT e.start FROM events e"
            f" WHERE e.event_id = {table}.event_id)"
        )
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_in_order ON {table} ({keys}, {order})")
    # The planner's statistics of the new indexes, where a store keeps statistics.
    analyzed = bind.dialect.name == "postgresql" or sa.inspect(bind).has_table("sqlite_stat1")
    if analyzed:
        op.execute("ANALYZE event_participants")
        op.execute("ANALYZE event_pairs")


def downgrade() -> None:
    """Drop the indexes and the columns."""
    for table in _TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_in_order")
        op.drop_column(table, "start")
