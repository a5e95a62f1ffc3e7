"""The pairs of each event's participants, for the dyad filter (`schema.event_pairs`);
the covering index of tally_events on stores made when 0006 lacked it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create event_pairs and fill it from the stored events' participants."""
    op.create_table(
        "event_pairs",
        sa.Column("a", sa.String(16), primary_key=True),
        sa.Column("b", sa.String(16), primary_key=True),
        sa.Column(
            "event_id",
            sa.Text,
            sa.ForeignKey("events.event_id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_event_pairs_event_id", "event_pairs", ["event_id"])
    op.execute(
        "INSERT INTO event_pairs (a, b, event_id)"
        " SELECT DISTINCT x.code, y.code, x.event_id FROM event_participants x"
        " JOIN event_participants y ON y.event_id = x.event_id AND x.code < y.code"
    )

    # Stores that reached 0006 while it made a plain index on `code` get the covering
    # index 0006 makes now (the sums of the totals and timeline read only the index).
    op.execute("DROP INDEX IF EXISTS ix_tally_events_code")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_tally_events_cells"
        " ON tally_events (code, type, status, period, n)"
    )


def downgrade() -> None:
    """Drop event_pairs."""
    op.drop_index("ix_event_pairs_event_id", table_name="event_pairs")
    op.drop_table("event_pairs")
