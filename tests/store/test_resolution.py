"""Incremental resolution: the same events whatever order the reports arrive in."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from linked_reports import SIGNING, TALKS, linked_reports

from defcoop.records import Extraction, Mention
from defcoop.resolve.background import restate_dates
from defcoop.resolve.clusters import cluster_mentions
from defcoop.store.database import Store

Key = tuple[str, int, str]


def key(mention: Mention) -> Key:
    """A mention's report, first offset and type: unique among the fixture's mentions."""
    return (mention.doc, mention.evidence[0].start, mention.type)


def partition(mentions: Iterable[Mention]) -> set[frozenset[Key]]:
    """The mentions grouped by event id."""
    groups: dict[str | None, set[Key]] = {}
    for mention in mentions:
        groups.setdefault(mention.event_id, set()).add(key(mention))
    return {frozenset(group) for group in groups.values()}


def in_memory(extractions: list[Extraction]) -> list[Mention]:
    """What `defcoop extract` gives for all the reports at once."""
    return cluster_mentions(restate_dates(m for x in extractions for m in x.mentions))


def ingest_one_by_one(path: Path, extractions: Iterable[Extraction]) -> list[Mention]:
    """Feed a fresh SQLite store one report at a time; its mentions afterwards."""
    with Store(f"sqlite:///{path}") as store:
        for extraction in extractions:
            assert store.add(extraction)
        return list(store.mentions())


def test_the_fixture_holds_cross_report_links_and_a_bridge() -> None:
    groups = partition(in_memory(linked_reports()))
    assert {len(g) for g in groups} == {1, 2, 3}
    signing = {g for g in groups if any(k[0] == "fx-signing-2021" for k in g)}
    assert {k[0] for k in next(iter(signing))} == {
        "fx-signing-2021",
        "fx-shield-open",
        "fx-new-plan",
    }
    restated_talks = next(g for g in groups if any(k[0] == "fx-meet-restated" for k in g))
    assert {k[0] for k in restated_talks} == {"fx-meet-restated", "fx-talks-2021"}
    assert frozenset({("fx-meet-1", 0, "meeting")}) in groups  # the bridge is gone


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_any_order_gives_the_partition_of_extract(tmp_path: Path, seed: int) -> None:
    extractions = linked_reports()
    expected = in_memory(extractions)
    random.Random(seed).shuffle(extractions)
    stored = ingest_one_by_one(tmp_path / "store.db", extractions)
    assert partition(stored) == partition(expected)
    # Restated background sentences carry the date of their first report.
    dates = {key(m): (m.start, m.background) for m in expected}
    assert {key(m): (m.start, m.background) for m in stored} == dates


def test_the_restating_report_arriving_last_takes_down_the_bridge(tmp_path: Path) -> None:
    extractions = linked_reports()
    early_talks = next(x for x in extractions if x.report.id == "fx-talks-2021")
    rest = [x for x in extractions if x is not early_talks]
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        for extraction in rest:
            store.add(extraction)
        before = {m.doc: m.event_id for m in store.mentions(type="meeting")}
        assert before["fx-meet-1"] == before["fx-meet-3"] == before["fx-meet-restated"]
        store.add(early_talks)
        after = {m.doc: m for m in store.mentions(type="meeting")}
    assert after["fx-meet-1"].event_id != after["fx-meet-3"].event_id
    assert after["fx-meet-restated"].event_id == after["fx-talks-2021"].event_id
    assert after["fx-meet-restated"].start == "2021-06-02"
    assert after["fx-meet-restated"].background


def test_keys_and_fingerprints_are_indexed(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    ingest_one_by_one(path, linked_reports())
    with sqlite3.connect(path) as connection:
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT mention_id FROM mention_keys WHERE key = 'x'"
        ).fetchall()
        prints = connection.execute("SELECT COUNT(*) FROM mention_prints").fetchone()[0]
    assert {"ix_mention_keys_key", "ix_mention_prints_print"} <= indexes
    assert "ix_mention_keys_key" in str(plan)
    assert prints >= 8  # every fixture sentence is long enough to be fingerprinted


def test_events_table_counts_reports_and_dates(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        for extraction in linked_reports():
            store.add(extraction)
        signing = next(e for e in store.events(type="agreement") if e.reports == 3)
        shield = next(e for e in store.events(type="exercise"))
        assert store.counts()["events"] == 6
    assert signing.start == "2021-03-03"
    assert signing.first_report is not None and signing.first_report.isoformat() == "2021-03-05"
    assert signing.last_report is not None and signing.last_report.isoformat() == "2023-03-03"
    assert shield.name in ("Caucasus Shield-2022", "Caucasus Shield 2022")
    assert shield.location is not None and shield.location.name == "Tbilisi"
    assert shield.status == "completed"  # the latest report's
    assert shield.end == "2022-05-20"
    assert shield.provenance["location"].startswith("mention:")


def test_replacing_a_report_re_resolves_what_it_told(tmp_path: Path) -> None:
    extractions = {x.report.id: x for x in linked_reports()}
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        for extraction in extractions.values():
            store.add(extraction)
        early = extractions["fx-talks-2021"].report
        # A corrected version of the 2021 report without the sentence on the talks.
        store.add(Extraction(replace(early, text=early.text.replace(TALKS, "Nothing.")), ()))
        store_mentions = list(store.mentions())
    meetings = {m.doc: m for m in store_mentions if m.type == "meeting"}
    assert meetings["fx-meet-restated"].start == "2022-06-02"  # told again as news
    assert not meetings["fx-meet-restated"].background
    assert meetings["fx-meet-1"].event_id == meetings["fx-meet-3"].event_id  # bridged again
    signing = [m for m in store_mentions if m.evidence[0].text == SIGNING]
    assert {m.start for m in signing} == {"2021-03-03"}  # untouched by the replacement
