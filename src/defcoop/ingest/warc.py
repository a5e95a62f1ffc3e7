"""Reports from WARC files (web crawls, web archives), streamed record by record with warcio.

Each HTML response record (status 200) is one report: its address and capture
date come from the record's headers, its text, title and the page's own date
from the page (trafilatura); the capture date stands in when the page states
none. Every other record (requests, metadata, redirects, images, ...) is left
out and counted. A file cut short gives the reports before the cut and one
error naming the file and the record where it stops.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from defcoop.errors import InputError, OversizedInput, UnreadableInput
from defcoop.ingest.decoding import decode_served_html
from defcoop.ingest.html_page import article_from_html
from defcoop.ingest.json_report import ReportContext
from defcoop.ingest.published import parse_published
from defcoop.ingest.urls import normalized_url, url_report_id
from defcoop.records import Report, SkippedRecords

HTML_TYPES = ("text/html", "application/xhtml+xml")
_DRAIN_CHUNK = 65536
_HEAD_BYTES = 4096
_GZIP_MAGIC = b"\x1f\x8b"
# What warcio raises on a file that is not WARC, or is damaged past a record's start.
_DAMAGE = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError, OSError)


def is_html(content_type: str | None, head: bytes) -> bool:
    """Whether a served body is a web page: by its Content-Type, else by its first bytes."""
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    start = head.lstrip()[:64].lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _capture_date(value: str | None) -> date | None:
    """The day of a WARC-Date header (``2023-03-15T10:00:00Z``)."""
    return parse_published(value) if value else None


def _target(record: Any) -> str:
    """The record's address; WARC 1.0 files may write it in angle brackets."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    return str(uri).strip().strip("<>")


def _skip_kind(record: Any) -> str | None:
    """Why a record holds no report ("request record", "image/png response"), None if it may."""
    if record.rec_type != "response":
        return f"{record.rec_type} record"
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"response with status {status}"
    return None


def _starts_as_warc(stream: BinaryIO) -> bool:
    """Whether a file begins with a WARC record (warcio would read other text as ARC)."""
    head = stream.read(_HEAD_BYTES)
    stream.seek(0)
    if head.startswith(_GZIP_MAGIC):
        head = zlib.decompressobj(wbits=31).decompress(head)
    return head.startswith(b"WARC/")


def _read_body(record: Any, limit: int) -> tuple[bytes, bool]:
    """The record's payload (at most limit + 1 bytes) and whether the record is whole."""
    body = record.content_stream().read(limit + 1)
    while record.raw_stream.read(_DRAIN_CHUNK):
        pass
    return body, record.raw_stream.limit <= 0


def read_warc(
    path: Path, max_bytes: int, page_limit: int
) -> Iterator[Report | InputError | SkippedRecords]:
    """The reports of a WARC file (gzipped per record or not), then the count of records left out.

    `max_bytes` bounds a report's text; `page_limit` bounds a page's bytes.
    """
    source = str(path)
    skipped: Counter[str] = Counter()
    number = 0
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            if not _starts_as_warc(stream):
                yield UnreadableInput(source, "not a WARC file: it does not begin with WARC/")
                return
            records = ArchiveIterator(stream)
            for record in records:
                number += 1
                uri = _target(record)
                origin = f"{source}: record {number}" + (f" ({uri})" if uri else "")
                kind = _skip_kind(record)
                body, whole = _read_body(record, page_limit)
                if not whole:
                    yield UnreadableInput(source, f"WARC file cut short in record {number}")
                    break
                content_type = None if kind else record.http_headers.get_header("Content-Type")
                if kind is None and not is_html(content_type, body[:1024]):
                    kind = f"{(content_type or 'untyped').split(';')[0].strip()} response"
                if kind is not None:
                    skipped[kind] += 1
                    continue
                if len(body) > page_limit:
                    yield OversizedInput(origin, f"page is over the limit of {page_limit} bytes")
                    continue
                try:
                    yield _record_report(record, uri, origin, body, content_type, max_bytes)
                except InputError as exc:
                    yield exc
            else:
                if records.offset != size:
                    yield UnreadableInput(
                        source,
                        f"WARC file cut short or damaged after record {number} "
                        f"(byte {records.offset} of {size})",
                    )
    except PermissionError:
        yield UnreadableInput(source, "permission denied")
    except FileNotFoundError:
        yield UnreadableInput(source, "no such file or directory")
    except _DAMAGE as exc:
        where = f"in record {number + 1}" if number else "at its start"
        yield UnreadableInput(
            source, f"not a readable WARC file {where}: {type(exc).__name__}: {exc}"
        )
    if skipped:
        total = sum(skipped.values())
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
        yield SkippedRecords(source, total, f"{total} records hold no HTML page: {listed}")


def _record_report(
    record: Any, uri: str, origin: str, body: bytes, content_type: str | None, max_bytes: int
) -> Report:
    """The report of one HTML response record."""
    captured = _capture_date(record.rec_headers.get_header("WARC-Date"))
    address = normalized_url(uri) if uri else None
    context = ReportContext(
        origin=origin,
        fallback_id=url_report_id(uri) if uri else origin,
        published=captured,
        max_bytes=max_bytes,
    )
    html = decode_served_html(body, origin, content_type)
    report = article_from_html(html, context).report
    return replace(report, url=address or report.url)
