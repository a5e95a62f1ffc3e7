"""A real PostgreSQL server for the session, started by the tests themselves."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import binaries, new_database, running_server

# Shared with these tests: the store's linked reports (tests/store/linked_reports.py) and
# the fault suite's reports and store snapshots (tests/faults/), the bulk load's comparisons.
for _folder in ("store", "faults", "bulk"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / _folder))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a running throwaway server (skips when PostgreSQL is not installed)."""
    if binaries() is None:
        pytest.skip("PostgreSQL binaries (Debian package postgresql) are not installed")
    with running_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh empty database on the session's server."""
    return new_database(postgres_server)
