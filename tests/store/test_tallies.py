"""The summary tables stay equal to a recount of the events through every kind of change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from linked_reports import linked_reports
from summary_check import summary_differences
from tally_scenarios import analysts_at_work, bulk_on_top

from defcoop.store.database import Store
from defcoop.store.search import EventQuery


def test_summaries_equal_a_recount_after_ingest_corrections_merge_and_split(
    tmp_path: Path,
) -> None:
    analysts_at_work(f"sqlite:///{tmp_path / 'store.db'}")


def test_summaries_equal_a_recount_after_a_bulk_load_on_a_non_empty_store(
    tmp_path: Path,
) -> None:
    bulk_on_top(f"sqlite:///{tmp_path / 'store.db'}")


def test_a_store_from_before_the_summaries_and_pairs_gets_them_counted_when_opened(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        for extraction in linked_reports():
            store.add(extraction)
    connection = sqlite3.connect(path)
    for table in ("event_pairs", "tally_events", "tally_dyads", "tally_places"):
        connection.execute(f"DROP TABLE {table}")
    connection.execute("UPDATE alembic_version SET version_num = '0005'")
    connection.commit()
    connection.close()
    Store.open(url).close()
    assert summary_differences(url) == []
    connection = sqlite3.connect(path)
    (cells,) = connection.execute("SELECT count(*) FROM tally_events").fetchone()
    connection.close()
    assert cells > 0


def test_a_store_from_the_first_0006_gets_the_pairs_and_the_covering_index(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        for extraction in linked_reports():
            store.add(extraction)
    connection = sqlite3.connect(path)
    connection.execute("DROP TABLE event_pairs")
    connection.execute("DROP INDEX ix_tally_events_cells")
    connection.execute("CREATE INDEX ix_tally_events_code ON tally_events (code)")
    connection.execute("UPDATE alembic_version SET version_num = '0006'")
    connection.commit()
    connection.close()
    Store.open(url).close()
    assert summary_differences(url) == []
    connection = sqlite3.connect(path)
    indexes = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    (pairs,) = connection.execute("SELECT count(*) FROM event_pairs").fetchone()
    connection.close()
    assert "ix_tally_events_cells" in indexes and "ix_tally_events_code" not in indexes
    assert pairs > 0


def test_counts_kept_in_memory_follow_a_write_by_another_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.open(url) as reader, Store.open(url) as writer:
        for extraction in linked_reports():
            writer.add(extraction)
        agreements = EventQuery(type="agreement")
        before = reader.search(agreements).total  # the summaries' count, now kept
        assert before >= 1 and reader.search(agreements).total == before
        event = reader.search(agreements).items[0].event_id
        writer.correct(event, {"type": "meeting"}, "ana", "a meeting, not a signing")
        assert reader.search(agreements).total == before - 1  # not the kept count
        counted = sum(int(str(row["count"])) for row in reader.tally("year", agreements))
        assert counted == before - 1 - sum(
            1 for e in reader.events(type="agreement") if not e.start
        )
