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
from functools import cached_property
from typing import Literal

from defcoop.nlp import date_patterns as pat
from defcoop.records import DateSpan

Tense = pat.Tense
Role = Literal["point", "range", "until", "since"]

# A year is inferred within about ten months of the publication date in the direction
# the tense points to; beyond that the nearest year wins (a past clause may still name
# next week's end date).
_LIMIT_DAYS = 305
_LIMIT_MONTHS = 10
_CLOSE = {False: 31, True: 1}  # "close" in days, or in months for a month without a day
_NOT_WEEKDAY_DATES = re.compile(r"\b(?:Black|Good|Bloody|Holy|Easter|Palm|Ash|Cyber|Super)\s+$")
_NAME_BEFORE_TODAY = re.compile(r"[A-Z][\w.]*\s+$")
_THE_BEFORE = re.compile(r"\b(?:the|The)\s+$")


def sentence_tense(sentence: str) -> Tense:
    """The tense a sentence reports in, from its auxiliaries and cue words ("past" if unclear)."""
    return pat.tense_cue(sentence) or "past"


def _within_calendar(resolve: _Resolver, match: re.Match[str], context: _Context) -> _Value | None:
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
    context = _Context(sentence, published)
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
class _Day:
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


def _of(day: date) -> _Day:
    return _Day(day.year, day.month, day.day)


@dataclass(frozen=True)
class _Value:
    first: _Day | None
    last: _Day | None
    role: Role = "point"
    relative: bool = False
    explicit_range: bool = False  # the pattern itself gave both ends; no cue changes its role


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: _Value


@dataclass(frozen=True)
class _Context:
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


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def _infer_year(month: int, day: int | None, published: date, tense: Tense | None) -> int | None:
    """The year that puts a month (and day) nearest the publication date, biased by tense."""
    options: list[tuple[int, int]] = []
    limit = _LIMIT_MONTHS if day is None else _LIMIT_DAYS
    for year in (published.year - 1, published.year, published.year + 1):
        if day is None:
            options.append(((year - published.year) * 12 + month - published.month, year))
        elif _valid(year, month, day):
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


def _month(token: str) -> int:
    return pat.MONTH_NUMBERS[token.rstrip(".").lower()[:3]]


def _int(match: re.Match[str], group: str) -> int | None:
    text = match.group(group)
    return int(text) if text else None


def _point_year_of(match: re.Match[str], context: _Context) -> int | None:
    """The year a point date states: written out, or "last/this/next year" after its month."""
    relative = match["yrel"]
    if relative:
        return context.published.year + {"last": -1, "this": 0, "next": 1}[relative]
    return _int(match, "y1")


def _point(day: _Day, relative: bool = False) -> _Value:
    return _Value(day, day, "point", relative)


def _calendar_point(
    context: _Context, span: tuple[int, int], month: int, day: int | None, year: int | None
) -> _Value | None:
    if year is None:
        year = _infer_year(month, day, context.published, context.tense_at(*span))
        if year is None:
            return None
    if day is not None and not _valid(year, month, day):
        return None
    return _point(_Day(year, month, day))


def _connector_ok(match: re.Match[str], need_cue_or_dash: bool = False) -> bool:
    connector = match.group("conn").lower()
    pre = (match.group("pre") or "").lower()
    if connector == "and" and pre != "between":
        return False
    return not need_cue_or_dash or bool(pre) or connector not in {"and", "to", "till", "until"}


def _calendar_range(
    context: _Context,
    span: tuple[int, int],
    ends: tuple[tuple[int, int | None, int | None], tuple[int, int | None, int | None]],
) -> _Value | None:
    """A range from (month, day, year) ends; a missing year comes from the other end."""
    (m1, d1, y1), (m2, d2, y2) = ends
    if y1 is None and y2 is None:
        y1 = _infer_year(m1, d1, context.published, context.tense_at(*span))
    if y1 is None and y2 is not None:
        y1 = y2 if (m1, d1 or 0) <= (m2, d2 or 0) else y2 - 1
    if y1 is None:
        return None
    if y2 is None:
        y2 = y1 if (m2, d2 or 0) >= (m1, d1 or 0) else y1 + 1
    for year, month, day in ((y1, m1, d1), (y2, m2, d2)):
        if not _valid(year, month, day or 1):
            return None
    first, last = _Day(y1, m1, d1), _Day(y2, m2, d2)
    if first.earliest() > last.latest():
        return None
    return _Value(first, last, "range", explicit_range=True)


