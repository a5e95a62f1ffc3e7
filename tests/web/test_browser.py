"""The web UI in a real chromium, as an analyst uses it: filter, open, correct, reload."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from served_store import Server

pytestmark = pytest.mark.browser
WAIT_MS = 15_000


@dataclass
class Watch:
    """What a page did that it must not: console errors, requests to other hosts, dialogs."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Browser, server: Server) -> Iterator[tuple[Page, Watch]]:
    """A fresh page whose console errors, outside requests and dialogs are recorded."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    watch = Watch()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((server.url, "data:")) else watch.foreign.append(r.url),
    )

    def dismiss(dialog: object) -> None:
        watch.dialogs.append(getattr(dialog, "message", ""))
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", dismiss)
    yield page, watch
    context.close()


def open_overview(page: Page, url: str) -> None:
    """Load the overview and wait until every panel has drawn."""
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")


def rows(page: Page) -> int:
    """How many events the list shows."""
    return page.locator("#events tbody tr").count()


def test_the_overview_draws_every_panel(
    watched: tuple[Page, Watch], server: Server, artifacts: Path
) -> None:
    page, watch = watched
    open_overview(page, server.url + "/")
    expect(page.locator("#error")).to_be_hidden()
    total = int(page.inner_text("#total").strip("()"))
    assert total >= 10 and rows(page) == min(total, 20)
    assert page.locator("#timeline g.bar").count() >= 2
    assert page.locator("#timeline rect").count() >= 4
    assert page.locator("#map .leaflet-interactive, #map path").count() > 100  # countries
    assert page.locator("#map .leaflet-marker-icon").count() >= 3
    assert page.locator("#network g.edge").count() >= 5
    page.screenshot(path=artifacts / "overview.png", full_page=True)
    assert watch.errors == [] and watch.foreign == []


def test_filtering_the_timeline_by_type_then_by_period(
    watched: tuple[Page, Watch], server: Server, artifacts: Path
) -> None:
    page, watch = watched
    open_overview(page, server.url + "/")
    page.click("#legend button[data-type=exercise]")
    page.wait_for_url(re.compile(r"type=exercise"))
    page.wait_for_selector("body[data-ready=true]")
    badges = page.locator("#events tbody .badge").all_inner_texts()
    assert badges and set(badges) == {"exercise"}
    colours = page.locator("#timeline rect").evaluate_all(
        "rs => rs.map(r => r.getAttribute('class'))"
    )
    assert set(colours) == {"k-exercise"}
    bar = page.locator("#timeline g.bar[data-period='2023']")
    bar.click()
    page.wait_for_url(re.compile(r"since=2023&until=2023|until=2023.*since=2023"))
    page.wait_for_selector("body[data-ready=true]")
    dates = page.locator("#events tbody td:nth-child(3)").all_inner_texts()
    assert dates and all(d.startswith("2023") for d in dates)
    assert set(page.locator("#events tbody .badge").all_inner_texts()) == {"exercise"}
    expect(page.locator("input[name=since]")).to_have_value("2023")
    page.screenshot(path=artifacts / "timeline-filtered.png", full_page=True)
    assert watch.errors == []


def test_month_view_and_the_filter_form(watched: tuple[Page, Watch], server: Server) -> None:
    page, watch = watched
    open_overview(page, server.url + "/")
    page.click("button.gran[data-granularity=month]")
    page.wait_for_url(re.compile(r"granularity=month"))
    page.wait_for_selector("body[data-ready=true]")
    periods = page.locator("#timeline g.bar").evaluate_all("gs => gs.map(g => g.dataset.period)")
    assert periods and all(len(p) == 7 for p in periods)
    page.fill("#filters input[name=country]", "KAZ")
    page.click("#apply")
    page.wait_for_url(re.compile(r"country=KAZ"))
    page.wait_for_selector("body[data-ready=true]")
    participants = page.locator("#events tbody td:nth-child(4)").all_inner_texts()
    assert participants and all("KAZ" in p for p in participants)
    page.fill("#filters input[name=since]", "2021-13")
    page.click("#apply")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#error")).to_contain_text("since")
    assert watch.foreign == []


def test_the_search_box_finds_names_places_and_evidence(
    watched: tuple[Page, Watch], server: Server
) -> None:
    page, _ = watched
    open_overview(page, server.url + "/")
    page.fill("#search-box", "steppe")
    page.press("#search-box", "Enter")
    page.wait_for_url(re.compile(r"q=steppe"))
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#events tbody td:first-child").all_inner_texts() == ["Steppe Shield-2023"]


def test_an_event_opens_from_the_map(
    watched: tuple[Page, Watch], server: Server, artifacts: Path
) -> None:
    page, watch = watched
    open_overview(page, server.url + "/?q=Ankara")
    marker = page.locator("#map img.leaflet-marker-icon").first
    title = marker.get_attribute("title") or ""
    assert "Ankara" in title
    marker.click()
    page.wait_for_url(re.compile(r"/events/meeting-"))
    expect(page.locator("#field-location .value")).to_have_text("Ankara")
    page.screenshot(path=artifacts / "event-from-map.png", full_page=True)
    assert watch.errors == []


def test_a_network_edge_lists_that_pairs_events(
    watched: tuple[Page, Watch], server: Server
) -> None:
    page, _ = watched
    open_overview(page, server.url + "/")
    page.locator("#network g.edge[data-dyad='KAZ-UZB'] line.edge-hit").dispatch_event("click")
    page.wait_for_url(re.compile(r"dyad=KAZ-UZB"))
    page.wait_for_selector("body[data-ready=true]")
    participants = page.locator("#events tbody td:nth-child(4)").all_inner_texts()
    assert participants and all("KAZ" in p and "UZB" in p for p in participants)


def test_a_source_link_highlights_its_sentence(watched: tuple[Page, Watch], server: Server) -> None:
    page, _ = watched
    open_overview(page, server.url + "/?q=steppe")
    page.click("#events tbody a")
    page.wait_for_url(re.compile(r"/events/"))
    link = page.locator("#field-status a.source-link").first
    key = link.get_attribute("data-key")
    link.click()
    focused = page.locator("mark.focus")
    expect(focused.first).to_be_visible()
    assert all(
        key in (k or "").split() for k in focused.evaluate_all("ms => ms.map(m => m.dataset.keys)")
    )
    sentence = page.inner_text("#field-status .sentence").strip('“”" ')
    assert sentence and sentence in " ".join(focused.all_inner_texts())


def test_a_correction_persists_after_reload(
    watched: tuple[Page, Watch], server: Server, artifacts: Path
) -> None:
    page, watch = watched
    open_overview(page, server.url + "/?q=steppe")
    page.click("#events tbody a")
    page.wait_for_url(re.compile(r"/events/"))
    form = page.locator("#correct-form")
    form.locator("input[name=end]").fill("2023-09-16")
    form.locator("input[name=why]").fill("the ministry's closing statement")
    page.fill("#who", "browser analyst")
    form.locator("button[type=submit]").click()
    # without the token the server refuses, and the page says why
    expect(page.locator("#write-error")).to_contain_text("token")
    page.fill("#token", server.token)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#history")
    page.reload()
    expect(page.locator("#field-end .value")).to_have_text("2023-09-16")
    expect(page.locator("#field-end .source")).to_contain_text("analyst")
    expect(page.locator("#history")).to_contain_text("browser analyst")
    expect(page.locator("#history")).to_contain_text("the ministry's closing statement")
    page.screenshot(path=artifacts / "event-corrected.png", full_page=True)
    assert [e for e in watch.errors if "401" not in e] == []


def test_a_report_with_a_script_shows_it_as_text(
    watched: tuple[Page, Watch], server: Server, artifacts: Path
) -> None:
    page, watch = watched
    report = {
        "id": "browser-hostile",
        "published": "2024-02-01",
        "text": "Danish and Swedish engineers began a joint exercise near Malmo on January 30. "
        "<script>alert('boom')</script><img src=x onerror=alert('img')>",
    }
    request = urllib.request.Request(
        server.url + "/api/reports",
        data=json.dumps(report).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {server.token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201
    page.goto(server.url + "/reports/browser-hostile")
    expect(page.locator("#report-text")).to_contain_text("<script>alert('boom')</script>")
    assert page.locator("#report-text script, #report-text img").count() == 0
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    page.screenshot(path=artifacts / "report-escaped.png", full_page=True)
