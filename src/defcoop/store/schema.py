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
    # What the report itself said, before a restated background fact took the dates
    # of its first report: kept so that an earlier report arriving later re-dates it.
    Column("told_start", String(10)),
    Column("told_end", String(10)),
    Column("told_status", String(16)),
    Column("told_background", Boolean, nullable=False, default=False),
    # report@offset|type: names a mention across re-extraction, for analysts' links.
    Column("anchor", Text, nullable=False, default=""),
)
Index("ix_mentions_report_id", mentions.c.report_id)
Index("ix_mentions_event_id", mentions.c.event_id)
Index("ix_mentions_type", mentions.c.type)
Index("ix_mentions_start", mentions.c.start)
Index("ix_mentions_start_year", mentions.c.start_year)
Index("ix_mentions_anchor", mentions.c.anchor)

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

# Blocking keys of each mention: candidates for `same_event` are looked up here.
mention_keys = Table(
    "mention_keys",
    metadata,
    Column("key", Text, nullable=False),
    Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), nullable=False),
)
Index("ix_mention_keys_key", mention_keys.c.key)
Index("ix_mention_keys_mention_id", mention_keys.c.mention_id)

# Fingerprints of evidence sentences: a background paragraph restated in a later report.
mention_prints = Table(
    "mention_prints",
    metadata,
    Column("print", String(40), nullable=False),
    Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), nullable=False),
)
Index("ix_mention_prints_print", mention_prints.c.print)
Index("ix_mention_prints_mention_id", mention_prints.c.mention_id)

# The canonical events: fields reconciled from the mentions, analysts' corrections on top.
events = Table(
    "events",
    metadata,
    Column("event_id", Text, primary_key=True),
    Column("seq", Integer, nullable=False),  # creation order: merges keep the oldest
    Column("type", String(16), nullable=False),
    Column("name", Text),
    Column("participants", Text, nullable=False),  # JSON array of codes
    Column("support", Text, nullable=False),  # JSON {code: mentions naming it}
    Column("has_location", Boolean, nullable=False),
    Column("location_name", Text),
    Column("location_country", String(8)),
    Column("location_lat", Double),
    Column("location_lon", Double),
    Column("location_place_id", Text),
    Column("start", String(10)),
    Column("end", String(10)),
    Column("start_year", Integer),
    Column("status", String(16)),
    Column("n_mentions", Integer, nullable=False),
    Column("n_reports", Integer, nullable=False),
    Column("first_report", Date),
    Column("last_report", Date),
    Column("provenance", Text, nullable=False),  # JSON {field: mention id or "correction:N"}
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # JSON {field: [{"value", "mentions"}]}: values of the mentions that cannot all be true.
    Column("conflicts", Text, nullable=False, server_default="{}"),
    Column("set_aside", Text, nullable=False, server_default="[]"),  # JSON: values left out
    Column("n_conflicts", Integer, nullable=False, server_default="0"),
    Column("series", Text),  # key of the series the event is an edition of
    Column("status_as_of", Date),  # publication date of the report the status is from
    # The reconciliation rules the row was computed with (store.events.RECONCILED).
    Column("reconciled", Integer, nullable=False, server_default="0"),
)
Index("ix_events_seq", events.c.seq)
Index("ix_events_n_conflicts", events.c.n_conflicts)
Index("ix_events_series", events.c.series)
Index("ix_events_reconciled", events.c.reconciled)
Index("ix_events_type", events.c.type)
Index("ix_events_start_year", events.c.start_year)
Index("ix_events_location_country", events.c.location_country)

event_participants = Table(
    "event_participants",
    metadata,
    Column("event_id", Text, ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False),
    Column("code", String(16), nullable=False),
    # The event's start, copied (written with it): a participant's events in page order
    # come from an index here (revision 0011), with no event read to sort them.
    Column("start", String(10)),
)
Index("ix_event_participants_code", event_participants.c.code)
Index("ix_event_participants_event_id", event_participants.c.event_id)

