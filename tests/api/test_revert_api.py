"""Reverting a correction through the REST API, checked as the CLI checks it."""

from __future__ import annotations

from typing import get_args

from fastapi.testclient import TestClient

from defcoop.api.models import CorrectableField
from defcoop.resolve.events import CORRECTABLE


def steppe_shield(client: TestClient) -> str:
    found = client.get("/api/events", params={"q": "steppe shield"}).json()["items"]
    assert len(found) == 1, found
    return str(found[0]["event_id"])


def test_revert_returns_the_machine_value_and_the_log_keeps_both(client: TestClient) -> None:
    ident = steppe_shield(client)
    machine = client.get(f"/api/events/{ident}").json()
    url = f"/api/events/{ident}/corrections"
    headers = {"X-Defcoop-User": "ana"}
    set_answer = client.post(url, json={"set": {"start": "2023"}, "why": "memo"}, headers=headers)
    assert set_answer.status_code == 200, set_answer.text
    assert client.get(f"/api/events/{ident}").json()["start"] == "2023"
    reverted = client.post(
        url, json={"revert": ["start"], "why": "memo withdrawn"}, headers=headers
    )
    assert reverted.status_code == 200, reverted.text
    event = client.get(f"/api/events/{ident}").json()
    assert event["start"] == machine["start"]
    assert event["provenance"]["start"] == machine["provenance"]["start"]
    assert [(h["action"], h["payload"], h["who"]) for h in event["history"]] == [
        ("set", {"start": "2023"}, "ana"),
        ("revert", {"revert": ["start"]}, "ana"),
    ]


def test_the_api_refuses_what_the_cli_refuses_with_the_same_reason(client: TestClient) -> None:
    ident = steppe_shield(client)
    start = client.get(f"/api/events/{ident}").json()["start"]
    url = f"/api/events/{ident}/corrections"
    # well-formed bodies the event cannot take: 409, as the schema documents
    cases = [
        ({"revert": ["start"]}, "start: holds no analyst value to revert"),
        ({"set": {"end": "2001-01-01"}}, f"end 2001-01-01 would come before start {start}"),
        ({"set": {"participants": ["Atlantis"]}}, "'Atlantis' is not a known country"),
        ({"set": {"location": "Qzxwvut"}}, "'Qzxwvut' is not in the gazetteer"),
        ({"set": {"start": "2023"}, "revert": ["start"]}, "start: set and reverted at once"),
    ]
    for body, reason in cases:
        answer = client.post(url, json={**body, "why": "x"})
        assert answer.status_code == 409, body
        assert reason in answer.text, (body, answer.text)
    # bodies that do not fit the schema (an unknown field, nothing to change): 422
    for body in ({"revert": ["colour"]}, {}, {"set": None, "revert": []}):
        answer = client.post(url, json={**body, "why": "x"})
        assert answer.status_code == 422, body
        assert "revert" in answer.text or "nothing to change" in answer.text, answer.text
    assert client.get(f"/api/events/{ident}").json()["history"] == []


def test_the_schema_names_every_correctable_field() -> None:
    assert get_args(CorrectableField) == CORRECTABLE
