"""The store's behaviour on PostgreSQL is its behaviour on SQLite: same code, same results."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from linked_reports import SIGNING, linked_reports
from sqlalchemy import MetaData, Table, create_engine, insert, text
from typer.testing import CliRunner

from defcoop.cli import app
from defcoop.records import Extraction, Mention
from defcoop.store import migrations
from defcoop.store.database import Store
from defcoop.store.rows import evidence_rows, mention_row, report_row
from defcoop.store.search import EventQuery

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
CLEAN_ENV: dict[str, str | None] = {"DEFCOOP_DB": None, "DEFCOOP_PUBLISHED": None, "USER": "t"}
Key = tuple[str, int, str]


def key(mention: Mention) -> Key:
    """A mention's report, first offset and type."""
    return (mention.doc, mention.evidence[0].start, mention.type)


def partition(mentions: Iterable[Mention]) -> set[frozenset[Key]]:
    """The mentions grouped by event id."""
    groups: dict[str | None, set[Key]] = {}
    for mention in mentions:
        groups.setdefault(mention.event_id, set()).add(key(mention))
    return {frozenset(group) for group in groups.values()}


def filled(url: str, extractions: Iterable[Extraction]) -> str:
    """The store at `url` after adding the extractions one by one; its URL."""
    with Store(url) as store:
        for extraction in extractions:
            assert store.add(extraction)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite store's URL, the reference the PostgreSQL results must equal."""
    return f"sqlite:///{tmp_path / 'reference.db'}"


def test_adding_again_changes_nothing(postgres_url: str) -> None:
    filled(postgres_url, linked_reports())
    with Store(postgres_url) as store:
        before = store.counts()
        assert not any(store.add(x) for x in linked_reports())
        assert store.counts() == before
    assert before["reports"] == 8 and before["events"] > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_events_partition_mentions_as_on_sqlite(
    postgres_url: str, sqlite_url: str, seed: int
) -> None:
    shuffled = linked_reports()
    random.Random(seed).shuffle(shuffled)
    with Store(filled(postgres_url, shuffled)) as store:
        on_postgres = list(store.mentions())
    with Store(filled(sqlite_url, linked_reports())) as store:
        on_sqlite = list(store.mentions())
    assert partition(on_postgres) == partition(on_sqlite)
    assert [(m.start, m.status) for m in on_postgres] != []
    by_key = {key(m): (m.start, m.end, m.status) for m in on_sqlite}
    assert {key(m): (m.start, m.end, m.status) for m in on_postgres} == by_key


def test_event_listing_and_filters_equal_sqlite(postgres_url: str, sqlite_url: str) -> None:
    filled(postgres_url, linked_reports())
    filled(sqlite_url, linked_reports())
    queries: list[dict[str, Any]] = [
        {},
        {"country": "geo"},
        {"type": "meeting"},
        {"since": 2022},
        {"until": 2021, "country": "POL"},
    ]
    for query in queries:
        with Store(postgres_url) as pg, Store(sqlite_url) as lite:
            assert [e.as_json() for e in pg.events(**query)] == [
                e.as_json() for e in lite.events(**query)
            ], query
    with Store(postgres_url) as store:
        # The API's listing reads its columns itself (dates as text on SQLite, as dates here).
        assert store.listing(EventQuery()).items == [
            e.as_json() for e in store.search(EventQuery()).items
        ]
        signing = [e for e in store.events(type="agreement") if e.reports == 3]
        assert len(signing) == 1
        told = store.event_mentions(signing[0].event_id)
        assert [m.evidence[0].text for _, m in told] == [SIGNING] * 3


def test_corrections_merge_and_split(postgres_url: str) -> None:
    filled(postgres_url, linked_reports())
    with Store(postgres_url) as store:
        signing = next(e for e in store.events(type="agreement") if e.reports == 3)
        version = store.version()
        assert not store.add(linked_reports()[0])  # stored already: nothing written
        assert store.version() == version  # so the kept answers stay (api.answers)
        live = store.correct(signing.event_id, {"start": "2021-03-02"}, "ana", "source says 2")
        assert store.version() == version + 1  # every write raises it
        corrected = store.event(live)
        assert corrected is not None and corrected.start == "2021-03-02"
        assert [h["action"] for h in store.history(live)] == ["set"]
        ids = [m_id for m_id, _ in store.event_mentions(live)]
        fresh = store.split(live, ids[:1], "ana", "a different plan")
        assert {m_id for m_id, _ in store.event_mentions(fresh)} == set(ids[:1])
        kept = store.merge([live, fresh], "ana", "one plan after all")
        assert {m_id for m_id, _ in store.event_mentions(kept)} == set(ids)
        assert store.event(fresh) is not None  # the merged id still answers
        # New reports re-resolve the event; the analysts' values and links hold.
        extra = linked_reports()[-1]
        assert not store.add(extra)
        again = store.event(kept)
        assert again is not None and again.start == "2021-03-02"


