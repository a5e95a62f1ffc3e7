"""A bulk load into an empty store, one part at a time, so that memory stays bounded.

The read phase writes the reports' rows as they stream in and spools what
resolution needs of each mention to disk by class (`bulk.parts`); restating runs
over the whole load as in `bulk.load`. Then each part (classes no other part's
mentions can match, packed up to `most` mentions) is read back, replayed
(`bulk.assignment.assign_part`), and its keys and events are written, before the
next is read. New events carry provisional creation numbers until the parts' logs
give them their final ones (`bulk.numbering`). The store ends as `bulk.load`'s
whole replay, and one-by-one ingest, leave it; all in the caller's transaction.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import Connection

from defcoop.bulk.assignment import assign_part
from defcoop.bulk.grouping import index_keys
from defcoop.bulk.intake import Intake, read_into
from defcoop.bulk.new_events import nothing_to_keep, write_new_events
from defcoop.bulk.numbering import PROVISIONAL, ReplayLog, numbers
from defcoop.bulk.parts import Spool, plan_parts
from defcoop.bulk.restating import restate_load
from defcoop.bulk.sink import analyze, claim_ids, renumber_events
from defcoop.bulk.writing import write_events
from defcoop.errors import InputError
from defcoop.records import Extraction, Mention, SkippedRecords
from defcoop.store.resolution import load_mentions
from defcoop.store.schema import events, evidence, mention_prints, mentions, reports

Item = Extraction | InputError | SkippedRecords
Progress = Callable[[str, int, int | None], None]
Steps = list[tuple[int, list[int], list[tuple[int, Mention]]]]


def load_by_part(
    connection: Connection,
    items: Iterable[Item],
    progress: Progress,
    most: int,
    on_error: Callable[[str], None],
) -> tuple[Intake, dict[str, float], list[int], int]:
    """Load into an empty store part by part: the intake, seconds by phase, the mentions
    of each part, the events made."""
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def tick(phase: str) -> None:
        now = time.perf_counter()
        seconds[phase] = seconds.get(phase, 0.0) + now - clock[0]
        clock[0] = now

    with tempfile.TemporaryDirectory(prefix="defcoop-bulk-") as folder:
        spool = Spool(Path(folder))
        try:
            intake = read_into(
                connection,
                items,
                on_report=lambda n: progress("read", n, None),
                on_error=on_error,
                spool=spool,
            )
            spool.close()
            claim_ids(connection, mentions, intake.next_mention - 1)
            claim_ids(connection, evidence, intake.next_evidence - 1)
            analyze(connection, [reports, mentions, evidence, mention_prints])
            tick("read")
            progress("restate", 0, None)
            later = restate_load(connection, intake)
            progress("restate", 1, 1)
            tick("restate")
            parts = plan_parts(spool.counts, _versions(connection, intake, later), most)
            # no correction or alias to apply: events are written from memory
            from_memory = nothing_to_keep(connection)
            tick("group")
            logs: list[Path] = []
            sizes: list[int] = []
            provisional = PROVISIONAL
            made = 0
            done = 0
            for number, classes in enumerate(parts):
                state, evidence_of = spool.read(classes)
                sizes.append(len(state))
                for mention_id in state.keys() & intake.mentions.keys():
                    state[mention_id] = intake.mentions[mention_id]
                log = ReplayLog(Path(folder) / f"log-{number}", provisional)
                logs.append(log.path)
                steps = _steps(intake, state, later)
                try:
                    assignment = assign_part(
                        state, steps, log, on_step=_shifted(progress, "assign", done)
                    )
                finally:
                    log.close()
                done += len(steps)
                index_keys(connection, state)
                tick("assign")
                on_events = _shifted(progress, "write", made)
                if from_memory:
                    write_new_events(
                        connection, intake, assignment, state, evidence_of, on_events=on_events
                    )
                else:
                    write_events(connection, assignment, on_events=on_events)
                made += len(assignment.new_events)
                provisional = log.next_provisional
                tick("write")
            analyze(connection, [events])
            renumber_events(connection, numbers(logs, 1))
            tick("write")
        finally:
            spool.discard()
    return intake, seconds, sizes, made


def _shifted(progress: Progress, phase: str, before: int) -> Callable[[int], None]:
    """Progress within one part, counted on from the parts before it."""
    return lambda n: progress(phase, before + n, None)


def _versions(
    connection: Connection, intake: Intake, later: dict[int, list[tuple[int, Mention]]]
) -> list[list[Mention]]:
    """Every version of each restated mention of the load: as told, first stored, re-dated."""
    redated: dict[int, list[Mention]] = {}
    for moves in later.values():
        for mention_id, mention in moves:
            redated.setdefault(mention_id, []).append(mention)
    ids = set(intake.mentions) | set(redated)
    told = load_mentions(connection, ids, told=True)
    return [
        [
            told[i],
            *([intake.mentions[i]] if i in intake.mentions else []),
            *redated.get(i, []),
        ]
        for i in sorted(ids)
    ]


def _steps(
    intake: Intake, state: dict[int, Mention], later: dict[int, list[tuple[int, Mention]]]
) -> Steps:
    """The part's steps in report order: (step, its new mentions, those it re-dates)."""
    new: dict[int, list[int]] = {}
    for mention_id in sorted(state):
        new.setdefault(intake.step_of(mention_id), []).append(mention_id)
    redated: dict[int, list[tuple[int, Mention]]] = {}
    for step, moves in later.items():
        mine = [(i, m) for i, m in moves if i in state]
        if mine:
            redated[step] = mine
    return [(step, new.get(step, []), redated.get(step, [])) for step in sorted(new | redated)]
