"""`defcoop watch` against a real HTTP server on loopback: feeds, sitemaps, articles, faults."""

from __future__ import annotations

import itertools
import json
import signal
import time
from pathlib import Path

from news_site import ARTICLES, article_page, atom, news_sitemap, rss, sitemap_index
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from defcoop.cli import app
from defcoop.ingest.urls import url_report_id
from defcoop.store.database import Store

FEED_ETAG = '"feed-v1"'


def serve_articles(site: HTTPServer, paths: list[str] | None = None) -> None:
    """The article pages of the news site, and an empty robots.txt."""
    site.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    for path in paths or list(ARTICLES):
        title, day, text = ARTICLES[path]
        site.expect_request(path).respond_with_data(
            article_page(title, day, text), content_type="text/html; charset=utf-8"
        )


def conditional_feed(body: str, content_type: str = "application/rss+xml"):  # type: ignore[no-untyped-def]
    """A handler that answers 304 when the client sends the feed's ETag."""

    def handle(request: Request) -> Response:
        if request.headers.get("If-None-Match") == FEED_ETAG:
            return Response(status=304, headers={"ETag": FEED_ETAG})
        return Response(body, content_type=content_type, headers={"ETag": FEED_ETAG})

    return handle


def requests_to(site: HTTPServer, path: str) -> list[Request]:
    """The requests the server received for a path."""
    return [request for request, _ in site.log if request.path == path]


def watch(*args: str) -> tuple[int, str]:
    """Run `defcoop watch` in this process; exit code and output."""
    result = CliRunner().invoke(app, ["watch", *args])
    return result.exit_code, result.output


def test_a_first_round_stores_the_articles_and_a_second_sends_conditional_requests(
    site: HTTPServer, tmp_path: Path
) -> None:
    serve_articles(site)
    first_two = list(ARTICLES)[:2]
    feed = rss(
        [(site.url_for(p + "?utm_source=rss"), ARTICLES[p][0], "2024-04-03") for p in first_two]
    )
    site.expect_request("/feed.xml").respond_with_handler(conditional_feed(feed))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    code, output = watch(site.url_for("/feed.xml"), "--db", db, "--once")
    assert code == 0, output
    assert "2 new articles listed, 2 stored, 0 failed" in output
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers
    with Store.open(db) as store:
        assert store.counts()["reports"] == 2
        drill = store.report(url_report_id(site.url_for("/news/joint-drill")))
        talks = store.report(url_report_id(site.url_for("/news/staff-talks")))
        (state,) = store.sources()
    assert drill is not None and talks is not None
    assert drill.url == site.url_for("/news/joint-drill")  # tracking parameter gone
    assert str(drill.published) == "2024-04-02"  # the page's own date
    assert str(talks.published) == "2024-04-03"  # none on the page: the feed's
    assert drill.title == "Joint drill in the north" and "Example Border Gazette" not in drill.text
    assert (state.kind, state.http_status, state.found, state.new, state.stored_total) == (
        "feed",
        200,
        2,
        2,
        2,
    )
    agent = requests_to(site, "/feed.xml")[0].headers["User-Agent"]
    assert agent.startswith("defcoop/")
    site.clear_log()
    code, output = watch(site.url_for("/feed.xml"), "--db", db, "--once", "--every", "0s")
    assert code == 0, output
    assert "(1 unchanged)" in output and "0 stored" in output
    (again,) = requests_to(site, "/feed.xml")
    assert again.headers.get("If-None-Match") == FEED_ETAG
    assert not requests_to(site, "/news/joint-drill")
    with Store.open(db) as store:
        assert store.counts()["reports"] == 2
        assert store.sources()[0].http_status == 304


