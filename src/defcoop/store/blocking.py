"""The blocking keys of stored mentions, made again when the rule that makes them changes.

Incremental resolution looks candidates up by key (`store.resolution`): a store whose
keys an older rule wrote would miss the pairs a new mention's keys name. Revision 0015
calls `rekey_mentions` on stores of the rules before it.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, func, insert, select

from defcoop.records import Progress, no_progress
from defcoop.resolve.matching import blocking_keys
from defcoop.store.rows import mention_from_row
from defcoop.store.schema import mention_keys, mentions

_BATCH = 5_000  # mentions read, and re-keyed, at a time


REKEY_PHASE = "re-key"


def rekey_mentions(connection: Connection, progress: Progress = no_progress) -> int:
    """Give every keyed mention the keys the current rule makes; how many were re-keyed.

    A mention with no keys (its report still to be settled) stays without: settling
    indexes it. A store of millions of mentions takes minutes (about 75 µs a mention
    on SQLite), so `progress` hears of each batch.
    """
    done, after = 0, -1
    keyed = exists().where(mention_keys.c.mention_id == mentions.c.id)
    total = connection.execute(select(func.count()).select_from(mentions).where(keyed)).scalar_one()
    progress(REKEY_PHASE, 0, total)
    while True:
        query = (
            select(mentions)
            .where(mentions.c.id > after, keyed)
            .order_by(mentions.c.id)
            .limit(_BATCH)
        )
        rows = [dict(row._mapping) for row in connection.execute(query)]
        if not rows:
            return done
        ids = [row["id"] for row in rows]
        connection.execute(
            delete(mention_keys).where(mention_keys.c.mention_id.between(ids[0], ids[-1]))
        )
        keys = [
            {"key": key, "mention_id": row["id"]}
            for row in rows
            for key in blocking_keys(mention_from_row(row, []))
        ]
        if keys:
            connection.execute(insert(mention_keys), keys)
        done += len(rows)
        after = ids[-1]
        progress(REKEY_PHASE, done, total)
