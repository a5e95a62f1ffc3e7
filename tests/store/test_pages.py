"""Pages by cursor: every event once, in the page order; totals exact or said to be estimated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import and_, create_engine, func, select, update
from synthetic_events import synthetic_store
from tally_scenarios import analysts_at_work

from defcoop.store import pages
from defcoop.store.database import Store
from defcoop.store.engine import store_url
from defcoop.store.pages import EXACT_TOTAL_UP_TO, decode_cursor, encode_cursor, page_after
from defcoop.store.schema import events
from defcoop.store.search import EventQuery, conditions, located_events
from defcoop.store.walks import PARTY, PLACE

EVENTS = 4000


@pytest.fixture(scope="module")
def store_at(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a store of invented events."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'store.db'}"
    synthetic_store(url, EVENTS)
    return url


@pytest.fixture
def store(store_at: str) -> Iterator[Store]:
    """The store of invented events, open."""
    with Store.open(store_at) as opened:
        yield opened


def exact_total(url: str, query: EventQuery) -> int:
    """The number of events a query finds, counted row by row."""
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as connection:
            found = select(func.count()).select_from(events)
            found = found.where(and_(True, *conditions(connection, query)))
            return int(connection.execute(found).scalar_one())
    finally:
        engine.dispose()


def walk(store: Store, query: EventQuery) -> list[str]:
    """The ids of every page of a query, following the cursors."""
    seen: list[str] = []
    next_query: EventQuery | None = query
    while next_query is not None:
        page = store.search(next_query)
        seen += [e.event_id for e in page.items]
        next_query = page_after(next_query, page)
    return seen


def page_order(store: Store, query: EventQuery, total: int) -> list[str]:
    """The ids in the page order, sorted here: latest start first, undated last, id descending."""
    everything = []
    for offset in range(0, total, 500):
        everything += store.search(replace(query, limit=500, offset=offset)).items
    dated = sorted((e for e in everything if e.start), key=lambda e: (e.start, e.event_id))
    undated = sorted((e.event_id for e in everything if not e.start), reverse=True)
    return [e.event_id for e in reversed(dated)] + undated


@pytest.mark.parametrize(
    "query",
    [
        EventQuery(limit=97),
        EventQuery(country="AZE", limit=150),
        EventQuery(dyad=("GEO", "POL"), type="meeting", limit=7),
        EventQuery(since="2019-02", until="2022", limit=200),
        EventQuery(place="town3", limit=11),
        EventQuery(text="town3", limit=13),  # sorted from the full-text rows' keys
        EventQuery(text="town3", limit=2),  # one start's matches over what one read takes
    ],
)
def test_cursor_pages_give_every_event_once_in_page_order(
    store: Store, store_at: str, query: EventQuery
) -> None:
    seen = walk(store, query)
    total = exact_total(store_at, query)
    assert len(seen) == len(set(seen)) == total
    assert seen == page_order(store, query, total)


def test_a_cursor_after_an_undated_event_continues_among_the_undated(store: Store) -> None:
    every = store.search(EventQuery(limit=500, offset=EVENTS - 500)).items
    undated = [e.event_id for e in every if e.start is None]
    assert len(undated) > 10
    page = store.search(EventQuery(limit=5, after=(None, undated[3])))
    assert [e.event_id for e in page.items] == undated[4:9]


def test_cursor_with_offset_skips_from_the_cursor(store: Store) -> None:
    every = walk(store, EventQuery(limit=500))
    key = store.event(every[100])
    assert key is not None
    page = store.search(EventQuery(limit=4, offset=3, after=(key.start, key.event_id)))
    assert [e.event_id for e in page.items] == every[104:108]


def test_cursors_round_trip_and_foreign_ones_are_refused() -> None:
    for key in [("2021-06-01", "ev-00001"), (None, "exercise-aze-tur-1a2b")]:
        assert decode_cursor(encode_cursor(key)) == key
    for bad in ["O", "bm90IGpzb24", encode_cursor(("x" * 20, "ev")), "W251bGwsIDVd"]:
        with pytest.raises(ValueError, match="not a cursor"):
            decode_cursor(bad)


def test_totals_are_exact_from_the_summaries_beyond_the_threshold(
    store: Store, store_at: str
) -> None:
    for query in [EventQuery(), EventQuery(country="TUR"), EventQuery(since="2018", status=None)]:
        page = store.search(query)
        assert page.total > EXACT_TOTAL_UP_TO
        assert (page.total, page.total_is_estimate) == (exact_total(store_at, query), False)


def test_small_totals_are_counted_exactly(store: Store, store_at: str) -> None:
    query = EventQuery(place="town7", type="meeting")
    page = store.search(query)
    assert page.total <= EXACT_TOTAL_UP_TO
    assert (page.total, page.total_is_estimate) == (exact_total(store_at, query), False)


def test_large_totals_the_summaries_cannot_count_are_estimated_and_said_so(
    store: Store, store_at: str
) -> None:
    query = EventQuery(dyad=("AZE", "TUR"))
    true = exact_total(store_at, query)
    assert true > EXACT_TOTAL_UP_TO
    page = store.search(query)
    assert page.total_is_estimate
    assert abs(page.total - true) <= 0.2 * true


@pytest.mark.parametrize(
    "query",
    [EventQuery(limit=300), EventQuery(country="GEO", offset=40), EventQuery(conflicts=False)],
)
def test_the_listing_is_the_records_json(store: Store, query: EventQuery) -> None:
    records = store.search(query)
    listing = store.listing(query)
    assert listing.items == [r.as_json() for r in records.items]
    assert (listing.total, listing.total_is_estimate, listing.next_key) == (
        records.total,
        records.total_is_estimate,
        records.next_key,
    )


def test_the_listing_of_linked_reports_is_the_records_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    analysts_at_work(url)  # corrections, conflicts, merges: every field filled somewhere
    with Store.open(url) as linked:
        assert linked.listing(EventQuery()).items == [
            r.as_json() for r in linked.search(EventQuery()).items
        ]


def test_points_are_the_same_walked_in_page_order_or_looked_up(store_at: str) -> None:
    engine = create_engine(store_url(store_at))
    try:
        with engine.connect() as connection:
            for query in (EventQuery(), EventQuery(country="POL"), EventQuery(dyad=("AZE", "TUR"))):
                walked = located_events(connection, query, 700, in_order=True)
                looked_up = located_events(connection, query, 700)
                assert walked == looked_up and len(walked) == min(700, len(looked_up))
                narrow = located_events(connection, query, 700, in_order=True, narrow=PARTY)
                assert narrow == looked_up
            for query in (EventQuery(place="town7"), EventQuery(place="geo", type="meeting")):
                narrow = located_events(connection, query, 700, in_order=True, narrow=PLACE)
                assert narrow == located_events(connection, query, 700) != []
            assert len(located_events(connection, EventQuery(), 700)) == 700
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "query",
    [
        EventQuery(country="AZE", limit=40),
        EventQuery(country="TUR", type="exercise", status="completed", limit=9),
        EventQuery(country="GEO", since="2017-02", until="2021", limit=25),
        EventQuery(dyad=("POL", "GEO"), limit=6),
        EventQuery(dyad=("AZE", "TUR"), country="GEO", limit=3),
        EventQuery(dyad=("AZE", "AZE"), status="planned", limit=30),
        EventQuery(place="Town5", limit=7),
        EventQuery(place="pol", status="completed", limit=5),
        EventQuery(place="town9", country="GEO", limit=2),
    ],
)
def test_pages_are_the_same_walking_a_participant_or_place_or_all_events_or_looked_up(
    store: Store, store_at: str, query: EventQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = exact_total(store_at, query)
    expected = page_order(store, query, total)
    assert total > 3 * query.limit  # several pages, each cut by a cursor
    # a participant's or pair's index, a place's, the events', a look-up
    for plan in ((True, PARTY), (True, PLACE), (True, None), (False, None)):
        monkeypatch.setattr(pages, "walk_in_order", lambda *_, plan=plan: plan)
        assert walk(store, query) == expected, plan


def test_kept_totals_follow_a_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    synthetic_store(url, EVENTS)
    counted = EventQuery(place="town7", status="planned")  # counted up to the threshold
    estimated = EventQuery(dyad=("AZE", "TUR"))
    with Store.open(url) as store:
        first = store.search(counted)
        deeper = store.search(replace(counted, limit=2, after=(first.items[0].start, "ev-99999")))
        assert first.total == deeper.total == exact_total(url, counted)
        other = store.search(EventQuery(place="town7", status="ongoing", limit=1)).items[0]
        planned = update(events).where(events.c.event_id == other.event_id).values(status="planned")
        store._change("plan", lambda connection: connection.execute(planned))  # a new version
        assert store.search(counted).total == first.total + 1 == exact_total(url, counted)
        guess = store.search(estimated)
        further = store.search(replace(estimated, after=guess.next_key))
        assert guess.total_is_estimate and further.total_is_estimate
        assert further.total == guess.total


def listing_walk(store: Store, query: EventQuery) -> list[str]:
    """The ids of every page of the API's listing of a query, following its cursors."""
    seen: list[str] = []
    next_query: EventQuery | None = query
    while next_query is not None:
        page = store.listing(next_query)
        seen += [str(item["event_id"]) for item in page.items]
        following = page.next_key
        next_query = None if following is None else replace(next_query, after=following)
    return seen


