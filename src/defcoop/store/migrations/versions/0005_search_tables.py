"""The full-text index of events and the indexes of the event filters and page order.

Stores opened by an older defcoop may have them already (they were made outside
the revisions then): only what is missing is created, and a new full-text index is
filled from the stored events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from defcoop.store.fulltext import create_search, drop_search

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create (and fill) the full-text index and the filter indexes if missing."""
    create_search(op.get_bind())


def downgrade() -> None:
    """Drop the full-text index and the filter indexes."""
    drop_search(op.get_bind())