def _range_month_day_pairs(match: re.Match[str], context: _Context) -> _Value | None:
    if not _connector_ok(match):
        return None
    ends = (
        (_month(match["m1"]), _int(match, "d1"), _int(match, "y1")),
        (_month(match["m2"]), _int(match, "d2"), _int(match, "y2")),
    )
    return _calendar_range(context, match.span(), ends)


def _range_days_of_month(match: re.Match[str], context: _Context) -> _Value | None:
    if not _connector_ok(match):
        return None
    month, year = _month(match["m1"]), _int(match, "y1")
    ends = ((month, _int(match, "d1"), year), (month, _int(match, "d2"), year))
    return _calendar_range(context, match.span(), ends)


def _range_months(match: re.Match[str], context: _Context) -> _Value | None:
    if not _connector_ok(match):
        return None
    # "June-August" alone may be a name or a list; "from", a year or "in" makes it a span.
    cued = pat.MONTH_CUE.search(context.sentence, 0, match.start())
    if not (match["pre"] or match["y1"] or cued):
        return None
    ends = ((_month(match["m1"]), None, None), (_month(match["m2"]), None, _int(match, "y1")))
    return _calendar_range(context, match.span(), ends)


def _range_years(match: re.Match[str], context: _Context) -> _Value | None:
    if not _connector_ok(match, need_cue_or_dash=True):
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
    return _Value(_Day(first), _Day(last), "range", explicit_range=True)


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


def _range_weekdays(match: re.Match[str], context: _Context) -> _Value | None:
    if not _connector_ok(match, need_cue_or_dash=True):
        return None
    first_day = pat.WEEKDAY_NUMBERS[match["wd1"].lower()]
    last_day = pat.WEEKDAY_NUMBERS[match["wd2"].lower()]
    tense = context.tense_at(*match.span())
    first = _weekday_date(first_day, context.published, tense, "")
    last = first + timedelta(days=(last_day - first_day) % 7)
    return _Value(_of(first), _of(last), "range", relative=True, explicit_range=True)


def _point_month_day(match: re.Match[str], context: _Context) -> _Value | None:
    month, year = _month(match["m1"]), _point_year_of(match, context)
    return _calendar_point(context, match.span(), month, _int(match, "d1"), year)


def _point_iso(match: re.Match[str], context: _Context) -> _Value | None:
    year, month, day = int(match["y1"]), int(match["m1"]), int(match["d1"])
    return _point(_Day(year, month, day)) if _valid(year, month, day) else None


def _point_dotted(match: re.Match[str], context: _Context) -> _Value | None:
    day, month, year = int(match["d1"]), int(match["m1"]), int(match["y1"])
    if len(match["y1"]) == 2:
        year += 2000 if 2000 + year <= context.published.year + 10 else 1900
    return _point(_Day(year, month, day)) if _valid(year, month, day) else None


def _point_slashed(match: re.Match[str], context: _Context) -> _Value | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y1"])
    day, month = (b, a) if a <= 12 < b else (a, b)  # day first unless only US order is valid
    return _point(_Day(year, month, day)) if _valid(year, month, day) else None


def _point_month(match: re.Match[str], context: _Context) -> _Value | None:
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
        return _point(_Day(published.year + shift, month), relative=True)
    return _calendar_point(context, match.span(), month, None, year)


def _point_mod_year(match: re.Match[str], context: _Context) -> _Value | None:
    return _point(_Day(int(match["y1"])))


def _year_is_name(sentence: str, start: int) -> bool:
    return bool(pat.NAME_BEFORE_YEAR.search(sentence, max(0, start - 40), start))


def _point_year(match: re.Match[str], context: _Context) -> _Value | None:
    sentence = context.sentence
    if _year_is_name(sentence, match.start()) or pat.COUNTED_AFTER_YEAR.match(
        sentence, match.end()
    ):
        return None
    return _point(_Day(int(match["y1"])))


def _point_weekday(match: re.Match[str], context: _Context) -> _Value | None:
    if _NOT_WEEKDAY_DATES.search(context.sentence, 0, match.start()):
        return None
    weekday = pat.WEEKDAY_NUMBERS[match["wd1"].lower()]
    tense = context.tense_at(*match.span())
    mod = (match["mod"] or "").lower()
    return _point(_of(_weekday_date(weekday, context.published, tense, mod)), relative=True)


