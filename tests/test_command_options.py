"""Opening the store from a command: an older store's upgrade is shown and summed up."""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from defcoop.cli import app

# The store tests' builders of reports and of old stores (a folder pytest does not import).
sys.path.insert(0, str(Path(__file__).parent / "store"))
from linked_reports import linked_reports
from old_keys import old_keyed_store


def test_a_command_on_an_old_store_says_what_the_upgrade_did(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    keyed = old_keyed_store(path, linked_reports())
    args = ["events", "--db", f"sqlite:///{path}", "--format", "jsonl"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert f"store upgraded: {len(keyed):,} mentions re-keyed in " in first.stderr
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0
    assert "store upgraded" not in again.stderr
    assert again.stdout == first.stdout  # the same events, the upgrade aside
