"""The store's version counter (`schema.store_version`), raised by every write.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create store_version with its one row (a store made at head, then set back to an
    older revision by hand, may have it already)."""
    if sa.inspect(op.get_bind()).has_table("store_version"):
        return
    op.create_table(
        "store_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.execute("INSERT INTO store_version (id, version) VALUES (1, 0)")


def downgrade() -> None:
    """Drop store_version."""
    op.drop_table("store_version")
