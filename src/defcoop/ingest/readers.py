"""Read report files and directories into `Report`s, yielding an `InputError` for each bad input.

Formats, by extension (``.gz`` variants are decompressed on the fly):

- ``.json``: one report object, or an array of them;
- ``.jsonl`` / ``.ndjson``: one report object a line, read line by line;
- ``.txt``: plain text, with an optional dateline on its first line;
- ``.html`` / ``.htm``: a saved web page;
- ``.warc``: a web crawl or archive, each HTML response record a report (`ingest.warc`).

A file given explicitly with another extension is sniffed (JSON, HTML, else text);
inside a directory such files are skipped. Nothing here stops on a bad input: the
error is yielded and reading goes on with the next report.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal, cast

from defcoop.errors import InputError, MalformedInput, OversizedInput, UnreadableInput
from defcoop.ingest.decoding import (
    SNIFF_BYTES,
    binary_reason,
    decode_html_bytes,
    decode_report_bytes,
)
from defcoop.ingest.html_page import report_from_html
from defcoop.ingest.json_report import (
    ReportContext,
    json_error_reason,
    json_type_name,
    report_from_json,
)
from defcoop.ingest.text_report import report_from_text
from defcoop.ingest.warc import read_warc
from defcoop.records import Report, SkippedRecords

# What reading yields: a report, an input that failed, or records left out on purpose.
ReadItem = Report | InputError | SkippedRecords

Format = Literal["json", "jsonl", "text", "html", "warc", "sniff"]
FORMATS: dict[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
}
# JSON escapes (\u00e9) and HTML markup make a file larger than the text it carries.
MARKUP_ALLOWANCE = 4
# Room for a byte-order mark and a dateline around a plain-text report.
DATELINE_ALLOWANCE = 4096
_SKIP_CHUNK = 65536
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


@dataclass(frozen=True)
class ReadOptions:
    """What the caller supplies to reading."""

    published: datetime.date | None = None  # for reports with no date (a .txt without dateline)
    max_bytes: int = 2 * 1024 * 1024  # largest report text accepted


def input_format(path: Path) -> tuple[Format | None, bool]:
    """(format by extension or None when unknown, whether the file is gzip-compressed)."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes = suffixes[:-1]
    return (FORMATS.get(suffixes[-1]) if suffixes else None), gzipped


def report_stem(path: Path) -> str:
    """The file name without its format and compression extensions: the default report id."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem or path.name


def read_inputs(paths: Iterable[Path], options: ReadOptions) -> Iterator[ReadItem]:
    """Every report in the given files and directories, in a stable order, with errors in place."""
    for path in paths:
        yield from _read_given(Path(path), options)


def _stat_error(path: Path, exc: OSError) -> UnreadableInput:
    """The error for a path that cannot be looked at."""
    if isinstance(exc, FileNotFoundError):
        return UnreadableInput(str(path), "no such file or directory")
    if isinstance(exc, PermissionError):
        return UnreadableInput(str(path), "permission denied")
    return UnreadableInput(str(path), f"cannot read: {exc.strerror or exc}")


def _read_given(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    """The reports of one path the caller named: a file of any extension, or a directory."""
    try:
        info = path.stat()
    except OSError as exc:
        yield _stat_error(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_directory(path, options)
        return
    fmt, gzipped = input_format(path)
    yield from _read_file(path, fmt or "sniff", gzipped, options)


def _walk(directory: Path, seen: set[str]) -> Iterator[Path | InputError]:
    """Report files under a directory, depth first in name order; hidden entries are skipped."""
    seen.add(os.path.realpath(directory))
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield _stat_error(directory, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            yield _stat_error(path, exc)
            continue
        if is_dir:
            if os.path.realpath(path) not in seen:  # a symlink loop is walked once
                yield from _walk(path, seen)
        elif is_file and input_format(path)[0] is not None:
            yield path


def _read_directory(directory: Path, options: ReadOptions) -> Iterator[ReadItem]:
    """The reports of every report file under a directory."""
    files = 0
    faults = 0
    for item in _walk(directory, set()):
        if isinstance(item, InputError):
            faults += 1
            yield item
            continue
        files += 1
        fmt, gzipped = input_format(item)
        yield from _read_file(item, fmt or "sniff", gzipped, options)
    if files == 0 and faults == 0:
        yield UnreadableInput(
            str(directory),
            "no readable report files in the directory (expected "
            + ", ".join(FORMATS)
            + ", optionally gzipped)",
        )


def _open_binary(path: Path, gzipped: bool) -> BinaryIO:
    """The file's bytes, decompressed when it is gzipped."""
    if gzipped:
        return cast(BinaryIO, gzip.open(path, "rb"))
    return path.open("rb")


def _read_file(path: Path, fmt: Format, gzipped: bool, options: ReadOptions) -> Iterator[ReadItem]:
    """The reports of one file; every fault becomes an error naming the file."""
    source = str(path)
    if fmt == "warc":  # streamed record by record; gzip members are read by warcio
        yield from read_warc(path, options.max_bytes, options.max_bytes * MARKUP_ALLOWANCE)
        return
    try:
        if fmt == "jsonl":
            yield from _read_json_lines(path, gzipped, options)
        else:
            yield from _read_whole(path, fmt, gzipped, options)
    except InputError as exc:
        yield exc
    except PermissionError:
        yield UnreadableInput(source, "permission denied")
    except _GZIP_ERRORS as exc:
        yield UnreadableInput(source, f"not a valid gzip file: {exc}")
    except OSError as exc:
        yield UnreadableInput(source, f"cannot read: {exc.strerror or exc}")


