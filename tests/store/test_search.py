"""Finding events in the store: filters, words, pages, counts; the word index kept current."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from linked_reports import linked_reports

from defcoop.records import Evidence, Extraction, Mention, Report
from defcoop.store.database import Store
from defcoop.store.fulltext import BUCKET, start_bucket
from defcoop.store.search import EventQuery


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store holding the linked reports."""
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as opened:
        for extraction in linked_reports():
            opened.add(extraction)
        yield opened


def ids(store: Store, **filters: object) -> set[str]:
    """The ids of the events a query finds."""
    return {r.event_id for r in store.search(EventQuery(limit=500, **filters)).items}  # type: ignore[arg-type]


def test_filters_agree_with_the_events_listing(store: Store) -> None:
    everything = store.events()
    assert ids(store) == {r.event_id for r in everything}
    assert ids(store, country="AZE") == {r.event_id for r in store.events(country="AZE")}
    assert ids(store, type="meeting") == {r.event_id for r in store.events(type="meeting")}
    both = ids(store, dyad=("GEO", "POL"))
    assert both and both == {
        r.event_id for r in everything if {"GEO", "POL"} <= set(r.participants)
    }
    assert ids(store, since="2022", until="2022") == {
        r.event_id for r in store.events(since=2022, until=2022)
    }


def test_a_page_has_the_total_of_all_pages(store: Store) -> None:
    page = store.search(EventQuery(limit=2, offset=1))
    assert len(page.items) == 2
    assert page.total == len(store.events())


def test_words_match_as_prefixes_and_all_must_match(store: Store) -> None:
    shield = ids(store, text="caucasus shield")
    assert len(shield) == 1
    assert ids(store, text="cauc") == shield
    assert ids(store, text="caucasus warsaw") == set()
    assert ids(store, text="tbilisi")  # a place
    assert ids(store, text="logistics")  # evidence only


def test_the_index_follows_corrections_and_merges(store: Store) -> None:
    (shield,) = ids(store, text="caucasus shield")
    store.correct(shield, {"name": "Wintergreen"}, "t", "test")
    assert ids(store, text="wintergreen") == {shield}
    (talks,) = ids(store, text="joint logistics")
    store.merge([shield, talks], "t", "test")
    assert ids(store, text="joint logistics") == {shield}


def test_a_replaced_report_takes_its_words_with_it(store: Store) -> None:
    text = "Icelandic and Norwegian divers trained together at Keflavik on May 3."
    report = Report(id="fx-divers", text=text, published=date(2023, 5, 4))
    mention = Mention(
        doc=report.id,
        type="training",
        name=None,
        participants=("ISL", "NOR"),
        location=None,
        start="2023-05-03",
        end=None,
        status="completed",
        evidence=(Evidence(text, 0, len(text)),),
        published=report.published,
    )
    store.add(Extraction(report, (mention,)))
    assert ids(store, text="divers")
    store.add(Extraction(Report(id="fx-divers", text="Nothing.", published=report.published)))
    assert ids(store, text="divers") == set()


def test_a_store_from_before_the_search_revision_gets_the_index_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(f"sqlite:///{path}") as store:
        for extraction in linked_reports():
            store.add(extraction)
    connection = sqlite3.connect(path)
    # As revision 0004 left a store: no full-text index, no summaries.
    for table in ("event_search", "event_pairs", "tally_events", "tally_dyads", "tally_places"):
        connection.execute(f"DROP TABLE {table}")
    connection.execute("DROP INDEX ix_events_start_event_id")
    connection.execute("UPDATE alembic_version SET version_num = '0004'")
    connection.commit()
    connection.close()
    with Store.open(f"sqlite:///{path}") as store:
        assert len(ids(store, text="caucasus shield")) == 1
    connection = sqlite3.connect(path)
    indexes = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert "ix_events_start_event_id" in indexes


def test_counts_cover_the_found_events(store: Store) -> None:
    years = store.tally("year", EventQuery())
    assert sum(int(str(r["count"])) for r in years) == len(
        [r for r in store.events() if r.start or r.end]
    )
    dyads = store.tally("dyad", EventQuery(country="AZE"))
    assert {(d["a"], d["b"]) for d in dyads} == {("AZE", "GEO")}
    places = store.tally("place", EventQuery())
    assert any(p["name"] == "Tbilisi" for p in places)
    points = store.tally("point", EventQuery())
    assert all(p["lat"] is not None for p in points)


def test_a_total_of_words_alone_is_the_word_index_count(store: Store) -> None:
    for words in ("caucasus", "shield", "caucasus shield", "zzznothing"):
        page = store.search(EventQuery(text=words, limit=1))
        assert page.total == len(ids(store, text=words))
        assert not page.total_is_estimate


def test_pages_of_words_follow_a_corrected_start(store: Store) -> None:
    found = store.search(EventQuery(text="the", limit=100)).items
    assert len(found) >= 2
    moved = found[-1]  # the earliest start, or undated
    store.correct(moved.event_id, {"start": "2030-01-01", "end": "2030-01-02"}, "ana", "memo")
    # Page by page (sorted from the full-text rows' keys) as sorted here from the events.
    every = store.search(EventQuery(text="the", limit=100)).items
    dated = sorted((e for e in every if e.start), key=lambda e: (e.start or "", e.event_id))
    undated = sorted((e.event_id for e in every if not e.start), reverse=True)
    seen, query = [], EventQuery(text="the", limit=1)
    for _ in range(len(every) + 1):  # a page too many, were the cursors to go round
        page = store.search(query)
        seen += [e.event_id for e in page.items]
        if page.next_key is None:
            break
        query = replace(query, after=page.next_key)
    assert seen == [e.event_id for e in reversed(dated)] + undated
    assert seen[0] == moved.event_id


def test_full_text_ids_follow_the_starts_in_text_order() -> None:
    starts = ["2019-12-31", "2020", "2020-01", "2020-01-01", "2020-01-02", "2020-02", "2021"]
    buckets = [start_bucket(s) for s in starts]
    assert buckets == sorted(set(buckets))  # one bucket each, in the order of the text
    assert start_bucket(None) == 0 < BUCKET <= min(buckets)
    assert all(b % BUCKET == 0 for b in buckets)
