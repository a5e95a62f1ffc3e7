"""Kept answers (`api.answers`): served again while the store is unchanged, never after a write."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeClient
from fastapi.testclient import TestClient

from defcoop.api.answers import AnswerCache
from defcoop.store.database import Store


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
    computed: list[str] = []

    def compute(body: str) -> bytes:
        computed.append(body)
        return body.encode()

    assert cache.answer(1, "k", lambda: compute("a")) == b"a"
    assert cache.answer(1, "k", lambda: compute("b")) == b"a"
    assert cache.answer(2, "k", lambda: compute("c")) == b"c"
    # An answer computed at an older version (a slow request) is served but not kept.
    assert cache.answer(1, "k", lambda: compute("d")) == b"d"
    assert cache.answer(2, "k", lambda: compute("e")) == b"c"
    assert computed == ["a", "c", "d"]


def test_the_kept_answers_are_bounded() -> None:
    cache = AnswerCache(max_entries=2, max_bytes=10)
    for key in "abc":
        cache.answer(1, key, lambda: b"1234")
    assert cache.answer(1, "a", lambda: b"new") == b"new"  # the oldest went first
    assert cache.answer(1, "c", lambda: b"new") == b"1234"
    assert cache.answer(1, "big", lambda: b"x" * 11) == b"x" * 11  # too large to keep
    assert cache.answer(1, "big", lambda: b"y") == b"y"
    off = AnswerCache(max_entries=0)
    assert off.answer(1, "k", lambda: b"1") == b"1"
    assert off.answer(1, "k", lambda: b"2") == b"2"
