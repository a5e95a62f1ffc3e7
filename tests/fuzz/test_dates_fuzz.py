"""Fuzzing the date resolver beyond tests/nlp/test_dates.py: date-like soup, extreme anchors.

tests/nlp/test_dates.py checks arbitrary text and news words against ordinary
publication dates; here the text is built from the resolver's own kinds of tokens
(numbers in every separator, month and weekday names, relative words) and the
publication date runs to the ends of the calendar, where "yesterday" or "next
month" would step outside it.
"""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from defcoop.nlp.dates import find_dates

NUMBERS = st.integers(min_value=0, max_value=99999).map(str)
SEPARATED = st.tuples(
    st.integers(0, 40), st.sampled_from(".-/ "), st.integers(0, 14), st.sampled_from(".-/ ")
).flatmap(
    lambda t: st.integers(0, 10000).map(lambda y: f"{t[0]}{t[1]}{t[2]}{t[3]}{y}"),
)
WORDS = st.sampled_from(
    [
        "January", "Feb.", "Sept", "December", "Monday", "on", "Sunday", "this", "next", "last",
        "yesterday", "today", "tomorrow", "ago", "days", "weeks", "months", "years", "week",
        "month", "year", "from", "to", "until", "till", "between", "and", "since", "by", "in",
        "the", "of", "early", "mid", "late", "-", "–", ",", "1st", "2nd", "31st", "32nd",
        "academic", "fiscal", "H1", "Q4", "0th", "29", "February", "30", "ninth", "9999",
        "0001", "10000",
    ]
)  # fmt: skip
SOUP = st.lists(st.one_of(WORDS, NUMBERS, SEPARATED), max_size=20).map(" ".join)
# Publication dates of news: any day of four centuries, leap days and year ends included.
ANCHORS = st.one_of(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)),
    st.sampled_from([date(2000, 2, 29), date(2024, 12, 31), date(2025, 1, 1)]),
)
# The readers accept any ISO date as a publication date, to the ends of the calendar.
EDGES = st.sampled_from([date.min, date.max, date(1, 1, 31), date(9999, 12, 1)])


def assert_well_formed(sentence: str, published: date) -> None:
    """Spans point at their text, carry ISO values, are ordered and disjoint."""
    spans = find_dates(sentence, published)
    for span in spans:
        assert sentence[span.start : span.end] == span.text
        for value in (span.first, span.last):
            if value is not None:
                date.fromisoformat(value + "-01-01"[len(value) - 4 :])
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@settings(max_examples=400, deadline=None)
@given(SOUP, st.one_of(ANCHORS, EDGES))
def test_date_like_soup_gives_spans_or_nothing(sentence: str, published: date) -> None:
    assert_well_formed(sentence, published)


RELATIVE = st.sampled_from(["yesterday", "tomorrow", "next month", "last year", "on Monday",
                        "two weeks ago", "in 3 years", "the 31st of this month",
                        "from the 1st to the 30th of next month", "next week"])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(RELATIVE, ANCHORS)
def test_relative_dates_resolve_from_any_news_date(phrase: str, published: date) -> None:
    assert_well_formed(f"The drills began {phrase} near the border.", published)


@settings(max_examples=100, deadline=None)
@given(RELATIVE, EDGES)
def test_relative_dates_at_the_ends_of_the_calendar(phrase: str, published: date) -> None:
    assert_well_formed(f"The drills began {phrase} near the border.", published)
