"""What a security tester tried: DNS rebinding, silent replacement, unauthenticated parsing,
revealing error texts, foreign digits in dates, unreachable report ids."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from defcoop.api.app import STORE_UNAVAILABLE
from defcoop.api.config import ServeConfig, allowed_hosts, host_allowed

MakeClient = Callable[..., TestClient]

DRILL = {
    "id": "harbour-drill",
    "published": "2024-04-12",
    "text": (
        "Estonian and Finnish minehunters began the joint exercise Harbour Lantern off "
        "Tallinn on Wednesday, the Estonian Navy said. The drill ends on April 19."
    ),
}
OTHER_TEXT = (
    "Estonian and Finnish minehunters began the joint exercise Harbour Lantern off "
    "Tallinn on Wednesday, the Estonian Navy said. The exercise will end on April 17."
)


# --- Host header (DNS rebinding) -------------------------------------------------------


def test_a_foreign_host_is_refused_and_not_echoed(client: TestClient) -> None:
    for path in ("/", "/api/events", "/static/app.css"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, path
        assert "evil" not in response.text
        assert response.headers["content-security-policy"]
    write = client.post("/api/reports", json=DRILL, headers={"Host": "evil.example:8000"})
    assert write.status_code == 400
    assert client.get("/api/reports/harbour-drill").status_code == 404


def test_the_names_of_a_loopback_server_are_accepted(client: TestClient) -> None:
    for host in ("127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"):
        assert client.get("/api/events", headers={"Host": host}).status_code == 200, host


def test_allowed_hosts_of_each_binding() -> None:
    loopback = allowed_hosts(ServeConfig(host="127.0.0.1", allowed_hosts=("defcoop.lan",)))
    assert host_allowed("defcoop.lan:8000", loopback)
    assert not host_allowed("10.1.2.3", loopback)
    assert not host_allowed("rebound.example", loopback)
    assert not host_allowed("", loopback)
    one = allowed_hosts(ServeConfig(host="10.1.2.3", token="x" * 16))
    assert host_allowed("10.1.2.3:8000", one)
    assert not host_allowed("localhost", one) and not host_allowed("10.1.2.4", one)
    wildcard = allowed_hosts(ServeConfig(host="0.0.0.0", token="x" * 16))
    assert host_allowed("192.168.1.20:8000", wildcard) and host_allowed("[fe80::1]", wildcard)
    assert not host_allowed("intranet.example", wildcard)


def test_allowed_host_names_are_served(make_client: MakeClient) -> None:
    client = make_client(allowed_hosts=("defcoop.lan",))
    assert client.get("/api/events", headers={"Host": "defcoop.lan:8000"}).status_code == 200
    assert client.get("/api/events", headers={"Host": "other.lan"}).status_code == 400


def test_no_redirect_reflects_the_host(client: TestClient) -> None:
    response = client.post("/api/reports/", json=DRILL, follow_redirects=False)
    assert "location" not in response.headers
    assert response.status_code in (404, 405)
    slash = client.get("/api/events/", follow_redirects=False)
    assert "location" not in slash.headers


# --- Replacing a report -----------------------------------------------------------------


def _events_of(client: TestClient, report_id: str) -> list[str]:
    mentions = client.get(f"/api/reports/{report_id}").json()["mentions"]
    return sorted({m["event_id"] for m in mentions})


def test_an_existing_id_with_other_text_is_409(client: TestClient) -> None:
    first = client.post("/api/reports", json=DRILL)
    assert first.status_code == 201 and first.json()["stored"]
    before = _events_of(client, "harbour-drill")
    response = client.post("/api/reports", json={**DRILL, "text": OTHER_TEXT})
    assert response.status_code == 409
    assert "harbour-drill" in response.json()["detail"]
    report = client.get("/api/reports/harbour-drill").json()
    assert report["text"] == DRILL["text"]
    assert _events_of(client, "harbour-drill") == before


def test_a_replacement_keeps_corrections_and_is_logged(client: TestClient) -> None:
    client.post("/api/reports", json=DRILL)
    (event_id,) = _events_of(client, "harbour-drill")
    corrected = client.post(
        f"/api/events/{event_id}/corrections",
        json={"set": {"name": "Harbour Lantern 24"}, "why": "the navy's own name"},
    )
    assert corrected.status_code == 200
    response = client.post("/api/reports", json={**DRILL, "text": OTHER_TEXT, "replace": True})
    assert response.status_code == 201 and response.json()["stored"] is True
    assert client.get("/api/reports/harbour-drill").json()["text"] == OTHER_TEXT
    (now_id,) = _events_of(client, "harbour-drill")
    event = client.get(f"/api/events/{event_id}").json()
    assert event["event_id"] == now_id
    assert event["name"] == "Harbour Lantern 24"
    assert event["end"] == "2024-04-17"
    actions = [entry["action"] for entry in event["history"]]
    assert actions == ["set", "replace"]
    replace = event["history"][1]
    assert replace["payload"]["report"] == "harbour-drill"
    assert "replaced" in replace["why"] and "POST /api/reports" in replace["who"]


def test_known_text_under_a_new_id_answers_the_stored_id(client: TestClient) -> None:
    client.post("/api/reports", json=DRILL)
    response = client.post("/api/reports", json={**DRILL, "id": "same-text-new-id"})
    assert response.status_code == 201
    answer = response.json()
    assert answer["stored"] is False
    assert answer["report_id"] == "harbour-drill"
    assert client.get(f"/api/reports/{answer['report_id']}").status_code == 200
    assert answer["events"] == _events_of(client, "harbour-drill")


# --- Token before the body ----------------------------------------------------------------


def test_a_write_without_the_token_is_401_before_its_body_is_read(
    make_client: MakeClient,
) -> None:
    client = make_client(token="a-token-long-enough")
    app: Any = client.app
    read = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        read.append(True)
        return {"type": "http.request", "body": b"{not json at all", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/reports",
        "raw_path": b"/api/reports",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 401
    assert read == []
    assert (b"www-authenticate", b"Bearer") in sent[0]["headers"]


def test_a_malformed_write_without_the_token_is_401_not_422(make_client: MakeClient) -> None:
    client = make_client(token="a-token-long-enough")
    response = client.post(
        "/api/reports", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401
    good = client.post(
        "/api/reports", json=DRILL, headers={"Authorization": "Bearer a-token-long-enough"}
    )
    assert good.status_code == 201


# --- Store failures -------------------------------------------------------------------------


def test_a_failing_store_answers_a_short_503_and_logs_the_detail(
    client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Another program breaks the database under the running server.
    database = sqlite3.connect(tmp_path / "store.db")
    database.execute("DROP TABLE event_participants")
    database.commit()
    database.close()
    with caplog.at_level(logging.ERROR, logger="defcoop.api"):
        response = client.get("/api/events", params={"country": "KAZ"})
    assert response.status_code == 503
    assert response.json() == {"detail": STORE_UNAVAILABLE}
    assert "store.db" not in response.text and "SELECT" not in response.text.upper()
    assert any("event_participants" in r.getMessage() for r in caplog.records)


# --- Dates and report ids -------------------------------------------------------------------


def test_foreign_digits_are_not_dates(client: TestClient) -> None:
    event_id = client.get("/api/events").json()["items"][0]["event_id"]
    for value in ("٢٠٢٣-٠٣-١٥", "２０２３", "2023-0３"):
        response = client.post(
            f"/api/events/{event_id}/corrections", json={"set": {"start": value}, "why": "x"}
        )
        assert response.status_code == 422, value
        assert "not a date" in response.json()["detail"]
        assert client.get("/api/events", params={"since": value}).status_code == 422


def test_until_before_since_finds_nothing(client: TestClient) -> None:
    response = client.get("/api/events", params={"since": "2023", "until": "2021"})
    assert response.status_code == 200
    assert response.json() == {
        "items": [],
        "total": 0,
        "total_is_estimate": False,
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("report_id", "reason"),
    [
        ("wire/2024/drill", "'/'"),
        ("x" * 501, "over the limit of 500"),
        ("..", "'..'"),
        ("tab\there", "control character"),
    ],
)
def test_unreachable_report_ids_are_refused_with_the_reason(
    client: TestClient, report_id: str, reason: str
) -> None:
    response = client.post("/api/reports", json={**DRILL, "id": report_id})
    assert response.status_code == 422
    assert "id" in response.json()["detail"]
    assert client.get("/api/events", params={"q": "Lantern"}).json()["total"] == 0
    from defcoop.errors import MalformedInput
    from defcoop.ingest.json_report import ReportContext, report_from_json

    context = ReportContext(origin="wire.json", fallback_id="wire", published=None, max_bytes=10**6)
    with pytest.raises(MalformedInput) as caught:
        report_from_json({**DRILL, "id": report_id}, context)
    assert reason in str(caught.value) and "wire.json" in str(caught.value)


def test_the_422_body_is_the_one_the_schema_declares(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/events"]["get"]
    ref = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    declared = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert declared["properties"]["detail"]["type"] == "string"
    answer = client.get("/api/events", params={"limit": 0}).json()
    assert isinstance(answer["detail"], str)
    for code in ("400", "404", "405"):
        assert code in operation["responses"]
    assert json.dumps(answer)


def test_a_corrected_event_the_replacement_empties_lives_on_in_its_successor(
    client: TestClient,
) -> None:
    client.post("/api/reports", json=DRILL)
    (event_id,) = _events_of(client, "harbour-drill")
    client.post(
        f"/api/events/{event_id}/corrections",
        json={"set": {"location": "Tallinn", "name": "Harbour Lantern 24"}, "why": "memo"},
    )
    # A new opening sentence moves the event's evidence: the new version's mention
    # leads a new event, and the old one has no mention left.
    moved = "The harbour was quiet in the morning. " + OTHER_TEXT
    response = client.post("/api/reports", json={**DRILL, "text": moved, "replace": True})
    assert response.status_code == 201
    (now_id,) = _events_of(client, "harbour-drill")
    assert now_id != event_id
    event = client.get(f"/api/events/{now_id}").json()
    assert event["name"] == "Harbour Lantern 24"
    assert [entry["action"] for entry in event["history"]] == ["set", "replace"]
    assert client.get(f"/api/events/{event_id}").json()["event_id"] == now_id


def test_the_cli_ingest_logs_a_replacement(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from defcoop.cli import app
    from defcoop.store.database import Store

    store_url = f"sqlite:///{tmp_path / 'cli.db'}"
    report = tmp_path / "harbour-drill.json"
    runner = CliRunner()
    report.write_text(json.dumps(DRILL), encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(report), "--db", store_url]).exit_code == 0
    report.write_text(json.dumps({**DRILL, "text": OTHER_TEXT}), encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(report), "--db", store_url]).exit_code == 0
    with Store.open(store_url) as store:
        (event_id,) = {m.event_id for _, m in store.report_mentions("harbour-drill")}
        assert event_id is not None
        history = store.history(event_id)
    assert [entry["action"] for entry in history] == ["replace"]
    assert str(report) in history[0]["who"] or "ingest" in history[0]["who"]
