"""The canonical events table: recomputed from the mentions, with analysts' values on top."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from defcoop.resolve.events import EventRecord, apply_corrections, reconcile
from defcoop.store.fulltext import reindex
from defcoop.store.resolution import chunks, load_mentions, next_seq
from defcoop.store.rows import location_columns, location_from_row, start_year
from defcoop.store.schema import (
    corrections,
    event_aliases,
    event_pairs,
    event_participants,
    events,
    evidence,
    mentions,
)
from defcoop.store.tallies import apply, cells, difference

# The version of the reconciliation rules; rows computed with older rules are redone
# when the store is opened (`refresh_stale`). Raise it when `reconcile` changes.
RECONCILED = 2


def event_row(record: EventRecord, updated_at: datetime) -> dict[str, Any]:
    """The `events` columns of a reconciled record (its creation number aside)."""
    return {
        "type": record.type,
        "name": record.name,
        "participants": json.dumps(list(record.participants)),
        "support": json.dumps(dict(record.support)),
        **location_columns(record.location),
        "start": record.start,
        "end": record.end,
        "start_year": start_year(record.start or record.end),  # the year the event is in
        "status": record.status,
        "n_mentions": record.mentions,
        "n_reports": record.reports,
        "first_report": record.first_report,
        "last_report": record.last_report,
        "provenance": json.dumps(dict(record.provenance), sort_keys=True),
        "updated_at": updated_at,
        "conflicts": json.dumps(dict(record.conflicts), sort_keys=True),
        "set_aside": json.dumps(list(record.set_aside)),
        "n_conflicts": len(record.conflicts),
        "series": record.series,
        "status_as_of": record.status_as_of,
        "reconciled": RECONCILED,
    }


def participant_rows(
    ident: str, participants: Iterable[str], start: str | None
) -> list[dict[str, str | None]]:
    """The `event_participants` rows of an event, each with its start (the page order)."""
    return [{"event_id": ident, "code": code, "start": start} for code in participants]


def pair_rows(
    ident: str, participants: Iterable[str], start: str | None
) -> list[dict[str, str | None]]:
    """The `event_pairs` rows of an event: each pair of its participants, a < b, with the
    event's start."""
    codes = sorted(set(participants))
    return [
        {"a": a, "b": b, "event_id": ident, "start": start}
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
    ]


def record_from_row(row: Mapping[str, Any]) -> EventRecord:
    """The record an `events` row holds."""
    support: dict[str, int] = json.loads(row["support"])
    return EventRecord(
        event_id=row["event_id"],
        type=row["type"],
        name=row["name"],
        participants=tuple(json.loads(row["participants"])),
        location=location_from_row(row),
        start=row["start"],
        end=row["end"],
        status=row["status"],
        reports=row["n_reports"],
        first_report=row["first_report"],
        last_report=row["last_report"],
        mentions=row["n_mentions"],
        support=tuple(sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))),
        provenance=json.loads(row["provenance"]),
        conflicts=json.loads(row["conflicts"]),
        set_aside=tuple(json.loads(row["set_aside"])),
        series=row["series"],
        status_as_of=row["status_as_of"],
    )


def current_id(connection: Connection, ident: str) -> str | None:
    """The live event an id names: itself, or the event it was merged into."""
    found = connection.execute(select(events.c.event_id).where(events.c.event_id == ident)).first()
    if found is not None:
        return ident
    merged = connection.execute(
        select(event_aliases.c.event_id).where(event_aliases.c.alias == ident)
    ).first()
    return None if merged is None else str(merged.event_id)


def names_of(connection: Connection, ident: str) -> list[str]:
    """The event's id and every id merged into it."""
    query = select(event_aliases.c.alias).where(event_aliases.c.event_id == ident)
    return [ident, *(row.alias for row in connection.execute(query))]


def value_corrections(connection: Connection, ident: str) -> list[tuple[int, dict[str, object]]]:
    """The `set` and `revert` corrections of an event (and of those merged into it), in order."""
    query = (
        select(corrections.c.id, corrections.c.payload)
        .where(
            corrections.c.event_id.in_(names_of(connection, ident)),
            corrections.c.action.in_(("set", "revert")),
        )
        .order_by(corrections.c.id)
    )
    return [(row.id, json.loads(row.payload)) for row in connection.execute(query)]