def run(args: list[str]) -> str:
    """The CLI's standard output; it must succeed."""
    result = CliRunner().invoke(app, args, env=CLEAN_ENV)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_ingest_events_and_export_take_a_plain_postgresql_url(
    postgres_url: str, sqlite_url: str, tmp_path: Path
) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    for url in (plain, sqlite_url):
        run(["ingest", str(ROOT / "samples"), "--db", url])
    exported = [run(["export", "--format", "jsonl", "--db", url]) for url in (plain, sqlite_url)]
    assert exported[0] == exported[1] and exported[0].count("\n") > 5
    listed = [run(["events", "--format", "jsonl", "--db", url]) for url in (plain, sqlite_url)]
    assert listed[0] == listed[1]
    out = tmp_path / "events.csv"
    run(["export", "--format", "csv", "--db", plain, "--out", str(out)])
    assert out.read_text(encoding="utf-8").count("\n") == listed[0].count("\n") + 1


OLD_MENTION_COLUMNS = (
    "report_id ordinal doc type name participants has_location location_name location_country"
    " location_lat location_lon location_place_id start end start_year status forces"
    " background event_id published"
).split()


def test_an_old_store_on_postgresql_is_upgraded(postgres_url: str, sqlite_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            migrations.upgrade(connection, "0001")
            old = MetaData()
            tables = {
                name: Table(name, old, autoload_with=connection)
                for name in ("reports", "mentions", "evidence")
            }
            now = datetime.now(UTC)
            for extraction in linked_reports():
                connection.execute(insert(tables["reports"]), [report_row(extraction.report, now)])
                for ordinal, mention in enumerate(extraction.mentions):
                    row = mention_row(mention, extraction.report.id, ordinal)
                    values = {c: row[c] for c in OLD_MENTION_COLUMNS}
                    result = connection.execute(insert(tables["mentions"]).values(values))
                    assert result.inserted_primary_key is not None
                    rows = evidence_rows(int(result.inserted_primary_key[0]), mention.evidence)
                    connection.execute(insert(tables["evidence"]), rows)
            assert connection.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    with Store(postgres_url) as store:
        upgraded = list(store.mentions())
        counts = store.counts()
    with Store(filled(sqlite_url, linked_reports())) as store:
        assert partition(upgraded) == partition(store.mentions())
        assert counts == store.counts()
    assert json.dumps(sorted(key(m) for m in upgraded))


def test_source_state_and_articles_read_back_as_on_sqlite(
    postgres_url: str, sqlite_url: str
) -> None:
    from defcoop.records import SourceState

    polled = datetime(2024, 4, 6, 7, 30, tzinfo=UTC)
    state = SourceState(
        name="gazette",
        url="https://gazette.example/feed.xml",
        kind="feed",
        last_poll=polled,
        http_status=200,
        etag='"v1"',
        found=2,
        new=1,
        failed=1,
        stored_total=5,
        last_error="https://gazette.example/b: HTTP 404 NOT FOUND",
        last_error_at=polled,
    )
    seen = []
    for url in (postgres_url, sqlite_url):
        with Store(url) as store:
            store.save_source(state)
            store.save_source(state)  # saving again replaces, never duplicates
            store.note_article("https://gazette.example/a", "gazette", "stored", report_id="a")
            for _ in range(3):
                store.note_article("https://gazette.example/b", "gazette", "failed", reason="404")
            store.note_article("https://gazette.example/c", "gazette", "failed", reason="404")
            listed = [f"https://gazette.example/{x}" for x in "abcd"]
            seen.append((store.sources(), store.settled_urls(listed)))
    assert seen[0] == seen[1]
    assert seen[0][0] == [state]
    # stored, and failed three times; c failed once and is tried again, d is new
    assert seen[0][1] == {"https://gazette.example/a", "https://gazette.example/b"}
