"""Blocking keys by type, key year, week and the pair of partners (a mention of one
partner: that partner, and a one-way key to those of several), instead of by type, year
and partner: a new mention's candidates are the mentions of its weeks and its pairs of
partners, not of its year and each partner (`resolve.matching.blocking_keys`,
`resolve.matching.meets`). The stored keys are made again.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import context, op

from defcoop.store.blocking import rekey_mentions

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Re-key every keyed mention with the current rule, telling the opener's progress."""
    rekey_mentions(op.get_bind(), context.config.attributes["progress"])


def downgrade() -> None:
    """Nothing: the rule before is not kept (an older defcoop finds few candidates here)."""
