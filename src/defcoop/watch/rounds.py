"""One round of `defcoop watch`: poll every due source, fetch its new articles, store them.

Each article is stored in one transaction (`Store.add`), so a round killed at
any point leaves every article whole or absent. A source's new validators
(ETag, Last-Modified) are kept only once every article it listed is settled:
after an interrupted or partly failed round the next one reads the listing in
full again and picks up what is missing. Every fault is recorded with its
source and reason; the other sources and articles go on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from defcoop.errors import FetchError, InputError
from defcoop.ingest.decoding import decode_served_html
from defcoop.ingest.html_page import article_from_html
from defcoop.ingest.json_report import ReportContext
from defcoop.ingest.urls import url_report_id
from defcoop.ingest.warc import is_html
from defcoop.pipeline import Extractor
from defcoop.records import Extraction, SourceState
from defcoop.resolve.event_ids import with_event_id
from defcoop.store.database import Store
from defcoop.watch.fetch import Fetched, PoliteFetcher
from defcoop.watch.listing import Listed, Listing, read_listing
from defcoop.watch.sources import Source

MAX_CHILD_SITEMAPS = 50
# A source polled this close to its interval counts as due (rounds drift by seconds).
_DUE_SLACK = 0.05


@dataclass(frozen=True)
class WatchOptions:
    """How often to poll, and the limits of a report."""

    every: float = 1800.0  # seconds between polls of a source with no interval of its own
    refetch_every: float = 86400.0  # seconds between polls sent without validators
    max_bytes: int = 2 * 1024 * 1024  # largest report text


@dataclass
class RoundSummary:
    """Counts of one round, for its closing line."""

    number: int = 1
    sources: int = 0
    unchanged: int = 0  # 304 Not Modified
    sources_failed: int = 0
    found: int = 0  # articles listed and not settled before
    new: int = 0
    duplicates: int = 0  # content already stored
    failed: int = 0
    stopped: bool = False
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        """Sources and articles that failed."""
        return self.sources_failed + self.failed

    def line(self) -> str:
        """One line: sources, articles, errors and time."""
        sources = f"{self.sources} sources polled"
        if self.unchanged:
            sources += f" ({self.unchanged} unchanged)"
        if self.sources_failed:
            sources += f", {self.sources_failed} failed"
        articles = f"{self.found} new articles listed, {self.new} stored"
        if self.duplicates:
            articles += f", {self.duplicates} already stored"
        articles += f", {self.failed} failed"
        end = ", stopped" if self.stopped else ""
        return f"round {self.number}: {sources}; {articles}; {self.seconds:.1f} s{end}"


def is_due(source: Source, state: SourceState | None, now: datetime, every: float) -> bool:
    """Whether a source's interval has passed since its last poll."""
    if state is None or state.last_poll is None:
        return True
    interval = source.interval if source.interval is not None else every
    return (now - state.last_poll).total_seconds() >= interval * (1 - _DUE_SLACK)


def next_due(sources: list[Source], states: dict[str, SourceState], every: float) -> datetime:
    """When the next source falls due."""
    now = datetime.now(UTC)
    times = []
    for source in sources:
        state = states.get(source.name)
        if state is None or state.last_poll is None:
            return now
        interval = source.interval if source.interval is not None else every
        times.append(state.last_poll + timedelta(seconds=interval))
    return min(times, default=now + timedelta(seconds=every))


@dataclass
class _Tally:
    """What one source gave this round."""

    found: int = 0
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    first_failure: str | None = None


