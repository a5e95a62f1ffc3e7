"""The tables of the store, in SQLAlchemy Core: portable between SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("id", Text, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("published", Date, nullable=False),
    Column("source", Text),
    Column("url", Text),
    Column("title", Text),
    Column("author", Text),
    Column("language", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("origin", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)
Index("ix_reports_content_hash", reports.c.content_hash, unique=True)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "report_id",
        Text,
        ForeignKey("reports.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("ordinal", Integer, nullable=False),
    Column("doc", Text, nullable=False),  # Mention.doc, normally the report id
    Column("type", String(16), nullable=False),
    Column("name", Text),
    Column("participants", Text, nullable=False),  # JSON array of codes
    # Location(None, None) and no location differ; has_location keeps them apart.
    Column("has_location", Boolean, nullable=False),
    Column("location_name", Text),
    Column("location_country", String(8)),
    Column("location_lat", Double),
    Column("location_lon", Double),
    Column("location_place_id", Text),
    Column("start", String(10)),
    Column("end", String(10)),
    Column("start_year", Integer),  # year of `start`, for the since/until filters
    Column("status", String(16)),
    Column("forces", Text, nullable=False),  # JSON array of free-text units
    Column("background", Boolean, nullable=False),
    Column("event_id", Text),
    Column("published", Date),
)
Index("ix_mentions_report_id", mentions.c.report_id)
Index("ix_mentions_event_id", mentions.c.event_id)
Index("ix_mentions_type", mentions.c.type)
Index("ix_mentions_start", mentions.c.start)
Index("ix_mentions_start_year", mentions.c.start_year)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "mention_id",
        Integer,
        ForeignKey("mentions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("ordinal", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_evidence_mention_id", evidence.c.mention_id)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
