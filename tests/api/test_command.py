"""`defcoop serve`: its checks before it starts (the server itself runs in tests/web)."""

from __future__ import annotations

import gc

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from defcoop.api.app import ready_to_serve
from defcoop.api.command import serve_config
from defcoop.cli import app
from defcoop.errors import DefcoopError


def test_serving_beyond_loopback_without_a_token_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEFCOOP_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--db", "sqlite://"])
    assert result.exit_code == 2
    assert "--token" in result.output


def test_the_configuration_comes_from_options_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEFCOOP_TOKEN", "from-env")
    monkeypatch.setenv("DEFCOOP_PORT", "9001")
    monkeypatch.delenv("DEFCOOP_HOST", raising=False)
    config = serve_config(None, None, None, None)
    assert (config.host, config.port, config.token) == ("127.0.0.1", 9001, "from-env")
    assert serve_config("::1", 8080, "given", 10).token == "given"
    assert serve_config(None, 8080, None, 10).max_report_bytes == 10


def test_a_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEFCOOP_PORT", raising=False)
    with pytest.raises(DefcoopError, match="port"):
        serve_config(None, 70000, None, None)
    monkeypatch.setenv("DEFCOOP_PORT", "eighty")
    with pytest.raises(DefcoopError, match="not a number"):
        serve_config(None, None, None, None)
    result = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert result.exit_code == 2


def test_a_short_token_beyond_loopback_is_refused_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEFCOOP_TOKEN", raising=False)
    command = ["serve", "--host", "0.0.0.0", "--db", "sqlite://", "--token", "short-token"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2
    assert "16 characters" in result.output


def test_allowed_hosts_come_from_options_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEFCOOP_ALLOWED_HOSTS", "a.lan, b.lan")
    assert serve_config(None, None, None, None).allowed_hosts == ("a.lan", "b.lan")
    given = serve_config(None, None, None, None, ["c.lan"])
    assert given.allowed_hosts == ("c.lan",)


def test_a_server_process_leaves_what_it_loaded_out_of_the_collectors_walks(
    client: TestClient,
) -> None:
    frozen = gc.get_freeze_count()
    try:
        served = ready_to_serve(client.app)  # type: ignore[arg-type]
        assert served is client.app
        assert gc.get_freeze_count() > frozen + 10_000  # the web stack's objects at least
        assert client.get("/api/events?limit=1").status_code == 200
    finally:
        gc.unfreeze()  # this test process goes on making apps
