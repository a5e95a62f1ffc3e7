"""Publication date strings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defcoop.ingest.published import parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-21", date(2022, 1, 21)),
        ("2022-01-21T23:30:00+04:00", date(2022, 1, 21)),
        ("2022-01-21T09:00:00Z", date(2022, 1, 21)),
        ("January 21, 2022", date(2022, 1, 21)),
        ("Jan 21 2022", date(2022, 1, 21)),
        ("Sept. 3, 2021", date(2021, 9, 3)),
        ("21 January 2022", date(2022, 1, 21)),
        ("21st Jan, 2022", date(2022, 1, 21)),
        ("21.01.2022", date(2022, 1, 21)),
        ("2022/01/21", date(2022, 1, 21)),
    ],
)
def test_accepted_forms(value: str, expected: date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value", ["", "yesterday", "01/02/2022", "31.02.2022", "Smarch 3, 2021", "2022-13-01"]
)
def test_refused_forms(value: str) -> None:
    assert parse_published(value) is None


@given(st.dates())
def test_iso_and_dotted_round_trip(value: date) -> None:
    assert parse_published(value.isoformat()) == value
    assert parse_published(value.strftime("%d.%m.") + f"{value.year:04d}") == value
