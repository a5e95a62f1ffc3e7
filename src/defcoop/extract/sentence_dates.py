"""Which dates of a sentence date its event: not the day a statement was made, nor the
year a series began, nor the period a plan covers, nor a war's dates, nor a dateline's."""

from __future__ import annotations

import re

from defcoop.extract.tense_cues import ATTRIBUTION
from defcoop.records import DateSpan

_DATELINE_AFTER = re.compile(
    r"(?:,?\s*\d{4})?(?:(?:,?\s*\(?[A-Z][\w/ .-]{0,25}\)?)?\s*(?:[-–—]{1,2}|:)\s|"
    r"\s*\([A-Z][\w/ .-]{1,25}\)\s+(?=[A-Z]))"
)
_DATELINE_REACH = 60
_PERIOD_OF = re.compile(r"\b(?:for|through|covering)\s+(?:the\s+)?(?:year\s+)?$", re.I)
_RELATIVE_CLAUSE = re.compile(
    # ("... an agreement, which was signed in 1993": the agreement's own date)
    r"\b(?:which|who)\s+(?:was|were|had been|has been|had)\b(?!\s+(?:signed|inked))[^,;:–—]*$|"
    r"\b(?:that|which)\s+(?:broke out|erupted)\b[^,;:–—]*$",
    re.I,
)
# A war, its acts and its aftermath date no cooperation.
_CONFLICT_NOUNS = (
    r"(?:genocides?|wars?|massacres?|invasion|occupation|annexation|conflict|hostilities|"
    r"revolution|coup|uprising|insurgency|ceasefire|liberation)"
)
_CONFLICT_BEFORE = re.compile(
    rf"\b{_CONFLICT_NOUNS}\b(?:\s+[\w-]+){{0,3}}\s+(?:between\s+|in\s+|of\s+)?$", re.I
)
_CONFLICT_AFTER = re.compile(rf"\s+(?:[A-Z][\w-]+\s+){{0,2}}{_CONFLICT_NOUNS}\b", re.I)
# "first held in 1982", "initiated by Moscow in 2020", "held annually since 2004": when a
# series or a format began.
_SERIES_START = re.compile(
    r"\b(?:since|first held|initiated|inaugurated|established|founded|dates back to|"
    r"started|began|launched|existing)(?:\s+by\s+[A-Z][\w-]+)?(?:\s+in)?\s+$",
    re.I,
)


def statement_dates(text: str, spans: list[DateSpan]) -> tuple[DateSpan, ...]:
    """Dates of statements: "the ministry said on Monday", "reported on December 18"."""
    return tuple(
        span
        for span in spans
        if ATTRIBUTION.search(text[max(0, span.start - 40) : span.start].lower())
    )


def event_spans(text: str, spans: list[DateSpan]) -> tuple[DateSpan, ...]:
    """Dates of events: not when a statement was made, not when a series began."""
    kept = []
    for span in spans:
        before = text[max(0, span.start - 40) : span.start]
        if ATTRIBUTION.search(before.lower()) or text.startswith(("'s", "’s"), span.end):
            continue  # "said on Monday"; "next year's exercise" dates another thing
        if span.first and len(span.first) == 4 and _SERIES_START.search(before):
            continue
        if span.first and len(span.first) == 4 and _PERIOD_OF.search(before):
            continue  # "a cooperation plan for 2024": what it covers, not when it was signed
        if span.start < _DATELINE_REACH and _DATELINE_AFTER.match(text, span.end):
            continue  # "Accra, July 31, GNA –": when the report was filed, not the event
        if _RELATIVE_CLAUSE.search(text[max(0, span.start - 80) : span.start]):
            continue  # "Lachin, which was liberated last year": the date of something else
        if _CONFLICT_BEFORE.search(before) or _CONFLICT_AFTER.match(text, span.end):
            continue  # "the genocide between 1913-1923", "the 2014 annexation": a war's date
        kept.append(span)
    return tuple(kept)