def _size_limit(fmt: Format, options: ReadOptions) -> int:
    """The largest file of this format that can hold a report within max_bytes."""
    if fmt == "text":
        return options.max_bytes + DATELINE_ALLOWANCE
    return options.max_bytes * MARKUP_ALLOWANCE


def _read_bounded(path: Path, fmt: Format, gzipped: bool, options: ReadOptions) -> bytes:
    """The file's bytes; a file over the size limit is refused before it is read whole."""
    source = str(path)
    limit = _size_limit(fmt, options)
    if not gzipped:
        size = path.stat().st_size
        if size > limit:
            raise OversizedInput(
                source,
                f"file is {size} bytes, over the limit of {limit} bytes for this format "
                f"(max_bytes {options.max_bytes}); not read",
            )
    with _open_binary(path, gzipped) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise OversizedInput(
            source,
            f"{'decompressed ' if gzipped else ''}file is over the limit of {limit} bytes "
            f"for this format (max_bytes {options.max_bytes})",
        )
    return data


def _context(path: Path, options: ReadOptions) -> ReportContext:
    """The reading context of a whole file."""
    return ReportContext(
        origin=str(path),
        fallback_id=report_stem(path),
        published=options.published,
        max_bytes=options.max_bytes,
    )


def _read_whole(path: Path, fmt: Format, gzipped: bool, options: ReadOptions) -> Iterator[ReadItem]:
    """The reports of a file read whole: JSON, text, HTML, or one whose format is sniffed."""
    data = _read_bounded(path, fmt, gzipped, options)
    context = _context(path, options)
    if fmt == "html":
        yield report_from_html(decode_html_bytes(data, context.origin), context)
        return
    if fmt == "sniff":
        head = data.lstrip()[:SNIFF_BYTES].lower()
        if head.startswith((b"<!doctype html", b"<html")):
            yield report_from_html(decode_html_bytes(data, context.origin), context)
            return
        if not head.startswith((b"{", b"[")):
            fmt = "text"
    text = decode_report_bytes(data, context.origin)
    if fmt == "text":
        yield report_from_text(text, context)
        return
    yield from _reports_in_json(text, context, allow_lines=fmt == "sniff")


def _reports_in_json(text: str, context: ReportContext, *, allow_lines: bool) -> Iterator[ReadItem]:
    """The reports of a JSON document: one object, or an array of objects."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if allow_lines and exc.msg == "Extra data":  # a sniffed file of JSON Lines
            yield from _reports_in_lines(iter(text.encode("utf-8").splitlines(True)), context)
            return
        raise MalformedInput(context.origin, json_error_reason(exc)) from exc
    except RecursionError as exc:
        raise MalformedInput(context.origin, "JSON nested too deeply") from exc
    if isinstance(value, dict):
        yield report_from_json(value, context)
        return
    if not isinstance(value, list):
        raise MalformedInput(
            context.origin,
            f"expected a JSON object or an array of objects, got {json_type_name(value)}",
        )
    if not value:
        raise MalformedInput(context.origin, "empty JSON array: no reports")
    for index, item in enumerate(value):
        item_context = replace(
            context,
            origin=f"{context.origin}[{index}]",
            fallback_id=f"{context.fallback_id}-{index + 1}",
        )
        try:
            yield report_from_json(item, item_context)
        except InputError as exc:
            yield exc


def _read_json_lines(path: Path, gzipped: bool, options: ReadOptions) -> Iterator[ReadItem]:
    """The reports of a JSON Lines file, streamed one line at a time."""
    context = _context(path, options)
    if not gzipped and path.stat().st_size == 0:
        raise MalformedInput(context.origin, "empty file")
    with _open_binary(path, gzipped) as stream:
        head = stream.read(SNIFF_BYTES)
        if reason := binary_reason(head):
            raise UnreadableInput(context.origin, reason)
        stream.seek(0)
        yield from _reports_in_lines(_bounded_lines(stream, options), context)


def _bounded_lines(stream: BinaryIO, options: ReadOptions) -> Iterator[bytes | int]:
    """The lines of a stream; a line over the limit is skipped and given as its size."""
    limit = options.max_bytes * MARKUP_ALLOWANCE
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while chunk := stream.readline(_SKIP_CHUNK):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield size


def _reports_in_lines(lines: Iterator[bytes | int], context: ReportContext) -> Iterator[ReadItem]:
    """The report of each non-blank line; each bad line is an error naming its line number."""
    found = False
    for lineno, line in enumerate(lines, start=1):
        line_context = replace(
            context,
            origin=f"{context.origin}:{lineno}",
            fallback_id=f"{context.fallback_id}:{lineno}",
        )
        if isinstance(line, int):
            found = True
            yield OversizedInput(
                line_context.origin,
                f"line is {line} bytes, over the limit of "
                f"{context.max_bytes * MARKUP_ALLOWANCE} bytes; skipped",
            )
            continue
        if not line.strip():
            continue
        found = True
        try:
            yield report_from_json(_decode_line(line, line_context), line_context)
        except InputError as exc:
            yield exc
    if not found:
        raise MalformedInput(context.origin, "empty file: no JSON lines")


def _decode_line(line: bytes, context: ReportContext) -> object:
    """The JSON value of one line of a JSON Lines file."""
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = line[exc.start : exc.start + 1].hex().upper()
        raise UnreadableInput(
            context.origin,
            f"not valid UTF-8: byte 0x{bad} at column {exc.start + 1}; convert the file to UTF-8",
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(context.origin, json_error_reason(exc, with_line=False)) from exc
    except RecursionError as exc:
        raise MalformedInput(context.origin, "JSON nested too deeply") from exc
