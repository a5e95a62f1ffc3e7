"""Two analysts ingesting at once into one PostgreSQL store: every report once, no twin events."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_state import ingest, snapshot
from test_concurrent_ingest import overlapping_inputs, two_at_once

pytestmark = pytest.mark.postgres


def test_two_postgresql_ingests_store_the_union_once(postgres_url: str, tmp_path: Path) -> None:
    first, second, union = overlapping_inputs(tmp_path / "in")
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    two_at_once(first, second, plain)
    reference = f"sqlite:///{tmp_path / 'clean.db'}"
    assert ingest([union], reference).returncode == 0
    clean, found = snapshot(reference), snapshot(postgres_url)
    assert len(found.reports) == 90
    assert found.reports == clean.reports
    assert found.dated() == clean.dated()
    assert found.events == clean.events
    assert found.event_rows == clean.event_rows
