"""The store's canonical records: conflicts kept and found, the same in any order, kept current."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest
from disagreeing_reports import disagreeing_reports, earlier_editions
from linked_reports import linked_reports

from defcoop.records import Extraction
from defcoop.store.database import Store
from defcoop.store.search import EventQuery

Key = tuple[str, int, str]


def records(store: Store) -> dict[frozenset[Key], dict[str, object]]:
    """Each event's fields, conflicts and series, keyed by its mentions (ids aside)."""
    members: dict[str, set[Key]] = {}
    for m in store.mentions():
        assert m.event_id is not None
        members.setdefault(m.event_id, set()).add((m.doc, m.evidence[0].start, m.type))
    found = {}
    for record in store.events():
        fields = record.as_json()
        del fields["event_id"]
        fields["conflict_values"] = {
            name: sorted(str(v["value"]) for v in values)
            for name, values in record.conflicts.items()
        }
        found[frozenset(members[record.event_id])] = fields
    return found


def ingest(path: Path, extractions: Iterable[Extraction]) -> Store:
    store = Store(f"sqlite:///{path}")
    for extraction in extractions:
        store.add(extraction)
    return store


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_records_conflicts_and_series_do_not_depend_on_the_order(tmp_path: Path, seed: int) -> None:
    every = linked_reports() + disagreeing_reports() + earlier_editions()
    with ingest(tmp_path / "sorted.db", every) as store:
        expected = records(store)
    random.Random(seed).shuffle(every)
    with ingest(tmp_path / "shuffled.db", every) as store:
        assert records(store) == expected


def test_disagreeing_mentions_are_kept_as_conflicts_and_can_be_listed(tmp_path: Path) -> None:
    with ingest(tmp_path / "store.db", disagreeing_reports()) as store:
        flagged = store.events(conflicts=True)
        page = store.search(EventQuery(conflicts=True))
        everything = store.events()
    assert [e.name for e in flagged] == ["Lake Guard-2023"]
    assert [e.event_id for e in page.items] == [e.event_id for e in flagged]
    guard = flagged[0]
    assert guard.start == "2023-03-06"  # two reports against one
    assert guard.location is not None and guard.location.name == "Cholpon-Ata"
    starts = {str(v["value"]): len(list(v["mentions"])) for v in guard.conflicts["start"]}  # type: ignore[arg-type]
    assert starts == {"2023-03-06": 2, "2023-03-09": 1}
    assert {v["value"] for v in guard.conflicts["location"]} == {"Cholpon-Ata", "Almaty"}
    assert guard.series == "lakeguard"
    assert guard.as_json()["conflicts"] == ["location", "start"]
    assert len(everything) == 5
    assert all(not e.conflicts for e in everything if e.event_id != guard.event_id)


def test_records_made_by_older_rules_are_reconciled_again_on_open(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with ingest(path, disagreeing_reports()) as store:
        before = records(store)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE events SET reconciled = 0, conflicts = '{}', n_conflicts = 0, series = NULL"
        )
    with Store(f"sqlite:///{path}") as store:
        assert records(store) == before
        assert len(store.events(conflicts=True)) == 1
