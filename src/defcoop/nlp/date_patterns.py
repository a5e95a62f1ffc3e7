"""Compiled regular expressions for the date expressions and tense cues of news English.

`dates.py` runs these over a sentence and resolves what they match; this module only
knows the surface forms. Every pattern opens with a lookahead on its possible first
characters, which lets the regex engine skip most positions cheaply. Month and weekday
names are matched case-sensitively (Title or UPPER case) because lower-case "may",
"march" and "sat" are ordinary words.
"""

from __future__ import annotations

import re
from typing import Literal

Tense = Literal["past", "present", "future"]

MONTH_NUMBERS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAY_NUMBERS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
SMALL_NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_FULL_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FULL_MONTH_NAMES = frozenset(month.lower() for month in _FULL_MONTHS)
_ABBREVIATIONS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
_DAY_WORD = r"\b(?:[Tt]oday|[Tt]omorrow|[Yy]esterday)\b"
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _cased(words: list[str]) -> str:
    """An alternation of the words in Title and UPPER case, longest first."""
    variants = {w for word in words for w in (word, word.upper())}
    return "|".join(sorted(variants, key=lambda w: (-len(w), w)))


MONTH_FULL = rf"(?:{_cased(_FULL_MONTHS)})\b"
MONTH_ANY = rf"(?:(?:{_cased(_FULL_MONTHS)})\b|(?:{_cased(_ABBREVIATIONS)})(?:\.|\b))"
WEEKDAY = rf"\b(?:{_cased(_WEEKDAYS)})\b"
# A number may not be glued to a word, a decimal, a fraction or a currency sign.
_NUM_START = r"(?<![\w.,/$€£#%])"


def _m(name: str, alternation: str = MONTH_ANY) -> str:
    return rf"\b(?P<{name}>{alternation})"


def _d(name: str) -> str:
    return rf"(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"


def _y(name: str) -> str:
    return rf"(?P<{name}>(?:19|20)\d\d)\b(?!['’]s\b)"


def _wd(name: str) -> str:
    """An optional weekday or day word before a calendar date ("Monday, Sept. 6", "tomorrow
    September 12"), kept inside the span."""
    return rf"(?:(?P<{name}>{WEEKDAY}|{_DAY_WORD}),?\s+(?:the\s+)?)?"


_PRE = r"(?:\b(?P<pre>from|between|From|Between|FROM|BETWEEN)\s+)?"
_CONN = r"\s*(?P<conn>[-‐‑–—]|\b(?:to|through|thru|until|till|and)\b)\s*"
_YSEP = r"(?:,\s*|\s+)"
# "March last year", "in November of next year": a month's year told relative to the report.
_YREL = r"\s+(?:of\s+)?(?P<yrel>last|this|next)\s+year\b"

# Ranges: "June 29-Aug. 4", "from March 30 to April 12, 2020", "between Oct. 3 and Oct. 5".
RANGE_MD_MD = re.compile(
    rf"(?=[A-Zfbty]){_PRE}{_wd('wd1')}{_m('m1')}\s*{_d('d1')}(?:{_YSEP}{_y('y1')})?{_CONN}"
    rf"{_wd('wd2')}{_m('m2')}\s*{_d('d2')}(?:{_YSEP}{_y('y2')})?"
)
# "from 31 October to 13 November 2019", "29 June - 4 August".
RANGE_DM_DM = re.compile(
    rf"(?=[A-Z0-9fbty]){_PRE}{_wd('wd1')}(?:\bthe\s+)?{_NUM_START}{_d('d1')}\s+(?:of\s+)?{_m('m1')}"
    rf"(?:{_YSEP}{_y('y1')})?{_CONN}{_wd('wd2')}(?:the\s+)?{_d('d2')}\s+(?:of\s+)?{_m('m2')}"
    rf"(?:{_YSEP}{_y('y2')})?"
)
# "August 1-5", "from August 1 to 5", "October 4-8, 2021".
RANGE_M_DD = re.compile(
    rf"(?=[A-Zfb]){_PRE}{_m('m1')}\s*{_d('d1')}{_CONN}(?:the\s+)?{_d('d2')}(?:{_YSEP}{_y('y1')})?"
)
# "1-5 August 2021", "from 12 to 20 September", "the 3rd to the 5th of June".
RANGE_DD_M = re.compile(
    rf"(?=[0-9FBfbt]){_PRE}(?:\bthe\s+)?{_NUM_START}{_d('d1')}{_CONN}(?:the\s+)?{_d('d2')}"
    rf"\s+(?:of\s+)?"
    rf"{_m('m1')}(?:{_YSEP}{_y('y1')})?"
)
# "from June to August 2022", "June-August 2022".
RANGE_M_M = re.compile(
    rf"(?=[A-Zfb]){_PRE}{_m('m1', MONTH_FULL)}{_CONN}{_m('m2', MONTH_FULL)}(?:{_YSEP}{_y('y1')})?"
)
# "from 2017 to 2019", "2017-2019", "2021-22".
RANGE_Y_Y = re.compile(
    rf"(?=[0-9FBfb]){_PRE}{_NUM_START}{_y('y1')}{_CONN}(?P<y2>(?:19|20)\d\d|\d\d)\b(?!['’]s)"
)
# "from Monday to Friday", "Monday-Wednesday".
RANGE_WD_WD = re.compile(rf"(?=[A-Zfb]){_PRE}(?P<wd1>{WEEKDAY}){_CONN}(?P<wd2>{WEEKDAY})")

