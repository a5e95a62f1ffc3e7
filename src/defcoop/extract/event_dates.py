"""Start and end of an event from the date expressions of its sentences."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from defcoop.extract.acts import dates_another_act
from defcoop.extract.context import POINT_TYPES, ReportContext
from defcoop.extract.drafts import Draft
from defcoop.extract.tense_cues import END_VERB, FUTURE, ONGOING, START_VERB
from defcoop.records import DateSpan

STARTED = re.compile(
    r"\b(?:start\w*|beg[ia]n\w*|begun|commenc\w*|kick\w* off|launch\w*|open\w*|initiat\w*|"
    r"got under ?way|gets under ?way)\b",
    re.I,
)
_SIGNED_BEFORE = re.compile(r"\b(?:signed|inked|concluded)\b[^,;]{0,30}$", re.I)
_COURSE_ENDS = re.compile(
    r"\b(?:graduat\w*|(?<!opening )ceremony|certificates? (?:were|was) awarded)\b",
    re.I,
)
_PARADE = re.compile(r"\bpassing[- ]out\b", re.I)
ENDED = re.compile(r"\b(?:ended|ends|conclud\w*|completed|wrap\w* up|closing|graduated)\b", re.I)


def _precision(value: str) -> int:
    """How many parts an ISO value has: 1 year, 2 month, 3 day."""
    return value.count("-") + 1


def _is_lead_news(draft: Draft, context: ReportContext) -> bool:
    """Whether the report's lead tells of the event as today's news, with no date.

    "X and Y have signed a memorandum", "drills have begun": such news is dated
    by its publication.
    """
    opener = draft.opener or draft.sentences[0]
    if opener.index > context.lead_end or opener.cues.other_edition:
        return False
    text = opener.sentence.text
    if FUTURE.search(text.lower()):
        return False
    if draft.type in POINT_TYPES:
        return True
    return STARTED.search(text) is not None or ONGOING.search(text.lower()) is not None


# How long before its report a statement may date today's news.
_STATEMENT_AGE = timedelta(days=7)


def _statement_day(draft: Draft, context: ReportContext) -> str | None:
    """The day news with no date of its own was told ("the ministry said on Wednesday"):
    the event is dated by its announcement rather than by its report."""
    for facts in draft.sentences:
        for span in facts.stated:
            day = span.first
            if span.role != "point" or not day or len(day) != 10 or span.last != day:
                continue
            told = date.fromisoformat(day)
            if context.published - _STATEMENT_AGE <= told <= context.published:
                return day
    return None


def _in_year_of_name(span: DateSpan, year: int) -> DateSpan:
    """A day or month told without its year, in the year the event's name carries:
    "BALTOPS 23 was held from June 4 to June 20" is June of 2023, whenever the report."""
    if re.search(r"\b(?:19|20)\d\d\b", span.text) or not span.first:
        return span
    told = int(span.first[:4])
    if told == year or span.role == "until" or len(span.first) == 4:
        return span
    shift = year - told
    last = span.last
    moved_last = f"{int(last[:4]) + shift:04d}{last[4:]}" if last else None
    return replace(span, first=f"{year:04d}{span.first[4:]}", last=moved_last)


def event_dates(draft: Draft, context: ReportContext) -> tuple[str | None, str | None]:
    """Start and end of the event from the date expressions of its sentences."""
    start: str | None = None
    end: str | None = None

    # An exercise told in phases ("land forces from August 1 to 5", "aviation from
    # July 29 to August 10") spans them all: the earliest start, the latest end.
    spanning = draft.type in ("exercise", "training")

    def better(
        old: str | None, new: str | None, latest: bool = False, phase: bool = False
    ) -> str | None:
        if new is None:
            return old
        if old is None or (_precision(new) > _precision(old) and new.startswith(old)):
            return new
        if phase and spanning and _precision(new) == _precision(old):
            return max(old, new) if latest else min(old, new)
        return old

    # An agreement is dated by its signing where a sentence tells it ("opened in 2004
    # under an agreement signed in 1993"): the other dates are of other acts.
    signings = (
        {
            (facts.index, span.start)
            for facts in draft.sentences
            for span in facts.dates
            if _SIGNED_BEFORE.search(facts.sentence.text[: span.start])
        }
        if draft.type == "agreement"
        else set()
    )
    named_year = draft.name.year if draft.name is not None else None
    for facts in draft.sentences:
        text = facts.sentence.text
        for span in facts.dates:
            if named_year is not None:
                span = _in_year_of_name(span, named_year)
            if draft.type == "transfer" and _SIGNED_BEFORE.search(text[: span.start]):
                continue  # "under a contract signed on October 23": the signing's date
            if signings and (facts.index, span.start) not in signings:
                continue
            if dates_another_act(draft.type, text, span):
                continue
            role = _role(draft, text, span)
            if role == "range" and draft.type in POINT_TYPES and span.first and span.last:
                # A one-day act dated by a span ("last week"): the month, if it is one.
                same_month = span.first[:7] == span.last[:7]
                start = better(start, span.first[:7] if same_month else span.first[:4])
            elif role == "range":
                start = better(start, span.first, phase=True)
                end = better(end, span.last, latest=True, phase=True)
            elif role == "until":
                # "will wrap up on June 9": the last day, whatever ended before it.
                end = better(end, span.last or span.first, latest=True, phase=True)
            elif role == "end":
                end = better(end, span.first)
            else:
                # "ongoing since May 9": where the event began, before any day it is seen.
                start = better(start, span.first, phase=span.role == "since")
    if start is None and _is_lead_news(draft, context):
        start = _statement_day(draft, context) or context.published.isoformat()
    if start is None and draft.name is not None and draft.name.year is not None:
        start = str(draft.name.year)
    if end is None and start is not None and draft.type in ("exercise", "training"):
        end = _end_of_duration(draft, start)
    if draft.type == "meeting" and start is not None:
        start = _first_day_of_visit(draft, start, context.published)
    if start is not None and end is not None and end < start and not end.startswith(start):
        end = None
    if draft.type in POINT_TYPES:
        end = None
    return start, end


def _role(draft: Draft, text: str, span: DateSpan) -> str:
    """Whether a date bounds the start, the end, or both ends of the event."""
    if span.role == "range" and span.first and span.last:
        return "range"
    if span.role == "until":
        return "until"
    if span.role == "since":
        return "start"
    if draft.type in POINT_TYPES:
        return "start"
    before = text[max(0, span.start - 40) : span.start]
    before = before.lower()
    if draft.type == "training" and _COURSE_ENDS.search(text) and not _PARADE.search(text):
        # A course's graduation is the day it ended; a passing-out parade is an event
        # of its own day.
        return "end"
    if END_VERB.search(before):
        return "end"
    if START_VERB.search(before):
        return "start"
    if ENDED.search(text) and not STARTED.search(text):
        return "end"
    return "start"


_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
}  # fmt: skip
_DAYS_LONG = re.compile(
    r"\b(\d{1,2}|[a-z]+)-day(?:-long)? (?:[\w-]+ ){0,3}(?:exercises?|drills?|manoeuvres?|"
    r"maneuvers?|training|course|games|competition|war ?games?)\b",
    re.I,
)


def _count(word: str) -> int | None:
    """A number written in digits or in words up to fifteen: "4", "four"."""
    return int(word) if word.isdigit() else _NUMBERS.get(word.lower())


_VISIT_DAYS = re.compile(
    r"\b(\d{1,2}|[a-z]+)-day (?:[\w-]+ ){0,2}visit\b.{0,80}?|"
    r"\b(?:last|final|closing) day of (?:his|her|their|the) (\d{1,2}|[a-z]+)-day",
    re.I,
)
_VISIT_ENDS = re.compile(r"\b(?:last|final|closing) day\b|\bconclud\w*|\bwrap\w* up\b", re.I)


def _first_day_of_visit(draft: Draft, day: str, published: date) -> str:
    """The first day of an N-day visit dated by its last: "on the last day of his four-day
    visit" on June 14 began on June 11. Only a day that sentence, or the report's own day,
    gives is its last."""
    if day.count("-") != 2:
        return day
    for facts in draft.sentences:
        text = facts.sentence.text
        match = _VISIT_DAYS.search(text)
        if match is None or not _VISIT_ENDS.search(text):
            continue
        own = {d.first for d in facts.dates} | {published.isoformat()}
        if day not in own:
            continue
        days = _count(match.group(1) or match.group(2))
        if days is not None and 1 < days <= 31:
            return (date.fromisoformat(day) - timedelta(days=days - 1)).isoformat()
    return day


def _end_of_duration(draft: Draft, start: str) -> str | None:
    """The last day of an event told as lasting N days from a known first day:
    "a three-day exercise that began on Monday"."""
    if start.count("-") != 2:
        return None
    for facts in draft.sentences:
        match = _DAYS_LONG.search(facts.sentence.text)
        if match is None:
            continue
        days = _count(match.group(1))
        if days is not None and 1 < days <= 31:
            first = date.fromisoformat(start)
            return (first + timedelta(days=days - 1)).isoformat()
    return None
