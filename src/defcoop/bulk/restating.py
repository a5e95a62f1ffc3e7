"""Restated background facts in a bulk load: dated as one-by-one ingest would date them.

One-by-one ingest re-dates a mention each time a report sharing one of its evidence
sentences arrives. The bulk path dates each mention from the reports that share its
sentences with the rule of `restate_dates` (`restate_first`), its earliest teller kept
up as the sharing reports come, at each step one of them arrives. A mention whose
dates change after its own report was stored (a later report told the fact earlier,
with other dates), whether stored before the load or by it, is re-dated at the step of
that later report, as ingest re-dates it then; the replay of assignment re-groups it
there (`bulk.assignment`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import Connection, bindparam, func, select, update

from defcoop.bulk.intake import Intake, restated
from defcoop.records import Mention
from defcoop.resolve.background import mention_fingerprints, restate
from defcoop.store.resolution import load_mentions, print_sharers
from defcoop.store.schema import mention_prints, mentions

_FIELDS = ("start", "end", "status", "background")
_STORED = -1  # the step of a mention stored before the load


def _same(a: Mention, b: Mention) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in _FIELDS)


def _sharing(connection: Connection, first_mention: int) -> set[int]:
    """The mentions sharing a sentence print with another, where one is the load's."""
    loaded = select(mention_prints.c.print).where(mention_prints.c.mention_id >= first_mention)
    shared = (
        select(mention_prints.c.print)
        .where(mention_prints.c.print.in_(loaded))
        .group_by(mention_prints.c.print)
        .having(func.count() > 1)
    )
    query = select(mention_prints.c.mention_id).where(mention_prints.c.print.in_(shared))
    return {row.mention_id for row in connection.execute(query)}


def _datings(
    told: dict[int, Mention], mention_id: int, others: list[tuple[int, int]], uptos: tuple[int, ...]
) -> Iterator[Mention]:
    """For each step in `uptos` (ascending): `restate_first` of the mention as told with the
    sharers (id, step) stored by then, kept up as they come instead of redone at each step
    (a fact told k times would cost k² per mention)."""
    mention = told[mention_id]
    marks = set(mention_fingerprints(mention))
    waiting = sorted(others, key=lambda item: (item[1], item[0]))
    best: tuple[date, str, int] | None = None  # (published, report, id): `_first_told`'s order
    taken = 0
    for upto in uptos:
        while taken < len(waiting) and waiting[taken][1] <= upto:
            other_id = waiting[taken][0]
            other = told[other_id]
            taken += 1
            if (
                other.type == mention.type
                and other.doc != mention.doc
                and marks & set(mention_fingerprints(other))
            ):
                key = (other.published or date.max, other.doc, other_id)
                best = key if best is None or key < best else best
        if best is not None and best[0] < (mention.published or date.max):
            yield restate(mention, told[best[2]])
        else:
            yield mention


def restate_load(connection: Connection, intake: Intake) -> dict[int, list[tuple[int, Mention]]]:
    """Date the load's restated mentions: in the store as they end, in `intake` as first stored.

    Returns, by step, the mentions (the load's, or stored before it) that a report of
    that step re-dates, with their new dates (one-by-one ingest re-groups them then).
    Mentions stored before the load keep their stored dates here: the replay's last
    dates for them are written once it is done (`bulk.load`).
    """
    affected = _sharing(connection, intake.first_mention)
    later: dict[int, list[tuple[int, Mention]]] = {}
    if not affected:
        return later
    sharers = print_sharers(connection, affected)
    told = load_mentions(
        connection,
        affected | {s for group in sharers.values() for s in group},
        told=True,
        with_evidence=True,
    )
    older = [m for m in affected if m < intake.first_mention]
    # the load's mentions as read, when not in memory (spooled: `bulk.parts`)
    current = load_mentions(connection, [*older, *(affected - set(older) - intake.mentions.keys())])
    step_of = intake.step_of
    final: dict[int, Mention] = {}
    for mention_id in sorted(affected):
        others = [(o, step_of(o)) for o in sorted(sharers.get(mention_id, ()))]
        own = step_of(mention_id)
        steps = sorted({step for _, step in others if step > own})
        # A stored mention starts from its stored dates; the load's from what it told.
        lean = current[mention_id] if own == _STORED else intake.mentions.get(mention_id)
        lean = lean or current[mention_id]
        state = current[mention_id] if own == _STORED else told[mention_id]
        uptos = (own, *steps) if own != _STORED else tuple(steps)
        for upto, now in zip(uptos, _datings(told, mention_id, others, uptos), strict=True):
            if upto == own:
                intake.mentions[mention_id] = restated(lean, now)
            elif not _same(now, state):
                later.setdefault(upto, []).append((mention_id, restated(lean, now)))
            state = now
        if own != _STORED and not _same(state, told[mention_id]):
            final[mention_id] = state
    write_dates(connection, final)
    return later


def write_dates(connection: Connection, dated: dict[int, Mention]) -> None:
    """The stored mentions' dates (start, end, status, background) as in `dated`."""
    if not dated:
        return
    statement = (
        update(mentions)
        .where(mentions.c.id == bindparam("mid"))
        .values({f: bindparam(f"v_{f}") for f in _FIELDS})
    )
    connection.execute(
        statement,
        [
            {"mid": i, **{f"v_{f}": getattr(m, f) for f in _FIELDS}}
            for i, m in sorted(dated.items())
        ],
    )
