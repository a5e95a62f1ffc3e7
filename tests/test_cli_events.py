"""`defcoop events/show/correct/merge/split/export` on a store of invented linked reports."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from defcoop.cli import app
from defcoop.records import Extraction, Report
from defcoop.store.database import Store

CLEAN_ENV: dict[str, str | None] = {
    "DEFCOOP_DB": None,
    "DEFCOOP_MAX_BYTES": None,
    "DEFCOOP_PUBLISHED": None,
    "USER": "tester",
}


def _linked() -> ModuleType:
    """The store tests' fixture reports (tests/store/linked_reports.py)."""
    path = Path(__file__).parent / "store" / "linked_reports.py"
    spec = importlib.util.spec_from_file_location("linked_reports_for_cli", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LINKED = _linked()


def run(args: list[str]) -> Result:
    """Invoke the CLI in-process with a clean environment."""
    return CliRunner().invoke(app, args, env=CLEAN_ENV)


def rows(stdout: str) -> list[dict[str, Any]]:
    """The JSON object of every non-blank line."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite store holding the eight linked reports."""
    url = f"sqlite:///{tmp_path / 'events.db'}"
    with Store(url) as store:
        for extraction in LINKED.linked_reports():
            store.add(extraction)
    return url


def events_of(db: str, *filters: str) -> list[dict[str, Any]]:
    """`events --format jsonl` rows."""
    result = run(["events", "--db", db, "--format", "jsonl", *filters])
    assert result.exit_code == 0, result.stderr
    return rows(result.stdout)


def signing_id(db: str) -> str:
    """The id of the 2021 signing, told in three reports."""
    return next(e["event_id"] for e in events_of(db, "--type", "agreement") if e["reports"] == 3)


def show(db: str, ident: str) -> dict[str, Any]:
    """`show --format json` of an event."""
    result = run(["show", ident, "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    detail: dict[str, Any] = json.loads(result.stdout)
    return detail


def test_events_lists_canonical_events_with_report_counts(db: str) -> None:
    found = events_of(db)
    assert len(found) == 6
    signing = next(e for e in found if e["event_id"] == signing_id(db))
    assert signing["start"] == "2021-03-03"
    assert (signing["first_report"], signing["last_report"]) == ("2021-03-05", "2023-03-03")
    assert set(signing) >= {"type", "name", "participants", "location", "end", "status"}
    assert {e["type"] for e in events_of(db, "--country", "aze")} == {"exercise"}
    assert [e["start"] for e in events_of(db, "--since", "2023")] == ["2023-03-03"]
    table = run(["events", "--db", db])
    assert "6 events" in table.stderr


def test_show_gives_fields_mentions_offsets_and_provenance(db: str) -> None:
    detail = show(db, signing_id(db))
    assert detail["start"] == "2021-03-03"
    assert {m["report"] for m in detail["mentions"]} == {
        "fx-signing-2021",
        "fx-shield-open",
        "fx-new-plan",
    }
    for mention in detail["mentions"]:
        report = next(x.report for x in LINKED.linked_reports() if x.report.id == mention["report"])
        for item in mention["evidence"]:
            assert report.text[item["start"] : item["end"]] == item["text"]
    later = [m for m in detail["mentions"] if m["report"] != "fx-signing-2021"]
    assert all(m["background"] for m in later)
    assert detail["provenance"]["start"].startswith("mention:")
    assert detail["history"] == []
    text = run(["show", signing_id(db), "--db", db])
    assert text.exit_code == 0
    assert "fx-new-plan" in text.stdout and "(no corrections)" in text.stdout
    missing = run(["show", "no-such-event", "--db", db])
    assert missing.exit_code == 2 and "no event" in missing.stderr


def test_a_correction_wins_is_logged_and_survives_new_reports(db: str) -> None:
    ident = signing_id(db)
    result = run(
        ["correct", ident, "--db", db, "--set", "start=2021-03-02", "--set", "location=Shusha",
         "--set", "participants=GEO,Poland", "--why", "ministry archive", "--who", "Ana"]
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    detail = show(db, ident)
    assert detail["start"] == "2021-03-02"
    assert detail["location"]["name"] == "Shusha" and detail["location"]["country"] == "AZE"
    assert detail["provenance"]["start"].startswith("correction:")
    assert [(h["who"], h["action"], h["why"]) for h in detail["history"]] == [
        ("Ana", "set", "ministry archive")
    ]
    # A new report restating the signing joins the event; the analyst's date stays.
    text = "Background: " + LINKED.SIGNING
    report = Report(id="fx-2024-restated", text=text, published=date(2024, 3, 1))
    mention = LINKED._mention(report, "agreement", LINKED.SIGNING, ("GEO", "POL"), "2024-03-03")
    with Store(db) as store:
        store.add(Extraction(report, (mention,)))
        again = store.event(ident)
    assert again is not None and again.reports == 4
    assert again.start == "2021-03-02"
    # Re-ingesting the same report changes nothing; the log has one entry still.
    with Store(db) as store:
        assert not store.add(Extraction(report, (mention,)))
        assert len(store.history(ident)) == 1


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("start=2021-02-30", "not a date"),
        ("end=March", "YYYY"),
        ("status=finished", "status"),
        ("type=parade", "type"),
        ("colour=red", "FIELD=VALUE"),
        ("location=Nowhere Town Xyz", "gazetteer"),
        ("participants=Atlantis", "not a known"),
    ],
)
def test_bad_correction_values_exit_2_and_change_nothing(
    db: str, setting: str, message: str
) -> None:
    ident = signing_id(db)
    result = run(["correct", ident, "--db", db, "--set", setting, "--why", "test"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert show(db, ident)["history"] == []


def test_merge_keeps_events_together_through_re_resolution(db: str) -> None:
    meetings = {e["start"]: e["event_id"] for e in events_of(db, "--type", "meeting")}
    first, third = meetings["2022-06-01"], meetings["2022-06-03"]
    result = run(["merge", first, third, "--db", db, "--why", "one visit"])
    assert result.exit_code == 0, result.stderr
    assert len(events_of(db, "--type", "meeting")) == 2
    assert show(db, third)["event_id"] == first  # the old id leads to the kept event
    # A new version of one report re-resolves the event: the merge holds.
    old = next(x for x in LINKED.linked_reports() if x.report.id == "fx-meet-1")
    with Store(db) as store:
        store.add(replace(old, report=replace(old.report, text=old.report.text + " Updated.")))
        by_doc = {m.doc: m.event_id for m in store.mentions(type="meeting")}
    assert by_doc["fx-meet-1"] == by_doc["fx-meet-3"] == first
    assert show(db, first)["history"][0]["action"] == "merge"


def test_split_keeps_the_groups_apart_when_new_reports_link_them(db: str) -> None:
    ident = signing_id(db)
    detail = show(db, ident)
    moving = [m["mention_id"] for m in detail["mentions"] if m["report"] == "fx-new-plan"]
    result = run(
        ["split", ident, "--mentions", ",".join(map(str, moving)), "--db", db, "--why", "x"]
    )
    assert result.exit_code == 0, result.stderr
    fresh = result.stdout.strip()
    assert fresh != ident
    assert [m["mention_id"] for m in show(db, fresh)["mentions"]] == moving
    # A report that matches both groups joins one; the two stay apart.
    text = "Background: " + LINKED.SIGNING
    report = Report(id="fx-2024-restated", text=text, published=date(2024, 3, 1))
    mention = LINKED._mention(report, "agreement", LINKED.SIGNING, ("GEO", "POL"), "2024-03-03")
    with Store(db) as store:
        store.add(Extraction(report, (mention,)))
        assert store.event(ident) is not None and store.event(fresh) is not None
        ids = {m.doc: m.event_id for m in store.mentions(type="agreement")}
    assert ids["fx-signing-2021"] == ident
    assert ids["fx-2024-restated"] in (ident, fresh)
    assert [h["action"] for h in show(db, fresh)["history"]] == ["split"]
    bad = run(["split", ident, "--mentions", "99999", "--db", db, "--why", "x"])
    assert bad.exit_code == 2 and "not in event" in bad.stderr


def test_export_jsonl_gives_mentions_with_current_event_ids(db: str) -> None:
    result = run(["export", "--db", db])
    assert result.exit_code == 0, result.stderr
    found = rows(result.stdout)
    assert len(found) == 11
    assert {r["event_id"] for r in found} == {e["event_id"] for e in events_of(db)}
    assert set(found[0]) == {
        "doc", "type", "name", "participants", "location", "start", "end", "status",
        "evidence", "event_id",
    }  # fmt: skip


def test_export_csv_and_parquet_give_canonical_events(db: str, tmp_path: Path) -> None:
    result = run(["export", "--db", db, "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == 6
    assert {"event_id", "participants", "location_name", "reports"} <= set(table[0])
    assert run(["export", "--db", db, "--format", "parquet"]).exit_code == 2
    out = tmp_path / "events.parquet"
    assert run(["export", "--db", db, "--format", "parquet", "--out", str(out)]).exit_code == 0
    pq = pytest.importorskip("pyarrow.parquet")
    stored = pq.read_table(out).to_pylist()
    assert sorted(r["event_id"] for r in stored) == sorted(r["event_id"] for r in table)


def test_export_geojson_has_points_for_located_events(db: str, tmp_path: Path) -> None:
    out = tmp_path / "map.geojson"
    assert run(["export", "--db", db, "--format", "geojson", "--out", str(out)]).exit_code == 0
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    points = {f["properties"]["start"]: f for f in collection["features"]}
    assert set(points) == {"2022-05-09", "2022-06-01", "2022-06-03"}  # the Tbilisi events
    assert points["2022-06-01"]["geometry"] == {"type": "Point", "coordinates": [44.83, 41.69]}
    assert points["2022-05-09"]["properties"]["participants"] == ["AZE", "GEO"]


def test_export_dyad_year_counts_events_per_pair_and_year(db: str) -> None:
    result = run(["export", "--db", db, "--format", "dyad-year"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "country_a,country_b,year,exercise,training,agreement,meeting,transfer"
    assert lines[1:] == [
        "AZE,GEO,2022,1,0,0,0,0",
        "GEO,POL,2021,0,0,1,1,0",
        "GEO,POL,2022,0,0,0,2,0",
        "GEO,POL,2023,0,0,1,0,0",
    ]
