"""A real `defcoop serve` over the samples, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from served_store import Server, serving

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.store.database import Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless=new",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`defcoop serve` in its own process over a store of the samples, with a token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'samples.db'}"
    extractor = Extractor.from_package()
    options = ReadOptions(published=None, max_bytes=1 << 20)
    with Store.open(url) as store:
        for item in run_paths([ROOT / "samples"], options, extractor):
            assert not isinstance(item, InputError), item
            store.add(item)
    with serving(url, TOKEN) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, launched by Playwright (no browser download)."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("needs Debian's chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the screenshots go (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
