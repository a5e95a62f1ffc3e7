"""Reading report files: every format, every kind of bad input, and the batch going on."""

from __future__ import annotations

import gzip
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from defcoop.errors import (
    InputError,
    MalformedInput,
    MissingDate,
    OversizedInput,
    UnreadableInput,
)
from defcoop.ingest.readers import ReadOptions, input_format, read_inputs, report_stem
from defcoop.records import Report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOOD = FIXTURES / "reports"
BAD = FIXTURES / "bad"


def read_all(*paths: Path, options: ReadOptions | None = None) -> list[Report | InputError]:
    """Everything read_inputs yields for the paths."""
    return list(read_inputs(paths, options or ReadOptions()))


def only(items: list[Report | InputError]) -> Report | InputError:
    """The single item read."""
    assert len(items) == 1, items
    return items[0]


def reports_of(items: list[Report | InputError]) -> list[Report]:
    """The reports among the items."""
    return [item for item in items if isinstance(item, Report)]


def errors_of(items: list[Report | InputError]) -> list[InputError]:
    """The errors among the items."""
    return [item for item in items if isinstance(item, InputError)]


def test_json_report_keeps_fields_and_ignores_events() -> None:
    report = only(read_all(GOOD / "kazakh-uzbek-drill.json"))
    assert isinstance(report, Report)
    assert report.id == "fixture-kaz-uzb-2023-steppe-shield"
    assert report.published == date(2023, 4, 12)
    assert report.source == "Fixture Wire"
    assert report.title == "Kazakh and Uzbek units close Steppe Shield drill"
    assert report.text.startswith("Kazakhstan and Uzbekistan ended")
    assert report.origin == str(GOOD / "kazakh-uzbek-drill.json")


def test_json_array_gives_each_report_and_an_error_for_the_bad_item() -> None:
    items = read_all(GOOD / "array.json")
    assert [item.id for item in reports_of(items)] == ["fixture-array-1", "fixture-array-3"]
    assert reports_of(items)[1].published == date(2020, 7, 1)
    (error,) = errors_of(items)
    assert isinstance(error, MalformedInput)
    assert error.source == f"{GOOD / 'array.json'}[1]"
    assert "empty 'text'" in error.reason


def test_jsonl_bad_lines_in_the_middle_do_not_stop_the_file() -> None:
    path = GOOD / "feed.jsonl"
    items = read_all(path)
    assert len(items) == 4  # the blank line is skipped
    first, broken, wrong_text, last = items
    assert isinstance(first, Report)
    assert first.published == date(2022, 3, 3)
    assert first.origin == f"{path}:1"
    assert isinstance(broken, MalformedInput)
    assert broken.source == f"{path}:3"
    assert "invalid JSON" in broken.reason
    assert isinstance(wrong_text, MalformedInput)
    assert wrong_text.source == f"{path}:4"
    assert "'text' is an object" in wrong_text.reason
    assert isinstance(last, Report)
    assert last.id == "feed:5"  # no id: the file stem and the line number
    assert last.published == date(2022, 3, 5)


def test_txt_dateline_gives_date_and_source_and_is_not_in_the_text() -> None:
    report = only(read_all(GOOD / "nested" / "dateline-report.txt"))
    assert isinstance(report, Report)
    assert report.id == "dateline-report"
    assert report.published == date(2021, 11, 3)
    assert report.source == "Fixture Daily"
    assert report.text.startswith("By Ana Exampleova\n\nGeorgian and Lithuanian")
    assert "date 2021" not in report.text


def test_html_page_through_trafilatura() -> None:
    report = only(read_all(GOOD / "nested" / "harbour-visit.html"))
    assert isinstance(report, Report)
    assert report.id == "harbour-visit"
    assert report.published == date(2024, 2, 14)
    assert report.title == "Norwegian frigate calls at Gdynia for joint drill"
    assert report.author == "Per Fixture"
    assert report.url == "https://naval.example.org/2024/02/frigate-gdynia"
    assert "anti-submarine drill with the Polish Navy" in report.text
    assert "\n\nCrews of both ships" in report.text  # paragraphs stay apart
    assert "About us" not in report.text  # navigation is not article text


