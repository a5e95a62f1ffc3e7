"""`defcoop batch` on a real LocalCluster of two worker processes, and `ingest` of its output.

One cluster serves the whole module; each test writes its own inputs and output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from batch_reports import REPORTS, write_inputs
from distributed import Client
from typer.testing import CliRunner

from defcoop.batch.output import read_batch_output
from defcoop.batch.run import BatchSummary, local_cluster, run_batch
from defcoop.batch.shards import Shard, plan_shards
from defcoop.batch.task import extract_with_ids
from defcoop.cli import app
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.pipeline import Extractor
from defcoop.records import Extraction, Report
from defcoop.store.database import Store

OPTIONS = ReadOptions()
CLEAN_ENV: dict[str, str | None] = {
    "DEFCOOP_DB": None,
    "DEFCOOP_MAX_BYTES": None,
    "DEFCOOP_PUBLISHED": None,
}
GUIDELINES_KEYS = (
    "doc",
    "type",
    "name",
    "participants",
    "location",
    "start",
    "end",
    "status",
    "evidence",
    "event_id",
)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A client of a local cluster of two single-threaded worker processes (no dashboard)."""
    with local_cluster(2) as cluster, Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """The production extractor, for the direct extraction the batch is compared with."""
    return Extractor.from_package()


def file_hashes(out: Path) -> dict[str, str]:
    """SHA-256 of every file under a directory, by relative path."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def run(tmp_path: Path, client: Client) -> tuple[list[Shard], Path, BatchSummary]:
    """Write the fixture inputs, plan them in shards of two files, and run the batch."""
    inputs = write_inputs(tmp_path / "in")
    shards = plan_shards(inputs, shard_size=2)
    out = tmp_path / "out"
    return shards, out, run_batch(shards, out, OPTIONS, client)


def guideline_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet mention row in the JSON form of `extract --format jsonl` (coordinates rounded)."""
    value = {key: row[key] for key in GUIDELINES_KEYS}
    location = row["location"]
    if location is not None:
        value["location"] = {"name": location["name"], "country": location["country"]}
        if location["lat"] is not None and location["lon"] is not None:
            value["location"]["lat"] = round(location["lat"], 4)
            value["location"]["lon"] = round(location["lon"], 4)
    return value


def direct(extractor: Extractor, tmp_path: Path) -> dict[str, Extraction]:
    """The fixture inputs read and extracted in this process, by report id."""
    found = {}
    for item in read_inputs(sorted((tmp_path / "in").iterdir()), OPTIONS):
        if isinstance(item, Report):
            found[item.id] = extract_with_ids(extractor, item)
    assert len(found) == len(REPORTS)
    return found


def test_batch_writes_what_the_extractor_gives(
    tmp_path: Path, client: Client, extractor: Extractor
) -> None:
    shards, out, summary = run(tmp_path, client)
    # wire-a, wire-b, and the folder's three files in shards of two
    assert len(shards) == 4
    assert (summary.shards_done, summary.shards_skipped) == (4, 0)
    assert (summary.reports, summary.errors) == (len(REPORTS), 1)
    assert sorted(p.name for p in (out / "_done").iterdir()) == sorted(s.id for s in shards)
    years = sorted(p.name for p in (out / "mentions").iterdir())
    assert years == ["year=2021", "year=2022", "year=2023"]

    table = ds.dataset(out / "mentions", format="parquet", partitioning="hive").to_table()
    rows = table.to_pylist()
    expected = direct(extractor, tmp_path)
    assert summary.mentions == len(rows) == sum(len(x.mentions) for x in expected.values())
    by_report: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["report_id"], r["report_ordinal"])):
        by_report.setdefault(row["report_id"], []).append(row)
        assert row["year"] == row["published"].year
    for report_id, extraction in expected.items():
        got = by_report.get(report_id, [])
        assert [guideline_row(r) for r in got] == [m.as_json() for m in extraction.mentions]
        offsets = [[(o["start"], o["end"]) for o in r["evidence_offsets"]] for r in got]
        assert offsets == [[(e.start, e.end) for e in m.evidence] for m in extraction.mentions]

    reports = ds.dataset(out / "reports", format="parquet", partitioning="hive").to_table()
    assert sorted(reports.column("id").to_pylist()) == sorted(r["id"] for r in REPORTS)


