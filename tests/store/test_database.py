"""The store: exact round trips, idempotence, replacement, filters, consistency on failure."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defcoop.errors import StoreError
from defcoop.records import EVENT_TYPES, STATUSES, Evidence, Extraction, Location, Mention, Report
from defcoop.store.corrections import BadCorrection
from defcoop.store.database import Store

TEXT = (
    "Armenian and Greek sappers began a joint demining course near Gyumri on Monday. "
    "The course will last until June 20."
)
REPORT = Report(
    id="fixture-store-1",
    text=TEXT,
    published=date(2023, 6, 7),
    source="Fixture Wire",
    url="https://news.example.org/sappers",
    title="Sappers train together",
    author="A. Writer",
    origin="reports/fixture.json",
)
COURSE = Mention(
    doc=REPORT.id,
    type="training",
    name=None,
    participants=("ARM", "GRC"),
    location=Location(name="Gyumri", country="ARM", lat=40.7894, lon=43.8475, place_id="616635"),
    start="2023-06-05",
    end="2023-06-20",
    status="ongoing",
    evidence=(Evidence(TEXT[:80], 0, 80), Evidence(TEXT[81:], 81, len(TEXT))),
    forces=("engineer troops",),
    event_id="arm-grc-demining-2023",
    published=REPORT.published,
)
BACKGROUND = Mention(
    doc=REPORT.id,
    type="agreement",
    name="Plan of Military Cooperation",
    participants=("ARM", "GRC"),
    location=Location(name=None, country=None),
    start=None,
    end=None,
    status="completed",
    evidence=(),
    background=True,
)
NO_LOCATION = Mention(
    doc=REPORT.id,
    type="meeting",
    name=None,
    participants=("NATO", "ARM"),
    location=None,
    start="2019",
    end=None,
    status=None,
    evidence=(Evidence(TEXT[:10], 0, 10),),
)


def unassigned(found: Iterable[Mention]) -> list[Mention]:
    """Mentions without their event ids: the store gives its own."""
    return [replace(m, event_id=None) for m in found]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file in a directory that does not exist yet."""
    return tmp_path / "nested" / "dir" / "store.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh store on a SQLite file."""
    opened = Store.open(f"sqlite:///{db_path}")
    yield opened
    opened.close()


def test_creates_the_directory_and_tables_with_sqlite_pragmas(store: Store, db_path: Path) -> None:
    assert db_path.exists()
    with sqlite3.connect(db_path) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert mode == "wal"
    assert {"reports", "mentions", "evidence", "errors", "ix_mentions_event_id"} <= tables


def test_round_trip_gives_equal_mentions_and_report(store: Store) -> None:
    assert store.add(Extraction(REPORT, (COURSE, BACKGROUND, NO_LOCATION)))
    assert unassigned(store.mentions()) == unassigned([COURSE, BACKGROUND, NO_LOCATION])
    assert store.report(REPORT.id) == REPORT
    assert store.report(REPORT.id).origin == "reports/fixture.json"  # type: ignore[union-attr]
    assert store.report("no-such-report") is None
    assert store.has_report(REPORT.content_hash)
    assert store.counts() == {"reports": 1, "mentions": 3, "errors": 0, "events": 3}


def test_re_adding_the_same_report_changes_nothing(store: Store) -> None:
    assert store.add(Extraction(REPORT, (COURSE,)))
    assert not store.add(Extraction(REPORT, (COURSE, BACKGROUND)))
    assert not store.add(Extraction(Report(id="other-id", text=TEXT, published=REPORT.published)))
    assert store.counts() == {"reports": 1, "mentions": 1, "errors": 0, "events": 1}
    assert unassigned(store.mentions()) == unassigned([COURSE])


def test_every_write_raises_the_version_and_one_that_stores_nothing_does_not(
    store: Store,
) -> None:
    start = store.version()
    assert store.add(Extraction(REPORT, (COURSE,)))
    assert store.version() == start + 1
    assert not store.add(Extraction(REPORT, (COURSE,)))  # already stored: nothing written
    assert store.version() == start + 1
    (event,) = store.events()
    store.correct(event.event_id, {"status": "completed"}, "ana", "memo")
    assert store.version() == start + 2
    with pytest.raises(BadCorrection):  # refused: the transaction and its raise roll back
        store.correct(event.event_id, {"end": "1999"}, "ana", "before the start")
    assert store.version() == start + 2
    store.record_error("feed.xml", "unreadable")
    assert store.version() == start + 3


def test_the_version_read_sees_another_process_commit_at_once(store: Store, db_path: Path) -> None:
    start = store.version()  # the reader's own connection is open from here on
    with Store.open(f"sqlite:///{db_path}") as other:
        other.add(Extraction(REPORT, (COURSE,)))
    assert store.version() == start + 1