# Points: "Monday, Sept. 6, 2021", "June 15th".
POINT_MD = re.compile(
    rf"(?=[A-Zty]){_wd('wd1')}{_m('m1')}\s*{_d('d1')}(?:{_YSEP}{_y('y1')}|{_YREL})?"
)
# "27 September 2021", "the 15th of June".
POINT_DM = re.compile(
    rf"(?=[A-Z0-9ty]){_wd('wd1')}(?:\bthe\s+)?{_NUM_START}{_d('d1')}\s+(?:of\s+)?{_m('m1')}"
    rf"(?:{_YSEP}{_y('y1')}|{_YREL})?"
)
POINT_ISO = re.compile(
    r"(?=[0-9])(?<![\w.,/-])(?P<y1>(?:19|20)\d\d)-(?P<m1>0[1-9]|1[0-2])-(?P<d1>0[1-9]|[12]\d|3[01])"
    r"(?![\w-]|[.,/]\d)"
)
# Day first, as written outside the US: "15.06.21", "15.06.2021".
POINT_DOTTED = re.compile(
    r"(?=[0-9])(?<![\w.,/-])(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})\.(?P<y1>\d{4}|\d\d)(?!\w|[.,/]\d)"
)
# "15/06/2021" (day first unless only the US reading is a valid date).
POINT_SLASHED = re.compile(
    r"(?=[0-9])(?<![\w.,/-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y1>(?:19|20)\d\d)(?![\w/]|[.,]\d)"
)
_MONTH_MOD = (
    r"early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|(?:end|beginning|start|middle)"
    r"\s+of|earlier\s+in|later\s+in|early\s+in|late\s+in|last|this|next|coming|Early|Mid|Late"
    r"|Last|This|Next|The\s+(?:end|beginning|start|middle)\s+of|Earlier\s+in|Later\s+in"
)
# "November 2012", "in June", "mid-June", "last September".
POINT_MONTH = re.compile(
    rf"(?=[A-Zemltbsnc])(?:\b(?P<mod>{_MONTH_MOD})[\s-]+)?{_m('m1')}"
    rf"(?:(?:{_YSEP}|\s+of\s+){_y('y1')}|{_YREL})?"
)
# "mid-2021", "the end of 2019", "spring 2022".
POINT_MOD_YEAR = re.compile(
    rf"(?=[A-Zemltbsncafw])\b(?P<mod>{_MONTH_MOD}"
    rf"|(?:the\s+)?(?:spring|summer|autumn|fall|winter)(?:\s+of)?"
    rf"|(?:the\s+)?(?:first|second)\s+half\s+of)[\s-]+{_y('y1')}"
)
POINT_YEAR = re.compile(rf"(?=[0-9]){_NUM_START}{_y('y1')}(?!%|[.,]\d)")
POINT_WEEKDAY = re.compile(
    rf"(?=[A-Zlntcp])(?:\b(?P<mod>last|next|this|coming|past|Last|Next|This)\s+)?(?P<wd1>{WEEKDAY})"
)
RELATIVE_DAY = re.compile(
    r"(?=[ty])\b(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight"
    r"|yesterday|tomorrow)\b",
    re.IGNORECASE,
)
RELATIVE_UNIT = re.compile(
    r"(?=[eltnc])\b(?:(?P<mod>earlier|later|early|late)\s+)?(?P<rel>last|this|next|coming)\s+"
    r"(?P<unit>weekend|week|month|year)\b",
    re.IGNORECASE,
)
# "the 20th of this month", "the 5th of next month".
RELATIVE_DAY_OF_MONTH = re.compile(
    r"(?=[t0-9])\b(?:the\s+)?(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+of\s+(?P<rel>this|next|last)\s+"
    r"month\b",
    re.IGNORECASE,
)
# "this summer", "last fall", "in spring": a season of a year the report's date tells.
RELATIVE_SEASON = re.compile(
    r"(?=[ltnicp])\b(?:(?P<rel>last|this|next|coming|past)\s+|in\s+(?:the\s+)?)"
    r"(?P<season>summer|spring|autumn|fall|winter)\b(?!\s+(?:of\s+)?(?:19|20)\d\d)",
    re.IGNORECASE,
)
RELATIVE_AGO = re.compile(
    r"(?=[0-9aotfsen])\b(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>day|month|year)s?\s+ago\b",
    re.IGNORECASE,
)

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DOTTED = re.compile(r"\d\.\d")
# Every month or weekday name the patterns know opens with one of these, in its own case.
_MONTH_STEM = re.compile("|".join(s for m in MONTH_NUMBERS for s in (m.title(), m.upper())))
# A day number before a month ("27 September", "3rd of June"), a month before a day number
# ("Sept. 6", "June 15th"), the dashes of an ISO date: what the calendar patterns need.
_DAY_MONTH = re.compile(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z]")
_MONTH_DAY = re.compile(rf"(?:{_MONTH_STEM.pattern})[A-Za-z]*\.?\s*\d")
_ISO_DASH = re.compile(r"\d-\d")
_WEEKDAY_NAME = re.compile("|".join(w for d in _WEEKDAYS for w in (d, d.upper())))


