"""A draft's dates are kept as a merged union; asking it must equal asking every date."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from defcoop.extract.drafts import Draft

_DAY = st.integers(min_value=0, max_value=2000)
_INTERVAL = st.tuples(_DAY, st.integers(min_value=0, max_value=60)).map(
    lambda t: (
        date(2020, 1, 1) + timedelta(days=t[0]),
        date(2020, 1, 1) + timedelta(days=t[0] + t[1]),
    )
)


def brute_near(spans: list[tuple[date, date]], low: date, high: date, slack: timedelta) -> bool:
    """The definition: some date lies within `slack` days of the interval."""
    return any(
        max(low - b if low > b else timedelta(0), a - high if a > high else timedelta(0)) <= slack
        for a, b in spans
    )


@given(
    spans=st.lists(_INTERVAL, max_size=30),
    probe=_INTERVAL,
    slack_days=st.integers(min_value=0, max_value=120),
)
def test_near_agrees_with_every_date(
    spans: list[tuple[date, date]], probe: tuple[date, date], slack_days: int
) -> None:
    draft = Draft(type="exercise", name=None)
    for low, high in spans:
        draft._cover(low, high)
    slack = timedelta(days=slack_days)
    assert draft.near(*probe, slack) == brute_near(spans, *probe, slack)
    assert draft.dated == bool(spans)
    # The union stays sorted and disjoint.
    pairs = list(zip(draft._lows, draft._highs, strict=True))
    assert all(a <= b for a, b in pairs)
    assert all(b1 < a2 for (_, b1), (a2, _) in pairwise(pairs))


def test_the_edges_of_the_calendar_do_not_overflow() -> None:
    draft = Draft(type="training", name=None)
    draft._cover(date.min, date.min + timedelta(days=3))
    draft._cover(date.max - timedelta(days=3), date.max)
    assert draft.near(date.min, date.min, timedelta(days=120))
    assert draft.near(date.max, date.max, timedelta(days=120))
    assert not draft.near(date(2000, 1, 1), date(2000, 1, 2), timedelta(days=120))
