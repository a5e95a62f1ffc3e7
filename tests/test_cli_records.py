"""`defcoop events --conflicts`, `show` conflicts, `errors`, and filters that name nothing."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from defcoop.cli import app
from defcoop.store.database import Store

CLEAN_ENV: dict[str, str | None] = {
    "DEFCOOP_DB": None,
    "DEFCOOP_MAX_BYTES": None,
    "DEFCOOP_PUBLISHED": None,
    "USER": "tester",
}


def _fixture(name: str) -> ModuleType:
    """A module of invented reports from tests/store."""
    path = Path(__file__).parent / "store" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_for_cli_records", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DISAGREEING = _fixture("disagreeing_reports")


def run(args: list[str]) -> Result:
    """Invoke the CLI in-process with a clean environment."""
    return CliRunner().invoke(app, args, env=CLEAN_ENV)


def rows(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite store holding the disagreeing reports and one recorded input error."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    with Store(url) as store:
        for extraction in DISAGREEING.disagreeing_reports():
            store.add(extraction)
        store.record_error("inbox/broken.json", "malformed JSON at line 3")
    return url


def test_events_conflicts_lists_only_events_whose_mentions_disagree(db: str) -> None:
    result = run(["events", "--db", db, "--conflicts", "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    found = rows(result.stdout)
    assert [(e["name"], e["conflicts"], e["series"]) for e in found] == [
        ("Lake Guard-2023", ["location", "start"], "lakeguard")
    ]
    table = run(["events", "--db", db, "--conflicts"])
    assert "location, start" in table.stdout and "1 events" in table.stderr
    every = list(csv.DictReader(io.StringIO(run(["events", "--db", db, "--format", "csv"]).stdout)))
    assert {"series", "conflicts", "status_as_of"} <= set(every[0])


def test_show_gives_each_conflicting_value_with_its_mentions(db: str) -> None:
    ident = rows(run(["events", "--db", db, "--conflicts", "--format", "jsonl"]).stdout)[0]
    result = run(["show", ident["event_id"], "--db", db, "--format", "json"])
    detail = json.loads(result.stdout)
    starts = {v["value"]: v["mentions"] for v in detail["conflicts"]["start"]}
    assert set(starts) == {"2023-03-06", "2023-03-09"}
    mention_ids = {f"mention:{m['mention_id']}" for m in detail["mentions"]}
    assert {m for found in starts.values() for m in found} <= mention_ids
    assert len(starts["2023-03-06"]) == 2
    assert detail["status_note"].startswith("ongoing, as of the report of 2023-03-12")
    assert "dates have passed" in detail["status_note"]  # an ongoing drill of 2023, no news since
    text = run(["show", ident["event_id"], "--db", db]).stdout
    assert "conflict     start: 2023-03-06" in text


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (["--type", "exercize"], "exercise, training, agreement, meeting, transfer"),
        (["--country", "Atlantis"], "ISO 3166-1 alpha-3"),
        (["--country", "XYZ"], "not a known country or alliance"),
    ],
)
def test_mistyped_filters_exit_2_with_the_valid_values(
    db: str, filters: list[str], message: str
) -> None:
    result = run(["events", "--db", db, *filters])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_country_names_and_any_case_map_to_codes(db: str) -> None:
    by_name = rows(
        run(["events", "--db", db, "--country", "Kyrgyzstan", "--format", "jsonl"]).stdout
    )
    by_code = rows(run(["events", "--db", db, "--country", "kgz", "--format", "jsonl"]).stdout)
    assert len(by_name) == 5 and by_name == by_code
    meetings = run(["events", "--db", db, "--type", "Meeting", "--format", "jsonl"])
    assert {e["type"] for e in rows(meetings.stdout)} == {"meeting"}


@pytest.mark.parametrize("command", [["events"], ["errors"], ["show", "x"], ["export"]])
def test_read_commands_on_a_missing_store_say_so_and_create_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "typo.db"
    result = run([*command, "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 2
    assert f"{missing}: no store there" in result.stderr
    assert not missing.exists()


def test_errors_lists_recorded_input_errors(db: str) -> None:
    result = run(["errors", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    [error] = rows(result.stdout)
    assert (error["source"], error["reason"]) == ("inbox/broken.json", "malformed JSON at line 3")
    assert error["at"][:4].isdigit()
    table = run(["errors", "--db", db])
    assert "inbox/broken.json" in table.stdout and "1 errors" in table.stderr


def guard_id(db: str) -> str:
    """The id of the Lake Guard-2023 drill (three reports)."""
    found = rows(run(["events", "--db", db, "--format", "jsonl", "--type", "exercise"]).stdout)
    return str(next(e["event_id"] for e in found if e["name"] == "Lake Guard-2023"))


def detail_of(db: str, ident: str) -> dict[str, Any]:
    result = run(["show", ident, "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_revert_returns_the_machine_value_after_re_ingest_and_the_log_keeps_all(db: str) -> None:
    ident = guard_id(db)
    first = ["correct", ident, "--db", db, "--who", "dana"]
    assert run([*first, "--set", "start=2023-03-09", "--why", "the ministry's memo"]).exit_code == 0
    assert run([*first, "--set", "location=Almaty", "--why", "the host's site"]).exit_code == 0
    with Store(db) as store:  # re-ingest: a new report of the drill arrives
        for extraction in DISAGREEING.disagreeing_reports():
            store.add(extraction)
        more = DISAGREEING.more_guard_news()
        store.add(more)
    assert detail_of(db, ident)["start"] == "2023-03-09"  # the analyst's value held
    result = run([*first, "--revert", "start", "--why", "the memo was about a rehearsal"])
    assert result.exit_code == 0, result.stderr
    assert "start reverted" in result.stderr
    detail = detail_of(db, ident)
    assert detail["start"] == "2023-03-06"
    assert detail["provenance"]["start"].startswith("mention:")
    assert detail["location"]["name"] == "Almaty"  # still the analyst's
    history = detail["history"]
    assert [(h["action"], h["who"]) for h in history] == [
        ("set", "dana"),
        ("set", "dana"),
        ("revert", "dana"),
    ]
    assert history[0]["payload"] == {"start": "2023-03-09"}
    assert history[2]["payload"] == {"revert": ["start"]}
    assert "revert" in run(["show", ident, "--db", db]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--revert", "start"], "start: holds no analyst value to revert"),
        (["--revert", "colour"], "--revert 'colour'"),
        (["--set", "end=2023-02-01"], "end 2023-02-01 would come before start 2023-03-06"),
        (["--set", "participants=KAZ,Atlantis"], "'Atlantis' is not a known country"),
        (["--set", "location=Nowhereville"], "'Nowhereville' is not in the gazetteer"),
        ([], "nothing to change"),
    ],
)
def test_corrections_the_event_cannot_take_exit_2_and_log_nothing(
    db: str, args: list[str], message: str
) -> None:
    ident = guard_id(db)
    result = run(["correct", ident, "--db", db, "--why", "test", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert detail_of(db, ident)["history"] == []


def test_review_lists_what_to_check_first(db: str) -> None:
    result = run(["review", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    items = rows(result.stdout)
    assert [(i["kind"], i["reports"]) for i in items] == [
        ("conflicts", 3),
        ("near_duplicate", 2),
        ("incomplete", 1),
        ("incomplete", 1),
    ]
    assert len(items[1]["event_ids"]) == 2
    limited = run(["review", "--db", db, "--limit", "1"])
    assert "Lake Guard-2023" in limited.stdout and "1 items" in limited.stderr


@pytest.fixture
def series_db(db: str) -> str:
    """The store with two earlier editions of Lake Guard."""
    with Store(db) as store:
        for extraction in DISAGREEING.earlier_editions():
            store.add(extraction)
    return db


def test_series_lists_series_and_the_editions_of_one(series_db: str) -> None:
    listed = run(["series", "--db", series_db, "--format", "jsonl"])
    assert listed.exit_code == 0, listed.stderr
    [lake] = rows(listed.stdout)
    assert (lake["key"], lake["name"], lake["editions"]) == ("lakeguard", "Lake Guard", 3)
    editions = rows(run(["series", "Lake Guard", "--db", series_db, "--format", "jsonl"]).stdout)
    assert [e["year"] for e in editions] == [2021, 2022, 2023]
    table = run(["series", "lakeguard", "--db", series_db])
    assert "LAKE GUARD 2022" in table.stdout and "2021-05" in table.stdout
    missing = run(["series", "Steppe Sapper", "--db", series_db])
    assert missing.exit_code == 2 and "no series 'Steppe Sapper'" in missing.stderr


def test_exports_carry_the_series(series_db: str, tmp_path: Path) -> None:
    exported = run(["export", "--db", series_db, "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert sorted(r["series"] for r in table if r["series"]) == ["lakeguard"] * 3
    out = tmp_path / "events.geojson"
    assert (
        run(["export", "--db", series_db, "--format", "geojson", "--out", str(out)]).exit_code == 0
    )
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["series"] for f in features} >= {"lakeguard", None}
    parquet = tmp_path / "events.parquet"
    assert (
        run(["export", "--db", series_db, "--format", "parquet", "--out", str(parquet)]).exit_code
        == 0
    )
    pq = pytest.importorskip("pyarrow.parquet")
    assert pq.read_table(parquet).column("series").to_pylist().count("lakeguard") == 3


def test_apart_takes_a_pair_off_the_review_queue(db: str) -> None:
    [pair] = [i for i in rows(run(["review", "--db", db, "--format", "jsonl"]).stdout)
              if i["kind"] == "near_duplicate"]  # fmt: skip
    result = run(["apart", *pair["event_ids"], "--db", db, "--why", "two meetings", "--who", "ed"])
    assert result.exit_code == 0, result.stderr
    kinds = [i["kind"] for i in rows(run(["review", "--db", db, "--format", "jsonl"]).stdout)]
    assert "near_duplicate" not in kinds
    history = detail_of(db, pair["event_ids"][0])["history"]
    assert [(h["action"], h["who"], h["why"]) for h in history] == [("apart", "ed", "two meetings")]
    alone = run(["apart", pair["event_ids"][0], "--db", db, "--why", "x"])
    assert alone.exit_code == 2 and "at least two different events" in alone.stderr
