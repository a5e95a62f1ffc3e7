"""The `defcoop` command end to end: output formats, bad inputs, the store, the filters.

The reports are short texts written for these tests, plus the bundled samples.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from defcoop import ReadOptions, Report, Store, read_inputs
from defcoop.cli import app
from defcoop.records import EVENT_TYPES, STATUSES

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

GUIDELINES_KEYS = {
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
}
# Room for the whole table: rich squeezes columns to fit an 80-column terminal.
WIDE = {"COLUMNS": "240"}
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
ACTOR_CODE = re.compile(r"[A-Z]{2,5}")
# No setting may leak in from the environment of whoever runs the tests.
CLEAN_ENV: dict[str, str | None] = {
    "DEFCOOP_DB": None,
    "DEFCOOP_MAX_BYTES": None,
    "DEFCOOP_PUBLISHED": None,
}

GEO_ROU = {
    "id": "test-geo-rou-drill",
    "published": "2022-10-05",
    "source": "Test Wire",
    "text": (
        "Georgian and Romanian infantry units began a joint tactical exercise near Kutaisi "
        "on Tuesday, the Georgian Defence Ministry said. The exercise will run until October 14."
    ),
}
EST_MDA = {
    "id": "test-est-mda-course",
    "published": "2023-06-12",
    "text": (
        "Twenty Moldovan officers graduated from a staff officers course at a military academy "
        "in Tartu, Estonia, on Friday, the Estonian Defence Forces said."
    ),
}
AUS_IDN_TEXT = (
    "Indonesian and Australian marines held a joint amphibious exercise near Darwin "
    "from July 3 to 9, the Australian Defence Force said on Monday."
)
BGR_MKD = {
    "id": "test-bgr-mkd-talks",
    "published": "2023-04-14",
    "text": (
        "The Bulgarian defence minister visited Skopje on Thursday and held talks with his "
        "North Macedonian counterpart on air policing."
    ),
}


def run(args: list[str], env: Mapping[str, str | None] | None = None) -> Result:
    """Invoke the CLI in-process with a clean environment."""
    return CliRunner().invoke(app, args, env={**CLEAN_ENV, **(env or {})})


def write_json(path: Path, report: dict[str, str]) -> Path:
    """Write one JSON report."""
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def jsonl_rows(stdout: str) -> list[dict[str, object]]:
    """The JSON object of every non-blank line."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def texts_of(paths: list[Path]) -> dict[str, str]:
    """Report id -> text, read with the project's own readers."""
    found: dict[str, str] = {}
    for item in read_inputs(paths, ReadOptions()):
        assert isinstance(item, Report), item
        found[item.id] = item.text
    return found


def check_guidelines_row(row: dict[str, object], texts: Mapping[str, str]) -> None:
    """One output line has exactly the GUIDELINES keys, each with a valid value."""
    assert set(row) == GUIDELINES_KEYS
    assert row["doc"] in texts
    assert row["type"] in EVENT_TYPES
    assert row["name"] is None or (isinstance(row["name"], str) and row["name"])
    participants = row["participants"]
    assert isinstance(participants, list) and participants
    assert all(isinstance(p, str) and ACTOR_CODE.fullmatch(p) for p in participants)
    location = row["location"]
    if location is not None:
        assert isinstance(location, dict)
        assert {"name", "country"} <= set(location) <= {"name", "country", "lat", "lon"}
        assert location["name"] is not None or location["country"] is not None
    for key in ("start", "end"):
        value = row[key]
        assert value is None or (isinstance(value, str) and ISO_DATE.fullmatch(value)), value
    assert row["status"] is None or row["status"] in STATUSES
    evidence = row["evidence"]
    assert isinstance(evidence, list) and evidence
    text = texts[str(row["doc"])]
    assert all(isinstance(e, str) and e in text for e in evidence)
    assert isinstance(row["event_id"], str) and row["event_id"]


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    """A directory of two good JSON reports."""
    folder = tmp_path / "good"
    folder.mkdir()
    write_json(folder / "geo-rou.json", GEO_ROU)
    write_json(folder / "est-mda.json", EST_MDA)
    return folder