def test_bad_lines_are_listed_with_their_reason(tmp_path: Path, client: Client) -> None:
    _, out, _ = run(tmp_path, client)
    (errors_file,) = (out / "errors").iterdir()
    assert errors_file.name.startswith("part-wire-a.jsonl-")
    (error,) = [json.loads(line) for line in errors_file.read_text().splitlines()]
    assert error["source"].endswith("wire-a.jsonl:2")
    assert "invalid JSON" in error["reason"]


def test_a_rerun_skips_every_shard_and_changes_no_byte(tmp_path: Path, client: Client) -> None:
    shards, out, _ = run(tmp_path, client)
    before = file_hashes(out)
    again = run_batch(shards, out, OPTIONS, client)
    assert (again.shards_done, again.shards_skipped) == (0, len(shards))
    assert (again.reports, again.errors) == (len(REPORTS), 1)
    assert file_hashes(out) == before


def test_a_crashed_shard_is_redone_exactly(tmp_path: Path, client: Client) -> None:
    shards, out, _ = run(tmp_path, client)
    before = file_hashes(out)
    victim = next(s for s in shards if s.id.startswith("wire-b"))
    marker = out / "_done" / victim.id
    for name in json.loads(marker.read_text())["files"]:
        (out / name).unlink()
    marker.unlink()
    assert file_hashes(out) != before
    again = run_batch(shards, out, OPTIONS, client)
    assert (again.shards_done, again.shards_skipped) == (1, len(shards) - 1)
    assert file_hashes(out) == before


def test_reading_the_output_back_rebuilds_the_extractions(
    tmp_path: Path, client: Client, extractor: Extractor
) -> None:
    _, out, _ = run(tmp_path, client)
    items = list(read_batch_output(out))
    rebuilt = {x.report.id: x for x in items if isinstance(x, Extraction)}
    for report_id, extraction in direct(extractor, tmp_path).items():
        assert rebuilt[report_id] == extraction
    assert len(items) - len(rebuilt) == 1  # the bad line


def stored_mentions(url: str) -> list[str]:
    """The store's mentions as sorted JSON lines."""
    with Store.open(url) as store:
        return sorted(json.dumps(m.as_json(), sort_keys=True) for m in store.mentions())


def test_ingest_of_the_output_equals_ingest_of_the_inputs(tmp_path: Path, client: Client) -> None:
    _, out, _ = run(tmp_path, client)
    runner = CliRunner()
    from_batch = f"sqlite:///{tmp_path / 'batch.db'}"
    from_raw = f"sqlite:///{tmp_path / 'raw.db'}"
    result = runner.invoke(app, ["ingest", str(out), "--db", from_batch], env=CLEAN_ENV)
    assert result.exit_code == 1, result.output  # the bad line is recorded again
    inputs = [str(p) for p in sorted((tmp_path / "in").iterdir())]
    result = runner.invoke(app, ["ingest", *inputs, "--db", from_raw], env=CLEAN_ENV)
    assert result.exit_code == 1, result.output
    assert stored_mentions(from_batch) == stored_mentions(from_raw) != []


def test_the_command_runs_on_a_cluster_given_by_address(tmp_path: Path, client: Client) -> None:
    inputs = write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    address = client.scheduler.address
    args = ["batch", *map(str, inputs), "--out", str(out), "--scheduler", address]
    args += ["--shard-size", "2"]
    result = CliRunner().invoke(app, args, env=CLEAN_ENV)
    assert result.exit_code == 1, result.output
    assert "4 shards done, 0 skipped" in result.output
    assert f"{len(REPORTS)} reports" in result.output
    again = CliRunner().invoke(app, args, env=CLEAN_ENV)
    assert "0 shards done, 4 skipped" in again.output
    assert again.exit_code == 1


def test_the_command_starts_its_own_local_cluster(tmp_path: Path) -> None:
    plain = write_inputs(tmp_path / "in")[1]  # the gzipped shard, with no bad line
    out = tmp_path / "out"
    args = ["batch", str(plain), "--out", str(out), "--workers", "2"]
    result = CliRunner().invoke(app, args, env=CLEAN_ENV)
    assert result.exit_code == 0, result.output
    assert "1 shards done, 0 skipped (already done); 2 reports" in result.output
    assert len(list((out / "_done").iterdir())) == 1
