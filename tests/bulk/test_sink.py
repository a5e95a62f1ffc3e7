"""The SQLite settings a bulk load runs with (`bulk.sink.page_cache`)."""

from __future__ import annotations

from pathlib import Path

from defcoop.bulk.sink import page_cache
from defcoop.store.database import Store
from defcoop.store.engine import MMAP_BYTES, engine_for, store_url


def test_a_load_reads_through_its_page_cache_not_a_map(tmp_path: Path) -> None:
    """While it runs, a load's connection keeps a page cache of the size given and maps
    none of the file (mapped pages would stay in its RSS, growing with the store); its
    own settings come back afterwards."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).close()
    engine = engine_for(store_url(url))
    try:
        with engine.begin() as connection:

            def setting(name: str) -> int:
                return int(connection.exec_driver_sql(f"PRAGMA {name}").scalar() or 0)

            mapped = setting("mmap_size")  # the engine's (capped by SQLite's build)
            assert 0 < mapped <= MMAP_BYTES
            cache = setting("cache_size")
            with page_cache(connection, 4096):
                assert setting("mmap_size") == 0
                assert setting("cache_size") == -4096
            assert setting("mmap_size") == mapped
            assert setting("cache_size") == cache
    finally:
        engine.dispose()
