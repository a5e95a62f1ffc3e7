"""GET /api/review and GET /api/errors over a store of our own invented reports."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defcoop.api.app import create_app
from defcoop.api.backend import Backend
from defcoop.api.config import ServeConfig
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.store.database import Store

FIXTURE = Path(__file__).resolve().parents[1] / "store" / "disagreeing_reports.py"


@pytest.fixture
def client(tmp_path: Path, lexicons: tuple[ActorLexicon, Gazetteer]) -> Iterator[TestClient]:
    spec = importlib.util.spec_from_file_location("disagreeing_for_api", FIXTURE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Store.open(f"sqlite:///{tmp_path / 'review.db'}") as store:
        for extraction in module.disagreeing_reports():
            store.add(extraction)
        store.record_error("drop/bad.json", "no publication date")
        app = create_app(Backend(store, *lexicons, ServeConfig()))
        yield TestClient(app, base_url="http://127.0.0.1")


def test_the_review_queue_comes_most_reported_first(client: TestClient) -> None:
    answer = client.get("/api/review")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == 4
    assert [i["kind"] for i in body["items"]] == [
        "conflicts",
        "near_duplicate",
        "incomplete",
        "incomplete",
    ]
    assert body["items"][0]["events"][0]["name"] == "Lake Guard-2023"
    assert client.get("/api/review", params={"limit": 1}).json()["total"] == 4
    assert len(client.get("/api/review", params={"limit": 1}).json()["items"]) == 1
    assert client.get("/api/review", params={"limit": 0}).status_code == 422


def test_conflicts_filter_and_detail(client: TestClient) -> None:
    flagged = client.get("/api/events", params={"conflicts": "true"}).json()
    assert [e["name"] for e in flagged["items"]] == ["Lake Guard-2023"]
    detail = client.get(f"/api/events/{flagged['items'][0]['event_id']}").json()
    assert {v["value"] for v in detail["conflicts"]["start"]} == {"2023-03-06", "2023-03-09"}


def test_input_errors_are_listed(client: TestClient) -> None:
    [error] = client.get("/api/errors").json()
    assert (error["source"], error["reason"]) == ("drop/bad.json", "no publication date")


def test_series_and_their_editions(client: TestClient) -> None:
    listed = client.get("/api/series").json()
    assert [(s["key"], s["editions"]) for s in listed] == [("lakeguard", 1)]
    one = client.get("/api/series/lakeguard").json()
    assert [(e["year"], e["name"]) for e in one["editions"]] == [(2023, "Lake Guard-2023")]
    assert client.get("/api/series/Lake Guard-2021").json()["key"] == "lakeguard"
    assert client.get("/api/series/nothing").status_code == 404
    only = client.get("/api/events", params={"series": "lakeguard"}).json()
    assert [e["name"] for e in only["items"]] == ["Lake Guard-2023"]


def test_a_near_duplicate_pair_can_be_kept_apart(client: TestClient) -> None:
    [pair] = [i for i in client.get("/api/review").json()["items"] if i["kind"] == "near_duplicate"]
    first, second = pair["event_ids"]
    answer = client.post(f"/api/events/{first}/apart", json={"events": [second], "why": "two"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"event_id": first}
    assert all(i["kind"] != "near_duplicate" for i in client.get("/api/review").json()["items"])
    history = client.get(f"/api/events/{second}").json()["history"]
    assert [(h["action"], h["payload"]) for h in history] == [("apart", {"apart": [first]})]
    missing = client.post("/api/events/nothing/apart", json={"events": [first], "why": "x"})
    assert missing.status_code == 404
