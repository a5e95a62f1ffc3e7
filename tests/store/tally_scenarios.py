"""Changes of every kind to a store, its summaries checked against a recount after each."""

from __future__ import annotations

from linked_reports import linked_reports
from summary_check import summary_differences

from defcoop.records import Extraction, Report
from defcoop.store.database import Store
from defcoop.store.search import EventQuery


def analysts_at_work(url: str) -> None:
    """Ingest, corrections, a revert, a split, merges, and a report after them."""
    with Store.open(url) as store:
        reports = linked_reports()
        for extraction in reports[:-1]:
            store.add(extraction)
        assert summary_differences(url) == []
        signing = next(e for e in store.events(type="agreement") if e.reports >= 2)
        live = store.correct(
            signing.event_id,
            {"start": "2019-05-02", "status": "planned", "participants": ["AZE", "GEO", "POL"]},
            "ana",
            "the source says so",
        )
        assert summary_differences(url) == []
        ids = [m_id for m_id, _ in store.event_mentions(live)]
        fresh = store.split(live, ids[:1], "ana", "a different plan")
        assert summary_differences(url) == []
        store.merge([live, fresh], "ana", "one plan after all")
        assert summary_differences(url) == []
        other = next(e for e in store.events() if e.event_id != live)
        store.merge([live, other.event_id], "ana", "the same talks")
        assert summary_differences(url) == []
        store.correct(live, {}, "ana", "back to the machine's values", ["start", "participants"])
        assert summary_differences(url) == []
        store.add(reports[-1])  # a report arriving after the analysts' work
        assert summary_differences(url) == []
        years = store.tally("year", EventQuery())
        dated = [e for e in store.events() if e.start or e.end]
        assert sum(int(str(r["count"])) for r in years) == len(dated) > 0
        # The last report withdrawn (a new version telling no event): its events go.
        last = reports[-1].report
        before = store.counts()["events"]
        store.add(
            Extraction(Report(id=last.id, text=last.text + " Withdrawn.", published=last.published))
        )
        assert store.counts()["events"] < before
        assert summary_differences(url) == []


def bulk_on_top(url: str) -> None:
    """A bulk load into a store that already holds a report."""
    reports = linked_reports()
    with Store.open(url) as store:
        store.add(reports[0])
        assert store.bulk_load(lambda: reports[1:]) is not None
        assert store.counts()["events"] > 1
    assert summary_differences(url) == []
