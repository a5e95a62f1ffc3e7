"""A bulk load whose pairs are decided on a Dask cluster gives the in-process load's store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client
from made_up_reports import made_up_reports
from store_snapshot import differences, snapshot
from test_bulk_equality import DEV, SAMPLES, Item, extracted, one_by_one

from defcoop.batch.run import local_cluster
from defcoop.bulk.decisions import Entry, Pair, on_cluster
from defcoop.store.database import Store

DEFCOOP = [sys.executable, "-m", "defcoop"]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with local_cluster(1) as cluster, Client(cluster) as connected:  # type: ignore[no-untyped-call]
        yield connected


@pytest.mark.slow
def test_dev_reports_onto_a_stored_part(tmp_path: Path, client: Client) -> None:
    if not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not there")
    items: list[Item] = extracted(DEV)
    first = items[: len(items) // 3]
    here, there = f"sqlite:///{tmp_path / 'here.db'}", f"sqlite:///{tmp_path / 'there.db'}"
    sent: list[int] = []
    matched: list[int] = []
    decide = on_cluster(client)

    def counted(every: list[Entry]) -> set[Pair]:
        found = decide(every)
        sent.append(len(every))
        matched.append(len(found))
        return found

    for url in (here, there):
        one_by_one(url, first)
    with Store.open(here) as store:
        assert store.bulk_load(lambda: iter(items[len(first) :])).replayed is None
    with Store.open(there) as store:
        # slices of 60 mentions: each slice's pairs decided on the cluster in turn
        summary = store.bulk_load(
            lambda: iter(items[len(first) :]), decide_pairs=counted, part_mentions=60
        )
    assert summary.replayed is None
    assert summary.slices > 1 and len(sent) == summary.slices
    assert sum(sent) > 100 and sum(matched) > 10  # the cluster did decide pairs
    a, b = snapshot(here), snapshot(there)
    assert a["events"]
    assert a == b, differences(a, b)


@pytest.mark.slow
def test_parts_of_a_load_into_an_empty_store_replayed_on_the_cluster(
    tmp_path: Path, client: Client
) -> None:
    """With a cluster, a load into an empty store goes by parts too, replayed by the
    cluster's workers: the store is the one one-by-one ingest gives."""
    items = list(made_up_reports(200, seed=21))
    here, there = f"sqlite:///{tmp_path / 'here.db'}", f"sqlite:///{tmp_path / 'there.db'}"
    one_by_one(here, items)
    on_the_cluster: list[int] = []
    executor = client.get_executor(pure=False)
    submit = executor.submit

    def counted(*args: object, **kwargs: object) -> object:
        on_the_cluster.append(1)
        return submit(*args, **kwargs)  # type: ignore[arg-type]

    executor.submit = counted  # type: ignore[method-assign]
    with Store.open(there) as store:
        summary = store.bulk_load(
            lambda: iter(items),
            decide_pairs=on_cluster(client),
            part_mentions=40,
            part_executor=executor,
        )
    assert summary.replayed is None
    assert summary.parts > 3 and len(on_the_cluster) == summary.parts
    a, b = snapshot(here), snapshot(there)
    assert a["events"]
    assert a == b, differences(a, b)


@pytest.mark.slow
def test_ingest_with_scheduler_on_the_command_line(tmp_path: Path, client: Client) -> None:
    stores = []
    for name, extra in (("here", []), ("there", ["--scheduler", client.scheduler.address])):
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "defcoop",
                "ingest",
                "--bulk",
                str(SAMPLES),
                "--db",
                url,
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "DEFCOOP_DB": ""},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "bulk load:" in done.stderr
        stores.append(snapshot(url))
    assert stores[0]["events"]
    assert stores[0] == stores[1], differences(stores[0], stores[1])


def test_scheduler_is_refused_one_by_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    done = subprocess.run(
        [*DEFCOOP, "ingest", "--one-by-one", "--scheduler", "tcp://x:1", str(SAMPLES), "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DEFCOOP_DB": ""},
        check=False,
    )
    assert done.returncode != 0
    assert "--scheduler" in done.stderr
