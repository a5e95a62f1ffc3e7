"""The read phase's batches built in worker processes give the rows one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from made_up_reports import made_up_reports, with_repeats_and_awkward_text
from store_snapshot import differences, snapshot

from defcoop.bulk import intake
from defcoop.records import Extraction
from defcoop.store.database import Store


def one_by_one(url: str, items: list[Extraction]) -> int:
    """Store the reports one at a time; how many were stored (repeats are not)."""
    with Store.open(url) as store:
        return sum(1 for item in items if store.add(item))


def test_batches_built_in_workers_give_the_one_by_one_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small batches, so that repeats fall in a batch still being built (in flight) as
    well as in batches already written; text COPY and SQLite must take as they are."""
    items = with_repeats_and_awkward_text(list(made_up_reports(90, seed=31)))
    one = f"sqlite:///{tmp_path / 'one.db'}"
    stored = one_by_one(one, items)
    assert stored == 90 < len(items)
    expected = snapshot(one)
    monkeypatch.setattr(intake, "CHECK_BATCH", 7)
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'bulk-{workers}.db'}"
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(items), part_mentions=40, workers=workers)
        assert summary.replayed is None
        assert (summary.reports, summary.skipped) == (90, len(items) - 90)
        found = snapshot(url)
        assert found == expected, differences(expected, found)
