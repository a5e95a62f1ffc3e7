"""WARC files, built here with warcio's writer from pages written here, read into reports."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from defcoop.batch.layout import read_marker
from defcoop.batch.shards import plan_shards
from defcoop.batch.task import extract_with_ids, process_shard
from defcoop.cli import app
from defcoop.errors import InputError, MissingDate, OversizedInput, UnreadableInput
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.ingest.urls import normalized_url, url_report_id
from defcoop.pipeline import Extractor
from defcoop.records import Report, SkippedRecords
from defcoop.store.database import Store

CAPTURED = "2024-05-20T08:15:00Z"
DRILL = """<!doctype html><html><head><meta charset="utf-8"><title>Drill on the coast</title>
<meta property="article:published_time" content="2024-05-18T09:00:00Z"></head>
<body><nav>Home | World | Defence</nav><article><h1>Drill on the coast</h1>
<p>Estonian and Finnish marines began a joint amphibious exercise near Tallinn on Monday,
the Estonian defence ministry said.</p>
<p>The exercise, named Northern Tide-2024, runs until May 24 and involves landing craft
and two infantry companies from each country.</p></article>
<footer>Copyright Example Harbour News</footer></body></html>"""
COURSE = """<!doctype html><html><head><meta charset="utf-8"><title>Pilots train abroad</title>
</head><body><article><h1>Pilots train abroad</h1>
<p>Twelve Jordanian pilots completed a flight instructor course in Italy last week,
the Italian air force said.</p>
<p>The course at Lecce lasted ten weeks and ended with a ceremony for the graduates.</p>
</article></body></html>"""
EMPTY_PAGE = "<!doctype html><html><head><title>Nothing here</title></head><body></body></html>"


def http_headers(content_type: str, status: str = "200 OK") -> StatusAndHeaders:
    """The HTTP headers of a served response."""
    return StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")


def put(writer: WARCWriter, record: ArcWarcRecord) -> None:
    """Write a record and close the buffer warcio's writer spooled its payload into."""
    writer.write_record(record)
    record.raw_stream.close()