# Each pair of an event's participants (a < b): the dyad filter finds its events here
# directly, not by intersecting two participants' (long) lists.
event_pairs = Table(
    "event_pairs",
    metadata,
    Column("a", String(16), primary_key=True),
    Column("b", String(16), primary_key=True),
    Column(
        "event_id",
        Text,
        ForeignKey("events.event_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("start", String(10)),  # the event's start, as in event_participants
)
Index("ix_event_pairs_event_id", event_pairs.c.event_id)

# An event merged into another keeps answering to its old id.
event_aliases = Table(
    "event_aliases",
    metadata,
    Column("alias", Text, primary_key=True),
    Column("event_id", Text, nullable=False),
)
Index("ix_event_aliases_event_id", event_aliases.c.event_id)

# The analysts' log: appended to, never rewritten.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False),
    Column("action", String(8), nullable=False),  # set, merge, split
    Column("payload", Text, nullable=False),  # JSON
    Column("who", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("why", Text, nullable=False),
)
Index("ix_corrections_event_id", corrections.c.event_id)

# Analysts' links between mentions, by anchor so they outlive re-extraction:
# "must" keeps two mentions in one event (merge), "cannot" keeps them apart (split).
mention_links = Table(
    "mention_links",
    metadata,
    Column("a", Text, nullable=False),
    Column("b", Text, nullable=False),
    Column("kind", String(8), nullable=False),
)
Index("ix_mention_links_a", mention_links.c.a)
Index("ix_mention_links_b", mention_links.c.b)

# Followed sources (`defcoop watch`): one row per feed or sitemap, its last poll.
sources = Table(
    "sources",
    metadata,
    Column("name", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # feed, sitemap, or auto until first read
    Column("last_poll", DateTime(timezone=True)),
    Column("last_full_fetch", DateTime(timezone=True)),  # last poll without validators
    Column("http_status", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("found", Integer, nullable=False),  # articles listed at the last poll
    Column("new", Integer, nullable=False),  # of those, stored at the last poll
    Column("failed", Integer, nullable=False),  # of those, failed at the last poll
    Column("stored_total", Integer, nullable=False),
    Column("last_error", Text),
    Column("last_error_at", DateTime(timezone=True)),
)

# Each article address a source listed: stored, a duplicate of stored content, or failed.
source_articles = Table(
    "source_articles",
    metadata,
    Column("url", Text, primary_key=True),  # normalized (ingest.urls)
    Column("source", Text, nullable=False),
    Column("report_id", Text),
    Column("outcome", String(16), nullable=False),  # stored, duplicate, failed
    Column("attempts", Integer, nullable=False),
    Column("reason", Text),
    Column("dated_by", String(8)),  # page, feed (the listing's date) or fetched (fetch day)
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)
Index("ix_source_articles_source", source_articles.c.source)

# Summaries of the events (store.tallies): counts per cell, kept by the transactions that
# change the events. `key` is the JSON of the key columns, by which a cell is found.
tally_events = Table(
    "tally_events",
    metadata,
    Column("key", Text, primary_key=True),
    Column("code", String(16), nullable=False),  # a participant, '' for every event
    Column("period", String(7)),  # YYYY-MM, YYYY when only the year is known, NULL undated
    Column("type", String(16), nullable=False),
    Column("status", String(16)),
    Column("n", Integer, nullable=False),
)
# Covers the sums the totals and the timeline take: read from the index alone.
Index(
    "ix_tally_events_cells",
    tally_events.c.code,
    tally_events.c.type,
    tally_events.c.status,
    tally_events.c.period,
    tally_events.c.n,
)
tally_dyads = Table(
    "tally_dyads",
    metadata,
    Column("key", Text, primary_key=True),
    Column("a", String(16), nullable=False),
    Column("b", String(16), nullable=False),
    Column("type", String(16), nullable=False),
    Column("n", Integer, nullable=False),
)
tally_places = Table(
    "tally_places",
    metadata,
    Column("key", Text, primary_key=True),
    Column("name", Text),
    Column("country", String(8)),
    Column("lat", Double),
    Column("lon", Double),
    Column("type", String(16), nullable=False),
    Column("n", Integer, nullable=False),
)

# One row: a number every writing transaction raises (`store.engine`), in the same
# transaction, so that a server's cached answers (`api.answers`) see any change to the
# store, made by any process.
store_version = Table(
    "store_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)
