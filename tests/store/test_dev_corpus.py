"""On the real dev corpus, the store fed one report at a time finds the events `extract` finds."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.records import Extraction, Mention
from defcoop.resolve.background import restate_dates
from defcoop.resolve.clusters import cluster_mentions
from defcoop.store.database import Store

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "corpus" / "dev"
SCORER = SHARED / "eval" / "score.py"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEV.is_dir(), reason="../shared/corpus/dev is not there"),
]


def partition(mentions: Iterable[Mention]) -> set[frozenset[tuple[str, int, str]]]:
    """Mentions grouped by event id, each named by report, first offset and type."""
    groups: dict[str | None, set[tuple[str, int, str]]] = {}
    for m in mentions:
        offset = m.evidence[0].start if m.evidence else -1
        groups.setdefault(m.event_id, set()).add((m.doc, offset, m.type))
    return {frozenset(g) for g in groups.values()}


def records(store: Store) -> dict[frozenset[tuple[str, int, str]], dict[str, object]]:
    """Each event's fields, conflicts and series, keyed by its mentions (ids aside)."""
    members: dict[str, set[tuple[str, int, str]]] = {}
    for m in store.mentions():
        offset = m.evidence[0].start if m.evidence else -1
        members.setdefault(str(m.event_id), set()).add((m.doc, offset, m.type))
    found = {}
    for record in store.events():
        fields = record.as_json()
        del fields["event_id"]
        fields["conflict_values"] = {
            name: sorted(str(v["value"]) for v in values)
            for name, values in record.conflicts.items()
        }
        found[frozenset(members[record.event_id])] = fields
    return found


def cluster_f1(mentions: list[Mention], path: Path) -> float:
    """The scorer's cross-report cluster F1 of the mentions."""
    path.write_text("".join(json.dumps(m.as_json()) + "\n" for m in mentions), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCORER), str(DEV), str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    value = json.loads(result.stdout)["clusters"]["f1"]
    assert isinstance(value, float)
    return value


def test_store_one_at_a_time_partitions_the_dev_corpus_as_extract_does(tmp_path: Path) -> None:
    extractions = [
        x
        for x in run_paths([DEV], ReadOptions(), Extractor.from_package())
        if not isinstance(x, InputError)
    ]
    assert len(extractions) > 20
    together = cluster_mentions(restate_dates(m for x in extractions for m in x.mentions))
    order: list[Extraction] = list(extractions)
    random.Random(7).shuffle(order)
    with Store(f"sqlite:///{tmp_path / 'dev.db'}") as store:
        for extraction in order:
            store.add(extraction)
        stored = list(store.mentions())
        shuffled_records = records(store)
    with Store(f"sqlite:///{tmp_path / 'dev-in-order.db'}") as store:
        for extraction in extractions:
            store.add(extraction)
        in_order_records = records(store)
    assert partition(stored) == partition(together)
    # The records, their conflicts and series are the same whatever the order.
    assert shuffled_records == in_order_records
    assert any(r["conflict_values"] for r in in_order_records.values())
    assert any(r["series"] for r in in_order_records.values())
    extract_f1 = cluster_f1(together, tmp_path / "extract.jsonl")
    store_f1 = cluster_f1(stored, tmp_path / "store.jsonl")
    print(f"cluster F1: extract {extract_f1:.3f}, store one at a time {store_f1:.3f}")
    assert abs(store_f1 - extract_f1) <= 0.01
