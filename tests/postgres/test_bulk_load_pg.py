"""On PostgreSQL (COPY), the bulk load leaves the store exactly as one-by-one ingest does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from store_snapshot import differences, snapshot

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.records import Extraction, Report
from defcoop.store.database import Store

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

pytestmark = pytest.mark.postgres


def _load(url: str, paths: list[Path], bulk: bool) -> str | None:
    items = list(run_paths(paths, ReadOptions(), Extractor.from_package()))
    with Store.open(url) as store:
        if bulk:
            return store.bulk_load(lambda: iter(items)).replayed
        for item in items:
            if isinstance(item, InputError):
                store.record_error(item.source, item.reason)
            elif isinstance(item, Extraction):
                store.add(item)
    return None


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["dev", "samples"])
def test_bulk_equals_one_by_one(postgres_server: str, postgres_url: str, corpus: str) -> None:
    from pg_server import new_database

    paths = [DEV] if corpus == "dev" else [SAMPLES]
    if corpus == "dev" and not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not there")
    other = new_database(postgres_server)
    _load(postgres_url, paths, bulk=False)
    assert _load(other, paths, bulk=True) is None
    # Every column, creation numbers included: one-by-one ingest states the order it
    # meets mentions in (`store.resolution.members_of`), whatever the server's row order.
    first = snapshot(postgres_url)
    second = snapshot(other)
    assert first["events"]
    assert first == second, differences(first, second)
    with Store.open(other) as store:  # ingest goes on after a load: ids follow on
        store.add(
            Extraction(report=store_report("after the load"), mentions=()),
        )
        assert store.counts()["reports"] == len(first["reports"]) + 1


def store_report(text: str) -> Report:
    """A report of no events, stored after the load."""
    return Report(id="after-load", text=text, published=date(2024, 1, 2))


@pytest.mark.slow
@pytest.mark.parametrize("most", [None, 40])
def test_bulk_onto_a_stored_half_equals_one_by_one(
    postgres_server: str, postgres_url: str, most: int | None
) -> None:
    """Half the dev reports stored one by one, the other half in bulk (no replay), in
    one slice and in slices of 40 mentions."""
    from pg_server import new_database

    if not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not there")
    items = list(run_paths([DEV], ReadOptions(), Extractor.from_package()))
    half = len(items) // 2
    other = new_database(postgres_server)
    for url, parts in ((postgres_url, [items]), (other, [items[:half]])):
        with Store.open(url) as store:
            for item in (i for part in parts for i in part):
                if isinstance(item, Extraction):
                    store.add(item)
    with Store.open(other) as store:
        summary = store.bulk_load(lambda: iter(items[half:]), part_mentions=most)
    assert summary.replayed is None
    assert (summary.slices > 1) == (most is not None)
    assert summary.reports == sum(isinstance(i, Extraction) for i in items[half:])
    first, second = snapshot(postgres_url), snapshot(other)
    assert first == second, differences(first, second)


def test_batches_built_in_workers_copy_awkward_text(
    postgres_server: str, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read phase's COPY text, built in two worker processes: backslashes, tabs,
    line breaks and coordinates stored as one-by-one ingest stores them; repeats in
    batches in flight and written are stored once."""
    from made_up_reports import made_up_reports, with_repeats_and_awkward_text
    from pg_server import new_database

    from defcoop.bulk import intake

    items = with_repeats_and_awkward_text(list(made_up_reports(90, seed=31)))
    other = new_database(postgres_server)
    with Store.open(postgres_url) as store:
        assert sum(1 for item in items if store.add(item)) == 90
    monkeypatch.setattr(intake, "CHECK_BATCH", 7)
    with Store.open(other) as store:
        summary = store.bulk_load(lambda: iter(items), part_mentions=40, workers=2)
    assert summary.replayed is None and summary.skipped == len(items) - 90
    first, second = snapshot(postgres_url), snapshot(other)
    texts = [v for row in first["reports"] for v in row if isinstance(v, str)]
    assert any("\\" in v and "\t" in v and "\r\n" in v for v in texts)
    assert first == second, differences(first, second)


def test_parts_replayed_a_class_at_a_time_equal_one_by_one(
    postgres_server: str, postgres_url: str
) -> None:
    """Facts restated over eight years move mentions between years' classes both ways;
    the part they join, larger than `part_mentions`, is replayed a class at a time in two
    worker processes and gives ingest's store, `events.seq` and aliases included."""
    from made_up_reports import made_up_reports
    from pg_server import new_database

    items = list(made_up_reports(300, seed=7, years=8))
    with Store.open(postgres_url) as store:
        for item in items:
            store.add(item)
    other = new_database(postgres_server)
    with Store.open(other) as store:
        summary = store.bulk_load(lambda: iter(items), part_mentions=20, workers=2)
    assert summary.replayed is None and summary.in_pieces == 1
    first, second = snapshot(postgres_url), snapshot(other)
    assert first["event_aliases"]
    assert first == second, differences(first, second)


def test_undated_names_in_parts_of_their_years_equal_one_by_one(
    postgres_server: str, postgres_url: str
) -> None:
    """Named agreements told undated join only the years their names were told in; the
    parts, in two worker processes, give ingest's store."""
    from made_up_reports import made_up_reports
    from pg_server import new_database

    items = list(made_up_reports(200, seed=17, names=6))
    with Store.open(postgres_url) as store:
        for item in items:
            store.add(item)
    other = new_database(postgres_server)
    with Store.open(other) as store:
        summary = store.bulk_load(lambda: iter(items), part_mentions=30, workers=2)
    assert summary.replayed is None and summary.parts > 3
    first, second = snapshot(postgres_url), snapshot(other)
    assert first == second, differences(first, second)


@pytest.mark.parametrize("onto_stored", [False, True], ids=["empty", "non-empty"])
def test_a_bulk_load_leaves_its_keys_with_statistics(postgres_url: str, onto_stored: bool) -> None:
    """The next load looks its candidates up by key: without statistics of the keys a
    load wrote, the planner scans them all for every look-up."""
    from made_up_reports import made_up_reports
    from sqlalchemy import create_engine, text

    items = list(made_up_reports(40, seed=5))
    with Store.open(postgres_url) as store:
        if onto_stored:
            for item in items[:10]:
                store.add(item)
        summary = store.bulk_load(lambda: iter(items[10:] if onto_stored else items))
    assert summary.replayed is None
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        analysed = connection.execute(
            text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'mention_keys'")
        ).scalar_one()
    engine.dispose()
    assert analysed is not None
