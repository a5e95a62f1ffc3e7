"""Replacing a stored report with other content: nothing is lost silently.

The old version's mentions go with it, and the events they were in are resolved again.
An event the replacement leaves without mentions would take its analysts' corrections
(and its links) with it: such an event lives on as an alias of the event the report's
new mention of the same place and type (else the same type) went into, so its
corrections follow and its id still answers.
Every event concerned gets a "replace" entry in its history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from defcoop.records import Report
from defcoop.store.corrections import log_correction
from defcoop.store.events import current_id, recompute
from defcoop.store.resolution import alias
from defcoop.store.schema import mentions, reports


@dataclass(frozen=True)
class Replaced:
    """What the stored version of a report held: its hash and its mentions' events."""

    content_hash: str
    # (event id, anchor, type) of each of its mentions
    mentions: tuple[tuple[str, str, str], ...]


def stored_version(connection: Connection, report_id: str) -> Replaced | None:
    """The stored report of this id, or None when there is none."""
    row = connection.execute(
        select(reports.c.content_hash).where(reports.c.id == report_id)
    ).first()
    if row is None:
        return None
    query = select(mentions.c.event_id, mentions.c.anchor, mentions.c.type).where(
        mentions.c.report_id == report_id
    )
    found = tuple(
        (str(r.event_id), str(r.anchor), str(r.type))
        for r in connection.execute(query.order_by(mentions.c.ordinal))
        if r.event_id
    )
    return Replaced(content_hash=str(row.content_hash), mentions=found)


def _successor(connection: Connection, report_id: str, anchor: str, kind: str) -> str | None:
    """The event of the new version's mention at the same place and type, else of that type."""
    query = select(mentions.c.event_id, mentions.c.anchor).where(
        mentions.c.report_id == report_id, mentions.c.type == kind
    )
    rows = [
        (str(r.event_id), str(r.anchor))
        for r in connection.execute(query.order_by(mentions.c.ordinal))
        if r.event_id
    ]
    for event_id, other in rows:
        if other == anchor:
            return event_id
    return rows[0][0] if rows else None


def after_replacement(connection: Connection, old: Replaced, report: Report, who: str) -> None:
    """Re-attach the corrected events the replacement emptied; log it on every event concerned."""
    concerned: set[str] = set()
    for event_id, anchor, kind in old.mentions:
        live = current_id(connection, event_id)
        if live is not None:
            concerned.add(live)
            continue
        successor = _successor(connection, report.id, anchor, kind)
        if successor is None:
            # nothing of that type is left in the report: the log keeps the corrections
            continue
        alias(connection, event_id, successor)
        concerned.add(successor)
    recompute(connection, concerned)
    why = (
        f"report {report.id!r} replaced with other content "
        f"(sha256 {old.content_hash[:12]} -> {report.content_hash[:12]})"
    )
    payload = {"report": report.id, "was": old.content_hash, "now": report.content_hash}
    for event_id in sorted(concerned):
        log_correction(connection, event_id, "replace", payload, who, why)
