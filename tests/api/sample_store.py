"""A store built from the bundled samples/, for the API and browser tests."""

from __future__ import annotations

from pathlib import Path

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.store.database import Store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def build_sample_store(path: Path) -> str:
    """Ingest every sample report into a new SQLite store at `path`; its URL."""
    url = f"sqlite:///{path}"
    extractor = Extractor.from_package()
    with Store.open(url) as store:
        for item in run_paths([SAMPLES], ReadOptions(published=None, max_bytes=1 << 20), extractor):
            if isinstance(item, InputError):
                raise AssertionError(f"a sample failed to read: {item}")
            store.add(item)
    return url
