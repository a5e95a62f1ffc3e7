"""Find the date expressions of a sentence and resolve them against the publication date.

Libraries guess the year of "On September 6" from today's date or always pick the
future; news needs the year that puts the date nearest the publication date, pulled
towards the past or the future by the tense of the clause the date stands in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from defcoop.nlp import date_patterns as pat
from defcoop.nlp.date_values import (
    Context,
    Day,
    Tense,
    Value,
    connector_ok,
    infer_year,
    point,
    valid_date,
)
from defcoop.nlp.relative_dates import (
    point_weekday,
    range_weekdays,
    relative_ago,
    relative_day,
    relative_day_of_month,
    relative_season,
    relative_unit,
)
from defcoop.records import DateSpan

__all__ = ["Tense", "as_date", "find_dates", "sentence_tense", "shifted_day"]


def sentence_tense(sentence: str) -> Tense:
    """The tense a sentence reports in, from its auxiliaries and cue words ("past" if unclear)."""
    return pat.tense_cue(sentence) or "past"


def _within_calendar(resolve: _Resolver, match: re.Match[str], context: Context) -> Value | None:
    """A resolved value, or None when resolving steps outside years 1 to 9999."""
    try:
        value = resolve(match, context)
    except (OverflowError, ValueError):
        return None  # "tomorrow" in a report dated 9999-12-31
    if value is not None and not all(
        1 <= day.year <= 9999 for day in (value.first, value.last) if day is not None
    ):
        return None
    return value


def find_dates(sentence: str, published: date) -> list[DateSpan]:
    """The date expressions of a sentence, resolved against the publication date, in text order."""
    cues = pat.date_cues(sentence)
    if not cues:
        return []
    context = Context(sentence, published)
    candidates: list[_Candidate] = []
    for needed, pattern, resolve in _RULES:
        if not needed <= cues:
            continue
        position = 0
        while (match := pattern.search(sentence, position)) is not None:
            value = _within_calendar(resolve, match, context)
            if value is None:
                # A rejected match ("2022 and 2021") may hide a good one inside it ("2021-22").
                position = match.start() + 1
                continue
            candidates.append(_Candidate(match.start(), match.end(), value))
            position = max(match.end(), match.start() + 1)
    candidates.sort(key=lambda c: (c.start, c.start - c.end))
    spans: list[DateSpan] = []
    boundary = 0
    for candidate in candidates:
        if candidate.start < boundary:
            continue
        span = _with_role_cue(candidate, sentence, boundary)
        joined = (
            _joined(spans[-1], span, sentence)
            if spans and _JOINS_RANGE.fullmatch(sentence, spans[-1].end, span.start)
            else None
        )
        if joined is not None:
            spans[-1] = joined  # "late May-early June"
        else:
            spans.append(span)
        boundary = candidate.end
    return spans


# What joins two date expressions into one span: "late May-early June", "May 3 to June 9".
_JOINS_RANGE = re.compile(r"\s*[-–—]\s*|\s+(?:to|until|through|till)\s+")


def _joined(first: DateSpan, second: DateSpan, sentence: str) -> DateSpan | None:
    """One range from the start of one expression to the end of the next, if it runs
    forward."""
    last = second.last or second.first
    if first.role not in ("point", "since") or second.role != "point" or not first.first:
        return None
    if not last or last < first.first[: len(last)]:
        return None
    return DateSpan(
        start=first.start,
        end=second.end,
        text=sentence[first.start : second.end],
        first=first.first,
        last=last,
        role="range",
        relative=first.relative or second.relative,
    )


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: Value


def _month(token: str) -> int:
    return pat.MONTH_NUMBERS[token.rstrip(".").lower()[:3]]


def _int(match: re.Match[str], group: str) -> int | None:
    text = match.group(group)
    return int(text) if text else None


def _point_year_of(match: re.Match[str], context: Context) -> int | None:
    """The year a point date states: written out, or "last/this/next year" after its month."""
    relative = match["yrel"]
    if relative:
        return context.published.year + {"last": -1, "this": 0, "next": 1}[relative]
    return _int(match, "y1")


def _calendar_point(
    context: Context, span: tuple[int, int], month: int, day: int | None, year: int | None
) -> Value | None:
    if year is None:
        year = infer_year(month, day, context.published, context.tense_at(*span))
        if year is None:
            return None
    if day is not None and not valid_date(year, month, day):
        return None
    return point(Day(year, month, day))


def _calendar_range(
    context: Context,
    span: tuple[int, int],
    ends: tuple[tuple[int, int | None, int | None], tuple[int, int | None, int | None]],
) -> Value | None:
    """A range from (month, day, year) ends; a missing year comes from the other end."""
    (m1, d1, y1), (m2, d2, y2) = ends
    if y1 is None and y2 is None:
        y1 = infer_year(m1, d1, context.published, context.tense_at(*span))
    if y1 is None and y2 is not None:
        y1 = y2 if (m1, d1 or 0) <= (m2, d2 or 0) else y2 - 1
    if y1 is None:
        return None
    if y2 is None:
        y2 = y1 if (m2, d2 or 0) >= (m1, d1 or 0) else y1 + 1
    for year, month, day in ((y1, m1, d1), (y2, m2, d2)):
        if not valid_date(year, month, day or 1):
            return None
    first, last = Day(y1, m1, d1), Day(y2, m2, d2)
    if first.earliest() > last.latest():
        return None
    return Value(first, last, "range", explicit_range=True)


def _range_month_day_pairs(match: re.Match[str], context: Context) -> Value | None:
    if not connector_ok(match):
        return None
    ends = (
        (_month(match["m1"]), _int(match, "d1"), _int(match, "y1")),
        (_month(match["m2"]), _int(match, "d2"), _int(match, "y2")),
    )
    return _calendar_range(context, match.span(), ends)


def _range_days_of_month(match: re.Match[str], context: Context) -> Value | None:
    if not connector_ok(match):
        return None
    month, year = _month(match["m1"]), _int(match, "y1")
    ends = ((month, _int(match, "d1"), year), (month, _int(match, "d2"), year))
    return _calendar_range(context, match.span(), ends)


def _range_months(match: re.Match[str], context: Context) -> Value | None:
    if not connector_ok(match):
        return None
    # "June-August" alone may be a name or a list; "from", a year or "in" makes it a span.
    cued = pat.MONTH_CUE.search(context.sentence, 0, match.start())
    if not (match["pre"] or match["y1"] or cued):
        return None
    ends = ((_month(match["m1"]), None, None), (_month(match["m2"]), None, _int(match, "y1")))
    return _calendar_range(context, match.span(), ends)


def _range_years(match: re.Match[str], context: Context) -> Value | None:
    if not connector_ok(match, need_cue_or_dash=True):
        return None
    if _year_is_name(context.sentence, match.start("y1")):
        return None
    first, second = int(match["y1"]), match["y2"]
    if len(second) == 2:
        if match["conn"].lower() not in "-‐‑–—":
            return None
        last = first // 100 * 100 + int(second)
    else:
        last = int(second)
    if not first < last <= 2099:
        return None
    return Value(Day(first), Day(last), "range", explicit_range=True)


def _point_month_day(match: re.Match[str], context: Context) -> Value | None:
    month, year = _month(match["m1"]), _point_year_of(match, context)
    return _calendar_point(context, match.span(), month, _int(match, "d1"), year)


def _point_iso(match: re.Match[str], context: Context) -> Value | None:
    year, month, day = int(match["y1"]), int(match["m1"]), int(match["d1"])
    return point(Day(year, month, day)) if valid_date(year, month, day) else None


def _point_dotted(match: re.Match[str], context: Context) -> Value | None:
    day, month, year = int(match["d1"]), int(match["m1"]), int(match["y1"])
    if len(match["y1"]) == 2:
        year += 2000 if 2000 + year <= context.published.year + 10 else 1900
    return point(Day(year, month, day)) if valid_date(year, month, day) else None


def _point_slashed(match: re.Match[str], context: Context) -> Value | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y1"])
    day, month = (b, a) if a <= 12 < b else (a, b)  # day first unless only US order is valid
    return point(Day(year, month, day)) if valid_date(year, month, day) else None


def _point_month(match: re.Match[str], context: Context) -> Value | None:
    token, year = match["m1"], _point_year_of(match, context)
    mod = " ".join((match["mod"] or "").lower().split())
    if year is None and not mod:
        full = token.lower() in pat.FULL_MONTH_NAMES
        if not full or not pat.MONTH_CUE.search(context.sentence, 0, match.start()):
            return None
    month, published = _month(token), context.published
    if year is None and mod in {"last", "this", "next", "coming"}:
        shift = {"last": -1 if month >= published.month else 0, "this": 0}.get(mod)
        if shift is None:
            shift = 1 if month <= published.month else 0
        return point(Day(published.year + shift, month), relative=True)
    return _calendar_point(context, match.span(), month, None, year)


def _point_mod_year(match: re.Match[str], context: Context) -> Value | None:
    return point(Day(int(match["y1"])))


def _year_is_name(sentence: str, start: int) -> bool:
    return bool(pat.NAME_BEFORE_YEAR.search(sentence, max(0, start - 40), start))


def _point_year(match: re.Match[str], context: Context) -> Value | None:
    sentence = context.sentence
    if _year_is_name(sentence, match.start()) or pat.COUNTED_AFTER_YEAR.match(
        sentence, match.end()
    ):
        return None
    return point(Day(int(match["y1"])))


# Substrings every match of `UNTIL_CUE` and of `SINCE_CUE` holds (both are case-sensitive).
_UNTIL_WORDS = ("til", "Til", "hr", "up", "later", "end", "onclu", "clos", "finish")
_SINCE_WORDS = ("ince", "rom", "of", "tarting", "eginning", "ommencing", "effective")


def _with_role_cue(candidate: _Candidate, sentence: str, boundary: int) -> DateSpan:
    """The span of a candidate, widened to an "until"/"since" word before it that sets its role."""
    start, value = candidate.start, candidate.value
    if not value.explicit_range:
        window_start = max(boundary, start - 40)
        window = sentence[window_start:start]
        until = since = None
        # Each cue's words first, as plain substrings: most dates stand after neither.
        if any(word in window for word in _UNTIL_WORDS):
            until = pat.UNTIL_CUE.search(sentence, window_start, start)
        if until is None and any(word in window for word in _SINCE_WORDS):
            since = pat.SINCE_CUE.search(sentence, window_start, start)
        if until is not None:
            value = replace(value, first=None, role="until")
            start = until.start("prep") if until["prep"] else start
        elif since is not None:
            value = replace(value, last=None, role="since")
            start = since.start("prep")
    return DateSpan(
        start=start,
        end=candidate.end,
        text=sentence[start : candidate.end],
        first=value.first.iso() if value.first else None,
        last=value.last.iso() if value.last else None,
        role=value.role,
        relative=value.relative,
    )


_Resolver = Callable[[re.Match[str], Context], Value | None]
_DAY_MONTH = frozenset({"daymonth"})
_MONTH_DAY = frozenset({"monthday"})
_MONTH = frozenset({"month"})
_MONTHS = frozenset({"months"})
_YEAR = frozenset({"year"})
_WEEKDAY = frozenset({"weekday"})
_WEEKDAYS = frozenset({"weekdays"})
# (cues the sentence must hold, pattern, resolver); the cues skip patterns that cannot
# match: each names what every match of its pattern holds (a range of months, two months).
_RULES: tuple[tuple[frozenset[str], re.Pattern[str], _Resolver], ...] = (
    (frozenset({"months", "monthday"}), pat.RANGE_MD_MD, _range_month_day_pairs),
    (frozenset({"months", "daymonth"}), pat.RANGE_DM_DM, _range_month_day_pairs),
    (_MONTH_DAY, pat.RANGE_M_DD, _range_days_of_month),
    (_DAY_MONTH, pat.RANGE_DD_M, _range_days_of_month),
    (_MONTHS, pat.RANGE_M_M, _range_months),
    (_YEAR, pat.RANGE_Y_Y, _range_years),
    (_WEEKDAYS, pat.RANGE_WD_WD, range_weekdays),
    (_MONTH_DAY, pat.POINT_MD, _point_month_day),
    (_DAY_MONTH, pat.POINT_DM, _point_month_day),
    (frozenset({"year", "isodash"}), pat.POINT_ISO, _point_iso),
    (frozenset({"dotted"}), pat.POINT_DOTTED, _point_dotted),
    (frozenset({"year", "slash"}), pat.POINT_SLASHED, _point_slashed),
    (_MONTH, pat.POINT_MONTH, _point_month),
    (_YEAR, pat.POINT_MOD_YEAR, _point_mod_year),
    (_YEAR, pat.POINT_YEAR, _point_year),
    (_WEEKDAY, pat.POINT_WEEKDAY, point_weekday),
    (frozenset({"dayword"}), pat.RELATIVE_DAY, relative_day),
    (frozenset({"digit", "monthword"}), pat.RELATIVE_DAY_OF_MONTH, relative_day_of_month),
    (frozenset({"unit"}), pat.RELATIVE_UNIT, relative_unit),
    (frozenset({"ago"}), pat.RELATIVE_AGO, relative_ago),
    (frozenset({"season"}), pat.RELATIVE_SEASON, relative_season),
)


def shifted_day(day: date, by: timedelta) -> date:
    """A day moved by some days, held at the calendar's first or last day."""
    try:
        return day + by
    except OverflowError:
        return date.min if by < timedelta(0) else date.max


def as_date(value: str | None, last: bool) -> date | None:
    """An ISO value of any precision as a date: its first day, or its last if `last`."""
    if value is None:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        if not last:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(parts[0], 12, 31) if last else date(parts[0], 1, 1)
