"""SQLite: the id of each full-text row and its key in page order by start (its high
bits the start's day, `store.fulltext.start_bucket`): a page of word matches reads the
index from the top and stops when it is full.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from defcoop.store.fulltext import renumber_keys

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Renumber the keys and the full-text rows (nothing on PostgreSQL)."""
    renumber_keys(op.get_bind())


def downgrade() -> None:
    """Nothing: any id is a valid key; pages sort the matches of a start among themselves."""
