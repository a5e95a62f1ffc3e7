"""kill -9 of `defcoop ingest` at random points loses nothing and corrupts nothing."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import time
from pathlib import Path

from fault_reports import write_reports
from store_state import DEFCOOP, Snapshot, ingest, integrity, snapshot

KILLS = 20
PER_ROUND = 10
# Once the round's k-th report is stored (k random), the kill comes within this many
# seconds: less than one report's write, so it lands inside the next transaction or
# between two of them.
JITTER = 0.04


def stored_reports(path: Path) -> int:
    """How many reports the SQLite file holds now (0 before it exists)."""
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=30) as connection:
            return int(connection.execute("SELECT count(*) FROM reports").fetchone()[0])
    except sqlite3.OperationalError:  # no tables yet
        return 0


def kill_while_writing(folder: Path, url: str, path: Path, rng: random.Random) -> tuple[bool, int]:
    """Start an ingest of the folder, kill -9 it at a random moment while it writes.

    Returns whether it was still running when killed, and the report count before.
    """
    before = stored_reports(path)
    target = before + rng.randrange(1, PER_ROUND - 1)  # two or more reports still to come
    process = subprocess.Popen(
        [*DEFCOOP, "ingest", str(folder), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "DEFCOOP_DB": ""},
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and stored_reports(path) < target:
        assert time.monotonic() < deadline, "the ingest never got that far"
        time.sleep(0.005)
    time.sleep(rng.uniform(0, JITTER))
    running = process.poll() is None
    process.kill()  # SIGKILL
    process.wait()
    return running, before


def assert_each_report_whole_or_absent(store: Snapshot, clean: Snapshot) -> None:
    """A stored report has all its mentions, exactly as a clean ingest stores them."""
    assert set(store.reports) <= set(clean.reports)
    for report_id, digest in store.reports.items():
        assert digest == clean.reports[report_id]
        assert store.told_by(report_id) == clean.told_by(report_id), report_id
    orphans = {k[0] for k in store.mentions} - set(store.reports)
    assert not orphans
    every = {k for group in store.events for k in group}
    assert every == set(store.mentions)  # every mention is in exactly one event


def test_kill_9_at_random_points_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(6)
    folders = [
        write_reports(tmp_path / "in" / f"round-{n:02d}", PER_ROUND, "kill", n * PER_ROUND)[
            0
        ].parent
        for n in range(KILLS)
    ]
    reference = tmp_path / "clean.db"
    done = ingest([tmp_path / "in"], f"sqlite:///{reference}")
    assert done.returncode == 0, done.stderr
    clean = snapshot(f"sqlite:///{reference}")
    assert len(clean.reports) == KILLS * PER_ROUND
    assert len(clean.events) < len(clean.mentions)  # reports link into shared events

    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    killed = cut_short = 0
    for folder in folders:
        running, before = kill_while_writing(folder, url, path, rng)
        assert integrity(path) == "ok"
        state = snapshot(url)
        assert before < len(state.reports) <= before + PER_ROUND
        killed += running
        cut_short += running and len(state.reports) < before + PER_ROUND
        assert_each_report_whole_or_absent(state, clean)
    # Every ingest was killed while running; most before their round's last report.
    assert killed == KILLS
    assert cut_short >= KILLS // 2
    assert len(snapshot(url).reports) < len(clean.reports)

    done = ingest([tmp_path / "in"], url)
    assert done.returncode == 0, done.stderr
    assert integrity(path) == "ok"
    final = snapshot(url)
    assert final.reports == clean.reports
    assert final.dated() == clean.dated()
    assert final.events == clean.events
    assert final.event_rows == clean.event_rows
