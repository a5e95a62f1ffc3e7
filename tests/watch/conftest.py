"""A real HTTP server on loopback for the watch tests, and short network settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from news_site import FAST_NETWORK
from pytest_httpserver import HTTPServer


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
