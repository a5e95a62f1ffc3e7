"""`defcoop watch` in its own process: SIGTERM finishes the article in hand; kill -9 loses none."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from news_site import ARTICLES, FAST_NETWORK, article_page, rss
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from defcoop.ingest.urls import url_report_id
from defcoop.store.database import Store

PATHS = list(ARTICLES)
SLOW = PATHS[1]  # the article in hand when the signal comes


def serve_site(site: HTTPServer, in_hand: threading.Event) -> None:
    """Three articles; the second takes a moment, and says when it is asked for."""
    site.expect_request("/robots.txt").respond_with_data("", status=404)
    for path in PATHS:
        title, day, text = ARTICLES[path]
        page = article_page(title, day, text)

        def handle(_request: Request, page: str = page, slow: bool = path == SLOW) -> Response:
            if slow:
                in_hand.set()
                time.sleep(1.0)
            return Response(page, content_type="text/html")

        site.expect_request(path).respond_with_handler(handle)
    site.expect_request("/feed.xml").respond_with_data(
        rss([(site.url_for(p), p, "2024-04-03") for p in PATHS]),
        content_type="application/rss+xml",
    )


def start_watch(site: HTTPServer, db: str, *extra: str) -> subprocess.Popen[str]:
    """`defcoop watch` on the feed, in a process of its own."""
    env = {**os.environ, **FAST_NETWORK, "DEFCOOP_HTTP_TIMEOUT": "5"}
    return subprocess.Popen(
        [sys.executable, "-m", "defcoop", "watch", site.url_for("/feed.xml"), "--db", db, *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigterm_finishes_the_article_in_hand_and_exits_cleanly(
    site: HTTPServer, tmp_path: Path
) -> None:
    in_hand = threading.Event()
    serve_site(site, in_hand)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    process = start_watch(site, db)
    try:
        assert in_hand.wait(60), "the watch never asked for the second article"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "SIGTERM" in stderr and "stopped cleanly" in stderr
    assert "2 stored" in stderr and "stopped" in stderr
    with Store.open(db) as store:
        assert store.report(url_report_id(site.url_for(SLOW))) is not None  # finished
        assert store.counts()["reports"] == 2
        (state,) = store.sources()
    assert state.etag is None and state.new == 2
    assert not [r for r, _ in site.log if r.path == PATHS[2]]  # never started


def test_kill_9_mid_round_leaves_whole_articles_and_the_next_round_completes(
    site: HTTPServer, tmp_path: Path
) -> None:
    in_hand = threading.Event()
    serve_site(site, in_hand)
    path = tmp_path / "store.db"
    db = f"sqlite:///{path}"
    process = start_watch(site, db)
    try:
        assert in_hand.wait(60), "the watch never asked for the second article"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        process.kill()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        reports = connection.execute("SELECT id FROM reports").fetchall()
        orphans = connection.execute(
            "SELECT count(*) FROM mentions WHERE report_id NOT IN (SELECT id FROM reports)"
        ).fetchone()
    assert [r[0] for r in reports] == [url_report_id(site.url_for(PATHS[0]))]
    assert orphans == (0,)
    with Store.open(db) as store:
        whole = store.report(reports[0][0])
        assert whole is not None and whole.text.startswith("Joint drill in the north")
        assert store.report_mentions(whole.id)  # stored with its mentions
    again = start_watch(site, db, "--once")
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert "2 new articles listed, 2 stored" in stderr
    with Store.open(db) as store:
        assert store.counts()["reports"] == 3


def test_without_once_rounds_follow_each_other_until_sigterm(
    site: HTTPServer, tmp_path: Path
) -> None:
    in_hand = threading.Event()
    serve_site(site, in_hand)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    process = start_watch(site, db, "--every", "1s")
    try:
        deadline = time.monotonic() + 90
        while len([r for r, _ in site.log if r.path == "/feed.xml"]) < 2:
            assert time.monotonic() < deadline, "no second round"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "round 1: 1 sources polled; 3 new articles listed, 3 stored" in stderr
    assert "round 2: 1 sources polled; 0 new articles listed, 0 stored, 0 failed" in stderr
    assert "stopped cleanly" in stderr
    with Store.open(db) as store:
        assert store.counts()["reports"] == 3
