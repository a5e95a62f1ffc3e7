"""The bulk load leaves a store exactly as one-by-one ingest of the same reports does."""

from __future__ import annotations

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


def in_bulk(url: str, items: list[Item]) -> str | None:
    """The bulk load; why it was replayed, if it was."""
    with Store.open(url) as store:
        return store.bulk_load(lambda: iter(items)).replayed


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
def test_dev_reports_onto_a_stored_half(tmp_path: Path, dev_items: list[Item]) -> None:
    half = len(dev_items) // 2
    one, bulk = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    one_by_one(one, dev_items)
    one_by_one(bulk, dev_items[:half])
    # The second half re-dates restated facts of the first: still in bulk, still equal.
    assert in_bulk(bulk, dev_items[half:]) is None
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


def test_a_load_stopped_half_way_changes_nothing(tmp_path: Path) -> None:
    items = extracted(SAMPLES)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    one_by_one(url, items[:2])
    before = snapshot(url)

    def broken() -> Iterator[Item]:
        yield from items[2:6]
        raise KeyboardInterrupt

    with Store.open(url) as store, pytest.raises(KeyboardInterrupt):
        store.bulk_load(broken)
    assert snapshot(url) == before
