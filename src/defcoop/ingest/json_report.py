"""A report from one decoded JSON value: field checks with a clear reason for each fault."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from defcoop.errors import MalformedInput, MissingDate, OversizedInput
from defcoop.ingest.published import parse_published
from defcoop.ingest.report_ids import report_id_problem
from defcoop.records import Report

OPTIONAL_TEXT_FIELDS = ("url", "source", "title", "author", "language")


@dataclass(frozen=True)
class ReportContext:
    """Where a JSON value was read and what the caller supplies for missing fields."""

    origin: str  # "path", "path:lineno" or "path[index]"; names the input in errors
    fallback_id: str  # used when the object has no id
    published: date | None  # used when the object has no publication date
    max_bytes: int


def json_type_name(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def json_error_reason(exc: json.JSONDecodeError, *, with_line: bool = True) -> str:
    """The reason for a JSON syntax error, with its line and column."""
    place = f"line {exc.lineno}, column {exc.colno}" if with_line else f"column {exc.colno}"
    return f"invalid JSON at {place}: {exc.msg}"


def check_text_size(text: str, context: ReportContext) -> None:
    """Refuse a report text larger than the limit, counted in UTF-8 bytes."""
    size = len(text.encode("utf-8"))
    if size > context.max_bytes:
        raise OversizedInput(
            context.origin,
            f"report text is {size} bytes, over the limit of {context.max_bytes} bytes",
        )


def _report_text(obj: dict[str, object], context: ReportContext) -> str:
    """The `text` field, which must be a non-empty string within the size limit."""
    if "text" not in obj:
        raise MalformedInput(context.origin, "missing 'text' field")
    text = obj["text"]
    if not isinstance(text, str):
        raise MalformedInput(context.origin, f"'text' is {json_type_name(text)}, not a string")
    if not text.strip():
        raise MalformedInput(context.origin, "empty 'text' field")
    check_text_size(text, context)
    return text


def _report_id(obj: dict[str, object], context: ReportContext) -> str:
    """The `id` field (a string or a whole number), else the fallback id."""
    value = obj.get("id")
    if value is None or value == "":
        return context.fallback_id
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedInput(
            context.origin, f"'id' is {json_type_name(value)}, not a string or a number"
        )
    report_id = str(value).strip() or context.fallback_id
    problem = report_id_problem(report_id)
    if problem is not None:
        shown = report_id if len(report_id) <= 60 else report_id[:60] + "..."
        raise MalformedInput(context.origin, f"'id' {shown!r} {problem}")
    return report_id


def _report_published(obj: dict[str, object], context: ReportContext) -> date:
    """The `published` field, else the caller's date; neither is a MissingDate."""
    value = obj.get("published")
    if value is None or (isinstance(value, str) and not value.strip()):
        if context.published is None:
            raise MissingDate(
                context.origin,
                "no publication date: 'published' is missing and none was given "
                "(give --published YYYY-MM-DD or set DEFCOOP_PUBLISHED)",
            )
        return context.published
    if not isinstance(value, str):
        raise MalformedInput(
            context.origin, f"'published' is {json_type_name(value)}, not a date string"
        )
    parsed = parse_published(value)
    if parsed is None:
        raise MalformedInput(
            context.origin,
            f"'published' value {value!r} is not a date (expected YYYY-MM-DD, an ISO "
            "datetime, 'January 21, 2022' or '21.01.2022')",
        )
    return parsed


def _optional_text(obj: dict[str, object], key: str, context: ReportContext) -> str | None:
    """An optional string field; empty strings count as absent."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedInput(context.origin, f"'{key}' is {json_type_name(value)}, not a string")
    return value.strip() or None


def report_from_json(value: object, context: ReportContext) -> Report:
    """The report a decoded JSON object describes; extra keys (such as "events") are ignored."""
    if not isinstance(value, dict):
        raise MalformedInput(
            context.origin, f"expected a JSON object (a report), got {json_type_name(value)}"
        )
    text = _report_text(value, context)
    fields = {key: _optional_text(value, key, context) for key in OPTIONAL_TEXT_FIELDS}
    return Report(
        id=_report_id(value, context),
        text=text,
        published=_report_published(value, context),
        source=fields["source"],
        url=fields["url"],
        title=fields["title"],
        author=fields["author"],
        language=fields["language"] or "en",
        origin=context.origin,
    )
