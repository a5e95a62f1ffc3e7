"""A real HTTP server on loopback for the watch tests, and short network settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

# Short enough that the fault tests do not sleep long; long enough for loopback.
FAST_NETWORK = {
    "DEFCOOP_HTTP_TIMEOUT": "0.5",
    "DEFCOOP_HTTP_RETRIES": "1",
    "DEFCOOP_RETRY_BACKOFF": "0.05",
    "DEFCOOP_HOST_DELAY": "0",
    "DEFCOOP_EVERY": "30m",
    "DEFCOOP_REFETCH_EVERY": "1d",
}


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    """One threaded server per module on 127.0.0.1; its handlers are cleared after each test."""
    site = HTTPServer(host="127.0.0.1", threaded=True)
    site.start()
    yield site
    site.clear()
    if site.is_running():
        site.stop()


@pytest.fixture
def site(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    """The server with no handlers yet, and the fast network settings in the environment."""
    for name, value in FAST_NETWORK.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DEFCOOP_DB", raising=False)
    server.clear()
    yield server
    server.clear()
