"""Summary tables of the events (`store.tallies`), counted from the stored events.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from defcoop.store.tallies import rebuild

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tally tables and count the stored events into them."""
    op.create_table(
        "tally_events",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("period", sa.String(7)),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16)),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_tally_events_cells", "tally_events", ["code", "type", "status", "period", "n"]
    )
    op.create_table(
        "tally_dyads",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("a", sa.String(16), nullable=False),
        sa.Column("b", sa.String(16), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_table(
        "tally_places",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(8)),
        sa.Column("lat", sa.Double),
        sa.Column("lon", sa.Double),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
    )
    rebuild(op.get_bind())


def downgrade() -> None:
    """Drop the tally tables."""
    op.drop_index("ix_tally_events_cells", table_name="tally_events")
    for name in ("tally_places", "tally_dyads", "tally_events"):
        op.drop_table(name)
