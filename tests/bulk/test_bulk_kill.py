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
from contextlib import closing
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


def copy_store(source: Path, target: Path) -> None:
    """Make `target` a copy of the SQLite store `source` (SQLite's own backup)."""
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def kill_during_load(folder: Path, url: str, path: Path, delay: float) -> None:
    """Start a bulk load; `delay` s after it takes the write lock, kill -9 it (it may
    have committed just before: the caller tells by the store)."""
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
    process.kill()  # SIGKILL
    process.wait()


@pytest.mark.slow
def test_killed_bulk_load_leaves_the_store_as_it_was_and_runs_again(tmp_path: Path) -> None:
    rng = random.Random(11)
    stored, loaded = tmp_path / "stored", tmp_path / "loaded"
    write_reports(stored, 40, "kill", 0)
    write_reports(loaded, 200, "kill", 40)
    path, clean = tmp_path / "store.db", tmp_path / "clean.db"
    done = run(["ingest", "--one-by-one", str(stored), "--db", f"sqlite:///{path}"])
    assert done.returncode == 0, done.stderr
    pristine = tmp_path / "pristine.db"
    copy_store(path, pristine)
    copy_store(path, clean)
    done = run(["ingest", "--bulk", str(loaded), "--db", f"sqlite:///{clean}"])
    assert done.returncode == 0, done.stderr
    before, finished = snapshot(f"sqlite:///{path}"), snapshot(f"sqlite:///{clean}")
    kills, longest = 0, 1.0
    for _ in range(4 * KILLS):
        if kills == KILLS:
            break
        # the load's transaction lasts about a second here: kill early, midway or late in it
        kill_during_load(loaded, f"sqlite:///{path}", path, rng.uniform(0.0, longest))
        with closing(sqlite3.connect(path)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after = snapshot(f"sqlite:///{path}")
        if after != before:
            # Only one other outcome is right: the load committed whole before the kill
            # (checking the lock and killing cannot be one step).
            assert after == finished, differences(finished, after)
            longest /= 2  # start again from the stored part, kill sooner
            copy_store(pristine, path)
            continue
        kills += 1
    assert kills == KILLS, "the load was never killed while it was writing"
    done = run(["ingest", "--bulk", str(loaded), "--db", f"sqlite:///{path}"])
    assert done.returncode == 0, done.stderr
    resumed = snapshot(f"sqlite:///{path}")
    assert len(resumed["reports"]) == 240
    assert resumed == finished, differences(finished, resumed)
