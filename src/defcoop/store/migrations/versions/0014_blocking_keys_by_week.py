"""Blocking keys by type, key year, week (a course: four weeks) and partner, instead of
by type, year and partner: a new mention's candidates are the mentions of its weeks,
not of its year (`resolve.matching.blocking_keys`). The stored keys are made again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from defcoop.store.blocking import rekey_mentions

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Re-key every keyed mention with the current rule."""
    rekey_mentions(op.get_bind())


def downgrade() -> None:
    """Nothing: the rule before is not kept (an older defcoop finds few candidates here)."""
