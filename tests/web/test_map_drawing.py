"""The overview's drawings, checked on screen: no stripes across the world map, every
timeline label inside the chart, no dyad-network label over another. Screenshots of
each go to tests/artifacts/."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import Browser, Page
from served_store import Server, serving

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.store.database import Store

pytestmark = pytest.mark.browser
WAIT_MS = 15_000

# Pairs of countries for a crowded network: invented drills, one report each.
PAIRS = [
    ("Chile", "Peru"),
    ("Chile", "Brazil"),
    ("Peru", "Colombia"),
    ("Brazil", "Argentina"),
    ("Kenya", "Uganda"),
    ("Kenya", "Tanzania"),
    ("Ghana", "Nigeria"),
    ("Senegal", "Mali"),
    ("Norway", "Sweden"),
    ("Norway", "Denmark"),
    ("Finland", "Sweden"),
    ("Poland", "Germany"),
    ("Greece", "Cyprus"),
    ("Italy", "Spain"),
    ("Portugal", "Spain"),
    ("Egypt", "Jordan"),
    ("Oman", "India"),
    ("Thailand", "Malaysia"),
    ("Vietnam", "Laos"),
    ("Mongolia", "India"),
    ("Indonesia", "Australia"),
    ("Japan", "Australia"),
    ("Canada", "Mexico"),
    ("Chile", "Argentina"),
]
PAGE_SCRIPTS = {
    # Every segment of every country outline, longest horizontal step in pixels.
    "longest_step": """() => {
        let longest = 0;
        for (const path of document.querySelectorAll('#map .leaflet-overlay-pane path')) {
            for (const ring of (path.getAttribute('d') || '').split('M').slice(1)) {
                const xs = [...ring.matchAll(/(-?[\\d.]+)[ ,](-?[\\d.]+)/g)].map(m => +m[1]);
                for (let i = 1; i <= xs.length; i++) {
                    longest = Math.max(longest, Math.abs(xs[i % xs.length] - xs[i - 1]));
                }
            }
        }
        return longest;
    }""",
    # Each label's four corners on screen, for overlap and containment.
    "corners": """(selector) => [...document.querySelectorAll(selector)].map(t => {
        const b = t.getBBox(), m = t.getScreenCTM();
        return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                [b.x, b.y + b.height]].map(([x, y]) =>
            [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    })""",
}


def _report(index: int, first: str, second: str) -> dict[str, str]:
    day = 1 + index % 27
    return {
        "id": f"crowd-{index:02d}",
        "published": f"2022-{1 + index % 12:02d}-{day:02d}",
        "text": (
            f"The armed forces of {first} and {second} held a joint exercise on Monday, "
            f"the defence ministry of {first} said."
        ),
    }


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`defcoop serve` over the samples and two dozen invented drills of many countries."""
    folder = tmp_path_factory.mktemp("crowd")
    reports = folder / "reports"
    reports.mkdir()
    for index, (first, second) in enumerate(PAIRS):
        (reports / f"crowd-{index:02d}.json").write_text(
            json.dumps(_report(index, first, second)), encoding="utf-8"
        )
    url = f"sqlite:///{folder / 'crowd.db'}"
    options = ReadOptions(published=None, max_bytes=1 << 20)
    with Store.open(url) as store:
        for item in run_paths([ROOT / "samples", reports], options, Extractor.from_package()):
            assert not isinstance(item, InputError), item
            store.add(item)
    with serving(url) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page of a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    yield opened
    context.close()


def _overview(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")


def _inside(corners: list[list[float]], box: dict[str, float]) -> bool:
    return all(
        box["x"] - 0.5 <= x <= box["x"] + box["width"] + 0.5
        and box["y"] - 0.5 <= y <= box["y"] + box["height"] + 0.5
        for x, y in corners
    )


def _overlap(p: list[list[float]], q: list[list[float]]) -> bool:
    """Whether two convex quadrilaterals overlap (separating axis test), by over 0.5 px."""
    for shape in (p, q):
        for i in range(4):
            (x1, y1), (x2, y2) = shape[i], shape[(i + 1) % 4]
            axis = (y1 - y2, x2 - x1)
            a = [axis[0] * x + axis[1] * y for x, y in p]
            b = [axis[0] * x + axis[1] * y for x, y in q]
            length = (axis[0] ** 2 + axis[1] ** 2) ** 0.5 or 1
            if min(max(a), max(b)) - max(min(a), min(b)) <= 0.5 * length:
                return False
    return True


def test_no_country_outline_stripes_across_the_world(
    page: Page, crowded: Server, artifacts: Path
) -> None:
    _overview(page, crowded.url + "/")
    zoom = int(page.get_attribute("#map", "data-zoom") or "0")
    world = 256 * 2**zoom
    assert page.locator("#map .leaflet-overlay-pane path").count() > 100
    page.locator("#map").screenshot(path=artifacts / "map-world.png")
    # The longest true step of a 1:110m outline is a few degrees; a stripe spans the world.
    assert page.evaluate(PAGE_SCRIPTS["longest_step"]) < world / 8


def test_every_month_label_is_inside_the_timeline(
    page: Page, crowded: Server, artifacts: Path
) -> None:
    _overview(page, crowded.url + "/?granularity=month")
    periods = page.locator("#timeline g.bar").evaluate_all("gs => gs.map(g => g.dataset.period)")
    labels = page.locator("#timeline text.axis").evaluate_all("ts => ts.map(t => t.textContent)")
    assert periods[-1] in labels
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    corners = page.evaluate(PAGE_SCRIPTS["corners"], "#timeline text.axis")
    page.locator("#timeline").screenshot(path=artifacts / "timeline-months.png")
    assert all(_inside(c, box) for c in corners)
    for i, first in enumerate(corners):
        for second in corners[i + 1 :]:
            assert not _overlap(first, second)


def test_no_network_label_covers_another(page: Page, crowded: Server, artifacts: Path) -> None:
    _overview(page, crowded.url + "/")
    codes = page.locator("#network .node text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert len(codes) >= 30
    box = page.locator("#network").bounding_box()
    assert box is not None
    corners = page.evaluate(PAGE_SCRIPTS["corners"], "#network .node text")
    page.locator("#network").screenshot(path=artifacts / "network-crowded.png")
    assert all(_inside(c, box) for c in corners)
    overlapping = [
        (codes[i], codes[j])
        for i in range(len(corners))
        for j in range(i + 1, len(corners))
        if _overlap(corners[i], corners[j])
    ]
    assert overlapping == []


def test_the_crowded_store_answers(crowded: Server) -> None:
    with urllib.request.urlopen(crowded.url + "/api/aggregates/dyads", timeout=10) as answer:
        assert len(json.load(answer)) >= 20
