"""Polite HTTP for `defcoop watch` (httpx): timeouts, retries, a delay per host, robots.txt.

Every request names defcoop and its version in its User-Agent, waits its turn
behind the previous request to the same host, and reads at most `max_bytes`
within a deadline (a server that drips bytes is cut off). A timeout, a refused
connection, 429 and 5xx are retried with exponential backoff (Retry-After
honoured up to a cap); every failure is a `FetchError` naming the address and
the reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from defcoop import __version__
from defcoop.errors import FetchError

USER_AGENT = f"defcoop/{__version__} (+https://pypi.org/project/defcoop/; news-source follower)"
ROBOTS_AGENT = "defcoop"  # the token robots.txt rules name
MAX_REDIRECTS = 10
_DEADLINE_FACTOR = 3  # a whole response must arrive within this many timeouts
_RETRY_AFTER_CAP = 60  # Retry-After is honoured up to this many backoff units
_RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpOptions:
    """How politely and how patiently to fetch."""

    timeout: float = 20.0  # seconds to connect, or between two reads
    retries: int = 2
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    host_delay: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 8 * 1024 * 1024  # largest response body read


@dataclass(frozen=True)
class Fetched:
    """A response read whole."""

    url: str  # after redirects
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """The server says the validators sent still hold (304)."""
        return self.status == 304


class _Retry(Exception):
    """A failure worth another attempt, after `wait` seconds."""

    def __init__(self, reason: str, wait: float | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.status = status


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (a number, or an HTTP date), None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteFetcher:
    """Holds the HTTP client, the time of the last request to each host and robots.txt rules."""

    def __init__(self, options: HttpOptions) -> None:
        self.options = options
        self._client = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
        )
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}

    def __enter__(self) -> PoliteFetcher:
        """The fetcher itself, closed when the block ends."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the HTTP client."""
        self._client.close()

    def forget_robots(self) -> None:
        """Read robots.txt afresh at the next request to each host (once per round)."""
        self._robots.clear()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """The response to a GET of `url` (a 304 when the validators still hold)."""
        refusal = self._robots_refusal(url)
        if refusal is not None:
            raise FetchError(url, refusal)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._with_retries(url, headers)

    def _with_retries(self, url: str, headers: dict[str, str]) -> Fetched:
        """Send the request, retrying what may pass on a second try."""
        attempts = self.options.retries + 1
        cap = self.options.backoff * _RETRY_AFTER_CAP
        for attempt in range(attempts):
            try:
                return self._send(url, headers)
            except _Retry as failure:
                wait = failure.wait
                if wait is not None and wait > cap:
                    raise FetchError(
                        url,
                        f"{failure.reason}; Retry-After asks for {wait:g} s, more than the "
                        f"{cap:g} s defcoop waits",
                        failure.status,
                    ) from None
                if attempt + 1 == attempts:
                    tries = "attempt" if attempts == 1 else "attempts"
                    raise FetchError(
                        url, f"{failure.reason} ({attempts} {tries})", failure.status
                    ) from None
                time.sleep(wait if wait is not None else self.options.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _wait_turn(self, host: str) -> None:
        """Sleep until the delay since the previous request to this host has passed."""
        last = self._last_request.get(host)
        if last is not None:
            pause = last + self.options.host_delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last_request[host] = time.monotonic()

    def _send(self, url: str, headers: dict[str, str]) -> Fetched:
        """One request, read whole within the size limit and the deadline."""
        self._wait_turn(urlsplit(url).netloc.lower())
        limit = self.options.max_bytes
        deadline = self.options.timeout * _DEADLINE_FACTOR
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _RETRIED_STATUS:
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
                    raise _Retry(f"HTTP {status} {response.reason_phrase}".strip(), wait, status)
                if status >= 400:
                    raise FetchError(url, f"HTTP {status} {response.reason_phrase}".strip(), status)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        url, f"response is {declared} bytes, over the limit of {limit}; not read"
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(url, f"response is over the limit of {limit} bytes")
                    if time.monotonic() - started > deadline:
                        raise FetchError(
                            url, f"too slow: the response took more than {deadline:g} s"
                        )
                    chunks.append(chunk)
                return Fetched(
                    url=str(response.url),
                    status=status,
                    body=b"".join(chunks),
                    content_type=response.headers.get("Content-Type"),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        except httpx.TooManyRedirects:
            raise FetchError(url, f"redirect loop: more than {MAX_REDIRECTS} redirects") from None
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({type(exc).__name__})") from None
        except httpx.ConnectError as exc:
            raise _Retry(f"cannot connect: {exc}") from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed: {type(exc).__name__}: {exc}") from None

    def _robots_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids `url` to defcoop, or None when it may be fetched."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"not a web address ({parts.scheme or 'no'} scheme)"
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(ROBOTS_AGENT, url):
            return "disallowed by robots.txt"
        return None

    def _load_robots(self, origin: str) -> RobotFileParser | str:
        """The rules of a host's robots.txt; a reason to fetch nothing when it is unreachable.

        No robots.txt (4xx) allows everything; a server error or no connection
        means fetching nothing from the host this round (RFC 9309).
        """
        rules = RobotFileParser(f"{origin}/robots.txt")
        try:
            fetched = self._with_retries(f"{origin}/robots.txt", {})
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                rules.parse([])
                return rules
            return f"robots.txt unreachable, nothing fetched from the host: {exc.reason}"
        rules.parse(fetched.body.decode("utf-8", "replace").splitlines())
        return rules