def recompute(connection: Connection, touched: Iterable[str], removed: Iterable[str] = ()) -> None:
    """Reconcile the touched events again, corrections on top; drop the events that are gone.

    The summary tables (`store.tallies`) and the full-text index follow in the same
    transaction.
    """
    gone = set(removed)
    before = cells(connection, set(touched) | gone)
    now = datetime.now(UTC)
    for ident in sorted(set(touched) - gone):
        ids = [
            row.id
            for row in connection.execute(
                select(mentions.c.id).where(mentions.c.event_id == ident).order_by(mentions.c.id)
            )
        ]
        if not ids:
            gone.add(ident)
            continue
        found = load_mentions(connection, ids, with_evidence=True)
        leads = other_leads(connection, ids)
        record = reconcile(
            ident,
            [found[i] for i in ids],
            [f"mention:{i}" for i in ids],
            [leads.get(i, set()) for i in ids],
        )
        record = apply_corrections(record, value_corrections(connection, ident))
        values = event_row(record, now)
        exists = connection.execute(
            update(events).where(events.c.event_id == ident).values(values)
        ).rowcount
        if not exists:
            connection.execute(
                insert(events), [{**values, "event_id": ident, "seq": next_seq(connection)}]
            )
        connection.execute(delete(event_participants).where(event_participants.c.event_id == ident))
        connection.execute(delete(event_pairs).where(event_pairs.c.event_id == ident))
        if record.participants:
            connection.execute(
                insert(event_participants),
                participant_rows(ident, record.participants, record.start),
            )
        pairs = pair_rows(ident, record.participants, record.start)
        if pairs:
            connection.execute(insert(event_pairs), pairs)
    for part in chunks(gone):
        connection.execute(
            delete(event_participants).where(event_participants.c.event_id.in_(part))
        )
        connection.execute(delete(event_pairs).where(event_pairs.c.event_id.in_(part)))
        connection.execute(delete(events).where(events.c.event_id.in_(part)))
    reindex(connection, set(touched) | gone)
    apply(connection, difference(cells(connection, set(touched) - gone), before))


def other_leads(connection: Connection, ids: Iterable[int]) -> dict[int, set[int]]:
    """For each mention, where the first sentences of the other mentions of its report start."""
    wanted = set(ids)
    report_of: dict[int, str] = {}
    for part in chunks(wanted):
        query = select(mentions.c.id, mentions.c.report_id).where(mentions.c.id.in_(part))
        report_of.update({row.id: row.report_id for row in connection.execute(query)})
    leads: dict[str, dict[int, int]] = {}
    for part in chunks(set(report_of.values())):
        query = (
            select(mentions.c.id, mentions.c.report_id, evidence.c.start)
            .join(evidence, evidence.c.mention_id == mentions.c.id)
            .where(mentions.c.report_id.in_(part), evidence.c.ordinal == 0)
        )
        for row in connection.execute(query):
            leads.setdefault(row.report_id, {})[row.id] = row.start
    return {
        i: {start for other, start in leads.get(report, {}).items() if other != i}
        for i, report in report_of.items()
    }


def stale_events(connection: Connection, limit: int) -> list[str]:
    """Events reconciled under older rules than these, up to `limit`."""
    query = (
        select(events.c.event_id)
        .where(events.c.reconciled < RECONCILED)
        .order_by(events.c.event_id)
        .limit(limit)
    )
    return [row.event_id for row in connection.execute(query)]


def select_events(
    connection: Connection,
    *,
    country: str | None = None,
    type: str | None = None,
    since: int | None = None,
    until: int | None = None,
    conflicts: bool = False,
) -> list[EventRecord]:
    """Canonical events by participant, type, start year and conflicts, earliest start first."""
    query = select(events)
    if conflicts:
        query = query.where(events.c.n_conflicts > 0)
    if country is not None:
        query = query.where(
            events.c.event_id.in_(
                select(event_participants.c.event_id).where(
                    event_participants.c.code == country.strip().upper()
                )
            )
        )
    if type is not None:
        query = query.where(events.c.type == type)
    if since is not None:
        query = query.where(events.c.start_year >= since)
    if until is not None:
        query = query.where(events.c.start_year <= until)
    records = [record_from_row(dict(row._mapping)) for row in connection.execute(query)]
    return sorted(records, key=lambda r: (r.start or "9999", r.event_id))


def history(connection: Connection, ident: str) -> list[dict[str, Any]]:
    """The corrections log of an event and of the events merged into it, oldest first."""
    query = (
        select(corrections)
        .where(corrections.c.event_id.in_(names_of(connection, ident)))
        .order_by(corrections.c.id)
    )
    return [
        {
            "id": row.id,
            "event_id": row.event_id,
            "action": row.action,
            "payload": json.loads(row.payload),
            "who": row.who,
            "at": row.at.isoformat(),
            "why": row.why,
        }
        for row in connection.execute(query)
    ]
