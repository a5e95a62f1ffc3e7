"""Shard planning, the Parquet rows of a mention, and one shard processed in this process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from batch_reports import REPORTS, write_inputs

from defcoop.batch.layout import read_marker
from defcoop.batch.output import is_batch_output, read_batch_output
from defcoop.batch.shards import plan_shards
from defcoop.batch.tables import mention_from_record, mention_record
from defcoop.batch.task import process_shard
from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.records import Evidence, Extraction, Location, Mention, Report


def test_each_jsonl_file_is_a_shard_and_a_directory_is_cut_by_size(tmp_path: Path) -> None:
    plain, packed, folder = write_inputs(tmp_path)
    (folder / "more.jsonl").write_text(json.dumps(REPORTS[0]) + "\n", encoding="utf-8")
    (folder / ".hidden.json").write_text("{}", encoding="utf-8")
    shards = plan_shards([plain, packed, folder], shard_size=2)
    assert [len(s.paths) for s in shards] == [1, 1, 2, 1, 1]
    assert shards[0].paths == (str(plain),)
    assert shards[4].paths == (str(folder / "more.jsonl"),)  # a lines file ends a group
    assert not any(".hidden" in p for s in shards for p in s.paths)
    assert [s.id.split("-")[-2] for s in shards[2:]] == ["00000", "00001", "00002"]


def test_shard_ids_are_stable_and_distinct(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path)
    first = plan_shards(inputs, shard_size=1)
    assert [s.id for s in plan_shards(inputs, shard_size=1)] == [s.id for s in first]
    assert len({s.id for s in first}) == len(first)
    assert plan_shards([*inputs, inputs[0]], shard_size=1) == first  # given twice, planned once
    assert [s.id for s in plan_shards(inputs, shard_size=2)] != [s.id for s in first]


def test_an_empty_or_missing_input_is_a_shard_that_reports_its_fault(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing.jsonl"
    shards = plan_shards([empty, missing])
    assert [s.paths for s in shards] == [(str(empty),), (str(missing),)]
    with pytest.raises(ValueError, match="at least 1"):
        plan_shards([empty], shard_size=0)


def test_a_mention_row_rebuilds_the_mention() -> None:
    mention = Mention(
        doc="r1",
        type="exercise",
        name="Steppe Test-2024",
        participants=("KAZ", "KGZ"),
        location=Location("Osh", "KGZ", 40.5283, 72.7985, "geonames:1527534"),
        start="2024-05",
        end=None,
        status="completed",
        evidence=(Evidence("First sentence.", 0, 15), Evidence("Third one.", 40, 50)),
        forces=("airborne troops",),
        background=True,
        event_id="exercise-x-1",
        published=date(2024, 6, 1),
    )
    row = mention_record(mention, "r1", 3)
    assert row["report_ordinal"] == 3
    assert row["evidence_offsets"] == [{"start": 0, "end": 15}, {"start": 40, "end": 50}]
    assert mention_from_record(row) == mention
    with pytest.raises(ValueError, match="unknown event type"):
        mention_from_record({**row, "type": "parade"})


def test_a_report_whose_extraction_fails_is_an_error_and_the_shard_goes_on(
    tmp_path: Path,
) -> None:
    plain = write_inputs(tmp_path / "in")[0]
    (shard,) = plan_shards([plain])
    out = tmp_path / "out"

    def fragile(report: Report) -> Extraction:
        """An extraction that fails on one report."""
        if report.id == REPORTS[1]["id"]:
            raise RuntimeError("lexicon exploded")
        return Extraction(report=report)

    result = process_shard(shard, out, ReadOptions(), fragile)
    assert (result.reports, result.errors) == (1, 2)
    assert read_marker(out, shard.id) == result
    assert is_batch_output(out)
    items = list(read_batch_output(out))
    reasons = [i.reason for i in items if isinstance(i, InputError)]
    assert any("invalid JSON" in r for r in reasons)
    assert "extraction failed: RuntimeError: lexicon exploded" in reasons
    assert not list(out.rglob(".*.tmp"))


def test_an_output_without_done_shards_reads_as_one_error(tmp_path: Path) -> None:
    (tmp_path / "_done").mkdir()
    (item,) = read_batch_output(tmp_path)
    assert isinstance(item, InputError)
    assert "no complete shard" in item.reason
    assert not is_batch_output(tmp_path / "_done")


def test_a_marker_cut_short_means_the_shard_is_not_done(tmp_path: Path) -> None:
    (tmp_path / "_done").mkdir()
    (tmp_path / "_done" / "s1").write_text('{"shard": "s1"', encoding="utf-8")
    (tmp_path / "_done" / "s2").write_text("[]", encoding="utf-8")
    assert read_marker(tmp_path, "s1") is None
    assert read_marker(tmp_path, "s2") is None
    assert read_marker(tmp_path, "s3") is None
