"""The readers on the shared dev corpus and seeds, when they are beside the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from defcoop.errors import MissingDate
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.records import Report

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "corpus" / "dev"
SEEDS = SHARED / "seeds"


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared dev corpus is not beside the repo")
def test_every_dev_report_reads_with_its_own_id_date_and_text() -> None:
    items = list(read_inputs([DEV], ReadOptions()))
    assert items, "no reports read"
    for item in items:
        assert isinstance(item, Report), item
        stored = json.loads(Path(str(item.origin)).read_text(encoding="utf-8"))
        assert item.id == stored["id"]
        assert item.published.isoformat() == stored["published"]
        assert item.text == stored["text"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside the repo")
def test_seed_text_files_read_with_dateline_or_need_a_date() -> None:
    items = list(read_inputs([SEEDS], ReadOptions()))
    assert items
    for item in items:
        if isinstance(item, Report):
            assert item.text.strip()
            assert not item.text.lstrip().startswith("date ")
        else:
            assert isinstance(item, MissingDate), item
