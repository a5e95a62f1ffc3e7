"""Writes through the REST API: corrections, merge, split, new reports; each one logged."""

from __future__ import annotations

from fastapi.testclient import TestClient

NEW_REPORT = {
    "id": "test-wire-2024-05-02-lake-drill",
    "published": "2024-05-02",
    "source": "Test Wire",
    "title": "Lake drill",
    "text": (
        "Finnish and Estonian naval units began the joint exercise Northern Reed-2024 "
        "near Tallinn on April 29, the Estonian Navy said. The drills run until May 10."
    ),
}


def event_named(client: TestClient, words: str) -> str:
    """The id of the one event the words find."""
    found = client.get("/api/events", params={"q": words}).json()["items"]
    assert len(found) == 1, found
    return str(found[0]["event_id"])


def test_a_correction_changes_the_event_and_is_logged(client: TestClient) -> None:
    event_id = event_named(client, "steppe shield")
    response = client.post(
        f"/api/events/{event_id}/corrections",
        json={"set": {"end": "2023-09-16", "participants": ["KAZ", "Uzbekistan"]}, "why": "memo"},
        headers={"X-Defcoop-User": "ana"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"event_id": event_id}
    event = client.get(f"/api/events/{event_id}").json()
    assert event["end"] == "2023-09-16"
    assert event["participants"] == ["KAZ", "UZB"]
    assert event["provenance"]["end"].startswith("correction:")
    (entry,) = event["history"]
    assert (entry["who"], entry["why"], entry["action"]) == ("ana", "memo", "set")
    assert entry["at"]


def test_the_writer_named_in_the_body_wins_over_the_header(client: TestClient) -> None:
    event_id = event_named(client, "steppe shield")
    client.post(
        f"/api/events/{event_id}/corrections",
        json={"set": {"status": "completed"}, "why": "ok", "who": "bo"},
        headers={"X-Defcoop-User": "ana"},
    )
    assert client.get(f"/api/events/{event_id}").json()["history"][0]["who"] == "bo"


def test_a_correction_the_field_cannot_take_is_422(client: TestClient) -> None:
    event_id = event_named(client, "steppe shield")
    for values in ({"start": "2023-13"}, {"type": "parade"}, {"colour": "red"}, {}):
        response = client.post(
            f"/api/events/{event_id}/corrections", json={"set": values, "why": "x"}
        )
        assert response.status_code == 422, values
        assert response.json()["detail"]
    missing = client.post("/api/events/nope/corrections", json={"set": {"name": "x"}, "why": "x"})
    assert missing.status_code == 404


def test_a_correction_is_found_by_search_at_once(client: TestClient) -> None:
    event_id = event_named(client, "steppe shield")
    client.post(
        f"/api/events/{event_id}/corrections", json={"set": {"name": "Quillwort"}, "why": "x"}
    )
    assert event_named(client, "quillwort") == event_id


def test_merge_then_split_round_trip(client: TestClient) -> None:
    first = event_named(client, "Vilnius Declaration")
    second = event_named(client, "Poseidon Gate")
    merged = client.post(
        f"/api/events/{first}/merge", json={"events": [second], "why": "same event", "who": "cy"}
    )
    assert merged.status_code == 200, merged.text
    assert merged.json() == {"event_id": first}
    # the merged-away id still answers, with the event it went into
    assert client.get(f"/api/events/{second}").json()["event_id"] == first
    event = client.get(f"/api/events/{first}").json()
    assert event["history"][-1]["action"] == "merge"
    moving = [event["mentions"][-1]["mention_id"]]
    split = client.post(f"/api/events/{first}/split", json={"mentions": moving, "why": "not"})
    assert split.status_code == 200, split.text
    fresh = split.json()["event_id"]
    assert fresh != first
    assert [m["mention_id"] for m in client.get(f"/api/events/{fresh}").json()["mentions"]] == (
        moving
    )


def test_a_bad_merge_or_split_is_4xx(client: TestClient) -> None:
    event_id = event_named(client, "steppe shield")
    same = client.post(f"/api/events/{event_id}/merge", json={"events": [event_id], "why": "x"})
    # well-formed, refused for what the store holds: 409 with the reason
    assert same.status_code == 409
    assert "two different events" in same.json()["detail"]
    unknown = client.post(f"/api/events/{event_id}/merge", json={"events": ["nope"], "why": "x"})
    assert unknown.status_code == 404
    stranger = client.post(f"/api/events/{event_id}/split", json={"mentions": [10**6], "why": "x"})
    assert stranger.status_code == 409
    assert f"mentions [{10**6}] are not in event" in stranger.json()["detail"]
    whole = [m["mention_id"] for m in client.get(f"/api/events/{event_id}").json()["mentions"]]
    everything = client.post(f"/api/events/{event_id}/split", json={"mentions": whole, "why": "x"})
    assert everything.status_code == 409
    no_why = client.post(f"/api/events/{event_id}/split", json={"mentions": [1]})
    assert no_why.status_code == 422
    assert "why" in no_why.json()["detail"]


def test_a_posted_report_is_ingested_at_once(client: TestClient) -> None:
    response = client.post("/api/reports", json=NEW_REPORT)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["report_id"] == NEW_REPORT["id"]
    assert answer["stored"] is True
    assert answer["mentions"] >= 1 and answer["events"]
    event = client.get(f"/api/events/{answer['events'][0]}").json()
    assert {"EST", "FIN"} <= set(event["participants"])
    report = client.get(f"/api/reports/{NEW_REPORT['id']}").json()
    assert report["text"] == NEW_REPORT["text"]
    again = client.post("/api/reports", json=NEW_REPORT)
    assert again.status_code == 201
    assert again.json()["stored"] is False


def test_a_report_without_an_id_gets_one_from_its_text(client: TestClient) -> None:
    body = {k: v for k, v in NEW_REPORT.items() if k != "id"}
    answer = client.post("/api/reports", json=body).json()
    assert answer["report_id"].startswith("api-")


def test_a_bad_report_is_422_with_the_reason(client: TestClient) -> None:
    cases = [
        ({"text": "No date here."}, "published: Field required"),
        ({"published": "2024-02-30", "text": "Text."}, "not a date"),
        ({"published": "٢٠٢٤-٠٥-٠٢", "text": "Text."}, "not a date"),
        ({"published": "2024-05-02", "text": "   "}, "empty"),
        ({"published": "someday", "text": "Text."}, "not a date"),
        ({"published": "2024-05-02"}, "text"),
        ({"published": "2024-05-02", "text": 12}, "text"),
    ]
    for body, reason in cases:
        response = client.post("/api/reports", json=body)
        assert response.status_code == 422, body
        assert reason in response.json()["detail"], (body, response.json())
    not_json = client.post(
        "/api/reports", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422
