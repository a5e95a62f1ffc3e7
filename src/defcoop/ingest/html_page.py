"""A report from a saved web page: article text and metadata through trafilatura, offline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import trafilatura

from defcoop.errors import MalformedInput, MissingDate
from defcoop.ingest.json_report import ReportContext, check_text_size
from defcoop.ingest.published import parse_published
from defcoop.records import Report

# Only dates the page states in its metadata or markup: the extensive search guesses
# from any year in the page (a copyright line gives 1 January).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_LINE_BREAK = re.compile(r"\s*\n\s*")


def _field(document: Any, name: str) -> str | None:
    """A metadata field of a trafilatura document, None when absent or blank."""
    value = getattr(document, name, None)
    return (value.strip() or None) if isinstance(value, str) else None


@dataclass(frozen=True)
class PageArticle:
    """The article of a web page, and whether its date is the page's own."""

    report: Report
    dated_by_page: bool  # False: the caller's date (a feed's, a crawl's, the fetch day)


def report_from_html(html: str, context: ReportContext) -> Report:
    """The article a saved web page holds; the page's own date wins over the caller's."""
    return article_from_html(html, context).report


def article_from_html(html: str, context: ReportContext) -> PageArticle:
    """The article a web page holds; the page's own date wins over the caller's.

    trafilatura gives one paragraph a line; paragraphs are separated by a blank line,
    as in the text reports, so that later stages see the paragraph breaks.
    """
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    body = _field(document, "text") if document is not None else None
    if body is None:
        raise MalformedInput(context.origin, "no article text found in the web page")
    text = _LINE_BREAK.sub("\n\n", body)
    check_text_size(text, context)
    page_date = _field(document, "date")
    own = parse_published(page_date) if page_date else None
    published = own or context.published
    if published is None:
        raise MissingDate(
            context.origin,
            "no publication date: the page states none and none was given "
            "(give --published YYYY-MM-DD or set DEFCOOP_PUBLISHED)",
        )
    report = Report(
        id=context.fallback_id,
        text=text,
        published=published,
        source=_field(document, "sitename"),
        url=_field(document, "url"),
        title=_field(document, "title"),
        author=_field(document, "author"),
        language=_field(document, "language") or "en",
        origin=context.origin,
    )
    return PageArticle(report, dated_by_page=own is not None)
