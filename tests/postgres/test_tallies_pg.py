"""On PostgreSQL: summaries equal a recount after every kind of change; cursor pages."""

from __future__ import annotations

import pytest
from summary_check import summary_differences
from synthetic_events import synthetic_store
from tally_scenarios import analysts_at_work, bulk_on_top

from defcoop.store.database import Store
from defcoop.store.pages import EXACT_TOTAL_UP_TO, page_after
from defcoop.store.search import EventQuery

pytestmark = pytest.mark.postgres


def test_summaries_follow_analysts_work(postgres_url: str) -> None:
    analysts_at_work(postgres_url)


def test_summaries_follow_a_bulk_load(postgres_url: str) -> None:
    bulk_on_top(postgres_url)


def test_cursor_pages_and_totals(postgres_url: str) -> None:
    synthetic_store(postgres_url, 2000)
    assert summary_differences(postgres_url) == []
    with Store.open(postgres_url) as store:
        whole = []
        for offset in range(0, 2000, 500):
            whole += [e.event_id for e in store.search(EventQuery(limit=500, offset=offset)).items]
        seen: list[str] = []
        query: EventQuery | None = EventQuery(limit=180)
        while query is not None:
            page = store.search(query)
            assert (page.total, page.total_is_estimate) == (2000, False)
            seen += [e.event_id for e in page.items]
            query = page_after(query, page)
        assert seen == whole and len(set(seen)) == 2000
        assert store.search(EventQuery(country="TUR")).total > EXACT_TOTAL_UP_TO
        dated = store.search(EventQuery(since="2015-01-01"))  # a day: not in the summaries
        assert dated.total_is_estimate
        assert abs(dated.total - 1900) < 200
