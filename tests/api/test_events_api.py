"""GET endpoints of the REST API over the sample store: filters, pages, details, counts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def items(client: TestClient, **params: object) -> dict[str, Any]:
    """The answer of GET /api/events with these parameters (status checked)."""
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_the_list_gives_items_and_a_total(client: TestClient) -> None:
    everything = items(client, limit=500)
    assert everything["total"] == len(everything["items"]) >= 10
    first = everything["items"][0]
    assert {"event_id", "type", "participants", "start", "location"} <= set(first)


def test_pages_split_the_list_without_overlap(client: TestClient) -> None:
    whole = [i["event_id"] for i in items(client, limit=500)["items"]]
    first = items(client, limit=5, offset=0)
    second = items(client, limit=5, offset=5)
    assert first["total"] == second["total"] == len(whole)
    assert [i["event_id"] for i in first["items"] + second["items"]] == whole[:10]


def test_cursors_walk_the_whole_list_in_order(client: TestClient) -> None:
    whole = items(client, limit=500)
    assert whole["next_cursor"] is None and whole["total_is_estimate"] is False
    seen: list[str] = []
    params: dict[str, object] = {"limit": 3}
    while True:
        page = items(client, **params)
        assert page["total"] == whole["total"]
        seen += [i["event_id"] for i in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": 3, "cursor": page["next_cursor"]}
    assert seen == [i["event_id"] for i in whole["items"]]
    with_offset = items(client, limit=2, offset=1, cursor=items(client, limit=3)["next_cursor"])
    assert [i["event_id"] for i in with_offset["items"]] == seen[4:6]


def test_a_cursor_the_server_never_gave_is_not_found(client: TestClient) -> None:
    response = client.get("/api/events", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 404
    assert "not a cursor this server gave" in response.json()["detail"]


def test_each_filter_keeps_only_matching_events(client: TestClient) -> None:
    for item in items(client, type="exercise")["items"]:
        assert item["type"] == "exercise"
    for item in items(client, country="kaz")["items"]:
        assert "KAZ" in item["participants"]
    dyad = items(client, dyad="KAZ-UZB")
    assert dyad["total"] >= 1
    for item in dyad["items"]:
        assert {"KAZ", "UZB"} <= set(item["participants"])
    for item in items(client, since="2023", until="2023")["items"]:
        assert (item["start"] or item["end"]).startswith("2023")
    for item in items(client, status="completed")["items"]:
        assert item["status"] == "completed"
    at = items(client, place="ankara")["items"]
    assert at and all(i["location"]["name"] == "Ankara" for i in at)


def test_month_bounds_are_inclusive(client: TestClient) -> None:
    september = items(client, since="2023-09", until="2023-09")["items"]
    assert september
    assert all((i["start"] or "").startswith("2023-09") for i in september)


def test_words_are_found_in_names_places_and_evidence(client: TestClient) -> None:
    by_name = items(client, q="steppe shield")["items"]
    assert [i["name"] for i in by_name] == ["Steppe Shield-2023"]
    by_place = items(client, q="Vilnius")["items"]
    assert any(i["location"] and i["location"]["name"] == "Vilnius" for i in by_place)
    # "servicemen" is only in an evidence sentence, never a name or a place
    by_evidence = items(client, q="servicemen")
    assert by_evidence["total"] >= 1
    assert items(client, q="zzzunknownword")["total"] == 0


def test_search_syntax_in_the_words_is_taken_as_text(client: TestClient) -> None:
    for words in ['"', "NEAR(a b)", "a OR", "*", "name:x", "-", "()"]:
        response = client.get("/api/events", params={"q": words})
        assert response.status_code == 200, (words, response.text)


def test_an_event_comes_with_its_mentions_sources_and_history(client: TestClient) -> None:
    event_id = items(client, q="steppe")["items"][0]["event_id"]
    response = client.get(f"/api/events/{event_id}")
    assert response.status_code == 200
    event = response.json()
    assert event["event_id"] == event_id
    assert len(event["mentions"]) == 2
    evidence = event["mentions"][0]["evidence"][0]
    report = client.get(f"/api/reports/{event['mentions'][0]['report']}").json()
    assert report["text"][evidence["start"] : evidence["end"]] == evidence["text"]
    assert event["provenance"]["name"].startswith("mention:")
    assert event["history"] == []


def test_an_unknown_event_or_report_is_404(client: TestClient) -> None:
    assert client.get("/api/events/no-such-event").status_code == 404
    missing = client.get("/api/reports/no-such-report")
    assert missing.status_code == 404
    assert "no-such-report" in missing.json()["detail"]


def test_a_report_lists_its_mentions_and_their_events(client: TestClient) -> None:
    event = items(client, q="steppe")["items"][0]
    detail = client.get(f"/api/events/{event['event_id']}").json()
    report = client.get(f"/api/reports/{detail['mentions'][0]['report']}").json()
    assert event["event_id"] in {m["event_id"] for m in report["mentions"]}


def test_counts_by_year_and_type_add_up_to_the_dated_events(client: TestClient) -> None:
    rows = client.get("/api/aggregates/timeline").json()
    dated = [i for i in items(client, limit=500)["items"] if i["start"] or i["end"]]
    assert sum(r["count"] for r in rows) == len(dated)
    months = client.get("/api/aggregates/timeline", params={"granularity": "month"}).json()
    assert all(len(r["period"]) == 7 for r in months)
    exercises = client.get("/api/aggregates/timeline", params={"type": "exercise"}).json()
    assert {r["type"] for r in exercises} == {"exercise"}


def test_counts_by_dyad_and_place(client: TestClient) -> None:
    dyads = client.get("/api/aggregates/dyads").json()
    pair = next(d for d in dyads if (d["a"], d["b"]) == ("KAZ", "UZB"))
    assert pair["count"] == items(client, dyad="KAZ-UZB")["total"]
    assert all(d["a"] < d["b"] for d in dyads)
    places = client.get("/api/aggregates/places").json()
    assert sum(p["count"] for p in places) <= items(client)["total"]
    assert any(p["name"] == "Ankara" for p in places)


def test_points_have_coordinates_and_follow_the_filters(client: TestClient) -> None:
    points = client.get("/api/points").json()
    assert points and all(isinstance(p["lat"], float) for p in points)
    only = client.get("/api/points", params={"type": "transfer"}).json()
    assert only and {p["type"] for p in only} == {"transfer"}


def test_the_openapi_schema_documents_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/events/{event_id}/corrections",
        "/api/events/{event_id}/merge",
        "/api/events/{event_id}/split",
        "/api/reports",
        "/api/reports/{report_id}",
        "/api/aggregates/timeline",
        "/api/aggregates/dyads",
        "/api/aggregates/places",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            assert operation.get("description") or operation.get("summary"), path
    parameters = {p["name"]: p for p in paths["/api/events"]["get"]["parameters"]}
    assert {"country", "dyad", "type", "status", "since", "until", "place", "q"} <= set(parameters)
    assert all(p.get("description") for p in parameters.values())
    assert "/" not in paths  # the HTML pages are not part of the API
