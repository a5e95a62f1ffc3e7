"""What an analyst reviews on an event: conflicts, values set aside, series, status date.

The new columns start empty with `reconciled` at 0: the store reconciles such
events again when it is opened (`defcoop.store.events.refresh_stale`), so an
upgraded store shows the same records as one built from scratch.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the review columns to events."""
    op.add_column("events", sa.Column("conflicts", sa.Text, nullable=False, server_default="{}"))
    op.add_column("events", sa.Column("set_aside", sa.Text, nullable=False, server_default="[]"))
    op.add_column(
        "events", sa.Column("n_conflicts", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column("events", sa.Column("series", sa.Text))
    op.add_column("events", sa.Column("status_as_of", sa.Date))
    op.add_column("events", sa.Column("reconciled", sa.Integer, nullable=False, server_default="0"))
    for column in ("n_conflicts", "series", "reconciled"):
        op.create_index(f"ix_events_{column}", "events", [column])


def downgrade() -> None:
    """Drop the review columns."""
    for column in ("n_conflicts", "series", "reconciled"):
        op.drop_index(f"ix_events_{column}", "events")
    for column in ("reconciled", "status_as_of", "series", "n_conflicts", "set_aside", "conflicts"):
        op.drop_column("events", column)
