"""kill -9 of `defcoop ingest --bulk` in the middle of its load leaves the store as it was.

The load is one transaction: killed while it holds the store's write lock, nothing of
it is in the store, and running it again completes it, giving the store an
uninterrupted load gives.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_snapshot import differences, snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))

from fault_reports import write_reports

DEFCOOP = [sys.executable, "-m", "defcoop"]
KILLS = 2


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DEFCOOP, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DEFCOOP_DB": ""},
        check=False,
    )


def write_locked(path: Path) -> bool:
    """Whether another process holds the SQLite file's write lock (a write transaction)."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc), exc
        return True
    finally:
        connection.close()


def kill_during_load(folder: Path, url: str, path: Path, delay: float) -> None:
    """Start a bulk load; `delay` s after it takes the write lock, kill -9 it (still holding it)."""
    process = subprocess.Popen(
        [*DEFCOOP, "ingest", "--bulk", str(folder), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "DEFCOOP_DB": ""},
    )
    deadline = time.monotonic() + 120
    while not write_locked(path):
        assert process.poll() is None, "the load ended before it was seen writing"
        assert time.monotonic() < deadline, "the load never took the write lock"
        time.sleep(0.01)
    time.sleep(delay)
    held = write_locked(path) and process.poll() is None
    process.kill()  # SIGKILL
    process.wait()
    assert held, "the load was not writing any more when killed"


@pytest.mark.slow
def test_killed_bulk_load_leaves_the_store_as_it_was_and_runs_again(tmp_path: Path) -> None:
    rng = random.Random(11)
    stored, loaded = tmp_path / "stored", tmp_path / "loaded"
    write_reports(stored, 40, "kill", 0)
    write_reports(loaded, 200, "kill", 40)
    path, clean = tmp_path / "store.db", tmp_path / "clean.db"
    done = run(["ingest", "--one-by-one", str(stored), "--db", f"sqlite:///{path}"])
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as source, sqlite3.connect(clean) as copy:
        source.backup(copy)
    done = run(["ingest", "--bulk", str(loaded), "--db", f"sqlite:///{clean}"])
    assert done.returncode == 0, done.stderr
    before = snapshot(f"sqlite:///{path}")
    for _ in range(KILLS):
        # the load's transaction lasts a few seconds here: kill early, midway or late in it
        kill_during_load(loaded, f"sqlite:///{path}", path, rng.uniform(0.0, 1.0))
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after = snapshot(f"sqlite:///{path}")
        assert after == before, differences(before, after)
    done = run(["ingest", "--bulk", str(loaded), "--db", f"sqlite:///{path}"])
    assert done.returncode == 0, done.stderr
    resumed, reference = snapshot(f"sqlite:///{path}"), snapshot(f"sqlite:///{clean}")
    assert len(resumed["reports"]) == 240
    assert resumed == reference, differences(resumed, reference)
