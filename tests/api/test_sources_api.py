"""`GET /api/sources` and the Sources page show what `defcoop watch` recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from defcoop.records import SourceState
from defcoop.store.database import Store

MakeClient = Callable[..., TestClient]
POLLED = datetime(2024, 4, 6, 7, 30, tzinfo=UTC)


def save_states(path: Path) -> None:
    """Two sources as a watch leaves them: one fine, one whose host is down."""
    with Store.open(f"sqlite:///{path}") as store:
        store.save_source(
            SourceState(
                name="gazette feed",
                url="https://gazette.example/feed.xml",
                kind="feed",
                last_poll=POLLED,
                http_status=200,
                etag='"v1"',
                found=3,
                new=2,
                failed=1,
                stored_total=12,
                last_error="https://gazette.example/a: HTTP 404 NOT FOUND",
                last_error_at=POLLED,
            )
        )
        store.save_source(
            SourceState(
                name="<ministry>",
                url="https://mod.example/rss",
                kind="auto",
                last_poll=POLLED,
                last_error="cannot connect: [Errno 111] Connection refused (3 attempts)",
                last_error_at=POLLED,
            )
        )


def test_the_api_lists_each_source_with_its_last_poll(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client()
    assert client.get("/api/sources").json() == []
    save_states(tmp_path / "store.db")
    rows = client.get("/api/sources").json()
    assert [r["name"] for r in rows] == ["<ministry>", "gazette feed"]
    feed = rows[1]
    assert feed["last_poll"] == "2024-04-06T07:30:00+00:00"
    assert (feed["http_status"], feed["found"], feed["new"], feed["failed"]) == (200, 3, 2, 1)
    assert feed["stored_total"] == 12 and "etag" not in feed
    assert rows[0]["http_status"] is None and "Connection refused" in rows[0]["last_error"]


def test_the_sources_page_shows_the_table_escaped(client: TestClient, tmp_path: Path) -> None:
    assert "No source is followed yet" in client.get("/sources").text
    save_states(tmp_path / "store.db")
    page = client.get("/sources")
    assert page.status_code == 200
    assert "&lt;ministry&gt;" in page.text and "<ministry>" not in page.text
    assert "HTTP 404 NOT FOUND" in page.text and "2024-04-06 07:30" in page.text
    assert 'href="/sources"' in client.get("/").text
