"""An event being assembled from the sentences of one report, and the days its dates
cover."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta

from defcoop.extract.acts import dates_another_act
from defcoop.extract.facts import SentenceFacts
from defcoop.extract.itineraries import visited_countries
from defcoop.extract.names import NameHit
from defcoop.nlp.dates import as_date, shifted_day
from defcoop.records import EventType, Place

_OPEN_END = timedelta(days=45)  # how far "until June 9" or "since Monday" may reach


def interval(first: str | None, last: str | None) -> tuple[date, date]:
    """The days an ISO value (or pair) may cover; an open end reaches a few weeks."""
    low = as_date(first, last=False) if first else None
    high = as_date(last, last=True) if last else None
    if low is None and high is None:
        return date.min, date.max
    if low is None:
        assert high is not None
        return high - _OPEN_END, high
    if high is None:
        high = as_date(first, last=True) if not last and first and first.count("-") < 2 else None
        return low, high or low + _OPEN_END
    return low, high


@dataclass
class Draft:
    """An event being assembled from the sentences of one report.

    What the grouping asks of a draft at every sentence (its partners, places and
    the days its dates cover) is kept up to date as sentences are added, so that
    each question costs the same however long the draft has grown.
    """

    type: EventType
    name: NameHit | None
    sentences: list[SentenceFacts] = field(default_factory=list)
    opener: SentenceFacts | None = None
    countries: set[str] = field(default_factory=set, init=False)
    _places: dict[str, Place] = field(default_factory=dict, init=False)
    # The union of the days the draft's dates cover: sorted, disjoint (low, high) pairs.
    _lows: list[date] = field(default_factory=list, init=False)
    _highs: list[date] = field(default_factory=list, init=False)
    # The hosts of a tour its opening sentence lists ("visits Turkmenistan and Uzbekistan").
    toured: frozenset[str] = field(default_factory=frozenset, init=False)
    # The keys of other names the event was told by in one breath ("A-2022, B-2022 and C-2022").
    aliases: frozenset[str] = field(default_factory=frozenset, init=False)

    def __post_init__(self) -> None:
        for facts in self.sentences:
            self._index(facts)
        if self.type == "meeting" and self.opener is not None:
            hosts = visited_countries(self.opener)
            self.toured = frozenset(hosts) if len(hosts) >= 2 else frozenset()

    def add(self, facts: SentenceFacts) -> None:
        """Add a sentence, once."""
        if not self.sentences or self.sentences[-1] is not facts:
            self.sentences.append(facts)
            self._index(facts)

    def lead_in(self, facts: SentenceFacts) -> None:
        """Add the sentence that leads into the draft's first one, before it."""
        self.sentences.insert(0, facts)
        self._index(facts)

    def _index(self, facts: SentenceFacts) -> None:
        self.countries.update(facts.countries)
        for hit in facts.places:
            if hit.place.kind != "country":
                self._places.setdefault(hit.place.id, hit.place)
        text = facts.sentence.text
        for span in facts.dates:
            # "The transfer ... under the deal we signed in November": the deal's date.
            if not dates_another_act(self.type, text, span):
                self._cover(*interval(span.first, span.last))

    def _cover(self, low: date, high: date) -> None:
        """Merge one interval into the sorted, disjoint union of the draft's dates."""
        i = bisect.bisect_left(self._highs, low)
        j = bisect.bisect_right(self._lows, high)
        if i < j:
            low, high = min(low, self._lows[i]), max(high, self._highs[j - 1])
        self._lows[i:j] = [low]
        self._highs[i:j] = [high]

    @property
    def dated(self) -> bool:
        """Whether any sentence of the draft gives a date of the event."""
        return bool(self._lows)

    def near(self, low: date, high: date, slack: timedelta) -> bool:
        """Whether an interval lies within `slack` days of a date of the draft."""
        low, high = shifted_day(low, -slack), shifted_day(high, slack)
        i = bisect.bisect_left(self._highs, low)
        return i < len(self._lows) and self._lows[i] <= high

    @property
    def places(self) -> list[Place]:
        """Places named as where the event happens, once each."""
        return list(self._places.values())
