"""A bulk load into an empty store resolves a part at a time and still gives ingest's store."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

import pytest
from made_up_reports import made_up_reports
from sqlalchemy import create_engine, text
from store_snapshot import differences, snapshot

from defcoop.bulk import by_part
from defcoop.bulk.part_replay import PartDone, PartJob
from defcoop.bulk.parts import class_of
from defcoop.records import Extraction
from defcoop.store.database import Store


def _one_by_one(url: str, items: list[Extraction]) -> None:
    with Store.open(url) as store:
        for item in items:
            store.add(item)


def test_small_parts_give_the_one_by_one_store(tmp_path: Path) -> None:
    items = list(made_up_reports(240, seed=5))
    one = f"sqlite:///{tmp_path / 'one.db'}"
    _one_by_one(one, items)
    expected = snapshot(one)
    assert len(expected["events"]) > 50
    # Restating moved mentions across a year: some events were re-grouped, as ingest does.
    assert any(row for row in expected["mentions"] if "agreement" in row)
    for most in (1, 40, 1_000_000):
        url = f"sqlite:///{tmp_path / f'bulk-{most}.db'}"
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(items), part_mentions=most)
        assert summary.replayed is None
        found = snapshot(url)
        assert found == expected, differences(expected, found)
        if most == 1_000_000:
            assert summary.parts == 1
            assert summary.largest_part == summary.mentions == 480
        else:
            assert summary.parts >= 5
            classes = {class_of(m) for x in items for m in x.mentions}
            assert summary.parts <= len(classes)
            # one class may hold more than `most`, never a packing of several
            assert summary.largest_part < summary.mentions / 3


def test_parts_match_the_whole_replay_onto_a_stored_load(tmp_path: Path) -> None:
    """A second load onto a store is resolved whole; it agrees with ingest too."""
    items = list(made_up_reports(160, seed=8))
    one, bulk = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    _one_by_one(one, items)
    with Store.open(bulk) as store:
        first = store.bulk_load(lambda: iter(items[:100]), part_mentions=30)
        second = store.bulk_load(lambda: iter(items[100:]), part_mentions=30)
    assert first.parts > 1 and second.parts == 1
    a, b = snapshot(one), snapshot(bulk)
    assert a == b, differences(a, b)


def test_parts_in_worker_processes_give_the_serial_store(tmp_path: Path) -> None:
    """Parts replayed by two worker processes at once: the same rows as one after the
    other in the loader's process, creation numbers (`events.seq`) and aliases included."""
    items = list(made_up_reports(240, seed=13))
    found: dict[int, dict[str, list[tuple[object, ...]]]] = {}
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'bulk-{workers}.db'}"
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(items), part_mentions=40, workers=workers)
        assert summary.replayed is None
        assert summary.parts >= 5
        found[workers] = snapshot(url)
    serial, parallel = found[1], found[2]
    assert len(serial["events"]) > 50 and serial["event_aliases"]
    assert parallel == serial, differences(serial, parallel)


def _moved_years(url: str, items: list[Extraction]) -> tuple[int, int]:
    """How many mentions the store dates to a later year than told, and to an earlier."""
    told = {
        (x.report.id, n): int(m.start[:4])
        for x in items
        for n, m in enumerate(x.mentions)
        if m.start
    }
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT report_id, ordinal, start FROM mentions")).all()
    engine.dispose()
    moves = [(int(start[:4]), told[(report, n)]) for report, n, start in rows if start]
    return sum(now > was for now, was in moves), sum(now < was for now, was in moves)


def test_parts_replayed_a_class_at_a_time_give_the_one_by_one_store(tmp_path: Path) -> None:
    """Facts restated with dates over eight years: reports re-date mentions from one
    year's class to another, both ways, which joins the classes into one part larger
    than `part_mentions`; it is replayed a class at a time, the classes passing each
    other the crossing mentions (`bulk.crossing`), and gives ingest's store row for row,
    creation numbers and aliases included, in one process and in two."""
    items = list(made_up_reports(400, seed=7, years=8))
    one = f"sqlite:///{tmp_path / 'one.db'}"
    _one_by_one(one, items)
    expected = snapshot(one)
    assert len(expected["events"]) > 100 and expected["event_aliases"]
    later, earlier = _moved_years(one, items)
    assert later > 10 and earlier > 10
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'bulk-{workers}.db'}"
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(items), part_mentions=20, workers=workers)
        assert summary.replayed is None
        assert summary.in_pieces == 1
        found = snapshot(url)
        assert found == expected, differences(expected, found)


