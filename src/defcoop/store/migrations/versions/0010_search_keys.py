"""SQLite: the page key (event id, start) of each full-text row, by the row's rowid
(`store.fulltext.KEYS_TABLE`), filled from the rows there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from defcoop.store.fulltext import KEYS_TABLE, create_keys

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create and fill the keys (nothing on PostgreSQL)."""
    create_keys(op.get_bind())


def downgrade() -> None:
    """Drop them."""
    op.execute(f"DROP TABLE IF EXISTS {KEYS_TABLE}")
