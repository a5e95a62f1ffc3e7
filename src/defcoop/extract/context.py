"""What a whole report tells each of its events: its date, main countries, dateline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from defcoop.extract.facts import SentenceFacts
from defcoop.extract.venues import dateline_place
from defcoop.records import Place

# Events that happen on one day: a signing, a meeting, a delivery.
POINT_TYPES = ("agreement", "meeting", "transfer")


@dataclass(frozen=True)
class ReportContext:
    """What the whole report says that one event may lean on."""

    doc: str
    published: date
    main_countries: tuple[str, ...]  # most often named partners, most frequent first
    lead_end: int = 3  # index of the last sentence of the report's lead
    text: str = ""  # the report, for its dateline
    place_lookup: Callable[[str], Place | None] | None = None

    @cached_property
    def dateline(self) -> Place | None:
        """The city the report is filed from; read only when an event needs it."""
        if self.place_lookup is None:
            return None
        return dateline_place(self.text, self.place_lookup)


def main_countries(sentences: list[SentenceFacts]) -> tuple[str, ...]:
    """The partners a report names most often, the most frequent first."""
    counts: Counter[str] = Counter()
    for facts in sentences:
        for code in facts.countries:
            if len(code) == 3 and code.isupper():
                counts[code] += 1
    return tuple(code for code, _ in counts.most_common())
