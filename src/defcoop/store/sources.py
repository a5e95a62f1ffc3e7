"""Followed sources in the store: each source's state, and the article addresses it listed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, update

from defcoop.records import SourceState
from defcoop.store.schema import source_articles, sources

# An article that failed this many times is not fetched again (a page that never has text).
MAX_ATTEMPTS = 3
_LOOKUP_BATCH = 500


def _aware(value: datetime | None) -> datetime | None:
    """A stored time with its zone: SQLite gives back naive UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def source_states(connection: Connection) -> list[SourceState]:
    """Every followed source, by name."""
    rows = connection.execute(select(sources).order_by(sources.c.name))
    states = []
    for row in rows:
        values = dict(row._mapping)
        for key in ("last_poll", "last_full_fetch", "last_error_at"):
            values[key] = _aware(values[key])
        states.append(SourceState(**values))
    return states


def save_source(connection: Connection, state: SourceState) -> None:
    """Write a source's state, replacing the one stored."""
    connection.execute(delete(sources).where(sources.c.name == state.name))
    connection.execute(insert(sources), [asdict(state)])


def settled_urls(connection: Connection, urls: Collection[str]) -> set[str]:
    """The addresses among `urls` not to fetch again: stored, duplicates, or failed too often."""
    found: set[str] = set()
    listed = list(urls)
    for start in range(0, len(listed), _LOOKUP_BATCH):
        batch = listed[start : start + _LOOKUP_BATCH]
        rows = connection.execute(
            select(
                source_articles.c.url, source_articles.c.outcome, source_articles.c.attempts
            ).where(source_articles.c.url.in_(batch))
        )
        found.update(
            row.url for row in rows if row.outcome != "failed" or row.attempts >= MAX_ATTEMPTS
        )
    return found


def note_article(
    connection: Connection,
    url: str,
    source: str,
    outcome: str,
    *,
    report_id: str | None = None,
    reason: str | None = None,
    dated_by: str | None = None,
) -> None:
    """Record what fetching an article gave; a failure counts one more attempt."""
    now = datetime.now(UTC)
    row = connection.execute(
        select(source_articles.c.attempts).where(source_articles.c.url == url)
    ).first()
    values = {
        "source": source,
        "report_id": report_id,
        "outcome": outcome,
        "reason": reason,
        "dated_by": dated_by,
        "fetched_at": now,
    }
    if row is None:
        connection.execute(insert(source_articles), [{"url": url, "attempts": 1, **values}])
    else:
        connection.execute(
            update(source_articles)
            .where(source_articles.c.url == url)
            .values(attempts=int(row.attempts) + 1, **values)
        )
