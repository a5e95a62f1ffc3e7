"""PostgreSQL: each event's words as a stored tsvector beside its page key, in a narrow
table indexed in page order and by its words (`store.word_rows`), filled from the
full-text rows; it replaces the full-text table's GIN index. A page of a common word
walks it in page order, a rare word's matches come from its GIN index
(`store.word_pages`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from defcoop.store.word_rows import create_words, drop_words

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create and fill the word rows (nothing on SQLite)."""
    create_words(op.get_bind())


def downgrade() -> None:
    """The full-text table's GIN index again; the word rows dropped."""
    drop_words(op.get_bind())
