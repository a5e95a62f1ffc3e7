"""A report from a plain-text file: the text as saved, minus an opening dateline."""

from __future__ import annotations

from defcoop.errors import MalformedInput, MissingDate
from defcoop.ingest.dateline import split_dateline
from defcoop.ingest.json_report import ReportContext, check_text_size
from defcoop.records import Report


def report_from_text(text: str, context: ReportContext) -> Report:
    """The report a text file holds; a full dateline date wins over the caller's date.

    A partial dateline date ("date 2019-09") is used, as the first day of its period,
    only when the caller gives no date.
    """
    dateline = split_dateline(text)
    if not dateline.text.strip():
        raise MalformedInput(context.origin, "no report text (only a dateline or blank lines)")
    check_text_size(dateline.text, context)
    published = dateline.published or context.published or dateline.period_start
    if published is None:
        raise MissingDate(
            context.origin,
            "no publication date: no dateline (' date YYYY-MM-DD') on the first line "
            "and none was given (give --published YYYY-MM-DD or set DEFCOOP_PUBLISHED)",
        )
    return Report(
        id=context.fallback_id,
        text=dateline.text,
        published=published,
        source=dateline.source,
        origin=context.origin,
    )
