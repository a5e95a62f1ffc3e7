"""The values date expressions resolve to, and what resolving one needs: the sentence,
its publication date, and the tense of the clause a date stands in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from defcoop.nlp import date_patterns as pat

Tense = pat.Tense
Role = Literal["point", "range", "until", "since"]

# A year is inferred within about ten months of the publication date in the direction
# the tense points to; beyond that the nearest year wins (a past clause may still name
# next week's end date).
_LIMIT_DAYS = 305
_LIMIT_MONTHS = 10
_CLOSE = {False: 31, True: 1}  # "close" in days, or in months for a month without a day


@dataclass(frozen=True)
class Day:
    """A calendar value of year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date(self.year, self.month, self.day)


def day_of(day: date) -> Day:
    """A calendar day as a value of day precision."""
    return Day(day.year, day.month, day.day)


@dataclass(frozen=True)
class Value:
    first: Day | None
    last: Day | None
    role: Role = "point"
    relative: bool = False
    explicit_range: bool = False  # the pattern itself gave both ends; no cue changes its role


@dataclass(frozen=True)
class Context:
    sentence: str
    published: date

    @cached_property
    def tense(self) -> Tense | None:
        """The tense cue of the whole sentence, read only when a clause gives none."""
        return pat.tense_cue(self.sentence)

    def tense_at(self, start: int, end: int) -> Tense | None:
        """The tense of the clause around a span, else of the sentence."""
        left = self.sentence[:start]
        cut = 0
        for boundary in pat.CLAUSE_BOUNDARY.finditer(left):
            cut = boundary.end()
        cue = pat.tense_cue(left[cut:])
        if cue is not None:
            return cue
        right = self.sentence[end:].lstrip(" ,;:")
        stop = pat.CLAUSE_BOUNDARY.search(right)
        cue = pat.tense_cue(right[: stop.start()] if stop else right)
        return cue if cue is not None else self.tense


def valid_date(year: int, month: int, day: int) -> bool:
    """Whether a day exists, in the years news of today and of the last century tell."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def infer_year(month: int, day: int | None, published: date, tense: Tense | None) -> int | None:
    """The year that puts a month (and day) nearest the publication date, biased by tense."""
    options: list[tuple[int, int]] = []
    limit = _LIMIT_MONTHS if day is None else _LIMIT_DAYS
    for year in (published.year - 1, published.year, published.year + 1):
        if day is None:
            options.append(((year - published.year) * 12 + month - published.month, year))
        elif valid_date(year, month, day):
            options.append(((date(year, month, day) - published).days, year))
    if not options:
        return None
    nearest = min(options, key=lambda o: (abs(o[0]), o[0]))
    chosen = nearest
    if tense == "future":
        chosen = min((o for o in options if o[0] >= 0), default=nearest)
    elif tense == "past":
        chosen = max((o for o in options if o[0] <= 0), default=nearest)
    # Far in the tense's direction but close the other way: the clause tense is likely wrong.
    if abs(chosen[0]) > limit and abs(nearest[0]) <= _CLOSE[day is None]:
        chosen = nearest
    return chosen[1]


def point(day: Day, relative: bool = False) -> Value:
    """A value that is one day, month or year."""
    return Value(day, day, "point", relative)


def add_months(year: int, month: int, shift: int) -> Day:
    """The month `shift` months after (or before) a month."""
    index = year * 12 + month - 1 + shift
    return Day(index // 12, index % 12 + 1)


def connector_ok(match: re.Match[str], need_cue_or_dash: bool = False) -> bool:
    """Whether a range's connector makes a span: "and" only after "between"; with
    `need_cue_or_dash`, "to", "till" or "until" too only after "from" or "between"."""
    connector = match.group("conn").lower()
    pre = (match.group("pre") or "").lower()
    if connector == "and" and pre != "between":
        return False
    return not need_cue_or_dash or bool(pre) or connector not in {"and", "to", "till", "until"}