def date_cues(sentence: str) -> frozenset[str]:
    """The kinds of date word a sentence holds; empty when it cannot hold a date.

    Kinds: digit, year (19xx or 20xx), dotted (digit, dot, digit), slash, isodash
    (digit, dash, digit), month and weekday (a name in Title or UPPER case, as the
    patterns need), months and weekdays (two or more, as ranges need), daymonth and
    monthday (a day number right before or after a month name), monthword, dayword,
    unit, ago, season. Each is a substring test or a regex that opens with a literal or a class
    (which the engine scans for at C speed): this runs on every candidate sentence and
    must cost next to nothing.
    """
    low = sentence.lower()
    cues = set()
    if _DIGIT.search(sentence):
        cues.add("digit")
        if _YEAR.search(sentence):
            cues.add("year")
        if _DOTTED.search(sentence):
            cues.add("dotted")
        if "/" in sentence:
            cues.add("slash")
        if _ISO_DASH.search(sentence):
            cues.add("isodash")
    stems = _MONTH_STEM.findall(sentence)
    if stems:
        cues.update(("month", "months") if len(stems) > 1 else ("month",))
        if "digit" in cues and _DAY_MONTH.search(sentence):
            cues.add("daymonth")
        if "digit" in cues and _MONTH_DAY.search(sentence):
            cues.add("monthday")
    if "day" in low:
        weekdays = _WEEKDAY_NAME.findall(sentence)
        if weekdays:
            cues.update(("weekday", "weekdays") if len(weekdays) > 1 else ("weekday",))
    # Spelled out rather than any(...) over a tuple: no generator on every sentence.
    if "today" in low or "tonight" in low or "yesterday" in low or "tomorrow" in low:
        cues.add("dayword")
    if "week" in low or "month" in low or "year" in low:
        cues.add("unit")
        if "month" in low:
            cues.add("monthword")
    if " ago" in low:
        cues.add("ago")
    if "summer" in low or "spring" in low or "autumn" in low or "fall" in low or "winter" in low:
        cues.add("season")
    return frozenset(cues)


