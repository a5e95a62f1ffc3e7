"""Web addresses as defcoop keeps them: one spelling per page, and a report id made from it."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_SLUG_LENGTH = 60


def normalized_url(url: str) -> str:
    """The one spelling of a page's address that defcoop stores and compares.

    Scheme and host in lower case, the default port dropped, tracking parameters
    (utm_*, fbclid, ...) removed, the remaining parameters sorted (courlan), and
    the fragment dropped: ``#comments`` is the same page.
    """
    cleaned = normalize_url(url.strip())
    parts = urlsplit(cleaned)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def url_report_id(url: str) -> str:
    """A stable report id for a web page: a readable slug of its address and a digest.

    The same page read from a feed, a sitemap or a WARC file gets the same id.
    """
    address = normalized_url(url)
    parts = urlsplit(address)
    slug = _SLUG_CHARS.sub("-", f"{parts.netloc}{parts.path}".lower()).strip("-")
    digest = hashlib.sha1(address.encode("utf-8")).hexdigest()[:10]
    return f"{slug[:_SLUG_LENGTH].rstrip('-') or 'page'}-{digest}"