def test_same_id_with_new_text_replaces_report_mentions_and_evidence(
    store: Store, db_path: Path
) -> None:
    assert store.add(Extraction(REPORT, (COURSE, NO_LOCATION)))
    corrected = Report(id=REPORT.id, text=TEXT + " Corrected.", published=REPORT.published)
    assert store.add(Extraction(corrected, (BACKGROUND,)))
    assert store.report(REPORT.id) == corrected
    assert not store.has_report(REPORT.content_hash)
    assert unassigned(store.mentions()) == unassigned([BACKGROUND])
    with sqlite3.connect(db_path) as connection:
        evidence_rows = connection.execute("SELECT COUNT(*) FROM evidence").fetchone()[0]
    assert evidence_rows == 0  # the old mentions' evidence went with them


def test_filters_by_country_type_and_start_year(store: Store) -> None:
    store.add(Extraction(REPORT, (COURSE, BACKGROUND, NO_LOCATION)))
    assert unassigned(store.mentions(country="grc")) == unassigned([COURSE, BACKGROUND])
    assert unassigned(store.mentions(country="NATO")) == unassigned([NO_LOCATION])
    assert unassigned(store.mentions(country="AR")) == unassigned([])  # a code, not a substring
    assert unassigned(store.mentions(type="meeting")) == unassigned([NO_LOCATION])
    assert unassigned(store.mentions(since=2020)) == unassigned([COURSE])
    assert unassigned(store.mentions(until=2020)) == unassigned([NO_LOCATION])
    assert unassigned(store.mentions(since=2019, until=2023)) == unassigned([COURSE, NO_LOCATION])
    assert unassigned(store.mentions(country="ARM", type="training", since=2024)) == unassigned([])


def test_record_error_is_counted(store: Store) -> None:
    store.record_error("reports/bad.json", "invalid JSON at line 1, column 2")
    store.record_error("reports/x.txt", "no publication date")
    assert store.counts()["errors"] == 2


def test_failed_add_leaves_nothing_of_the_report(store: Store) -> None:
    broken = Mention(
        doc=REPORT.id,
        type="exercise",
        name=None,
        participants=("ARM",),
        location=None,
        start=None,
        end=None,
        status=None,
        evidence=(Evidence(None, 0, 1),),  # type: ignore[arg-type]  # NOT NULL fails last
    )
    with pytest.raises(StoreError, match=REPORT.id):
        store.add(Extraction(REPORT, (COURSE, broken)))
    assert store.counts() == {"reports": 0, "mentions": 0, "errors": 0, "events": 0}
    assert not store.has_report(REPORT.content_hash)


def test_sqlite_file_passes_integrity_check_after_adds(store: Store, db_path: Path) -> None:
    for number in range(20):
        report = Report(id=f"r{number}", text=f"{TEXT} {number}", published=REPORT.published)
        mention = Mention(**{**COURSE.__dict__, "doc": report.id})
        store.add(Extraction(report, (mention, BACKGROUND)))
    store.add(Extraction(Report(id="r3", text="Replaced.", published=REPORT.published)))
    store.close()
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    reopened = Store(f"sqlite:///{db_path}")
    assert reopened.counts() == {"reports": 20, "mentions": 38, "errors": 0, "events": 20}
    reopened.close()


def test_two_stores_on_one_file_stay_idempotent(db_path: Path) -> None:
    first = Store(f"sqlite:///{db_path}")
    second = Store(f"sqlite:///{db_path}")
    assert first.add(Extraction(REPORT, (COURSE,)))
    assert not second.add(Extraction(REPORT, (COURSE,)))
    assert unassigned(second.mentions()) == unassigned([COURSE])
    first.close()
    second.close()


def test_bad_url_and_unopenable_file_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("not a url at all")
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot"):
        Store(f"sqlite:///{blocker}/store.db")


def test_in_memory_store_works_as_a_context_manager() -> None:
    with Store("sqlite://") as store:
        assert store.add(Extraction(REPORT, (COURSE,)))
        assert unassigned(store.mentions(type="training")) == unassigned([COURSE])


codes = st.sampled_from(["AZE", "TUR", "GEO", "NATO", "PAK", "USA"])
optional_text = st.none() | st.text(max_size=30)
locations = st.none() | st.builds(
    Location,
    name=optional_text,
    country=st.none() | codes,
    lat=st.none() | st.floats(-90, 90),
    lon=st.none() | st.floats(-180, 180),
    place_id=st.none() | st.text(min_size=1, max_size=10),
)
evidences = st.builds(
    Evidence, text=st.text(max_size=60), start=st.integers(0, 10**6), end=st.integers(0, 10**6)
)
iso_values = st.none() | st.sampled_from(["2021", "2021-09", "2021-09-06", "1992-06-15"])
mentions = st.builds(
    Mention,
    doc=st.just(REPORT.id),
    type=st.sampled_from(EVENT_TYPES),
    name=optional_text,
    participants=st.lists(codes, max_size=4).map(tuple),
    location=locations,
    start=iso_values,
    end=iso_values,
    status=st.none() | st.sampled_from(STATUSES),
    evidence=st.lists(evidences, max_size=3).map(tuple),
    forces=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    background=st.booleans(),
    event_id=optional_text,
    published=st.none() | st.dates(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mentions, max_size=4))
def test_any_mentions_round_trip_exactly(generated: list[Mention]) -> None:
    with Store("sqlite://") as store:
        assert store.add(Extraction(REPORT, tuple(generated)))
        assert unassigned(store.mentions()) == unassigned(generated)