def test_a_source_not_due_is_not_polled_and_refetch_drops_the_validators(
    site: HTTPServer, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    serve_articles(site)
    feed = atom([(site.url_for("/news/radar-handover"), "Radars", "2024-04-05")])
    site.expect_request("/atom.xml").respond_with_handler(
        conditional_feed(feed, "application/atom+xml")
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert watch(site.url_for("/atom.xml"), "--db", db, "--once")[0] == 0
    site.clear_log()
    code, output = watch(site.url_for("/atom.xml"), "--db", db, "--once")
    assert code == 0 and "0 sources polled" in output and not site.log
    monkeypatch.setenv("DEFCOOP_REFETCH_EVERY", "0s")
    assert watch(site.url_for("/atom.xml"), "--db", db, "--once", "--every", "0s")[0] == 0
    (unconditional,) = requests_to(site, "/atom.xml")
    assert "If-None-Match" not in unconditional.headers
    with Store.open(db) as store:
        assert store.counts()["reports"] == 1 and store.sources()[0].http_status == 200


def test_sitemaps_a_sitemap_index_and_a_sources_file(site: HTTPServer, tmp_path: Path) -> None:
    serve_articles(site)
    paths = list(ARTICLES)
    site.expect_request("/sitemap-index.xml").respond_with_data(
        sitemap_index([site.url_for("/sitemap-news.xml")]), content_type="application/xml"
    )
    site.expect_request("/sitemap-news.xml").respond_with_data(
        news_sitemap([(site.url_for(p), "2024-04-04") for p in paths[:2]]),
        content_type="application/xml",
    )
    site.expect_request("/feed.xml").respond_with_data(
        # the same article under a tracking parameter, and a new one
        rss(
            [
                (site.url_for(paths[0] + "?utm_medium=x#top"), "d", "2024-04-02"),
                (site.url_for(paths[2]), "r", "2024-04-05"),
            ]
        ),
        content_type="application/rss+xml",
    )
    listing = tmp_path / "sources.toml"
    listing.write_text(
        f"""
[[source]]
name = "gazette sitemap"
url = "{site.url_for("/sitemap-index.xml")}"
kind = "sitemap"
interval = "1h"

[[source]]
name = "gazette feed"
url = "{site.url_for("/feed.xml")}"
language = "en"

[[source]]
name = "switched off"
url = "{site.url_for("/never.xml")}"
enabled = false
""",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, output = watch(str(listing), "--db", db, "--once")
    assert code == 0, output
    assert "3 new articles listed, 3 stored" in output
    assert len(requests_to(site, paths[0])) == 1  # normalized: fetched once
    assert not requests_to(site, "/never.xml")
    with Store.open(db) as store:
        states = {s.name: s for s in store.sources()}
        assert store.counts()["reports"] == 3
    assert set(states) == {"gazette sitemap", "gazette feed"}
    assert (states["gazette sitemap"].kind, states["gazette sitemap"].new) == ("sitemap", 2)
    assert states["gazette feed"].found == 1
    result = CliRunner().invoke(app, ["sources", "--db", db, "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["name"] for r in rows] == ["gazette feed", "gazette sitemap"]
    assert rows[1]["new"] == 2 and rows[1]["last_error"] is None
    table = CliRunner().invoke(app, ["sources", "--db", db])
    assert table.exit_code == 0 and "gazette sitemap" in table.output


def test_robots_txt_disallow_is_honoured(site: HTTPServer, tmp_path: Path) -> None:
    site.expect_request("/robots.txt").respond_with_data(
        "User-agent: defcoop\nDisallow: /news/staff\n\nUser-agent: *\nDisallow:\n"
    )
    for path in ARTICLES:
        title, day, text = ARTICLES[path]
        site.expect_request(path).respond_with_data(
            article_page(title, day, text), content_type="text/html"
        )
    site.expect_request("/feed.xml").respond_with_data(
        rss([(site.url_for(p), "t", "2024-04-03") for p in ARTICLES]),
        content_type="application/rss+xml",
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, _output = watch(site.url_for("/feed.xml"), "--db", db, "--once")
    assert code == 1  # one article could not be fetched
    assert not requests_to(site, "/news/staff-talks")
    with Store.open(db) as store:
        (state,) = store.sources()
        assert store.counts()["reports"] == 2
    assert state.failed == 1 and "disallowed by robots.txt" in (state.last_error or "")


def test_content_already_stored_under_another_address_is_not_stored_twice(
    site: HTTPServer, tmp_path: Path
) -> None:
    serve_articles(site, ["/news/joint-drill"])
    title, day, text = ARTICLES["/news/joint-drill"]
    site.expect_request("/print/joint-drill").respond_with_data(
        article_page(title, day, text), content_type="text/html"
    )
    site.expect_request("/feed.xml").respond_with_data(
        rss(
            [
                (site.url_for("/news/joint-drill"), "a", "2024-04-02"),
                (site.url_for("/print/joint-drill"), "b", "2024-04-02"),
            ]
        ),
        content_type="application/rss+xml",
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, output = watch(site.url_for("/feed.xml"), "--db", db, "--once")
    assert code == 0 and "1 stored, 1 already stored" in output
    with Store.open(db) as store:
        assert store.counts()["reports"] == 1


def test_the_host_delay_spaces_requests_to_one_host(
    site: HTTPServer, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DEFCOOP_HOST_DELAY", "0.3")
    stamps: list[float] = []
    title, day, text = ARTICLES["/news/joint-drill"]
    page = article_page(title, day, text)
    feed = rss([(site.url_for("/news/joint-drill"), "a", "2024-04-02")])
    for path, body, kind in (
        ("/robots.txt", "", "text/plain"),
        ("/feed.xml", feed, "application/rss+xml"),
        ("/news/joint-drill", page, "text/html"),
    ):
        site.expect_request(path).respond_with_handler(
            lambda _r, body=body, kind=kind: (
                stamps.append(time.monotonic()),
                Response(body, content_type=kind),
            )[1]
        )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert watch(site.url_for("/feed.xml"), "--db", db, "--once")[0] == 0
    assert len(stamps) == 3
    assert min(b - a for a, b in itertools.pairwise(stamps)) >= 0.28
