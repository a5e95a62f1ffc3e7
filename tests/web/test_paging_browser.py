"""The overview's list pages by cursor: next and back walk the whole list in order."""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from served_store import serving

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from synthetic_events import synthetic_store

pytestmark = pytest.mark.browser
EVENTS = 45  # three pages of 20


@pytest.fixture(scope="module")
def many_events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`defcoop serve` over a store of invented events; its base URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('paging') / 'store.db'}"
    synthetic_store(url, EVENTS)
    with serving(url) as running:
        yield running.url


def listed(page: Page) -> list[str]:
    """The event ids of the rows the list shows."""
    return [str(r.get_attribute("data-event")) for r in page.locator("#events tbody tr").all()]


def test_next_and_back_walk_the_list_by_cursor(browser: Browser, many_events: str) -> None:
    with urllib.request.urlopen(many_events + "/api/events?limit=500") as answer:
        whole = [item["event_id"] for item in json.load(answer)["items"]]
    assert len(whole) == EVENTS
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    cursors: list[str] = []
    page.on(
        "request",
        lambda r: cursors.append(r.url) if "/api/events?" in r.url and "cursor=" in r.url else None,
    )
    try:
        page.goto(many_events + "/")
        page.wait_for_selector("body[data-ready=true]")
        seen = listed(page)
        assert page.inner_text("#page") == f"1–20 of {EVENTS}"
        assert page.locator("#prev").is_disabled()
        for expected in ("21–40", "41–45"):
            page.click("#next")
            expect(page.locator("#page")).to_have_text(re.compile("^" + expected))
            seen += listed(page)
        assert seen == whole
        assert page.locator("#next").is_disabled()
        assert len(cursors) == 2  # each next page asked by cursor, not by offset
        page.click("#prev")
        expect(page.locator("#page")).to_have_text(re.compile("^21–40"))
        assert listed(page) == whole[20:40]
    finally:
        context.close()
