"""The store: reports, their mentions and the input errors, in SQLite or PostgreSQL.

One report is written in one transaction with its mentions and evidence, so an
interrupted ingest leaves either the whole report or nothing of it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from defcoop import settings
from defcoop.bulk.decisions import DecidePairs
from defcoop.bulk.load import BulkSummary, bulk_load
from defcoop.errors import InputError, ReportConflict, StoreError
from defcoop.records import (
    Extraction,
    Mention,
    Progress,
    Report,
    SkippedRecords,
    SourceState,
    no_progress,
)
from defcoop.resolve.events import EventRecord
from defcoop.store import migrations
from defcoop.store.aggregates import TALLIES
from defcoop.store.blocking import REKEY_PHASE
from defcoop.store.corrections import correct, keep_apart, merge, split
from defcoop.store.engine import engine_for, reader_for, sqlite_file, store_url, writer
from defcoop.store.events import (
    current_id,
    history,
    recompute,
    record_from_row,
    select_events,
    stale_events,
)
from defcoop.store.pages import EventListing, EventPage, find_events, list_events
from defcoop.store.pending import pending_reports, settle, settle_report
from defcoop.store.replacement import after_replacement, stored_version
from defcoop.store.resolution import (
    events_of_mentions,
    index_prints,
    load_mentions,
    members_of,
    print_sharers,
)
from defcoop.store.review import ReviewItem, review_queue
from defcoop.store.rows import (
    evidence_rows,
    mention_from_row,
    mention_row,
    report_from_row,
    report_row,
)
from defcoop.store.schema import errors, events, evidence, mentions, reports
from defcoop.store.search import EventQuery, report_mentions
from defcoop.store.series import Series, all_series, one_series
from defcoop.store.sources import note_article, save_source, settled_urls, source_states
from defcoop.store.version import VersionReader

T = TypeVar("T")

MENTION_BATCH = 500
STALE_BATCH = 200  # events reconciled again per transaction when a store is opened
# What opening an older store may do at length, in order: make its mentions' blocking
# keys again (a schema revision), resolve reports stored before events, reconcile
# events computed under older rules.
SETTLE_PHASE, REFRESH_PHASE = "settle", "refresh"
OPENING_PHASES = {  # each phase, and what its count counts
    REKEY_PHASE: "mentions re-keyed",
    SETTLE_PHASE: "reports resolved",
    REFRESH_PHASE: "events reconciled",
}


class Store:
    """The database of reports and mentions; the same code runs on SQLite and PostgreSQL."""

    def __init__(self, url: str, *, create: bool = True, progress: Progress = no_progress) -> None:
        """Open the store at `url`: create it, or upgrade its schema to this version's.

        `postgresql://` URLs use psycopg 3. Mentions in no event yet (a store written
        before events existed) are resolved now, a report per transaction. With
        `create` false, a SQLite file that does not exist is a StoreError, not a new
        empty store (for commands that only read). The work of opening an old store
        can take minutes at scale; `progress` hears of it by phase (`OPENING_PHASES`).
        """
        try:
            parsed = store_url(url)
        except SQLAlchemyError as exc:
            raise StoreError(f"{url}: not a database URL ({exc})") from exc
        self.url = parsed.render_as_string(hide_password=True)
        database_file = sqlite_file(parsed)
        if not create and database_file is not None and not database_file.exists():
            raise StoreError(
                f"{database_file}: no store there (`defcoop ingest --db ...` creates one)"
            )
        try:
            if database_file is not None:
                database_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.url}: cannot create the directory: {exc}") from exc
        try:
            self._engine = engine_for(parsed)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"{self.url}: cannot open the store: {exc}") from exc
        self._writer = writer(self._engine)
        self._reader = reader_for(parsed, self._engine)
        self._version = VersionReader(self._engine)
        try:
            if migrations.needs_upgrade(self._engine):
                with self._writer.begin() as connection:
                    migrations.upgrade(connection, progress=progress)
            with self._engine.connect() as connection:
                waiting = pending_reports(connection)
            for done, report_id in enumerate(waiting, 1):
                with self._writer.begin() as connection:
                    settle_report(connection, report_id)
                progress(SETTLE_PHASE, done, len(waiting))
            self._refresh_stale(progress)
        except (SQLAlchemyError, StoreError) as exc:
            self._engine.dispose()
            raise StoreError(f"{self.url}: cannot open the store: {exc}") from exc

    def _refresh_stale(self, progress: Progress) -> None:
        """Reconcile again the events computed under older rules, a batch per transaction."""
        done = 0
        while True:
            with self._engine.connect() as connection:
                stale = stale_events(connection, STALE_BATCH)
            if not stale:
                return
            with self._writer.begin() as connection:
                recompute(connection, stale)
            done += len(stale)
            progress(REFRESH_PHASE, done, None)

    @classmethod
    def open(cls, url: str, *, create: bool = True, progress: Progress = no_progress) -> Store:
        """The store at `url` (see `__init__` for `create` and `progress`)."""
        return cls(url, create=create, progress=progress)

    def __enter__(self) -> Store:
        """The store itself, closed when the block ends."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()

    def _failure(self, action: str, exc: Exception) -> StoreError:
        """A StoreError naming the store and what failed."""
        return StoreError(f"{self.url}: cannot {action}: {exc}")

    def add(self, extraction: Extraction, *, replace: bool = True) -> bool:
        """Store a report and its mentions; False, changing nothing, when it is already stored.

        A report whose id is stored with other content replaces the stored one and its
        mentions, in the same transaction, keeping the analysts' corrections of the
        events concerned and logging the replacement in their history; with
        `replace=False` it is a ReportConflict instead.
        """
        report = extraction.report
        digest = report.content_hash
        try:
            with self._writer.begin() as connection:
                return self._add_in(connection, extraction, replace=replace)
        except IntegrityError as exc:
            # another writer stored the same content between our check and our insert
            if self.has_report(digest):
                return False
            raise self._failure(f"store report {report.id!r}", exc) from exc
        except SQLAlchemyError as exc:
            raise self._failure(f"store report {report.id!r}", exc) from exc

    def _add_in(self, connection: Connection, extraction: Extraction, *, replace: bool) -> bool:
        """`add` inside the caller's transaction."""
        report = extraction.report
        stored = connection.execute(
            select(reports.c.id).where(reports.c.content_hash == report.content_hash)
        ).first()
        if stored is not None:
            return False
        older = stored_version(connection, report.id)
        if older is not None and not replace:
            raise ReportConflict(
                f"report {report.id!r} is stored with other content; "
                "ask to replace it to store this version"
            )
        self._write(connection, extraction)
        if older is not None:
            after_replacement(connection, older, report, report.origin or "ingest")
        return True

    def bulk_load(
        self,
        items: Callable[[], Iterable[Extraction | InputError | SkippedRecords]],
        progress: Progress = no_progress,
        decide_pairs: DecidePairs | None = None,
        part_mentions: int | None = None,
        workers: int | None = None,
        part_executor: Executor | None = None,
    ) -> BulkSummary:
        """Store many reports at once, exactly as `add` one by one would (see `bulk.load`).

        `items` gives the reports (and input errors) in order; it is called a second
        time only when the load has to be replayed report by report. `decide_pairs`
        decides the matching pairs elsewhere (a Dask cluster: `bulk.decisions`);
        `workers`: processes replaying parts of a load into an empty store at once
        (on `part_executor`, a Dask cluster's, when given).
        """
        try:
            return bulk_load(
                self._writer,
                items,
                lambda c, e: self._add_in(c, e, replace=True),
                progress,
                decide_pairs,
                settings.bulk_part(part_mentions),
                settings.bulk_workers(workers),
                part_executor,
            )
        except SQLAlchemyError as exc:
            raise self._failure("bulk load", exc) from exc

    def stored_id(self, content_hash: str) -> str | None:
        """The id under which a report with this content is stored, or None."""
        try:
            with self._engine.connect() as connection:
                found = connection.execute(
                    select(reports.c.id).where(reports.c.content_hash == content_hash)
                ).first()
        except SQLAlchemyError as exc:
            raise self._failure("read reports", exc) from exc
        return None if found is None else str(found.id)

    def _write(self, connection: Connection, extraction: Extraction) -> None:
        """Replace any older version of the report, store it, resolve its mentions."""
        report = extraction.report
        old = [
            row.id
            for row in connection.execute(
                select(mentions.c.id).where(mentions.c.report_id == report.id)
            )
        ]
        dirty = {ev for ev, _ in events_of_mentions(connection, old).values() if ev}
        # Restatements told by the older version must be re-dated without it.
        orphans = {s for group in print_sharers(connection, old).values() for s in group}
        # mentions, evidence, keys and prints of an older version go with it (ON DELETE CASCADE)
        connection.execute(delete(reports).where(reports.c.id == report.id))
        connection.execute(insert(reports), [report_row(report, datetime.now(UTC))])
        new: dict[int, Mention] = {}
        for ordinal, mention in enumerate(extraction.mentions):
            row = {**mention_row(mention, report.id, ordinal), "event_id": None}
            key = connection.execute(insert(mentions).values(row)).inserted_primary_key
            if key is None:
                raise StoreError(f"{self.url}: no id given to a new mention")
            mention_id = int(key[0])
            rows = evidence_rows(mention_id, mention.evidence)
            if rows:
                connection.execute(insert(evidence), rows)
            index_prints(connection, mention_id, mention)
            new[mention_id] = mention
        settle(connection, new, also_restate=orphans - set(old), dirty=dirty)

    def record_error(self, source: str, reason: str) -> None:
        """Keep an input error: which input, why, when."""
        try:
            with self._writer.begin() as connection:
                connection.execute(
                    insert(errors),
                    [{"source": source, "reason": reason, "at": datetime.now(UTC)}],
                )
        except SQLAlchemyError as exc:
            raise self._failure("record an error", exc) from exc

    def errors(self, limit: int | None = None) -> list[dict[str, object]]:
        """The recorded input errors, latest first: source, reason, when."""
        query = select(errors).order_by(errors.c.at.desc(), errors.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return self._read(
            "read errors",
            lambda c: [
                {"id": r.id, "source": r.source, "reason": r.reason, "at": r.at.isoformat()}
                for r in c.execute(query)
            ],
        )

    def has_report(self, content_hash: str) -> bool:
        """Whether a report with this content hash is stored."""
        try:
            with self._engine.connect() as connection:
                found = connection.execute(
                    select(reports.c.id).where(reports.c.content_hash == content_hash)
                ).first()
        except SQLAlchemyError as exc:
            raise self._failure("read reports", exc) from exc
        return found is not None

    def report(self, report_id: str) -> Report | None:
        """The stored report with this id, or None."""
        try:
            with self._engine.connect() as connection:
                row = connection.execute(select(reports).where(reports.c.id == report_id)).first()
        except SQLAlchemyError as exc:
            raise self._failure("read reports", exc) from exc
        return None if row is None else report_from_row(dict(row._mapping))

    def mentions(
        self,
        *,
        country: str | None = None,
        type: str | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> Iterator[Mention]:
        """Stored mentions in the order they were added, filtered by participant, type, year.

        `since`/`until` bound the start year, both inclusive; a mention without a start
        is given only when neither is set.
        """
        query = select(mentions).order_by(mentions.c.id)
        if type is not None:
            query = query.where(mentions.c.type == type)
        if since is not None:
            query = query.where(mentions.c.start_year >= since)
        if until is not None:
            query = query.where(mentions.c.start_year <= until)
        code = None
        if country is not None:
            code = country.strip().upper()
            quoted = json.dumps(code).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(mentions.c.participants.like(f"%{quoted}%", escape="\\"))
        try:
            with self._engine.connect() as connection:
                result = connection.execution_options(yield_per=MENTION_BATCH).execute(query)
                for batch in result.partitions():
                    found = self._evidence_of(connection, [row.id for row in batch])
                    for row in batch:
                        mention = mention_from_row(dict(row._mapping), found.get(row.id, []))
                        if code is None or code in mention.participants:
                            yield mention
        except SQLAlchemyError as exc:
            raise self._failure("read mentions", exc) from exc

    @staticmethod
    def _evidence_of(
        connection: Connection, mention_ids: list[int]
    ) -> dict[int, list[dict[str, Any]]]:
        """The evidence rows of some mentions, by mention id, in order."""
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        rows = connection.execute(
            select(evidence)
            .where(evidence.c.mention_id.in_(mention_ids))
            .order_by(evidence.c.mention_id, evidence.c.ordinal)
        )
        for row in rows:
            found[row.mention_id].append(dict(row._mapping))
        return found

    def _read(self, action: str, work: Callable[[Connection], T]) -> T:
        """Run a read on a connection of the reading pool (`engine.reader_for`); database
        failures become StoreError. A read whose connection the database had dropped (a
        restarted server: the pool does not ping) is run once more on a fresh one."""
        try:
            with self._reader.connect() as connection:
                return work(connection)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise self._failure(action, exc) from exc
        except SQLAlchemyError as exc:
            raise self._failure(action, exc) from exc
        try:
            with self._reader.connect() as connection:
                return work(connection)
        except SQLAlchemyError as exc:
            raise self._failure(action, exc) from exc

    def _change(self, action: str, work: Callable[[Connection], T]) -> T:
        """Run a write in one transaction; database failures become StoreError."""
        try:
            with self._writer.begin() as connection:
                return work(connection)
        except SQLAlchemyError as exc:
            raise self._failure(action, exc) from exc

    def events(
        self,
        *,
        country: str | None = None,
        type: str | None = None,
        since: int | None = None,
        until: int | None = None,
        conflicts: bool = False,
    ) -> list[EventRecord]:
        """Canonical events by participant, type, start year (both inclusive), conflicts."""
        return self._read(
            "read events",
            lambda c: select_events(
                c, country=country, type=type, since=since, until=until, conflicts=conflicts
            ),
        )

    def event(self, event_id: str) -> EventRecord | None:
        """The canonical event with this id (or merged under it), or None."""

        def read(connection: Connection) -> EventRecord | None:
            live = current_id(connection, event_id)
            if live is None:
                return None
            row = connection.execute(select(events).where(events.c.event_id == live)).first()
            return None if row is None else record_from_row(dict(row._mapping))

        return self._read("read events", read)

    def event_mentions(self, event_id: str) -> list[tuple[int, Mention]]:
        """The mentions of an event with their ids, earliest report first."""

        def read(connection: Connection) -> list[tuple[int, Mention]]:
            live = current_id(connection, event_id) or event_id
            ids = list(members_of(connection, [live]))
            found = load_mentions(connection, ids, with_evidence=True)
            return sorted(found.items(), key=lambda p: (str(p[1].published), p[1].doc, p[0]))

        return self._read("read mentions", read)

    def history(self, event_id: str) -> list[dict[str, Any]]:
        """The corrections log of an event, oldest first."""
        return self._read(
            "read corrections", lambda c: history(c, current_id(c, event_id) or event_id)
        )

    def correct(
        self,
        event_id: str,
        values: dict[str, object],
        who: str,
        why: str,
        revert: list[str] | None = None,
    ) -> str:
        """Set analysts' values on an event, or return fields to the machine's values.

        See `store.corrections.parse_settings` and `revert_fields`.
        """
        return self._change(
            "correct", lambda c: correct(c, event_id, values, who, why, revert or [])
        )

    def merge(self, event_ids: list[str], who: str, why: str) -> str:
        """Merge events into the first; they stay together from then on."""
        return self._change("merge", lambda c: merge(c, event_ids, who, why))

    def keep_apart(self, event_ids: list[str], who: str, why: str) -> str:
        """Record that events are not one; resolution never joins them from then on."""
        return self._change("keep events apart", lambda c: keep_apart(c, event_ids, who, why))

    def split(self, event_id: str, mention_ids: list[int], who: str, why: str) -> str:
        """Move mentions of an event to a new event, kept apart from the rest; the new id."""
        return self._change("split", lambda c: split(c, event_id, mention_ids, who, why))

    def review(self, limit: int | None = None) -> list[ReviewItem]:
        """What to check first, most reported first (see `store.review`)."""
        return self._read("read the review queue", lambda c: review_queue(c, limit))

    def series(self, key: str | None = None) -> list[Series]:
        """Every series, most editions first; or the one a key or name gives (or none)."""
        if key is None:
            return self._read("read series", all_series)
        found = self._read("read series", lambda c: one_series(c, key))
        return [] if found is None else [found]

    def search(self, query: EventQuery) -> EventPage:
        """One page of the events a query finds (filters and words), and their total."""
        return self._read("search events", lambda c: find_events(c, query))

    def version(self) -> int:
        """A number every write to the store raises (by any process): answers computed
        at one version are still right while it stays the same."""
        try:
            return self._version.read()
        except Exception as exc:  # the driver's own errors (`store.version`)
            raise self._failure("read the store version", exc) from exc

    @property
    def version_is_local(self) -> bool:
        """Whether reading the version stays on this machine (SQLite), rather than taking
        a round trip to a database server: a server may then read it on its event loop."""
        return self._version.local

    def listing(self, query: EventQuery) -> EventListing:
        """`search`, its events as the JSON the API answers (`EventRecord.as_json`)."""
        return self._read("search events", lambda c: list_events(c, query))

    def tally(self, by: str, query: EventQuery) -> list[dict[str, object]]:
        """Counts of the events a query finds, `by` one of `store.aggregates.TALLIES`."""
        return self._read("count events", lambda c: TALLIES[by](c, query))

    def report_mentions(self, report_id: str) -> list[tuple[int, Mention]]:
        """The mentions extracted from a report, with their ids, in extraction order."""
        return self._read("read mentions", lambda c: report_mentions(c, report_id))

    def counts(self) -> dict[str, int]:
        """How many reports, mentions, errors and events are stored."""
        try:
            with self._engine.connect() as connection:
                return {
                    table.name: int(
                        connection.execute(select(func.count()).select_from(table)).scalar_one()
                    )
                    for table in (reports, mentions, errors, events)
                }
        except SQLAlchemyError as exc:
            raise self._failure("count rows", exc) from exc

    def sources(self) -> list[SourceState]:
        """The followed sources and their last polls (`defcoop watch`)."""
        return self._read("read sources", source_states)

    def save_source(self, state: SourceState) -> None:
        """Keep a source's state after a poll."""
        self._change("save a source", lambda c: save_source(c, state))

    def settled_urls(self, urls: list[str]) -> set[str]:
        """The article addresses among `urls` that are not to be fetched again."""
        return self._read("read source articles", lambda c: settled_urls(c, urls))

    def note_article(self, url: str, source: str, outcome: str, **details: str | None) -> None:
        """Record what fetching a listed article gave (stored, duplicate, failed)."""
        self._change(
            "record an article", lambda c: note_article(c, url, source, outcome, **details)
        )

    def close(self) -> None:
        """Release the database connections."""
        self._version.close()
        if self._reader is not self._engine:
            self._reader.dispose()
        self._engine.dispose()
