"""`defcoop serve` keeps answering while `defcoop ingest` writes to the same store: no 500."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fault_reports import write_reports
from store_state import DEFCOOP, ingest, snapshot

STARTUP_SECONDS = 60


def _free_port() -> int:
    """A loopback TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serving(url: str) -> Iterator[str]:
    """Run `defcoop serve` over the store at `url`; yield its base URL."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DEFCOOP_")}
    process = subprocess.Popen(
        [*DEFCOOP, "serve", "--db", url, "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "defcoop serve did not answer"
            try:
                httpx.get(base + "/api/events?limit=1", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """A store already holding a first batch of reports."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    done = ingest(write_reports(tmp_path / "first", 20, "served", 0), url)
    assert done.returncode == 0, done.stderr
    return url


def queries(client: httpx.Client, seen: set[str]) -> list[httpx.Response]:
    """One round of the reads an analyst's browser makes."""
    listing = client.get("/api/events", params={"limit": 100})
    answers = [listing]
    if listing.status_code == 200:
        seen.update(item["event_id"] for item in listing.json()["items"])
    for ident in sorted(seen)[-3:]:
        answers.append(client.get(f"/api/events/{ident}"))
        answers.append(client.get(f"/events/{ident}"))
    answers += [
        client.get("/api/events", params={"text": "exercise", "country": "GEO"}),
        client.get("/api/aggregates/timeline"),
        client.get("/api/aggregates/dyads"),
        client.get("/api/points"),
        client.get("/api/reports/served-0001"),
        client.get("/"),
    ]
    return answers


def check_no_server_error_while_ingesting(url: str, folder: Path) -> None:
    """Query the server all through an ingest into its store; then it shows the result."""
    for base in serving(url):
        writer = subprocess.Popen(
            [*DEFCOOP, "ingest", str(folder), "--db", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        seen: set[str] = set()
        statuses: list[int] = []
        with httpx.Client(base_url=base, timeout=60) as client:
            while writer.poll() is None:
                for answer in queries(client, seen):
                    assert answer.status_code < 500, (answer.url, answer.text)
                    statuses.append(answer.status_code)
            _, err = writer.communicate()
            assert writer.returncode == 0, err.decode()
            final = client.get("/api/events", params={"limit": 1})
        assert len(statuses) >= 20  # the server was queried all along the ingest
        assert set(statuses) <= {200, 404}
        assert final.status_code == 200
        assert final.json()["total"] == snapshot(url).event_rows


def test_serve_answers_while_ingest_writes(store_url: str, tmp_path: Path) -> None:
    folder = write_reports(tmp_path / "more", 60, "served", 20)[0].parent
    check_no_server_error_while_ingesting(store_url, folder)
