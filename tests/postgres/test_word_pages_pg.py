"""On PostgreSQL: pages of words, walked in page order through the word rows or looked up
by their GIN index, give the events the full-text rows hold, in the page order, after
every kind of write and after the revision that brings the word rows."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from linked_reports import linked_reports
from sqlalchemy import create_engine, select, text, update
from synthetic_events import synthetic_store

from defcoop.store.database import Store
from defcoop.store.engine import store_url
from defcoop.store.fulltext import reindex
from defcoop.store.pages import page_after
from defcoop.store.schema import events
from defcoop.store.search import EventQuery
from defcoop.store.word_pages import postgres_word_page, walks_for_words
from defcoop.store.word_rows import drop_words, prefixes

pytestmark = pytest.mark.postgres

# The events holding the words (each a prefix), in the page order, straight from the
# full-text rows' texts (as pages were found before the word rows): the reference.
REFERENCE = text(
    "SELECT s.event_id FROM event_search s JOIN events e ON e.event_id = s.event_id"
    " WHERE to_tsvector('simple', coalesce(s.name, '') || ' ' || coalesce(s.place, '')"
    " || ' ' || coalesce(s.evidence, '')) @@ to_tsquery('simple', :words)"
    " ORDER BY e.start DESC NULLS LAST, e.event_id DESC"
)


def reference(url: str, words: str) -> list[str]:
    """The ids of the events holding the words, in page order, from the texts."""
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as connection:
            found = connection.execute(REFERENCE, {"words": prefixes(words.split())})
            return [row[0] for row in found]
    finally:
        engine.dispose()


def pages(store: Store, words: str, limit: int, total: int | None = None) -> list[str]:
    """The ids of every page of a words query, following the cursors (each page's total
    checked when given)."""
    seen: list[str] = []
    query: EventQuery | None = EventQuery(text=words, limit=limit)
    while query is not None:
        page = store.search(query)
        assert total is None or (page.total, page.total_is_estimate) == (total, False)
        seen += [e.event_id for e in page.items]
        query = page_after(query, page)
    return seen


def forced(url: str, words: str, limit: int, *, walk: bool, cap: int | None) -> list[str]:
    """Every page of the words walked (with at most `cap` rows a walk) or looked up."""
    seen: list[str] = []
    after = None
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as connection:
            while True:
                page = postgres_word_page(
                    connection, words.split(), after, limit, walk=walk, walk_cap=cap
                )
                seen += page
                if len(page) < limit:
                    return seen
                start = connection.execute(
                    text("SELECT start FROM events WHERE event_id = :e"), {"e": page[-1]}
                ).scalar()
                after = (start, page[-1])
    finally:
        engine.dispose()


def undate(url: str, every: int) -> None:
    """Undate every `every`-th event at a place (the invented undated events have no
    words), its full-text and word rows made again."""
    engine = create_engine(store_url(url))
    try:
        with engine.begin() as connection:
            chosen = connection.execute(
                select(events.c.event_id).where(events.c.location_name.is_not(None))
            ).scalars()
            ids = sorted(chosen)[::every]
            changed = events.c.event_id.in_(ids)
            connection.execute(update(events).where(changed).values(start=None, start_year=None))
            reindex(connection, ids)
    finally:
        engine.dispose()


def store_words(url: str) -> list[str]:
    """Words of the store's texts: the most frequent and a spread of the others."""
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as connection:
            texts = connection.execute(
                text("SELECT name || ' ' || place || ' ' || evidence FROM event_search")
            )
            counted = Counter(w.lower() for (t,) in texts for w in set(re.findall(r"\w+", t)))
    finally:
        engine.dispose()
    ranked = [word for word, _ in counted.most_common()]
    return ranked[:6] + ranked[6::7][:8]