def test_parts_sent_as_they_finish_give_the_one_by_one_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader sends the parts as they finish: here the first part, the largest (the
    restated agreements of every year, joined), is held back until every other part is
    sent, and the rest come in reverse; the store is still ingest's, row for row,
    creation numbers (`events.seq`) and aliases included."""
    items = list(made_up_reports(400, seed=7, years=8))
    one = f"sqlite:///{tmp_path / 'one.db'}"
    _one_by_one(one, items)
    expected = snapshot(one)
    assert len(expected["events"]) > 100 and expected["event_aliases"]
    real = by_part.replay_parts
    orders: list[list[tuple[int, int]]] = []

    def first_last(
        jobs: Iterator[PartJob], workers: int, executor: Executor | None = None
    ) -> Iterator[PartDone]:
        finished = list(real(jobs, workers, executor))
        order = sorted(finished, key=lambda done: (done.number == 0, -done.number))
        orders.append([(done.number, done.mentions) for done in order])
        yield from order

    monkeypatch.setattr(by_part, "replay_parts", first_last)
    for most, workers in ((60, 1), (20, 2)):
        url = f"sqlite:///{tmp_path / f'bulk-{most}-{workers}.db'}"
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(items), part_mentions=most, workers=workers)
        assert summary.replayed is None
        assert summary.parts >= 5
        sent = orders[-1]
        # the first part, the largest, was sent last, the others in reverse
        assert sent[-1][0] == 0 and sent[-1][1] == max(size for _, size in sent)
        assert [n for n, _ in sent[:-1]] == sorted((n for n, _ in sent[:-1]), reverse=True)
        found = snapshot(url)
        assert found == expected, differences(expected, found)
        # the indexes the load set aside while the parts filled their tables are back
        assert _indexes(url) == _indexes(one)
    assert summary.in_pieces == 1  # the last load's first part went a class at a time


def _indexes(url: str) -> set[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        found = {(row.name, row.sql) for row in connection.execute(text(query))}
    engine.dispose()
    assert len(found) > 30
    return found


class _Stop(Exception):
    """Raised from the progress display: the load stops where it is."""


def test_a_load_stopped_with_its_indexes_set_aside_leaves_them_in_place(
    tmp_path: Path,
) -> None:
    """Stopped while it writes the events, indexes of the filled tables dropped (SQLite),
    the load leaves the store empty with every index it had; run again it completes."""
    items = list(made_up_reports(120, seed=3))
    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    with Store.open(url) as store:
        pass
    before = _indexes(url)
    seen: list[tuple[str, int]] = []

    def stop_in_write(phase: str, done: int, total: int | None) -> None:
        seen.append((phase, done))
        if phase == "write" and done > 0:
            raise _Stop

    with Store.open(url) as store, pytest.raises(_Stop):
        store.bulk_load(lambda: iter(items), stop_in_write, part_mentions=40)
    # stopped at its first events, written once every part was in (indexes set aside)
    assert [phase for phase, _ in seen].count("assign") > 1 and seen[-1][0] == "write"
    assert _indexes(url) == before
    assert all(not rows for rows in snapshot(url).values())
    one = f"sqlite:///{tmp_path / 'one.db'}"
    _one_by_one(one, items)
    with Store.open(url) as store:
        assert store.bulk_load(lambda: iter(items), part_mentions=40).parts > 1
    expected, found = snapshot(one), snapshot(url)
    assert found == expected, differences(expected, found)
    assert _indexes(url) == before


def test_undated_names_join_only_the_years_of_their_names(tmp_path: Path) -> None:
    """Named agreements of seven years, a name per year or two, a third of them told
    undated: an undated name may match its name's agreement of any year, so its class
    joins those years' classes, and only those; the agreements of the other years stay
    in parts of their own. The store is ingest's, in one process and in two."""
    items = list(made_up_reports(300, seed=17, names=6))
    undated = [m for x in items for m in x.mentions if class_of(m).startswith("agreement|*|")]
    assert len({class_of(m) for m in undated}) == 6 and len(undated) > 20
    agreements = sum(m.type == "agreement" for x in items for m in x.mentions)
    one = f"sqlite:///{tmp_path / 'one.db'}"
    _one_by_one(one, items)
    expected = snapshot(one)
    # ingest joined undated names to dated tellings of them
    engine = create_engine(one)
    with engine.connect() as connection:
        joined = connection.execute(
            text(
                "SELECT count(DISTINCT a.event_id) FROM mentions a JOIN mentions b"
                " ON a.event_id = b.event_id WHERE a.type = 'agreement' AND a.name IS NOT NULL"
                " AND a.start IS NULL AND b.start IS NOT NULL"
            )
        ).scalar_one()
    engine.dispose()
    assert joined > 3
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'bulk-{workers}.db'}"
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(items), part_mentions=30, workers=workers)
        assert summary.replayed is None
        # not every agreement in one part, as when an undated name joined every year (the
        # largest holds the years 2014 and 2020, which share a name, and 2020's unnamed)
        assert summary.largest_part < agreements * 2 / 3
        found = snapshot(url)
        assert found == expected, differences(expected, found)


def test_a_part_joined_by_undated_names_past_its_bound_goes_in_slices(tmp_path: Path) -> None:
    """Parts of five mentions: the years an undated name joins hold more than four parts'
    worth and cannot be replayed a class at a time, so the load is replayed whole in
    slices of five mentions instead, says why, and gives ingest's store."""
    items = list(made_up_reports(120, seed=17, names=6))
    one, url = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    _one_by_one(one, items)
    with Store.open(url) as store:
        summary = store.bulk_load(lambda: iter(items), part_mentions=5)
    assert summary.replayed is None
    assert summary.whole_because is not None and "undated named" in summary.whole_because
    assert summary.slices == 240 // 6  # three reports of two mentions a slice
    assert summary.largest_part <= 6
    assert summary.reports == 120 and summary.mentions == 240
    expected, found = snapshot(one), snapshot(url)
    assert found == expected, differences(expected, found)
