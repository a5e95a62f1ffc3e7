"""What a feed or a sitemap lists: article addresses, with the title and date it gives.

Feed bytes are parsed by feedparser (RSS 0.9x-2.0, RSS 1.0, Atom), sitemaps
(``<urlset>``, news sitemaps, ``<sitemapindex>``, gzipped or not) by lxml with
entities and network access turned off. A listing that cannot be read raises
`MalformedInput` naming the address and the reason.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import feedparser
from lxml import etree

from defcoop.errors import MalformedInput
from defcoop.ingest.published import parse_published
from defcoop.ingest.urls import normalized_url

Kind = Literal["feed", "sitemap", "auto"]
KINDS: tuple[Kind, ...] = ("feed", "sitemap", "auto")
_SITEMAP_ROOTS = ("urlset", "sitemapindex")
_HEAD = 2048
_MAX_UNZIPPED = 64 * 1024 * 1024


@dataclass(frozen=True)
class Listed:
    """One article a listing names."""

    url: str  # normalized
    title: str | None = None
    published: date | None = None  # the listing's date for it, if any


@dataclass(frozen=True)
class Listing:
    """What one feed or sitemap gave."""

    kind: Literal["feed", "sitemap"]
    articles: tuple[Listed, ...]
    sitemaps: tuple[str, ...] = ()  # the child sitemaps of a sitemap index


def _unzipped(body: bytes, url: str) -> bytes:
    """The body, gunzipped when it is gzip data (``sitemap.xml.gz``)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        data = zlib.decompressobj(wbits=31).decompress(body, _MAX_UNZIPPED)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise MalformedInput(url, f"not valid gzip data: {exc}") from exc
    return data


def _root_name(body: bytes) -> str | None:
    """The local name of the document's root element, from its first bytes."""
    head = body[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    for name in (*_SITEMAP_ROOTS, "rss", "feed", "rdf:RDF", "html", "!doctype html"):
        marker = f"<{name}".encode()
        if marker in head.lower():
            return name
    return None


def read_listing(body: bytes, url: str, kind: Kind = "auto") -> Listing:
    """The articles a feed or sitemap at `url` lists, in its order, each address once."""
    data = _unzipped(body, url)
    if not data.strip():
        raise MalformedInput(url, "empty response: expected a feed or a sitemap")
    root = _root_name(data)
    if root in ("html", "!doctype html"):
        raise MalformedInput(url, "expected a feed or a sitemap, got an HTML page")
    if kind == "sitemap" or (kind == "auto" and root in _SITEMAP_ROOTS):
        return _read_sitemap(data, url)
    return _read_feed(data, url)


def _unique(articles: list[Listed]) -> tuple[Listed, ...]:
    """The articles, each address once (the first wins)."""
    seen: dict[str, Listed] = {}
    for article in articles:
        seen.setdefault(article.url, article)
    return tuple(seen.values())


def _address(value: object) -> str | None:
    """A normalized web address, or None when the value is not one."""
    if not isinstance(value, str) or not value.strip().lower().startswith(("http://", "https://")):
        return None
    try:
        return normalized_url(value)
    except ValueError:
        return None


def _entry_date(entry: Any) -> date | None:
    """The day a feed entry was published (or last updated)."""
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return date(parsed[0], parsed[1], parsed[2])
            except (TypeError, ValueError):
                continue
    return None


def _read_feed(data: bytes, url: str) -> Listing:
    """The items of an RSS or Atom feed."""
    # Bytes are parsed as they are: feedparser fetches nothing for them.
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    entries = list(parsed.get("entries") or [])
    if not entries and parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        raise MalformedInput(url, f"malformed feed: {problem or 'not XML'}")
    if not entries and not parsed.get("version"):
        raise MalformedInput(url, "not a feed or a sitemap (no RSS, Atom or urlset root)")
    articles = []
    for entry in entries:
        address = _address(entry.get("link"))
        if address is not None:
            title = entry.get("title")
            articles.append(
                Listed(address, title if isinstance(title, str) else None, _entry_date(entry))
            )
    return Listing("feed", _unique(articles))


def _local(element: Any) -> str:
    """An element's name without its namespace."""
    tag = element.tag
    return str(etree.QName(tag).localname) if isinstance(tag, str) else ""


def _child_text(element: Any, *path: str) -> str | None:
    """The text of the first descendant along a path of local names."""
    current = element
    for name in path:
        current = next((c for c in current if _local(c) == name), None)
        if current is None:
            return None
    text = current.text
    return text.strip() if isinstance(text, str) and text.strip() else None


def _read_sitemap(data: bytes, url: str) -> Listing:
    """The pages of a sitemap or news sitemap, or the sitemaps of a sitemap index."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedInput(url, f"malformed XML: {exc}") from exc
    name = _local(root)
    if name not in _SITEMAP_ROOTS:
        raise MalformedInput(url, f"not a sitemap: the root element is <{name}>")
    if name == "sitemapindex":
        children = [_address(_child_text(s, "loc")) for s in root if _local(s) == "sitemap"]
        return Listing("sitemap", (), tuple(dict.fromkeys(c for c in children if c)))
    articles = []
    for item in root:
        if _local(item) != "url":
            continue
        address = _address(_child_text(item, "loc"))
        if address is None:
            continue
        when = _child_text(item, "news", "publication_date") or _child_text(item, "lastmod")
        articles.append(
            Listed(address, _child_text(item, "news", "title"), parse_published(when or ""))
        )
    return Listing("sitemap", _unique(articles))