_DAY_OFFSETS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _relative_day(match: re.Match[str], context: _Context) -> _Value | None:
    word = " ".join(match["word"].lower().split())
    if match["word"] == "Today" and _NAME_BEFORE_TODAY.search(context.sentence, 0, match.start()):
        return None  # "USA Today", "Azerbaijan Today": a title
    if word.startswith("the day"):
        offset = -2 if word.endswith("yesterday") else 2
    else:
        offset = _DAY_OFFSETS[word]
    return _point(_of(context.published + timedelta(days=offset)), relative=True)


def _add_months(year: int, month: int, shift: int) -> _Day:
    index = year * 12 + month - 1 + shift
    return _Day(index // 12, index % 12 + 1)


def _relative_unit(match: re.Match[str], context: _Context) -> _Value | None:
    if _THE_BEFORE.search(context.sentence, 0, match.start()):
        return None  # "the next year", "over the last week": narrative or a duration
    published = context.published
    rel, unit = match["rel"].lower(), match["unit"].lower()
    mod = (match["mod"] or "").lower()
    shift = {"last": -1, "this": 0}.get(rel, 1)
    if unit == "month":
        return _point(_add_months(published.year, published.month, shift), relative=True)
    if unit == "year":
        return _point(_Day(published.year + shift), relative=True)
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
    return _Value(_of(first), _of(last), "range", relative=True)


def _relative_day_of_month(match: re.Match[str], context: _Context) -> _Value | None:
    published = context.published
    shift = {"last": -1, "this": 0}.get(match["rel"].lower(), 1)
    month = _add_months(published.year, published.month, shift)
    day = int(match["d1"])
    if month.month is None or not _valid(month.year, month.month, day):
        return None
    return _point(_Day(month.year, month.month, day), relative=True)


# The months of each season (northern): the last month tells whether it has passed.
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def _relative_season(match: re.Match[str], context: _Context) -> _Value | None:
    """A season told without its year: the year only, which the report's date tells."""
    season, rel = match["season"].lower(), (match["rel"] or "").lower()
    published = context.published
    if season == "winter":
        # It spans two years: only "this winter" is sure to mean the report's year.
        return _point(_Day(published.year), relative=True) if rel == "this" else None
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
    return _point(_Day(year), relative=True)


def _relative_ago(match: re.Match[str], context: _Context) -> _Value | None:
    count_text = match["n"].lower()
    count = pat.SMALL_NUMBERS.get(count_text) or int(count_text)
    published, unit = context.published, match["unit"].lower()
    if unit == "day":
        return _point(_of(published - timedelta(days=count)), relative=True)
    if unit == "month":
        return _point(_add_months(published.year, published.month, -count), relative=True)
    return _point(_Day(published.year - count), relative=True)


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


_Resolver = Callable[[re.Match[str], _Context], _Value | None]
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
    (_WEEKDAYS, pat.RANGE_WD_WD, _range_weekdays),
    (_MONTH_DAY, pat.POINT_MD, _point_month_day),
    (_DAY_MONTH, pat.POINT_DM, _point_month_day),
    (frozenset({"year", "isodash"}), pat.POINT_ISO, _point_iso),
    (frozenset({"dotted"}), pat.POINT_DOTTED, _point_dotted),
    (frozenset({"year", "slash"}), pat.POINT_SLASHED, _point_slashed),
    (_MONTH, pat.POINT_MONTH, _point_month),
    (_YEAR, pat.POINT_MOD_YEAR, _point_mod_year),
    (_YEAR, pat.POINT_YEAR, _point_year),
    (_WEEKDAY, pat.POINT_WEEKDAY, _point_weekday),
    (frozenset({"dayword"}), pat.RELATIVE_DAY, _relative_day),
    (frozenset({"digit", "monthword"}), pat.RELATIVE_DAY_OF_MONTH, _relative_day_of_month),
    (frozenset({"unit"}), pat.RELATIVE_UNIT, _relative_unit),
    (frozenset({"ago"}), pat.RELATIVE_AGO, _relative_ago),
    (frozenset({"season"}), pat.RELATIVE_SEASON, _relative_season),
)


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
