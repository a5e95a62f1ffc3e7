"""A process opening a SQLite store while another still holds it in its first mode waits."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text

from defcoop.store.engine import engine_for, store_url


def test_wal_mode_waits_for_a_reader_holding_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x INTEGER)")  # a new file, still in rollback-journal mode
    holder.execute("INSERT INTO t VALUES (1)")
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM t").fetchone()  # a reader holds the file
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        engine = engine_for(store_url(f"sqlite:///{path}"))
        with engine.connect() as connection:
            mode = connection.execute(text("PRAGMA journal_mode")).scalar()
            rows = connection.execute(text("SELECT count(*) FROM t")).scalar()
        engine.dispose()
    finally:
        release.join()
        holder.close()
    assert str(mode).lower() == "wal"
    assert rows == 1