def assert_words_as_before(url: str, words: list[str], limit: int = 2) -> None:
    """Every way of paging each word gives the reference's events in its order."""
    assert words
    with Store.open(url) as store:
        for word in words:
            expected = reference(url, word)
            assert expected, word
            assert pages(store, word, limit, len(expected)) == expected, word
            for walk, cap in ((True, None), (True, 2), (False, None)):
                assert forced(url, word, limit, walk=walk, cap=cap) == expected, (word, walk, cap)


def test_pages_of_common_and_rare_words_as_before_and_as_on_sqlite(
    postgres_url: str, tmp_path: object
) -> None:
    synthetic_store(postgres_url, 3000)
    lite = f"sqlite:///{tmp_path}/reference.db"
    synthetic_store(lite, 3000)
    for url in (postgres_url, lite):
        undate(url, 25)
    # Place names and codes: "tur" in about a sixth of the events (walked), "town17" in
    # about 50 (looked up); "town1" is also the prefix of "town10" to "town19".
    with Store.open(postgres_url) as store:
        counted = {w: store.search(EventQuery(text=w)).total for w in ("tur", "town17")}
    assert walks_for_words(counted["tur"], 3000, 14)
    assert not walks_for_words(counted["town17"], 3000, 14)
    assert_words_as_before(postgres_url, ["tur", "town17", "town3 aze"], limit=13)
    with Store.open(postgres_url) as pg, Store.open(lite) as sqlite:
        for word in ("tur", "town17", "town17 geo", "town1", "tow aze"):
            assert pages(pg, word, 40) == [
                e.event_id for e in sqlite.search(EventQuery(text=word, limit=5000)).items
            ]
            undated = pg.search(EventQuery(text=word, limit=3, after=(None, "ev-99999")))
            assert undated.items and all(e.start is None for e in undated.items)


def test_pages_of_words_follow_ingest_corrections_and_a_bulk_load(postgres_url: str) -> None:
    reports = linked_reports()
    with Store.open(postgres_url) as store:  # into an empty store: its rows copied
        assert store.bulk_load(lambda: reports[:3]) is not None
    assert_words_as_before(postgres_url, store_words(postgres_url))
    with Store.open(postgres_url) as store:
        store.add(reports[3])
    assert_words_as_before(postgres_url, store_words(postgres_url))
    with Store.open(postgres_url) as store:
        listed = store.search(EventQuery(limit=500)).items
        moved = listed[-1]  # the last in page order: moved to the top
        live = store.correct(moved.event_id, {"start": "2030-01-01"}, "ana", "a later date")
        assert store.search(EventQuery(limit=1)).items[0].event_id == live
        ids = [m_id for m_id, _ in store.event_mentions(live)]
        if len(ids) > 1:
            store.split(live, ids[:1], "ana", "two plans")
        other = next(e for e in store.events() if e.event_id != live)
        store.merge([live, other.event_id], "ana", "the same talks")
    assert_words_as_before(postgres_url, store_words(postgres_url))
    with Store.open(postgres_url) as store:  # onto a store with events: recomputed
        assert store.bulk_load(lambda: reports[4:]) is not None
    assert_words_as_before(postgres_url, store_words(postgres_url))


def test_a_store_without_word_rows_gets_them_from_the_revision(postgres_url: str) -> None:
    synthetic_store(postgres_url, 600)
    with Store.open(postgres_url) as store:
        store.add(linked_reports()[0])
    before = {w: reference(postgres_url, w) for w in ("tur", "town5", "geo town5")}
    engine = create_engine(store_url(postgres_url))
    try:
        with engine.begin() as connection:  # as a store at revision 0015 is
            drop_words(connection)
            connection.execute(text("UPDATE alembic_version SET version_num = '0015'"))
            assert connection.execute(text("SELECT to_regclass('event_words')")).scalar() is None
    finally:
        engine.dispose()
    assert_words_as_before(postgres_url, [*before, *store_words(postgres_url)[:4]])
    assert {w: reference(postgres_url, w) for w in before} == before