def test_html_without_a_date_takes_the_given_one_or_is_missing_date(tmp_path: Path) -> None:
    page = (GOOD / "nested" / "harbour-visit.html").read_text(encoding="utf-8")
    path = tmp_path / "undated.htm"
    undated = "".join(line for line in page.splitlines(True) if "published_time" not in line)
    path.write_text(undated.replace("2024/02/", ""), encoding="utf-8")
    missing = only(read_all(path))
    assert isinstance(missing, MissingDate)
    assert str(path) in str(missing)
    given = only(read_all(path, options=ReadOptions(published=date(2024, 2, 15))))
    assert isinstance(given, Report)
    assert given.published == date(2024, 2, 15)


def test_directory_is_walked_recursively_in_a_stable_order() -> None:
    items = read_all(GOOD)
    origins = [str(item.origin) if isinstance(item, Report) else item.source for item in items]
    assert origins == sorted(origins, key=lambda o: (o.split("[")[0].split(":")[0], o))
    assert len(reports_of(items)) == 7
    assert not any("notes.md" in origin for origin in origins)  # other extensions skipped
    assert [repr(item) for item in items] == [repr(item) for item in read_all(GOOD)]


def test_directory_with_good_and_bad_files_yields_all_good_reports() -> None:
    items = read_all(GOOD, BAD)
    assert len(reports_of(items)) == 7
    bad_files = {Path(error.source.split(":")[0]).name for error in errors_of(items)}
    assert {path.name for path in BAD.iterdir()} <= bad_files


@pytest.mark.parametrize(
    ("name", "error_class", "reason"),
    [
        ("invalid.json", MalformedInput, "invalid JSON at line 3, column"),
        ("not-object.json", MalformedInput, "got a string"),
        ("missing-text.json", MalformedInput, "missing 'text'"),
        ("bad-date.json", MalformedInput, "'the second of Feb' is not a date"),
        ("no-date.txt", MissingDate, "no publication date"),
        ("latin1.txt", UnreadableInput, "byte 0xE9 at byte 26 (line 3, column 8)"),
        ("empty.json", MalformedInput, "empty file"),
        ("binary.txt", UnreadableInput, "binary data"),
    ],
)
def test_each_bad_file_gives_its_error_naming_the_file(
    name: str, error_class: type[InputError], reason: str
) -> None:
    error = only(read_all(BAD / name))
    assert type(error) is error_class
    assert error.source == str(BAD / name)
    assert reason in error.reason
    assert str(BAD / name) in str(error)


def test_missing_file_and_empty_directory_are_unreadable(tmp_path: Path) -> None:
    missing = only(read_all(tmp_path / "nowhere.json"))
    assert isinstance(missing, UnreadableInput)
    assert "no such file" in str(missing)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("nothing to read", encoding="utf-8")
    nothing = only(read_all(tmp_path / "empty"))
    assert isinstance(nothing, UnreadableInput)
    assert nothing.source == str(tmp_path / "empty")
    assert "no readable report files" in nothing.reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.json"
    path.write_text('{"id": "x", "published": "2022-01-01", "text": "t"}', encoding="utf-8")
    path.chmod(0)
    try:
        error = only(read_all(path))
    finally:
        path.chmod(0o600)
    assert isinstance(error, UnreadableInput)
    assert "permission denied" in str(error)


def test_oversized_file_is_rejected_from_its_size_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)  # sparse: no disk used, all NUL bytes
    opened: list[Path] = []
    original_open = Path.open

    def spying_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spying_open)
    error = only(read_all(path))
    assert isinstance(error, OversizedInput)
    assert str(path) in str(error)
    assert "104857600 bytes" in error.reason
    assert opened == []


