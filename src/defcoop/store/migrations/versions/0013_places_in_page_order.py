"""Indexes in page order within one place name and within one location country: a
page (or map) of one place's events walks only those events and stops when it is full.
And the summary cells of one participant by period, and by status and period: the
sizes the page's plan is chosen by are read from a range of an index.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The page order of ix_events_start_event_id, after the filter's column.
_ORDER = {
    "sqlite": "start, event_id",
    "postgresql": "start DESC NULLS LAST, event_id DESC",
}
_INDEXES = {
    "ix_events_place_in_order": "lower(location_name)",
    "ix_events_location_country_in_order": "location_country",
}


_CELLS = {
    "ix_tally_events_periods": "code, period, n",
    "ix_tally_events_status_periods": "code, status, period, n",
}


def upgrade() -> None:
    """Create the indexes (and their statistics, where the store keeps them)."""
    bind = op.get_bind()
    order = _ORDER.get(bind.dialect.name, _ORDER["sqlite"])
    for name, column in _INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON events ({column}, {order})")
    for name, columns in _CELLS.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON tally_events ({columns})")
    if bind.dialect.name == "postgresql" or sa.inspect(bind).has_table("sqlite_stat1"):
        op.execute("ANALYZE events")
        op.execute("ANALYZE tally_events")


def downgrade() -> None:
    """Drop them."""
    for name in (*_INDEXES, *_CELLS):
        op.execute(f"DROP INDEX IF EXISTS {name}")
