"""The bulk load leaves a store exactly as one-by-one ingest of the same reports does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_snapshot import differences, snapshot

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.records import Extraction, SkippedRecords
from defcoop.store.database import Store

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "corpus" / "dev"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

Item = Extraction | InputError | SkippedRecords


def extracted(*paths: Path) -> list[Item]:
    """The reports under the paths, extracted, in the order ingest reads them."""
    return list(run_paths(list(paths), ReadOptions(), Extractor.from_package()))


def one_by_one(url: str, items: list[Item]) -> None:
    """What `defcoop ingest` does without --bulk."""
    with Store.open(url) as store:
        for item in items:
            if isinstance(item, InputError):
                store.record_error(item.source, item.reason)
            elif isinstance(item, Extraction):
                store.add(item)


def in_bulk(url: str, items: list[Item], most: int | None = None) -> str | None:
    """The bulk load (`most` mentions at a time); why it was replayed, if it was."""
    with Store.open(url) as store:
        return store.bulk_load(lambda: iter(items), part_mentions=most).replayed


def assert_same(first: str, second: str) -> None:
    a, b = snapshot(first), snapshot(second)
    assert a["events"], "nothing was stored"
    assert a == b, differences(a, b)


@pytest.fixture(scope="module")
def dev_items() -> list[Item]:
    if not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not there")
    return extracted(DEV)


@pytest.mark.slow
def test_dev_reports_into_an_empty_store(tmp_path: Path, dev_items: list[Item]) -> None:
    one_by_one(f"sqlite:///{tmp_path / 'one.db'}", dev_items)
    assert in_bulk(f"sqlite:///{tmp_path / 'bulk.db'}", dev_items) is None
    assert_same(f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}")


@pytest.mark.slow
@pytest.mark.parametrize("most", [None, 40])
def test_dev_reports_onto_a_stored_half(
    tmp_path: Path, dev_items: list[Item], most: int | None
) -> None:
    """In one slice, and in slices of 40 mentions, each onto what the one before left."""
    half = len(dev_items) // 2
    one, bulk = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    one_by_one(one, dev_items)
    one_by_one(bulk, dev_items[:half])
    # The second half re-dates restated facts of the first: still in bulk, still equal.
    with Store.open(bulk) as store:
        summary = store.bulk_load(lambda: iter(dev_items[half:]), part_mentions=most)
    assert summary.replayed is None
    mentions = sum(len(i.mentions) for i in dev_items[half:] if isinstance(i, Extraction))
    assert summary.mentions == mentions
    if most is None:
        assert summary.slices == 1
    else:
        assert summary.slices >= mentions // most
        assert summary.largest_part < mentions
    assert_same(one, bulk)


@pytest.mark.slow
def test_dev_reports_onto_an_unrelated_stored_part(tmp_path: Path, dev_items: list[Item]) -> None:
    """Stored events the load joins and merges, without replay."""
    first = dev_items[::3]
    rest = [item for item in dev_items if item not in first]
    one, bulk = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    one_by_one(one, first + rest)
    one_by_one(bulk, first)
    assert in_bulk(bulk, rest) is None
    assert_same(one, bulk)


def test_samples_and_then_one_by_one_on_top(tmp_path: Path) -> None:
    items = extracted(SAMPLES)
    one, bulk = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    one_by_one(one, items)
    assert in_bulk(bulk, items[:-3]) is None
    one_by_one(bulk, items[-3:])
    assert_same(one, bulk)


@pytest.mark.parametrize("most", [None, 1])
def test_a_load_stopped_half_way_changes_nothing(tmp_path: Path, most: int | None) -> None:
    """Stopped in its one slice, or after slices of a mention were written."""
    items = extracted(SAMPLES)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    one_by_one(url, items[:2])
    before = snapshot(url)
    given: list[Item] = []

    def broken() -> Iterator[Item]:
        for item in items[2:6]:
            given.append(item)
            yield item
        raise KeyboardInterrupt

    with Store.open(url) as store, pytest.raises(KeyboardInterrupt):
        store.bulk_load(broken, part_mentions=most)
    assert len(given) == 4
    assert snapshot(url) == before
    assert in_bulk(url, items[2:], most) is None  # and it runs again
    one = f"sqlite:///{tmp_path / 'one.db'}"
    one_by_one(one, items)
    assert_same(one, url)


def test_slices_end_where_their_mentions_reach_the_budget() -> None:
    """A slice ends with the report that brings it to `most` mentions; input errors and
    left-out records ride along; no empty slice after the last."""
    from defcoop.bulk.load import _slices

    items = [i for i in extracted(SAMPLES) if isinstance(i, Extraction)]
    counts = [len(i.mentions) for i in items]
    assert sum(counts) > 6, "the samples hold too few mentions to cut"
    error = InputError("bad.json", "not JSON")
    given: list[Item] = [error, *items, SkippedRecords("a.warc", 2, "2 request records")]
    cut = [list(s) for s in _slices(given, 3)]
    assert [i for s in cut for i in s] == given
    for piece in cut[:-1]:
        held = [len(i.mentions) for i in piece if isinstance(i, Extraction)]
        assert sum(held) >= 3
        assert sum(held[:-1]) < 3  # its last report brought it there
    assert cut[-1], "an empty slice"
    assert cut[0][0] is error


def test_the_command_says_a_load_onto_stored_events_went_in_slices(tmp_path: Path) -> None:
    """`defcoop ingest --bulk` onto a store already holding a sample report with events,
    two mentions a slice: the summary names the slices and the store is ingest's."""
    items = extracted(SAMPLES)
    first = next(i for i in items if isinstance(i, Extraction) and i.mentions)
    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    one_by_one(url, [first])
    env = {**os.environ, "DEFCOOP_DB": "", "DEFCOOP_BULK_PART": "2"}
    done = subprocess.run(
        [sys.executable, "-m", "defcoop", "ingest", "--bulk", str(SAMPLES), "--db", url],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    said = " ".join((done.stderr + done.stdout).split())  # the console wraps lines
    found = re.search(r"replayed whole in (\d+) slices \(at most", said)
    assert found is not None, said
    assert int(found.group(1)) > 1
    one = f"sqlite:///{tmp_path / 'one.db'}"
    one_by_one(one, [first, *items])
    assert_same(one, url)


def test_a_slice_reads_whether_its_new_ids_are_stored_together(
    tmp_path: Path, dev_items: list[Item]
) -> None:
    """The replay asks whether each new event's id is already stored; the ids it will
    likely ask about are read up front in a few statements, not one round trip each."""
    from sqlalchemy import Engine, event

    half = len(dev_items) // 2
    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    one_by_one(url, dev_items[:half])
    single, together = [], []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("SELECT events.event_id \nFROM events \nWHERE events.event_id"):
            (together if " IN " in statement else single).append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        with Store.open(url) as store:
            summary = store.bulk_load(lambda: iter(dev_items[half:]))
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert summary.events > 30
    assert 1 <= len(together) <= 3
    assert len(single) < summary.events / 10