# Queries of one shape with other values: the later ones run the statements the first
# built, with their own values (`store.page_statements`).
SHAPES = [
    [EventQuery(limit=97), EventQuery(limit=301)],
    [EventQuery(country="AZE", limit=150), EventQuery(country="TUR", limit=170)],
    [
        EventQuery(dyad=("GEO", "POL"), type="meeting", limit=7),
        EventQuery(dyad=("TUR", "AZE"), type="exercise", limit=9),
    ],
    [EventQuery(dyad=("GEO", "GEO"), limit=60), EventQuery(dyad=("POL", "POL"), limit=80)],
    [
        EventQuery(country="AZE", dyad=("GEO", "TUR"), limit=20),
        EventQuery(country="POL", dyad=("AZE", "GEO"), limit=25),
    ],
    [
        EventQuery(since="2019-02", until="2022", limit=200),
        EventQuery(since="2016-03", until="2023", limit=150),
    ],
    [
        EventQuery(since="2018", until="2021-02-01", status="planned", limit=50),
        EventQuery(since="2020", until="2023-03-01", status="completed", limit=40),
    ],
    [EventQuery(place="town3", limit=11), EventQuery(place="Town7", limit=13)],
    [EventQuery(place="aze", limit=100), EventQuery(place="TUR", limit=90)],
    [
        EventQuery(place="town5", type="meeting", country="AZE", limit=3),
        EventQuery(place="town9", type="exercise", country="GEO", limit=4),
    ],
    [
        EventQuery(status="ongoing", until="2017", limit=120),
        EventQuery(status="planned", until="2019", limit=110),
    ],
    [EventQuery(conflicts=True), EventQuery(series="none", country="TUR")],  # none found
]


@pytest.mark.parametrize("queries", SHAPES)
def test_listing_pages_by_cursor_are_the_records_pages(
    store: Store, queries: list[EventQuery]
) -> None:
    for query in queries:
        expected = walk(store, query)
        assert listing_walk(store, query) == expected
        assert listing_walk(store, query) == expected  # its statements kept from the walk before
    assert any(walk(store, query) for query in queries) or queries[0].conflicts
