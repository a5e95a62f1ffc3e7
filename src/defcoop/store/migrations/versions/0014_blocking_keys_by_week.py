"""Blocking keys by type, key year, week (a course: four weeks) and partner, instead of
by type, year and partner. Superseded by revision 0015 (keys by pair of partners), which
makes every stored key again: nothing is done here, so a store is re-keyed once.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing: revision 0015 re-keys every keyed mention with the current rule."""


def downgrade() -> None:
    """Nothing."""
