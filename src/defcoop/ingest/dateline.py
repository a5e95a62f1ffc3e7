"""The dateline some saved reports open with: `` date 2022-01-21 By Azernews``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# The dateline is the first non-empty line; its date may be partial ("date 2019-09")
# and article text may follow it on the same line.
_DATELINE = re.compile(
    r"[ \t]*date:?[ \t]+(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?=[ \t\r\n]|$)"
    r"[ \t]*(?P<rest>[^\r\n]*)",
    re.IGNORECASE,
)
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)+")
_BY_SOURCE = re.compile(r"By[ \t]+(?P<source>\S(?:.*\S)?)[ \t]*")


@dataclass(frozen=True)
class Dateline:
    """What a text file's dateline says, and the text that follows it."""

    text: str
    published: date | None = None  # a full date on the dateline
    period_start: date | None = None  # first day of a partial date ("2019-09")
    source: str | None = None


def _drop_blank_lines(text: str) -> str:
    """The text without the blank lines it starts with (the first real line is kept whole)."""
    match = _LEADING_BLANK_LINES.match(text)
    return text[match.end() :] if match else text


def _dateline_date(value: str) -> tuple[date | None, date | None]:
    """(full date, first day of a partial date) of a dateline's date field."""
    parts = [int(p) for p in value.split("-")]
    try:
        if len(parts) == 3:
            return date(parts[0], parts[1], parts[2]), None
        return None, date(parts[0], parts[1], 1)
    except ValueError:
        return None, None


def split_dateline(text: str) -> Dateline:
    """Separate a leading dateline from the report text; text without one is kept as is.

    The dateline line is removed with the blank lines after it; when article text
    follows the date on the same line, that text is kept. A trailing ``By X`` on the
    dateline names the source.
    """
    body = _drop_blank_lines(text)
    match = _DATELINE.match(body)
    if match is None:
        return Dateline(text=text)
    published, period_start = _dateline_date(match["date"])
    if published is None and period_start is None:
        return Dateline(text=text)
    rest = match["rest"]
    after = body[match.end() :]
    source: str | None = None
    if by := _BY_SOURCE.fullmatch(rest):
        source = by["source"]
        rest = ""
    if rest.strip():
        remaining = rest + after
    else:
        remaining = _drop_blank_lines(after.removeprefix("\r\n").removeprefix("\n"))
    return Dateline(text=remaining, published=published, period_start=period_start, source=source)
