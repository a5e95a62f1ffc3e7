"""Fuzzing the input readers: any bytes in any report file give a Report or a clear InputError."""

from __future__ import annotations

import gzip
import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.records import Report

SUFFIXES = [".json", ".jsonl", ".txt", ".html", ".json.gz", ".jsonl.gz"]
OPTIONS = ReadOptions(published=None, max_bytes=4096)

# Bytes that look like report files part of the time: JSON fragments, datelines, tags.
PIECES = st.sampled_from(
    [
        b"{",
        b"}",
        b"[",
        b"]",
        b'"id": "r1", ',
        b'"published": "2021-09-10", ',
        b'"published": 20210910, ',
        b'"published": "yesterday", ',
        b'"text": "Troops met.", ',
        b'"text": null',
        b'"text": "',
        b"\n",
        b"\r\n",
        b" date 2022-01-21 By Someone\n",
        b"<html><head><meta charset='latin-1'></head><body><p>",
        b"</p></body></html>",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\x00",
        b"\xc3\x28",
        "Bakı, 5 mart".encode(),
        b"\\u00e9\\ud800",
        b"1e999999",
        b"NaN",
    ]
)
CONTENT = st.one_of(
    st.binary(max_size=600),
    st.lists(PIECES, max_size=30).map(b"".join),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def read_one(data: bytes, suffix: str, options: ReadOptions = OPTIONS) -> list[object]:
    """Everything the readers give for one file holding `data`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        return list(read_inputs([path], options))


def assert_clear(items: list[object], suffix: str) -> None:
    """Reports with text and a date, or errors that name the file and say why."""
    for item in items:
        assert isinstance(item, Report | InputError), type(item)
        if isinstance(item, InputError):
            assert "fuzzed" in item.source and item.reason.strip()
            assert str(item).startswith(item.source)
        else:
            assert item.text.strip() and isinstance(item.published, date)
            assert len(item.text.encode()) <= OPTIONS.max_bytes
    if suffix in {".txt", ".html", ".json"}:
        assert items  # a file gives at least a report or an error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONTENT, st.sampled_from(SUFFIXES))
def test_any_bytes_give_reports_or_clear_errors(data: bytes, suffix: str) -> None:
    assert_clear(read_one(data, suffix), suffix)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUES,
        "published": st.one_of(JSON_VALUES, st.dates().map(date.isoformat)),
        "text": st.one_of(JSON_VALUES, st.text(min_size=1, max_size=200)),
        "url": JSON_VALUES,
        "source": JSON_VALUES,
        "title": JSON_VALUES,
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FIELDS, max_size=4), st.booleans())
def test_any_json_records_give_reports_or_clear_errors(
    records: list[dict[str, object]], as_lines: bool
) -> None:
    if as_lines:
        data = "\n".join(json.dumps(r) for r in records).encode()
        suffix = ".jsonl"
    else:
        data = json.dumps(records[0] if len(records) == 1 else records).encode()
        suffix = ".json"
    items = read_one(data, suffix)
    assert_clear(items, suffix)
    # a line or array item is one report or one error, never more
    assert len(items) <= max(1, len(records))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.dates())
def test_text_files_with_a_given_date_are_reports_when_they_have_text(
    text: str, published: date
) -> None:
    items = read_one(text.encode("utf-8", "surrogatepass"), ".txt", ReadOptions(published, 4096))
    assert_clear(items, ".txt")
    assert len(items) == 1