# Context of a match, tested on the text just before or after it.
UNTIL_CUE = re.compile(
    r"(?:\b(?P<prep>until|till|til|through|thru|up\s+to|up\s+until|no\s+later\s+than|ending"
    r"|Until|Till|Through)\s+(?:on\s+)?|\b(?:wrap(?:s|ped|ping)?\s+up|end(?:s|ed|ing)?"
    r"|conclude[sd]?|concluding|close[sd]?|finish(?:es|ed)?)\s+(?:on\s+)?)$"
)
SINCE_CUE = re.compile(
    r"\b(?P<prep>since|from|as\s+of|as\s+from|(?:starting|beginning|commencing|effective)"
    r"(?:\s+(?:from|on))?|Since|From|As\s+of|Starting(?:\s+(?:from|on))?)\s+$"
)
# A bare month name ("June") is a date only after one of these words.
MONTH_CUE = re.compile(
    r"\b(?:in|In|IN|since|Since|until|till|by|from|From|through|during|of|for|before|after"
    r"|between|and|to|or|since|last|this|next|early|mid|late|on)[\s-]+$"
)
# A year glued to a name by a dash ("EFES-2022", "TurAz Falcon - 2021") belongs to the name.
NAME_BEFORE_YEAR = re.compile(r"[^\W\d_][\w'’]*\s*[-‐‑–—]\s*$")
# "2000 troops" is a count, not a year.
COUNTED_AFTER_YEAR = re.compile(
    r"\s*(?:troops|soldiers|servicemen|servicemembers|personnel|people|members|officers"
    r"|sailors|marines|pilots|participants|staff|men|women|residents|civilians|units|vehicles"
    r"|tanks|aircraft|planes|jets|ships|vessels|boats|drones|missiles|rockets|rounds|shells"
    r"|weapons|guns|pieces|tons|tonnes|kg|km|kilometers|kilometres|miles|meters|metres|feet"
    r"|hours|hrs|hrs\.|dollars|euros|manat|liras?|rubles|rupees|items|sorties|flights|times)\b",
    re.IGNORECASE,
)
# Clause boundaries, to read the tense of the clause a date stands in.
CLAUSE_BOUNDARY = re.compile(
    r"(?=[,;:()\u2013\u2014abwt])(?:[,;:()\u2013\u2014]"
    r"|\b(?:and|but|while|which|who|that|after|before|when|where)\b)"
)

# Tense cues, tested in this order: present (strong), future, present (weak), past.
PRESENT_STRONG = re.compile(
    r"(?=[iauocn])\b(?:(?:is|are)\s+being\s+\w+ed|underway|under\s+way|ongoing|continues"
    r"|(?:is|are)\s+continuing|currently|at\s+present|now\s+under)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"(?=[wsiatpeufn'])(?:\b(?:will|shall|won't|(?:is|are)\s+(?:set|due|going|slated|poised)\s+to\b"
    r"|set\s+to\s+(?:be|hold|take|begin|start|host|run"
    r"|conduct|join|participate|sign|visit)|to\s+be\s+(?:held|conducted|hosted|organi[sz]ed"
    r"|staged|signed|delivered)|scheduled|plans?\s+to|prepar(?:es|ing)\s+to|planning\s+to"
    r"|intends?\s+to"
    # "a programme to run through June": an infinitive of duration looks ahead.
    r"|(?<!continued\s)(?<!used\s)to\s+(?:run|last|continue|remain|operate)\s+(?:through|until"
    r"|till|to|into)\b"
    r"|expected\s+to|to\s+take\s+place|upcoming|forthcoming|tomorrow|next\s+(?:week|weekend"
    r"|month|year|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February"
    r"|March|April|May|June|July|August|September|October|November|December)"
    r")|'ll\b)",
    re.IGNORECASE,
)
PRESENT_WEAK = re.compile(
    r"(?=[aibcsklo])\b(?:(?:am|is|are)\s+(?!going\b)[a-z]+ing|begins|commences|starts"
    r"|kicks\s+off|opens|launches|continue)\b",
    re.IGNORECASE,
)
PAST = re.compile(
    r"\b(?:was|were|had|did|ago|yesterday|earlier|previously|said|began|took|held|met|told"
    r"|saw|went|came|left|sent|won|led|gave|made|agreed|kicked\s+off|(?!hundred\b|kindred\b)"
    r"[a-z]+[^e\W]ed)\b"
)


def tense_cue(text: str) -> Tense | None:
    """The tense the cue words of a text point to, or None when it has none."""
    if PRESENT_STRONG.search(text):
        return "present"
    if FUTURE.search(text):
        return "future"
    if PRESENT_WEAK.search(text):
        return "present"
    if PAST.search(text):
        return "past"
    return None
