"""Two `defcoop ingest` processes at once on one SQLite file: every report once, no twin events."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fault_reports import write_numbered, write_reports
from store_state import DEFCOOP, ingest, integrity, snapshot


def two_at_once(first: Path, second: Path, url: str) -> None:
    """Run two ingests concurrently; both must succeed."""
    processes = [
        subprocess.Popen(
            [*DEFCOOP, "ingest", str(folder), "--db", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (first, second)
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err


def overlapping_inputs(root: Path) -> tuple[Path, Path, Path]:
    """Two interleaved shares of 90 reports (a third in both), and all 90 in a third folder.

    Both processes go through the same stories at the same time, so they write
    mentions of one event concurrently: without a writer lock each could make its own.
    """
    write_numbered(root / "a", (n for n in range(90) if n % 2 == 0 or n % 3 == 0), "twin")
    write_numbered(root / "b", (n for n in range(90) if n % 2 == 1 or n % 3 == 0), "twin")
    write_reports(root / "all", 90, "twin", 0)
    return root / "a", root / "b", root / "all"


def test_two_sqlite_ingests_store_the_union_once(tmp_path: Path) -> None:
    first, second, union = overlapping_inputs(tmp_path / "in")
    path = tmp_path / "shared.db"
    two_at_once(first, second, f"sqlite:///{path}")
    assert integrity(path) == "ok"
    reference = f"sqlite:///{tmp_path / 'clean.db'}"
    assert ingest([union], reference).returncode == 0
    clean, found = snapshot(reference), snapshot(f"sqlite:///{path}")
    assert len(found.reports) == 90
    assert found.reports == clean.reports
    assert found.dated() == clean.dated()
    assert found.events == clean.events
    assert found.event_rows == clean.event_rows
