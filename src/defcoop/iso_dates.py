"""Dates as defcoop takes them from people: ASCII `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

The patterns name exactly the dates that exist (no 31 April, 29 February only in leap
years, no year 0), so an API schema built from them promises what the server accepts.
Digits are ASCII only: Python's `\\d` and `int()` also take other scripts' digits.
"""

from __future__ import annotations

import re
from datetime import date

_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_MONTH = "(?:0[1-9]|1[0-2])"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_DAY_DATE = f"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"

# A calendar day, YYYY-MM-DD.
DAY_PATTERN = f"^{_DAY_DATE}$"
# A year, a month or a day: YYYY, YYYY-MM or YYYY-MM-DD.
PARTIAL_PATTERN = f"^(?:{_YEAR}|{_YEAR}-{_MONTH}|{_DAY_DATE})$"
DAY_FORMAT = "YYYY-MM-DD, ASCII digits"
PARTIAL_FORMAT = "YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits"

_DAY = re.compile(DAY_PATTERN)
_PARTIAL = re.compile(PARTIAL_PATTERN)


def is_partial_date(value: str) -> bool:
    """Whether the value is a year, month or day that exists, written in ASCII digits."""
    return _PARTIAL.fullmatch(value) is not None


def parse_day(value: str) -> date | None:
    """The day a `YYYY-MM-DD` string names, or None when it is not one."""
    if _DAY.fullmatch(value) is None:
        return None
    return date.fromisoformat(value)
