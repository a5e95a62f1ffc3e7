"""Dates told relative to the report's own: weekdays, "yesterday", "last week", "the 5th
of next month", "this summer", "two years ago"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from defcoop.nlp import date_patterns as pat
from defcoop.nlp.date_values import (
    Context,
    Day,
    Tense,
    Value,
    add_months,
    connector_ok,
    day_of,
    point,
    valid_date,
)

_NOT_WEEKDAY_DATES = re.compile(r"\b(?:Black|Good|Bloody|Holy|Easter|Palm|Ash|Cyber|Super)\s+$")
_NAME_BEFORE_TODAY = re.compile(r"[A-Z][\w.]*\s+$")
_THE_BEFORE = re.compile(r"\b(?:the|The)\s+$")


def _weekday_date(weekday: int, published: date, tense: Tense | None, mod: str) -> date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if mod in {"last", "past"}:
        return published - timedelta(days=back or 7)
    if mod in {"next", "coming"}:
        return published + timedelta(days=ahead or 7)
    if tense == "future":
        return published + timedelta(days=ahead)
    return published - timedelta(days=back)


def range_weekdays(match: re.Match[str], context: Context) -> Value | None:
    if not connector_ok(match, need_cue_or_dash=True):
        return None
    first_day = pat.WEEKDAY_NUMBERS[match["wd1"].lower()]
    last_day = pat.WEEKDAY_NUMBERS[match["wd2"].lower()]
    tense = context.tense_at(*match.span())
    first = _weekday_date(first_day, context.published, tense, "")
    last = first + timedelta(days=(last_day - first_day) % 7)
    return Value(day_of(first), day_of(last), "range", relative=True, explicit_range=True)


def point_weekday(match: re.Match[str], context: Context) -> Value | None:
    if _NOT_WEEKDAY_DATES.search(context.sentence, 0, match.start()):
        return None
    weekday = pat.WEEKDAY_NUMBERS[match["wd1"].lower()]
    tense = context.tense_at(*match.span())
    mod = (match["mod"] or "").lower()
    return point(day_of(_weekday_date(weekday, context.published, tense, mod)), relative=True)


_DAY_OFFSETS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def relative_day(match: re.Match[str], context: Context) -> Value | None:
    word = " ".join(match["word"].lower().split())
    if match["word"] == "Today" and _NAME_BEFORE_TODAY.search(context.sentence, 0, match.start()):
        return None  # "USA Today", "Azerbaijan Today": a title
    if word.startswith("the day"):
        offset = -2 if word.endswith("yesterday") else 2
    else:
        offset = _DAY_OFFSETS[word]
    return point(day_of(context.published + timedelta(days=offset)), relative=True)


def relative_unit(match: re.Match[str], context: Context) -> Value | None:
    if _THE_BEFORE.search(context.sentence, 0, match.start()):
        return None  # "the next year", "over the last week": narrative or a duration
    published = context.published
    rel, unit = match["rel"].lower(), match["unit"].lower()
    mod = (match["mod"] or "").lower()
    shift = {"last": -1, "this": 0}.get(rel, 1)
    if unit == "month":
        return point(add_months(published.year, published.month, shift), relative=True)
    if unit == "year":
        return point(Day(published.year + shift), relative=True)
    monday = published - timedelta(days=published.weekday())
    if unit == "weekend":
        saturday = monday + timedelta(days=5 + 7 * shift)
        first, last = saturday, saturday + timedelta(days=1)
    else:
        first = monday + timedelta(days=7 * shift)
        last = first + timedelta(days=6)
        if shift == 0 and mod == "earlier":
            last = max(first, published)
        elif shift == 0 and mod == "later":
            first = published
    return Value(day_of(first), day_of(last), "range", relative=True)


def relative_day_of_month(match: re.Match[str], context: Context) -> Value | None:
    published = context.published
    shift = {"last": -1, "this": 0}.get(match["rel"].lower(), 1)
    month = add_months(published.year, published.month, shift)
    day = int(match["d1"])
    if month.month is None or not valid_date(month.year, month.month, day):
        return None
    return point(Day(month.year, month.month, day), relative=True)


# The months of each season (northern): the last month tells whether it has passed.
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def relative_season(match: re.Match[str], context: Context) -> Value | None:
    """A season told without its year: the year only, which the report's date tells."""
    season, rel = match["season"].lower(), (match["rel"] or "").lower()
    published = context.published
    if season == "winter":
        # It spans two years: only "this winter" is sure to mean the report's year.
        return point(Day(published.year), relative=True) if rel == "this" else None
    first, last = _SEASON_MONTHS[season]
    year = published.year
    if rel in ("last", "past"):
        year -= 0 if published.month > last else 1
    elif rel in ("next", "coming"):
        year += 0 if published.month < first else 1
    elif not rel:
        tense = context.tense_at(*match.span())
        if tense == "past" and published.month < first:
            year -= 1  # "in summer" told in spring, as done: last year's
        elif tense == "future" and published.month > last:
            year += 1
    return point(Day(year), relative=True)


def relative_ago(match: re.Match[str], context: Context) -> Value | None:
    count_text = match["n"].lower()
    count = pat.SMALL_NUMBERS.get(count_text) or int(count_text)
    published, unit = context.published, match["unit"].lower()
    if unit == "day":
        return point(day_of(published - timedelta(days=count)), relative=True)
    if unit == "month":
        return point(add_months(published.year, published.month, -count), relative=True)
    return point(Day(published.year - count), relative=True)
