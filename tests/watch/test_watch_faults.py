"""Every fault of a followed source is recorded with the source and the reason; the rest go on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from news_site import ARTICLES, article_page, rss
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from defcoop.cli import app
from defcoop.store.database import Store


def sources_file(path: Path, sources: dict[str, str]) -> Path:
    """A sources.toml naming each source."""
    path.write_text(
        "".join(f'[[source]]\nname = "{name}"\nurl = "{url}"\n\n' for name, url in sources.items()),
        encoding="utf-8",
    )
    return path


def drip(_request: Request) -> Response:
    """An article that arrives a few bytes at a time, too slowly to wait for."""

    def body() -> Iterator[bytes]:
        for _ in range(40):
            yield b"<p>slow</p>"
            time.sleep(0.1)

    return Response(body(), content_type="text/html")


def test_source_faults_are_recorded_and_do_not_stop_the_others(
    site: HTTPServer, tmp_path: Path
) -> None:
    site.expect_request("/robots.txt").respond_with_data("", status=404)
    good = "/news/joint-drill"
    title, day, text = ARTICLES[good]
    site.expect_request(good).respond_with_data(
        article_page(title, day, text), content_type="text/html"
    )
    site.expect_request("/good.xml").respond_with_data(
        rss([(site.url_for(good), title, "2024-04-02")]), content_type="application/rss+xml"
    )
    site.expect_request("/missing.xml").respond_with_data("gone", status=404)
    site.expect_request("/broken.xml").respond_with_data("oops", status=500)
    site.expect_oneshot_request("/busy.xml").respond_with_data(
        "later", status=429, headers={"Retry-After": "1"}
    )
    site.expect_request("/busy.xml").respond_with_data(rss([]), content_type="application/rss+xml")
    site.expect_request("/loop-a").respond_with_data(
        "", status=302, headers={"Location": "/loop-b"}
    )
    site.expect_request("/loop-b").respond_with_data(
        "", status=302, headers={"Location": "/loop-a"}
    )
    site.expect_request("/page.xml").respond_with_data(
        "<!doctype html><html><body>Not found, sorry</body></html>", content_type="text/html"
    )
    site.expect_request("/malformed.xml").respond_with_data(
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url>",
        content_type="application/xml",
    )
    site.expect_request("/slow.xml").respond_with_handler(
        lambda _r: (time.sleep(0.8), Response(rss([])))[1]
    )
    listing = sources_file(
        tmp_path / "sources.toml",
        {
            "dead host": "http://127.0.0.1:9/feed.xml",
            "no such host": "http://no-such-host.invalid/feed.xml",
            "missing": site.url_for("/missing.xml"),
            "broken": site.url_for("/broken.xml"),
            "busy": site.url_for("/busy.xml"),
            "loop": site.url_for("/loop-a"),
            "html page": site.url_for("/page.xml"),
            "malformed": site.url_for("/malformed.xml"),
            "slow": site.url_for("/slow.xml"),
            "good": site.url_for("/good.xml"),
        },
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = CliRunner().invoke(app, ["watch", str(listing), "--db", db, "--once"])
    assert result.exit_code == 1, result.output
    assert "10 sources polled, 8 failed" in result.output
    with Store.open(db) as store:
        states = {s.name: s for s in store.sources()}
        assert store.counts()["reports"] == 1
        recorded = store.counts()["errors"]
    reasons = {name: state.last_error or "" for name, state in states.items()}
    assert "cannot connect" in reasons["dead host"]
    assert "cannot connect" in reasons["no such host"]
    assert reasons["missing"] == "HTTP 404 NOT FOUND" and states["missing"].http_status == 404
    assert "HTTP 500" in reasons["broken"] and "(2 attempts)" in reasons["broken"]
    assert len([r for r, _ in site.log if r.path == "/broken.xml"]) == 2
    assert reasons["busy"] == "the feed lists no articles"  # 429 then served: Retry-After kept
    assert "redirect loop" in reasons["loop"]
    assert "got an HTML page" in reasons["html page"]
    assert "malformed XML" in reasons["malformed"]
    assert "timed out" in reasons["slow"]
    assert reasons["good"] == "" and states["good"].new == 1
    assert recorded == 8


def test_retry_after_is_honoured_and_a_long_one_gives_up(site: HTTPServer, tmp_path: Path) -> None:
    site.expect_request("/robots.txt").respond_with_data("", status=404)
    stamps: list[float] = []

    def busy_once(_request: Request) -> Response:
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return Response("wait", status=503, headers={"Retry-After": "1"})
        return Response(rss([]), content_type="application/rss+xml")

    site.expect_request("/busy.xml").respond_with_handler(busy_once)
    site.expect_request("/closed.xml").respond_with_data(
        "closed", status=429, headers={"Retry-After": "3600"}
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    CliRunner().invoke(
        app, ["watch", site.url_for("/busy.xml"), site.url_for("/closed.xml"), "--db", db, "--once"]
    )
    assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.95
    with Store.open(db) as store:
        states = {s.url.rsplit("/", 1)[-1]: s for s in store.sources()}
    assert "Retry-After asks for 3600 s" in (states["closed.xml"].last_error or "")
    assert len([r for r, _ in site.log if r.path == "/closed.xml"]) == 1


def test_article_faults_are_recorded_and_retried_next_round(
    site: HTTPServer, tmp_path: Path
) -> None:
    site.expect_request("/robots.txt").respond_with_data("", status=404)
    good = "/news/radar-handover"
    title, day, text = ARTICLES[good]
    site.expect_request(good).respond_with_data(
        article_page(title, day, text), content_type="text/html"
    )
    site.expect_request("/bad-bytes").respond_with_data(
        b"<!doctype html><html><head><meta charset='utf-8'></head><body><p>caf\xe9 "
        + b"word " * 50
        + b"</p></body></html>",
        content_type="text/html; charset=utf-8",
    )
    site.expect_request("/huge").respond_with_data(
        "<!doctype html><html><body>" + "<p>big page</p>" * 40_000 + "</body></html>",
        content_type="text/html",
    )
    site.expect_request("/empty").respond_with_data(
        "<!doctype html><html><head><title>Nothing here</title></head><body></body></html>",
        content_type="text/html",
    )
    site.expect_request("/dripping").respond_with_handler(drip)
    site.expect_request("/picture").respond_with_data(b"\x89PNG\r\n", content_type="image/png")
    paths = ["/bad-bytes", "/huge", "/empty", "/dripping", "/picture", good]
    site.expect_request("/feed.xml").respond_with_data(
        rss([(site.url_for(p), p, "2024-04-05") for p in paths]),
        content_type="application/rss+xml",
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    args = ["watch", site.url_for("/feed.xml"), "--db", db, "--once", "--max-bytes", "100000"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "6 new articles listed, 1 stored, 5 failed" in result.output
    with Store.open(db) as store:
        (state,) = store.sources()
        errors = store.counts()["errors"]
    assert (state.found, state.new, state.failed) == (6, 1, 5)
    assert state.etag is None  # not settled: the next round reads the feed whole
    assert errors == 5
    site.clear_log()
    second = CliRunner().invoke(app, [*args, "--every", "0s"])
    assert "5 new articles listed, 0 stored, 5 failed" in second.output
    fetched = {r.path for r, _ in site.log}
    assert good not in fetched and "/huge" in fetched
