"""Publication dates as news sites and feeds write them."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED_ISO = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def _safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the numbers do not make one (31 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_published(value: str) -> date | None:
    """The date a publication-date string names, or None when it is not one we read.

    Accepted: ``2022-01-21``, ISO datetimes (``2022-01-21T09:30:00Z``; the date as
    written, not shifted to UTC), ``January 21, 2022``, ``Jan 21 2022``,
    ``21 January 2022``, ``21.01.2022`` (day first) and ``2022/01/21``.
    Slashed day/month forms are refused: ``01/02/2022`` is ambiguous.
    """
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if match := _MONTH_FIRST.fullmatch(text):
        month = MONTHS.get(match[1].lower())
        return None if month is None else _safe_date(int(match[3]), month, int(match[2]))
    if match := _DAY_FIRST.fullmatch(text):
        month = MONTHS.get(match[2].lower())
        return None if month is None else _safe_date(int(match[3]), month, int(match[1]))
    if match := _DOTTED.fullmatch(text):
        return _safe_date(int(match[3]), int(match[2]), int(match[1]))
    if match := _SLASHED_ISO.fullmatch(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    return None
