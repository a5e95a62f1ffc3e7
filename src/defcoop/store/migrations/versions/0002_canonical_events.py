"""Canonical events across reports: blocking keys, fingerprints, events, corrections.

Mentions stored before this revision keep their content; what each report told
is copied from the current values, their anchors are derived from their first
evidence, and their event ids are cleared: the store resolves such mentions into
canonical events when it is opened (`defcoop.store.pending`).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TOLD = ("start", "end", "status", "background")


def _location_columns() -> list[sa.Column[object]]:
    """The location columns an event shares with a mention."""
    return [
        sa.Column("has_location", sa.Boolean, nullable=False),
        sa.Column("location_name", sa.Text),
        sa.Column("location_country", sa.String(8)),
        sa.Column("location_lat", sa.Double),
        sa.Column("location_lon", sa.Double),
        sa.Column("location_place_id", sa.Text),
    ]


def _mention_fk() -> sa.Column[int]:
    """A mention id that goes with its mention."""
    return sa.Column(
        "mention_id", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    """Add what reports told and anchors to mentions; create the event tables."""
    # Plain ADD COLUMN: SQLite's batch mode would copy the table, and dropping the old
    # copy with foreign keys on would cascade to the evidence.
    op.add_column("mentions", sa.Column("told_start", sa.String(10)))
    op.add_column("mentions", sa.Column("told_end", sa.String(10)))
    op.add_column("mentions", sa.Column("told_status", sa.String(16)))
    op.add_column(
        "mentions",
        sa.Column("told_background", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("mentions", sa.Column("anchor", sa.Text, nullable=False, server_default=""))
    op.create_index("ix_mentions_anchor", "mentions", ["anchor"])
    _backfill_mentions()

    op.create_table("mention_keys", sa.Column("key", sa.Text, nullable=False), _mention_fk())
    op.create_index("ix_mention_keys_key", "mention_keys", ["key"])
    op.create_index("ix_mention_keys_mention_id", "mention_keys", ["mention_id"])
    op.create_table(
        "mention_prints", sa.Column("print", sa.String(40), nullable=False), _mention_fk()
    )
    op.create_index("ix_mention_prints_print", "mention_prints", ["print"])
    op.create_index("ix_mention_prints_mention_id", "mention_prints", ["mention_id"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("participants", sa.Text, nullable=False),
        sa.Column("support", sa.Text, nullable=False),
        *_location_columns(),
        sa.Column("start", sa.String(10)),
        sa.Column("end", sa.String(10)),
        sa.Column("start_year", sa.Integer),
        sa.Column("status", sa.String(16)),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("first_report", sa.Date),
        sa.Column("last_report", sa.Date),
        sa.Column("provenance", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("seq", "type", "start_year", "location_country"):
        op.create_index(f"ix_events_{column}", "events", [column])
    op.create_table(
        "event_participants",
        sa.Column(
            "event_id",
            sa.Text,
            sa.ForeignKey("events.event_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code", sa.String(16), nullable=False),
    )
    op.create_index("ix_event_participants_code", "event_participants", ["code"])
    op.create_index("ix_event_participants_event_id", "event_participants", ["event_id"])
    op.create_table(
        "event_aliases",
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("event_id", sa.Text, nullable=False),
    )
    op.create_index("ix_event_aliases_event_id", "event_aliases", ["event_id"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
    )
    op.create_index("ix_corrections_event_id", "corrections", ["event_id"])
    op.create_table(
        "mention_links",
        sa.Column("a", sa.Text, nullable=False),
        sa.Column("b", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
    )
    op.create_index("ix_mention_links_a", "mention_links", ["a"])
    op.create_index("ix_mention_links_b", "mention_links", ["b"])


def _backfill_mentions() -> None:
    """What each stored report told is what it states; anchors from the first evidence."""
    # Tables as of this revision, not the current schema module: later revisions may
    # change the module, and this step must keep meaning what it meant here.
    mentions = sa.table(
        "mentions",
        sa.column("id", sa.Integer),
        sa.column("doc", sa.Text),
        sa.column("type", sa.String),
        sa.column("event_id", sa.Text),
        sa.column("anchor", sa.Text),
        *(sa.column(name) for name in _TOLD),
        *(sa.column(f"told_{name}") for name in _TOLD),
    )
    evidence = sa.table(
        "evidence",
        sa.column("mention_id", sa.Integer),
        sa.column("ordinal", sa.Integer),
        sa.column("start", sa.Integer),
    )
    first_offset = (
        sa.select(sa.cast(evidence.c.start, sa.Text))
        .where(evidence.c.mention_id == mentions.c.id, evidence.c.ordinal == 0)
        .scalar_subquery()
    )
    anchor = (
        mentions.c.doc
        + sa.literal("@")
        + sa.func.coalesce(first_offset, sa.literal("0"))
        + sa.literal("|")
        + mentions.c.type
    )
    values: dict[str, object] = {f"told_{name}": mentions.c[name] for name in _TOLD}
    # Ids an older extraction gave are not canonical events; the store resolves afresh.
    op.execute(sa.update(mentions).values(**values, anchor=anchor, event_id=None))


def downgrade() -> None:
    """Drop the event tables and the added columns."""
    for table in (
        "mention_links",
        "corrections",
        "event_aliases",
        "event_participants",
        "events",
        "mention_prints",
        "mention_keys",
    ):
        op.drop_table(table)
    op.drop_index("ix_mentions_anchor", "mentions")
    for name in ("anchor", "told_background", "told_status", "told_end", "told_start"):
        op.drop_column("mentions", name)