class Watcher:
    """Holds the store, the fetcher and the extractor; runs rounds until told to stop."""

    def __init__(
        self,
        store: Store,
        fetcher: PoliteFetcher,
        extractor: Extractor,
        options: WatchOptions,
        stop: threading.Event,
        status: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.extractor = extractor
        self.options = options
        self.stop = stop
        self._status = status or (lambda _text: None)

    def states(self) -> dict[str, SourceState]:
        """The stored state of every source, by name."""
        return {s.name: s for s in self.store.sources()}

    def run_round(self, sources: list[Source], number: int = 1) -> RoundSummary:
        """Poll every due source once; the round's counts."""
        started = datetime.now(UTC)
        summary = RoundSummary(number=number)
        states = self.states()
        self.fetcher.forget_robots()
        for source in sources:
            if self.stop.is_set():
                break
            if not is_due(source, states.get(source.name), started, self.options.every):
                continue
            summary.sources += 1
            state = self._poll(source, states.get(source.name), summary)
            self.store.save_source(state)
        summary.stopped = self.stop.is_set()
        summary.seconds = (datetime.now(UTC) - started).total_seconds()
        return summary

    def _poll(
        self, source: Source, before: SourceState | None, summary: RoundSummary
    ) -> SourceState:
        """Poll one source and fetch its new articles; its new state."""
        now = datetime.now(UTC)
        state = before or SourceState(name=source.name, url=source.url, kind=source.kind)
        state = replace(state, url=source.url, last_poll=now, found=0, new=0, failed=0)
        full = state.last_full_fetch is None or (now - state.last_full_fetch) >= timedelta(
            seconds=self.options.refetch_every
        )
        self._status(f"round {summary.number} · {source.name} · reading the listing")
        try:
            fetched = self.fetcher.get(
                source.url,
                etag=None if full else state.etag,
                last_modified=None if full else state.last_modified,
            )
            if fetched.not_modified:
                summary.unchanged += 1
                return replace(state, http_status=304, last_error=None)
            listing = read_listing(fetched.body, source.url, source.kind)
        except InputError as exc:
            summary.sources_failed += 1
            status = exc.status if isinstance(exc, FetchError) else None
            self.store.record_error(f"{source.name}: {exc.source}", exc.reason)
            return replace(state, http_status=status, last_error=exc.reason, last_error_at=now)
        articles, problem = self._children(listing)
        tally = self._articles(source, articles, summary)
        settled = tally.failed == 0 and problem is None and not self.stop.is_set()
        note = problem or tally.first_failure
        if note is None and not listing.articles and not listing.sitemaps:
            note = f"the {listing.kind} lists no articles"
        return replace(
            state,
            kind=listing.kind,
            http_status=fetched.status,
            # validators only once all is settled: else the next poll must read it whole
            etag=fetched.etag if settled else None,
            last_modified=fetched.last_modified if settled else None,
            last_full_fetch=now if full else state.last_full_fetch,
            found=tally.found,
            new=tally.new,
            failed=tally.failed,
            stored_total=state.stored_total + tally.new,
            last_error=note,
            last_error_at=now if note else state.last_error_at,
        )

    def _children(self, listing: Listing) -> tuple[list[Listed], str | None]:
        """The articles of a listing and of the child sitemaps of a sitemap index."""
        articles = list(listing.articles)
        problem = None
        for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
            if self.stop.is_set():
                break
            try:
                fetched = self.fetcher.get(child)
                articles.extend(read_listing(fetched.body, child, "sitemap").articles)
            except InputError as exc:
                problem = problem or f"{exc.source}: {exc.reason}"
        return articles, problem

    def _articles(self, source: Source, listed: list[Listed], summary: RoundSummary) -> _Tally:
        """Fetch and store the articles not settled before."""
        tally = _Tally()
        settled = self.store.settled_urls([a.url for a in listed])
        todo = [a for a in dict((a.url, a) for a in listed).values() if a.url not in settled]
        tally.found = len(todo)
        summary.found += len(todo)
        for index, article in enumerate(todo, start=1):
            if self.stop.is_set():
                break
            self._status(
                f"round {summary.number} · {source.name} · article {index}/{len(todo)} · "
                f"{summary.new} stored · {summary.failed} failed"
            )
            outcome = self._article(source, article)
            if outcome is None:
                tally.new += 1
                summary.new += 1
            elif outcome == "":
                tally.duplicates += 1
                summary.duplicates += 1
            else:
                tally.failed += 1
                summary.failed += 1
                tally.first_failure = tally.first_failure or outcome
        return tally

    def _article(self, source: Source, listed: Listed) -> str | None:
        """Fetch, read, extract and store one article: None if stored, "" if a duplicate,
        else the reason it failed (recorded with the source)."""
        try:
            fetched = self.fetcher.get(listed.url)
            extraction, dated_by = self._read_article(source, listed, fetched)
        except InputError as exc:
            return self._failed(source, listed, exc.reason)
        except Exception as exc:  # one article's fault must not stop the others
            return self._failed(source, listed, f"extraction failed: {type(exc).__name__}: {exc}")
        added = self.store.add(extraction)
        self.store.note_article(
            listed.url,
            source.name,
            "stored" if added else "duplicate",
            report_id=extraction.report.id,
            dated_by=dated_by,
        )
        return None if added else ""

    def _failed(self, source: Source, listed: Listed, reason: str) -> str:
        """Record a failed article with its source; the line for the source's state."""
        self.store.record_error(f"{source.name}: {listed.url}", reason)
        self.store.note_article(listed.url, source.name, "failed", reason=reason)
        return f"{listed.url}: {reason}"

    def _read_article(
        self, source: Source, listed: Listed, fetched: Fetched
    ) -> tuple[Extraction, str]:
        """The extraction of a fetched article page, and where its date came from."""
        if not is_html(fetched.content_type, fetched.body[:1024]):
            kind = (fetched.content_type or "untyped").split(";")[0].strip()
            raise InputError(listed.url, f"not a web page ({kind})")
        html = decode_served_html(fetched.body, listed.url, fetched.content_type)
        fallback = listed.published or date.today()
        context = ReportContext(
            origin=listed.url,
            fallback_id=url_report_id(listed.url),
            published=fallback,
            max_bytes=self.options.max_bytes,
        )
        article = article_from_html(html, context)
        report = replace(
            article.report,
            url=listed.url,
            source=source.name,
            title=article.report.title or listed.title,
            language=source.language or article.report.language,
        )
        extraction = self.extractor.extract(report)
        mentions = tuple(with_event_id(m) for m in extraction.mentions)
        fallback_kind = "feed" if listed.published else "fetched"
        dated_by = "page" if article.dated_by_page else fallback_kind
        return replace(extraction, mentions=mentions), dated_by
