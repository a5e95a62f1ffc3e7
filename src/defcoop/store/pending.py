"""Putting new mentions into canonical events, and catching up on unresolved ones.

Every stored mention belongs to an event once its report's transaction ends. A
store upgraded from a schema without events holds mentions that do not yet
(`event_id` NULL); they are resolved report by report, oldest first, each report
in its own transaction, so an interrupted catch-up resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, select

from defcoop.records import Mention
from defcoop.store.events import recompute
from defcoop.store.resolution import (
    index_mention,
    index_prints,
    load_mentions,
    print_sharers,
    resolve,
    restate_stored,
)
from defcoop.store.schema import mention_keys, mention_prints, mentions, reports


def settle(
    connection: Connection,
    new: dict[int, Mention],
    *,
    also_restate: Iterable[int] = (),
    dirty: Iterable[str] = (),
) -> None:
    """Resolve newly stored mentions (their prints indexed) into events.

    `also_restate` are stored mentions whose restated dates may change (they shared a
    fact with a replaced version of the report); `dirty` are events that lost mentions.
    """
    lost = set(dirty)
    sharers = {s for group in print_sharers(connection, new).values() for s in group}
    changed = restate_stored(connection, set(new) | sharers | set(also_restate))
    for mention_id, mention in new.items():
        if mention_id not in changed:
            index_mention(connection, mention_id, mention)
    result = resolve(connection, set(new) | changed, lost)
    recompute(connection, result.touched | lost, result.removed)


def pending_reports(connection: Connection) -> list[str]:
    """Reports with mentions in no event, earliest publication first."""
    query = (
        select(reports.c.id)
        .where(
            reports.c.id.in_(
                select(mentions.c.report_id).where(mentions.c.event_id.is_(None)).distinct()
            )
        )
        .order_by(reports.c.published, reports.c.id)
    )
    return [row.id for row in connection.execute(query)]


def settle_report(connection: Connection, report_id: str) -> int:
    """Index and resolve the mentions of a report that are in no event; how many."""
    query = select(mentions.c.id).where(
        mentions.c.report_id == report_id, mentions.c.event_id.is_(None)
    )
    ids = [row.id for row in connection.execute(query)]
    if not ids:
        return 0
    connection.execute(delete(mention_keys).where(mention_keys.c.mention_id.in_(ids)))
    connection.execute(delete(mention_prints).where(mention_prints.c.mention_id.in_(ids)))
    found = load_mentions(connection, ids, told=True, with_evidence=True)
    for mention_id, mention in found.items():
        index_prints(connection, mention_id, mention)
    settle(connection, found)
    return len(found)
