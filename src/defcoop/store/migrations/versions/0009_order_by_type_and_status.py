"""Indexes in page order within one type and within one status: a page filtered by type
or status (and dates) walks only those events, and stops when it is full.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The page order of `store.fulltext`'s ix_events_start_event_id, after the filter's column.
_ORDER = {
    "sqlite": "start, event_id",
    "postgresql": "start DESC NULLS LAST, event_id DESC",
}


def upgrade() -> None:
    """Create the two indexes."""
    order = _ORDER.get(op.get_bind().dialect.name, _ORDER["sqlite"])
    for column in ("type", "status"):
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_events_{column}_in_order ON events ({column}, {order})"
        )


def downgrade() -> None:
    """Drop them."""
    for column in ("type", "status"):
        op.execute(f"DROP INDEX IF EXISTS ix_events_{column}_in_order")