def write_warc(path: Path, *, gzipped: bool, pages: list[tuple[str, str]], extras: bool) -> None:
    """A WARC file of HTML responses and, with `extras`, records that hold no report."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        stamp = {"WARC-Date": CAPTURED}
        put(writer, writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for url, html in pages:
            if extras:
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
                put(writer, writer.create_warc_record(url, "request", http_headers=request))
            put(
                writer,
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(html.encode("utf-8")),
                    http_headers=http_headers("text/html; charset=utf-8"),
                    warc_headers_dict=stamp,
                ),
            )
        if extras:
            for url, body, kind, status in (
                ("https://harbour.example/logo.png", b"\x89PNG\r\n", "image/png", "200 OK"),
                ("https://harbour.example/old", b"gone", "text/html", "404 Not Found"),
            ):
                put(
                    writer,
                    writer.create_warc_record(
                        url,
                        "response",
                        payload=io.BytesIO(body),
                        http_headers=http_headers(kind, status),
                        warc_headers_dict=stamp,
                    ),
                )


PAGES = [
    ("https://Harbour.Example:443/news/drill?utm_source=feed#top", DRILL),
    ("https://harbour.example/news/course", COURSE),
]


def read(path: Path) -> list[Report | InputError | SkippedRecords]:
    """Everything reading gives for one file."""
    return list(read_inputs([path], ReadOptions()))


@pytest.mark.parametrize("gzipped", [True, False])
def test_each_html_response_is_a_report_and_other_records_are_counted(
    tmp_path: Path, gzipped: bool
) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, gzipped=gzipped, pages=PAGES, extras=True)
    items = read(path)
    reports = [i for i in items if isinstance(i, Report)]
    assert [r.title for r in reports] == ["Drill on the coast", "Pilots train abroad"]
    drill, course = reports
    assert drill.url == "https://harbour.example/news/drill"
    assert drill.id == url_report_id(PAGES[0][0]) == url_report_id(drill.url)
    assert drill.published == date(2024, 5, 18)  # the page's own date
    assert course.published == date(2024, 5, 20)  # none on the page: the capture date
    assert "Jordanian pilots" in course.text and "Copyright" not in drill.text
    (skipped,) = [i for i in items if isinstance(i, SkippedRecords)]
    assert skipped.count == 5  # warcinfo, two requests, an image, a 404
    assert "2 request record" in skipped.reason and "image/png response" in skipped.reason
    assert "response with status 404" in skipped.reason
    assert not [i for i in items if isinstance(i, InputError)]


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_file_cut_short_gives_the_reports_before_the_cut_and_an_error(
    tmp_path: Path, gzipped: bool
) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzipped=gzipped, pages=PAGES, extras=False)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    cut.write_bytes(data[: len(data) - 300])
    items = read(cut)
    assert [i.title for i in items if isinstance(i, Report)] == ["Drill on the coast"]
    (error,) = [i for i in items if isinstance(i, InputError)]
    assert isinstance(error, UnreadableInput)
    assert error.source == str(cut) and "cut short" in error.reason


def test_a_page_without_text_is_an_error_naming_the_record_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.warc.gz"
    pages = [("https://harbour.example/blank", EMPTY_PAGE), *PAGES]
    write_warc(path, gzipped=True, pages=pages, extras=False)
    items = read(path)
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1
    assert "record 2 (https://harbour.example/blank)" in errors[0].source
    assert "no article text" in errors[0].reason
    assert len([i for i in items if isinstance(i, Report)]) == 2


def test_an_oversized_page_and_a_file_that_is_not_warc_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    write_warc(path, gzipped=False, pages=PAGES, extras=False)
    items = list(read_inputs([path], ReadOptions(max_bytes=200)))
    errors = [i for i in items if not isinstance(i, SkippedRecords)]
    assert all(isinstance(i, OversizedInput) for i in errors) and len(errors) == 2
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(gzip.compress(b"this is no web archive\n" * 20))
    (error,) = read(fake)
    assert isinstance(error, UnreadableInput) and "not a WARC file" in error.reason


def test_a_record_without_a_date_anywhere_is_missing_its_date(tmp_path: Path) -> None:
    path = tmp_path / "undated.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        record = writer.create_warc_record(
            "https://harbour.example/news/course",
            "response",
            payload=io.BytesIO(COURSE.encode()),
            http_headers=http_headers("text/html"),
        )
        record.rec_headers.remove_header("WARC-Date")
        put(writer, record)
    (error,) = read(path)
    assert isinstance(error, MissingDate)


def test_ingest_stores_the_pages_once_and_says_what_it_left_out(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gzipped=True, pages=PAGES, extras=True)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(path), "--db", url])
    assert first.exit_code == 0, first.output
    assert "5 records without a report left out" in first.output
    second = runner.invoke(app, ["ingest", str(path), "--db", url])
    assert second.exit_code == 0 and "2 already stored" in second.output
    with Store.open(url) as store:
        assert store.counts()["reports"] == 2
        stored = store.report(url_report_id("https://harbour.example/news/drill"))
    assert stored is not None and stored.url == normalized_url(PAGES[0][0])


def test_a_warc_file_in_a_batch_is_a_shard_that_counts_what_it_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "crawls"
    folder.mkdir()
    for name in ("crawl-1.warc.gz", "crawl-2.warc"):
        write_warc(folder / name, gzipped=name.endswith(".gz"), pages=PAGES, extras=True)
    shards = plan_shards([folder], shard_size=10)
    assert [len(s.paths) for s in shards] == [1, 1]
    extractor = Extractor.from_package()
    out = tmp_path / "out"
    result = process_shard(shards[0], out, ReadOptions(), lambda r: extract_with_ids(extractor, r))
    assert (result.reports, result.errors, result.left_out) == (2, 0, 5)
    assert result.mentions >= 2
    marker = read_marker(out, shards[0].id)
    assert marker is not None and marker.left_out == 5
    assert json.loads((out / "_done" / shards[0].id).read_text())["left_out"] == 5