@pytest.fixture
def mixed_dir(good_dir: Path) -> Path:
    """The two good reports plus a malformed JSON file, a binary file and an empty file."""
    (good_dir / "broken.json").write_text('{"id": "cut-short", "published": ', encoding="utf-8")
    (good_dir / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (good_dir / "empty.json").write_bytes(b"")
    return good_dir


def test_extract_jsonl_has_the_guidelines_fields(good_dir: Path) -> None:
    result = run(["extract", str(good_dir), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = jsonl_rows(result.stdout)
    texts = {GEO_ROU["id"]: GEO_ROU["text"], EST_MDA["id"]: EST_MDA["text"]}
    for row in rows:
        check_guidelines_row(row, texts)
    by_doc = {row["doc"]: row for row in rows}
    assert by_doc[GEO_ROU["id"]]["type"] == "exercise"
    assert by_doc[GEO_ROU["id"]]["participants"] == ["GEO", "ROU"]
    assert by_doc[EST_MDA["id"]]["type"] == "training"
    assert by_doc[EST_MDA["id"]]["participants"] == ["EST", "MDA"]
    assert "2 reports" in result.stderr
    assert "0 errors" in result.stderr


def test_extract_jsonl_on_the_bundled_samples_is_valid() -> None:
    result = run(["extract", str(SAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = jsonl_rows(result.stdout)
    texts = texts_of([SAMPLES])
    assert len(rows) >= 10
    for row in rows:
        check_guidelines_row(row, texts)
    assert {row["type"] for row in rows} == set(EVENT_TYPES)


def test_extract_table_lists_the_reports(good_dir: Path) -> None:
    result = run(["extract", str(good_dir)], env=WIDE)
    assert result.exit_code == 0, result.stderr
    assert "exercise" in result.stdout
    assert "GEO, ROU" in result.stdout


def test_text_without_dateline_needs_a_publication_date(tmp_path: Path) -> None:
    undated = tmp_path / "undated-drill.txt"
    undated.write_text(AUS_IDN_TEXT + "\n", encoding="utf-8")
    good = write_json(tmp_path / "talks.json", BGR_MKD)

    result = run(["extract", str(undated), str(good), "--format", "jsonl"])

    assert result.exit_code == 1
    error_lines = [line for line in result.stderr.splitlines() if str(undated) in line]
    assert error_lines, result.stderr
    assert "publication date" in error_lines[0]
    assert [row["doc"] for row in jsonl_rows(result.stdout)] == [BGR_MKD["id"]]
    assert "1 error" in result.stderr and "1 errors" not in result.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_published_date_given_for_undated_text(tmp_path: Path, how: str) -> None:
    undated = tmp_path / "undated-drill.txt"
    undated.write_text(AUS_IDN_TEXT + "\n", encoding="utf-8")
    args = ["extract", str(undated), "--format", "jsonl"]
    if how == "option":
        result = run([*args, "--published", "2023-07-10"])
    else:
        result = run(args, env={"DEFCOOP_PUBLISHED": "2023-07-10"})

    assert result.exit_code == 0, result.stderr
    rows = jsonl_rows(result.stdout)
    assert [(r["doc"], r["type"], r["participants"]) for r in rows] == [
        ("undated-drill", "exercise", ["AUS", "IDN"])
    ]
    assert rows[0]["start"] == "2023-07-03"
    assert rows[0]["end"] == "2023-07-09"


def test_text_with_dateline_reads_its_own_date(tmp_path: Path) -> None:
    dated = tmp_path / "dated-drill.txt"
    dated.write_text(" date 2023-07-10 By Test Wire\n" + AUS_IDN_TEXT + "\n", encoding="utf-8")
    result = run(["extract", str(dated), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = jsonl_rows(result.stdout)
    assert rows and rows[0]["start"] == "2023-07-03"
    assert all(e in dated.read_text(encoding="utf-8") for e in rows[0]["evidence"])


def test_bad_published_option_is_a_usage_error(good_dir: Path) -> None:
    result = run(["extract", str(good_dir), "--published", "next Tuesday"])
    assert result.exit_code == 2
    assert "--published" in result.stderr
    assert result.stdout == ""


def test_batch_goes_on_past_bad_files(mixed_dir: Path) -> None:
    result = run(["extract", str(mixed_dir), "--format", "jsonl"])

    assert result.exit_code == 1
    reasons = {
        "broken.json": "invalid JSON",
        "blob.txt": "binary",
        "empty.json": "empty",
    }
    for name, reason in reasons.items():
        lines = [line for line in result.stderr.splitlines() if str(mixed_dir / name) in line]
        assert len(lines) == 1, result.stderr
        assert reason in lines[0]
    docs = {row["doc"] for row in jsonl_rows(result.stdout)}
    assert docs == {GEO_ROU["id"], EST_MDA["id"]}
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("2 reports, ")
    assert "3 errors" in summary


@pytest.mark.parametrize("how", ["option", "environment"])
def test_max_bytes_rejects_a_large_report(tmp_path: Path, how: str) -> None:
    big = write_json(
        tmp_path / "big.json", {"id": "big", "published": "2023-07-10", "text": AUS_IDN_TEXT * 8}
    )
    small = write_json(tmp_path / "small.json", BGR_MKD)
    args = ["extract", str(big), str(small), "--format", "jsonl"]
    if how == "option":
        result = run([*args, "--max-bytes", "400"])
    else:
        result = run(args, env={"DEFCOOP_MAX_BYTES": "400"})

    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if str(big) in line]
    assert len(lines) == 1
    assert "limit of 400 bytes" in lines[0]
    assert {row["doc"] for row in jsonl_rows(result.stdout)} == {BGR_MKD["id"]}


def test_max_bytes_must_be_a_number(good_dir: Path) -> None:
    result = run(["extract", str(good_dir)], env={"DEFCOOP_MAX_BYTES": "lots"})
    assert result.exit_code == 2
    assert "max_bytes" in result.stderr


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite store in the test's directory."""
    return f"sqlite:///{tmp_path / 'store' / 'defcoop.db'}"


@pytest.fixture
def filled_db(tmp_path: Path, db_url: str) -> str:
    """A store holding three reports of 2022 and 2023."""
    folder = tmp_path / "to-ingest"
    folder.mkdir()
    write_json(folder / "geo-rou.json", GEO_ROU)
    write_json(folder / "est-mda.json", EST_MDA)
    write_json(folder / "bgr-mkd.json", BGR_MKD)
    result = run(["ingest", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.stderr
    return db_url


def test_ingest_twice_stores_nothing_new(mixed_dir: Path, db_url: str) -> None:
    first = run(["ingest", str(mixed_dir), "--db", db_url])
    assert first.exit_code == 1
    assert first.stderr.strip().splitlines()[-1].startswith("2 reports, ")
    with Store.open(db_url) as store:
        after_first = store.counts()
    assert after_first["reports"] == 2
    assert after_first["errors"] == 3

    second = run(["ingest", str(mixed_dir), "--db", db_url])
    summary = second.stderr.strip().splitlines()[-1]
    assert summary.startswith("0 reports, 0 mentions, 2 already stored")
    with Store.open(db_url) as store:
        after_second = store.counts()
    assert after_second["reports"] == after_first["reports"]
    assert after_second["mentions"] == after_first["mentions"]


def test_ingest_records_each_bad_input(mixed_dir: Path, db_url: str, tmp_path: Path) -> None:
    run(["ingest", str(mixed_dir), "--db", db_url])
    with sqlite3.connect(tmp_path / "store" / "defcoop.db") as connection:
        sources = {row[0] for row in connection.execute("SELECT source FROM errors")}
    assert sources == {str(mixed_dir / n) for n in ("broken.json", "blob.txt", "empty.json")}


def test_ingest_reads_the_store_url_from_the_environment(good_dir: Path, db_url: str) -> None:
    result = run(["ingest", str(good_dir)], env={"DEFCOOP_DB": db_url})
    assert result.exit_code == 0, result.stderr
    with Store.open(db_url) as store:
        assert store.counts()["reports"] == 2


def test_events_jsonl_lists_events_with_ids(filled_db: str) -> None:
    result = run(["events", "--db", filled_db, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = jsonl_rows(result.stdout)
    assert {tuple(r["participants"]) for r in rows} == {
        ("GEO", "ROU"),
        ("EST", "MDA"),
        ("BGR", "MKD"),
    }
    assert all(isinstance(r["event_id"], str) and r["event_id"] for r in rows)
    assert len({r["event_id"] for r in rows}) == len(rows)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--country", "MDA"], {("EST", "MDA")}),
        (["--country", "geo"], {("GEO", "ROU")}),
        (["--type", "meeting"], {("BGR", "MKD")}),
        (["--type", "transfer"], set()),
        (["--since", "2023"], {("EST", "MDA"), ("BGR", "MKD")}),
        (["--until", "2022"], {("GEO", "ROU")}),
        (["--since", "2022", "--until", "2022"], {("GEO", "ROU")}),
        (["--since", "2023", "--type", "training"], {("EST", "MDA")}),
    ],
)
def test_events_filters(filled_db: str, filters: list[str], expected: set[tuple[str, ...]]) -> None:
    result = run(["events", "--db", filled_db, "--format", "jsonl", *filters])
    assert result.exit_code == 0, result.stderr
    assert {tuple(r["participants"]) for r in jsonl_rows(result.stdout)} == expected


def test_events_csv_has_a_header(filled_db: str) -> None:
    result = run(["events", "--db", filled_db, "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    assert {"event_id", "type", "participants", "start", "end", "status"} <= set(rows[0])
    assert {row["participants"] for row in rows} == {"GEO;ROU", "EST;MDA", "BGR;MKD"}


def test_events_table(filled_db: str) -> None:
    result = run(["events", "--db", filled_db], env=WIDE)
    assert result.exit_code == 0, result.stderr
    assert "BGR, MKD" in result.stdout
    assert "3 events" in result.stderr


def test_export_jsonl_gives_every_mention_as_extract_does(good_dir: Path, db_url: str) -> None:
    extracted = run(["extract", str(good_dir), "--format", "jsonl"])
    run(["ingest", str(good_dir), "--db", db_url])
    exported = run(["export", "--db", db_url, "--format", "jsonl"])

    assert exported.exit_code == 0, exported.stderr
    texts = {GEO_ROU["id"]: GEO_ROU["text"], EST_MDA["id"]: EST_MDA["text"]}
    rows = jsonl_rows(exported.stdout)
    for row in rows:
        check_guidelines_row(row, texts)

    def key(row: dict[str, object]) -> str:
        return json.dumps({k: v for k, v in row.items() if k != "event_id"}, sort_keys=True)

    def partition(found: list[dict[str, object]]) -> set[frozenset[str]]:
        groups: dict[object, set[str]] = {}
        for row in found:
            groups.setdefault(row["event_id"], set()).add(key(row))
        return {frozenset(group) for group in groups.values()}

    extracted_rows = jsonl_rows(extracted.stdout)
    assert sorted(map(key, rows)) == sorted(map(key, extracted_rows))
    # Ids are the store's own, but they group the mentions into the same events.
    assert partition(rows) == partition(extracted_rows)


def test_export_csv(filled_db: str) -> None:
    result = run(["export", "--db", filled_db, "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # CSV holds the canonical events, one row each.
    with Store.open(filled_db) as store:
        assert len(rows) == store.counts()["events"]
        stored = {record.event_id for record in store.events()}
    assert {"event_id", "type", "participants", "start", "reports"} <= set(rows[0])
    assert {row["event_id"] for row in rows} == stored


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "defcoop", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in ("extract", "ingest", "events", "export"):
        assert command in result.stdout
