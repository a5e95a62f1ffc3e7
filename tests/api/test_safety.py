"""Safe by default: escaping, CSP, body limits, tokens for writes, 4xx never 500."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defcoop.api.config import ServeConfig, is_loopback, unsafe_reason

MakeClient = Callable[..., TestClient]

HOSTILE = {
    "id": "hostile-report",
    "published": "2024-01-10",
    "url": "javascript:alert(3)",
    "title": "<img src=x onerror=alert(2)>",
    "text": (
        "Greek and Cypriot frigates held the joint exercise Argo Shield near Limassol on "
        "January 8. <script>alert(1)</script> The navies said it went well."
    ),
}


def test_report_text_is_escaped_on_every_page(client: TestClient) -> None:
    answer = client.post("/api/reports", json=HOSTILE).json()
    pages = [f"/reports/{HOSTILE['id']}", *(f"/events/{e}" for e in answer["events"])]
    assert len(pages) >= 2
    for page in pages:
        html = client.get(page).text
        assert "<script>alert(1)</script>" not in html, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, page
        assert "<img src=x" not in html, page
        assert 'href="javascript:' not in html, page


def test_pages_and_api_answers_carry_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/events", "/static/app.css", "/events/nope", "/api/events?limit=-1"):
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "default-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client: TestClient) -> None:
    event_id = client.get("/api/events").json()["items"][0]["event_id"]
    for path in ("/", f"/events/{event_id}"):
        html = client.get(path).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html
        assert " on" + "click=" not in html


def test_the_pages_load_nothing_from_other_origins(client: TestClient) -> None:
    html = client.get("/").text
    for attribute in ('src="http', 'href="http', 'src="//', 'href="//'):
        assert attribute not in html


def test_an_oversized_body_is_413(make_client: MakeClient) -> None:
    client = make_client(max_report_bytes=1000)
    limit = ServeConfig(max_report_bytes=1000).max_body_bytes
    big = {"published": "2024-01-01", "text": "x" * (limit + 10)}
    response = client.post("/api/reports", json=big)
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_a_streamed_oversized_body_is_413(make_client: MakeClient) -> None:
    client = make_client(max_report_bytes=1000)
    limit = ServeConfig(max_report_bytes=1000).max_body_bytes

    def chunks() -> Iterator[bytes]:
        yield b'{"published": "2024-01-01", "text": "'
        for _ in range(limit // 1000 + 2):
            yield b"y" * 1000
        yield b'"}'

    response = client.post(
        "/api/reports", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_a_report_over_the_text_limit_is_413(make_client: MakeClient) -> None:
    client = make_client(max_report_bytes=1000)
    response = client.post("/api/reports", json={"published": "2024-01-01", "text": "z" * 1500})
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["detail"]


def test_with_a_token_writes_need_it(make_client: MakeClient) -> None:
    client = make_client(token="s3cret")
    event_id = client.get("/api/events").json()["items"][0]["event_id"]
    path = f"/api/events/{event_id}/corrections"
    body = {"set": {"status": "completed"}, "why": "checked"}
    assert client.post(path, json=body).status_code == 401
    wrong = client.post(path, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/reports", json=HOSTILE).status_code == 401
    good = client.post(path, json=body, headers={"Authorization": "Bearer s3cret"})
    assert good.status_code == 200
    assert client.get(f"/api/events/{event_id}").json()["history"][0]["who"] == "token holder"
    # reads stay open
    assert client.get("/api/events").status_code == 200


def test_a_server_beyond_loopback_needs_a_token() -> None:
    assert unsafe_reason(ServeConfig(host="127.0.0.1")) is None
    assert unsafe_reason(ServeConfig(host="::1")) is None
    assert unsafe_reason(ServeConfig(host="localhost")) is None
    reason = unsafe_reason(ServeConfig(host="0.0.0.0"))
    assert reason is not None and "--token" in reason
    short = unsafe_reason(ServeConfig(host="0.0.0.0", token="fifteen-chars!!"))
    assert short is not None and "16 characters" in short
    assert unsafe_reason(ServeConfig(host="0.0.0.0", token="sixteen-chars!!!")) is None
    assert unsafe_reason(ServeConfig(host="127.0.0.1", token="t")) is None
    assert is_loopback("127.0.0.2") and not is_loopback("10.0.0.1")
    assert not is_loopback("example.org")


def test_invalid_parameters_are_422_with_a_reason(client: TestClient) -> None:
    cases = {
        "limit=0": "limit",
        "limit=100000": "limit",
        "offset=-1": "offset",
        "offset=abc": "offset",
        "type=parade": "type",
        "status=done": "status",
        "since=2021-13": "since",
        "since=21": "since",
        "since=0000": "since",
        "since=2023-02-29": "since",
        "until=٢٠٢٣": "until",
        "since=2023-03-15%0A": "since",
        "dyad=AZE": "dyad",
        "country=A1": "country",
        "granularity=week": "granularity",
    }
    for query, name in cases.items():
        path = "/api/aggregates/timeline" if "granularity" in query else "/api/events"
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, query
        assert name in response.json()["detail"], (query, response.json())


TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(
        ["country", "dyad", "type", "status", "since", "until", "place", "q", "limit", "offset"]
    ),
    value=TEXT,
)
def test_no_parameter_value_gives_a_500(client: TestClient, name: str, value: str) -> None:
    for path in ("/api/events", "/api/aggregates/dyads", "/api/points", "/"):
        response = client.get(path, params={name: value})
        assert response.status_code < 500, (path, name, value, response.text)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event_id=TEXT.filter(lambda s: s not in ("", ".", "..")))
def test_no_event_id_gives_a_500(client: TestClient, event_id: str) -> None:
    event_id = quote(event_id, safe="")
    for path in (f"/api/events/{event_id}", f"/events/{event_id}", f"/reports/{event_id}"):
        assert client.get(path).status_code < 500, path
    body = {"set": {"name": "x"}, "why": "x"}
    assert client.post(f"/api/events/{event_id}/corrections", json=body).status_code < 500
