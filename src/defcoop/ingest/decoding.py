"""Bytes to text, strictly: binary and non-UTF-8 input are refused, naming the fault's place."""

from __future__ import annotations

import codecs
import re

from defcoop.errors import MalformedInput, UnreadableInput

SNIFF_BYTES = 8192
# Control characters other than tab, newline, vertical tab, form feed, carriage return, escape.
_CONTROL = frozenset(set(range(32)) - {9, 10, 11, 12, 13, 27}) | {127}
_BINARY_SHARE = 0.3
_HTML_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not text, or None when they look like text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "wrong encoding: UTF-16 (expected UTF-8)"
    if b"\x00" in head:
        return "binary data (NUL bytes), not a text report"
    if head and sum(byte in _CONTROL for byte in head) / len(head) > _BINARY_SHARE:
        return "binary data (mostly non-text bytes), not a text report"
    return None


def _fault_place(data: bytes, position: int) -> str:
    """``byte N (line L, column C)`` for a byte offset, all counted from 1 as editors do."""
    line = data.count(b"\n", 0, position) + 1
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    return f"byte {position + 1} (line {line}, column {column})"


def decode_strict(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """The text of `data` in `encoding` (a UTF-8 byte-order mark is dropped); never guesses."""
    offset = 0
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        offset = len(codecs.BOM_UTF8)
    try:
        return data[offset:].decode(encoding)
    except UnicodeDecodeError as exc:
        position = offset + exc.start
        bad = data[position : position + 1].hex().upper()
        raise UnreadableInput(
            source,
            f"not valid {encoding.upper()}: byte 0x{bad} at {_fault_place(data, position)}; "
            "convert the file to UTF-8",
        ) from exc


def decode_report_bytes(data: bytes, source: str) -> str:
    """The text of a whole report file: refuses empty, binary and non-UTF-8 input."""
    if not data.strip():
        raise MalformedInput(source, "empty file")
    if reason := binary_reason(data[:SNIFF_BYTES]):
        raise UnreadableInput(source, reason)
    return decode_strict(data, source)


def declared_html_encoding(data: bytes) -> str:
    """The encoding a web page declares in a ``<meta charset>``, UTF-8 when it declares none."""
    match = _HTML_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return "utf-8"
    name = match[1].decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def decode_html_bytes(data: bytes, source: str) -> str:
    """The text of a saved web page in the encoding it declares (UTF-8 by default)."""
    if not data.strip():
        raise MalformedInput(source, "empty file")
    if reason := binary_reason(data[:SNIFF_BYTES]):
        raise UnreadableInput(source, reason)
    return decode_strict(data, source, declared_html_encoding(data))


def served_charset(content_type: str | None) -> str | None:
    """The charset an HTTP Content-Type names (``text/html; charset=ISO-8859-1``), if known."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                return None
    return None


def decode_served_html(data: bytes, source: str, content_type: str | None) -> str:
    """The text of a web page as served: the HTTP charset wins, then the page's own <meta>."""
    if not data.strip():
        raise MalformedInput(source, "empty page")
    if reason := binary_reason(data[:SNIFF_BYTES]):
        raise UnreadableInput(source, reason)
    encoding = served_charset(content_type) or declared_html_encoding(data)
    return decode_strict(data, source, encoding)
