"""Conflicts, reverts, the review queue and series pages in a real chromium.

The server here holds our own invented reports (tests/store), whose mentions
disagree and whose events include near-duplicates, so every case is there.
"""

from __future__ import annotations

import importlib.util
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, Page, expect
from served_store import Server, serving

from defcoop.store.database import Store

pytestmark = pytest.mark.browser
WAIT_MS = 15_000
TOKEN = "records-browser-token"
STORE_TESTS = Path(__file__).resolve().parents[1] / "store"


def _fixture(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_for_browser", STORE_TESTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`defcoop serve` over the invented disagreeing and linked reports, with a token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('records-web') / 'records.db'}"
    with Store.open(url) as store:
        for name, function in (("disagreeing_reports", "disagreeing_reports"),
                               ("linked_reports", "linked_reports")):  # fmt: skip
            for extraction in getattr(_fixture(name), function)():
                store.add(extraction)
        extra = _fixture("disagreeing_reports")
        for extraction in [*extra.earlier_editions(), *extra.another_pair()]:
            store.add(extraction)
    with serving(url, TOKEN) as running:
        yield running


@pytest.fixture
def page(browser: Browser, records_server: Server) -> Iterator[Page]:
    """A fresh page; it fails the test on any console error but the 401s tests ask for."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    assert [e for e in errors if "401 (Unauthorized)" not in e] == []


def api(server: Server, path: str) -> object:
    with urllib.request.urlopen(server.url + path, timeout=10) as answer:
        return json.loads(answer.read())


def guard_id(server: Server) -> str:
    found = api(server, "/api/events?q=Lake+Guard")
    assert isinstance(found, dict)
    return str(found["items"][0]["event_id"])


def sign_in(page: Page, server: Server, name: str) -> None:
    page.fill("#who", name)
    page.fill("#token", server.token)


def test_the_event_page_shows_conflicts_and_a_correction_can_be_reverted(
    page: Page, records_server: Server
) -> None:
    ident = guard_id(records_server)
    page.goto(f"{records_server.url}/events/{ident}")
    conflicts = page.locator("#conflicts")
    expect(conflicts).to_contain_text("2023-03-09")
    expect(conflicts.locator("tr.conflict[data-field=start]")).to_have_count(2)
    sign_in(page, records_server, "rita")
    form = page.locator("#correct-form")
    form.locator("input[name=start]").fill("2023-03-09")
    form.locator("input[name=why]").fill("the border service's bulletin")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("#field-start .value")).to_have_text("2023-03-09")
    revert = page.locator(".revert-form[data-field=start]")
    sign_in(page, records_server, "rita")
    revert.locator("input[name=why]").fill("the bulletin was about a rehearsal")
    revert.locator("button").click()
    expect(page.locator("#field-start .value")).to_have_text("2023-03-06")
    expect(page.locator(".revert-form")).to_have_count(0)
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("rita")
    expect(history.nth(1)).to_contain_text("revert")


def test_the_review_page_merges_a_near_duplicate_in_one_click(
    page: Page, records_server: Server
) -> None:
    page.goto(records_server.url + "/review")
    items = page.locator("#review-items tr.review-item")
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(items.count())]
    assert kinds[0] == "conflicts"
    assert "near_duplicate" in kinds and kinds.count("incomplete") >= 2
    pair = page.locator("tr.review-item[data-kind=near_duplicate]", has_text="meeting").filter(
        has_text="2023-04-04"
    )
    kept, other = str(pair.get_attribute("data-events")).split(" ")
    # Without a name the page asks for one; without the token the server refuses.
    pair.locator(".merge-button").click()
    expect(page.locator("#write-error")).to_contain_text("give your name first")
    page.fill("#who", "marta")
    pair.locator(".merge-button").click()
    expect(page.locator("#write-error")).to_contain_text("token")
    sign_in(page, records_server, "marta")
    page.fill("#merge-why", "both reports name the same talks")
    pair.locator(".merge-button").click()
    page.wait_for_url(re.compile(r"/events/"))
    assert page.url.endswith("/events/" + kept)
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("marta")
    expect(history.first).to_contain_text("both reports name the same talks")
    merged = api(records_server, f"/api/events/{other}")
    assert isinstance(merged, dict) and merged["event_id"] == kept and merged["reports"] == 2
    page.goto(records_server.url + "/review")
    expect(page.locator(f"tr.review-item[data-events='{kept} {other}']")).to_have_count(0)


def test_the_series_page_puts_the_editions_on_a_timeline(
    page: Page, records_server: Server
) -> None:
    page.goto(records_server.url + "/series")
    page.locator("#series-list a", has_text="Lake Guard").click()
    page.wait_for_url(re.compile(r"/series/lakeguard$"))
    marks = page.locator("#series-timeline a.edition")
    expect(marks).to_have_count(3)
    expect(page.locator("#series-timeline .tick text")).to_have_text(["2021", "2022", "2023"])
    xs = [float(str(marks.nth(i).locator("circle").get_attribute("cx"))) for i in range(3)]
    assert xs == sorted(xs) and xs[0] < xs[1] < xs[2]
    expect(page.locator("#editions tbody tr")).to_have_count(3)
    marks.nth(2).click()
    page.wait_for_url(re.compile(r"/events/"))
    expect(page.locator("h1")).to_have_text("Lake Guard-2023")
    expect(page.locator("#series-link")).to_have_text("lakeguard")


def test_the_list_marks_disagreement_and_dates_passed_without_news(
    page: Page, records_server: Server
) -> None:
    page.goto(records_server.url + "/?q=Lake+Guard")
    page.wait_for_selector("body[data-ready=true]")
    row = page.locator("#events tbody tr", has_text="Lake Guard-2023")
    expect(row.locator(".conflict-mark")).to_have_text("reports disagree: location, start")
    expect(row.locator(".status-mark.overdue")).to_have_text(
        "ongoing as of 2023-03-12 · dates passed"
    )
    row.locator("a").first.click()
    expect(page.locator("#status-note")).to_contain_text("its dates have passed")


def test_the_review_page_keeps_a_pair_apart_in_one_click(
    page: Page, records_server: Server
) -> None:
    page.goto(records_server.url + "/review")
    pair = page.locator("tr.review-item[data-kind=near_duplicate]").filter(has_text="Tashkent")
    expect(pair).to_have_count(1)
    events = str(pair.get_attribute("data-events"))
    sign_in(page, records_server, "nils")
    page.fill("#merge-why", "two visits with different agendas")
    pair.locator(".apart-button").click()
    expect(page.locator(f"tr.review-item[data-events='{events}']")).to_have_count(0)
    detail = api(records_server, "/api/events/" + events.split(" ")[1])
    assert isinstance(detail, dict)
    assert [(h["action"], h["who"]) for h in detail["history"]] == [("apart", "nils")]