def test_oversized_text_in_json_and_jsonl_line(tmp_path: Path) -> None:
    options = ReadOptions(max_bytes=100)
    big = {"id": "big", "published": "2022-01-01", "text": "word " * 30}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big), encoding="utf-8")
    error = only(read_all(path, options=options))
    assert isinstance(error, OversizedInput)
    assert "150 bytes, over the limit of 100" in error.reason
    small = {"id": "small", "published": "2022-01-01", "text": "A short text."}
    huge_line = {"id": "huge", "published": "2022-01-01", "text": "x" * 1000}
    lines = tmp_path / "mixed.jsonl"
    lines.write_text(
        "\n".join(json.dumps(obj) for obj in (small, huge_line, small | {"id": "again"})),
        encoding="utf-8",
    )
    items = read_all(lines, options=options)
    assert [type(item) for item in items] == [Report, OversizedInput, Report]
    assert errors_of(items)[0].source == f"{lines}:2"


def test_gzip_json_lines_and_bad_gzip(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    record = {"id": "gz-1", "published": "2022-06-01", "text": "Serbian and Greek pilots flew."}
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(record) + "\n")
    report = only(read_all(path))
    assert isinstance(report, Report)
    assert report.origin == f"{path}:1"
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip at all")
    error = only(read_all(broken))
    assert isinstance(error, UnreadableInput)
    assert "gzip" in error.reason


def test_unknown_extension_given_explicitly_is_sniffed(tmp_path: Path) -> None:
    as_json = tmp_path / "report.data"
    as_json.write_text('{"published": "2021-02-03", "text": "Sniffed JSON."}', encoding="utf-8")
    as_text = tmp_path / "report.article"
    as_text.write_text(" date 2021-02-04\nSniffed text.", encoding="utf-8")
    first, second = read_all(as_json, as_text)
    assert isinstance(first, Report)
    assert (first.id, first.text) == ("report", "Sniffed JSON.")
    assert isinstance(second, Report)
    assert (second.published, second.text) == (date(2021, 2, 4), "Sniffed text.")


def test_utf8_bom_is_accepted_and_utf16_is_refused(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf date 2020-01-02\n\nText after a byte-order mark.")
    report = only(read_all(bom))
    assert isinstance(report, Report)
    assert report.text == "Text after a byte-order mark."
    wide = tmp_path / "wide.txt"
    wide.write_text("Some text in UTF-16.", encoding="utf-16")
    error = only(read_all(wide))
    assert isinstance(error, UnreadableInput)
    assert "UTF-16" in error.reason


def test_missing_id_falls_back_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "no-id.json"
    path.write_text('{"published": "2022-01-01", "text": "Some text."}', encoding="utf-8")
    report = only(read_all(path))
    assert isinstance(report, Report)
    assert report.id == "no-id"


def test_given_date_serves_text_without_dateline() -> None:
    report = only(read_all(BAD / "no-date.txt", options=ReadOptions(published=date(2022, 2, 2))))
    assert isinstance(report, Report)
    assert report.published == date(2022, 2, 2)
    assert report.text == (BAD / "no-date.txt").read_text(encoding="utf-8")


def test_input_format_and_stem() -> None:
    assert input_format(Path("a/b.JSONL.gz")) == ("jsonl", True)
    assert input_format(Path("a/b.htm")) == ("html", False)
    assert input_format(Path("a/b.md")) == (None, False)
    assert report_stem(Path("a/report.2022.json.gz")) == "report.2022"


def test_permission_error_while_opening_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(" date 2022-01-01\nText.", encoding="utf-8")

    def refusing_open(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refusing_open)
    error = only(read_all(path))
    assert isinstance(error, UnreadableInput)
    assert error.source == str(path)
    assert error.reason == "permission denied"


def test_sparse_text_file_is_rejected_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)
    error = only(read_all(path, options=ReadOptions(max_bytes=1024)))
    assert isinstance(error, OversizedInput)
    assert "not read" in error.reason
