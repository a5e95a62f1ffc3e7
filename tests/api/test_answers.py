"""Kept answers (`api.answers`): served again while the store is unchanged, never after a write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from defcoop.api.answers import AnswerCache
from defcoop.store.database import Store

MakeClient = Callable[..., TestClient]  # the make_client fixture (tests/api/conftest.py)


def named(client: TestClient, words: str) -> dict[str, object]:
    """The one listed event the words find."""
    (found,) = client.get("/api/events", params={"q": words}).json()["items"]
    assert isinstance(found, dict)
    return found


def test_a_write_through_the_api_is_seen_by_the_next_read(client: TestClient) -> None:
    event = named(client, "steppe shield")
    before = client.get("/api/events", params={"q": "steppe shield"}).json()
    timeline = client.get("/api/aggregates/timeline", params={"type": event["type"]}).json()
    response = client.post(
        f"/api/events/{event['event_id']}/corrections",
        json={"set": {"name": "Quillwort Rampart", "type": "training"}, "why": "memo"},
    )
    assert response.status_code == 200, response.text
    after = client.get("/api/events", params={"q": "steppe shield"}).json()
    assert after != before
    assert after["items"][0]["name"] == "Quillwort Rampart"
    moved = client.get("/api/aggregates/timeline", params={"type": event["type"]}).json()
    assert sum(int(r["count"]) for r in moved) == sum(int(r["count"]) for r in timeline) - 1


def test_a_write_by_another_process_is_seen_by_the_next_read(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client()
    event = named(client, "steppe shield")
    assert named(client, "steppe shield") == event  # now kept
    # Another writer on the same file: the server learns of it only through the store.
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as other:
        version = other.version()
        other.correct(str(event["event_id"]), {"name": "Quillwort Rampart"}, "ana", "memo")
        assert other.version() > version
    assert named(client, "steppe shield")["name"] == "Quillwort Rampart"


def test_a_kept_answer_is_served_until_the_version_changes() -> None:
    cache = AnswerCache(max_entries=10)
    assert cache.get(1, "k") is None
    cache.put(1, "k", b"a")
    assert cache.get(1, "k") == b"a"
    assert cache.get(2, "k") is None  # a newer version: computed again
    cache.put(2, "k", b"c")
    assert cache.get(2, "k") == b"c"
    cache.put(1, "other", b"d")  # computed at a version already superseded: not kept
    assert cache.get(1, "other") is None
    assert cache.get(2, "other") is None
    assert cache.get(1, "k") is None  # what was kept at version 1 is gone


def test_the_kept_answers_are_bounded() -> None:
    cache = AnswerCache(max_entries=2, max_bytes=10)
    for key in "abc":
        cache.put(1, key, b"1234")
    assert cache.get(1, "a") is None  # the least recently used went first
    assert cache.get(1, "c") == b"1234"
    cache.put(1, "big", b"x" * 11)  # larger than the whole cache
    assert cache.get(1, "big") is None
    cache.put(1, "d", b"12345678")  # 4 + 8 bytes is over 10: the oldest goes
    assert (cache.get(1, "b"), cache.get(1, "c"), cache.get(1, "d")) == (None, None, b"12345678")
    off = AnswerCache(max_entries=0)
    off.put(1, "k", b"1")
    assert off.get(1, "k") is None


def test_a_server_keeping_no_answers_computes_each_without_reading_the_version(
    make_client: MakeClient, tmp_path: Path
) -> None:
    reads: list[int] = []
    clients = {}
    for kept in (0, 16):
        client = make_client(cached_answers=kept)
        store = client.app.state.backend.store

        def counted(read: Callable[[], int] = store.version, kept: int = kept) -> int:
            reads.append(kept)
            return read()

        store.version = counted
        clients[kept] = client
    event = named(clients[0], "steppe shield")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as other:
        other.correct(str(event["event_id"]), {"name": "Quillwort Rampart"}, "ana", "memo")
    assert named(clients[0], "steppe shield")["name"] == "Quillwort Rampart"  # computed
    assert reads == []  # a round trip on a database server, for nothing kept
    named(clients[16], "quillwort rampart")
    assert reads == [16]  # a server keeping answers checks the version
