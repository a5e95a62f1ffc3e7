"""What each mention states about its event, and how much that statement weighs.

A mention's fields are what its report said, but not every value is equally
good evidence for the canonical record:

- a date read from a sentence that leads another mention of the same report
  ("cooperation first emerged in 1992, with an agreement ...", evidence of the
  1992 agreement as well as of this year's course) is about that other event:
  it is set aside, never reconciled into this one;
- a date that is only the report's own publication date (lead news in the
  present tense) says when the report came out, not when the event began: it
  counts only when no sentence dates the event;
- a restated background paragraph, or a report written long after the event,
  weighs less than a report about the event; a report of the event happening
  weighs more than an announcement of it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from defcoop.extract.tense_cues import ATTRIBUTION
from defcoop.nlp.dates import as_date, find_dates
from defcoop.records import Evidence, Mention

# A report published this long after the event it dates looks back on it.
RETROSPECTIVE_DAYS = 365
DATE_FIELDS = ("start", "end")


@dataclass(frozen=True)
class SetAside:
    """A value a mention gave that reconciliation leaves out, and why."""

    field: str
    value: str
    source: str
    reason: str


@dataclass(frozen=True)
class Statement:
    """One mention as reconciliation reads it: its own values and their weight."""

    source: str  # "mention:12"
    mention: Mention  # dates set aside are None here
    foreground: bool  # a report about the event, not a restatement or a look back
    realized: bool  # reports the event under way or done (not only announced)
    dated_by_report: bool  # its start is its report's date, stated by no sentence
    set_aside: tuple[SetAside, ...] = ()

    def date_rank(self) -> tuple[int, int, int]:
        """Higher is better evidence of the event's dates."""
        return (int(self.foreground), int(not self.dated_by_report), int(self.realized))

    def rank(self) -> int:
        """Higher is better evidence of the event's other fields."""
        return int(self.foreground)


def _states(sentence: Evidence, value: str, published: date) -> bool:
    """Whether a date expression of the sentence gives the value (at its precision)."""
    for span in find_dates(sentence.text, published):
        if any(bound and bound.startswith(value) for bound in (span.first, span.last)):
            return True
    return False


def _announces(sentence: Evidence, value: str, published: date) -> bool:
    """Whether a sentence gives the value as the day its news was told ("the ministry
    said on Wednesday"): the date of the news the mention itself reports."""
    for span in find_dates(sentence.text, published):
        before = sentence.text[max(0, span.start - 40) : span.start].lower()
        if span.first == value and ATTRIBUTION.search(before):
            return True
    return False


def _stating(mention: Mention, value: str) -> list[int]:
    """Indices of the evidence sentences that state a date value."""
    published = mention.published or date.today()
    return [i for i, e in enumerate(mention.evidence) if _states(e, value, published)]


def _year_of_name(mention: Mention, value: str) -> bool:
    """Whether a bare year is the one the event's name carries ("EFES-2022")."""
    return len(value) == 4 and bool(mention.name) and value in (mention.name or "")


def statement(source: str, mention: Mention, foreign: Collection[int] = ()) -> Statement:
    """How reconciliation reads one mention.

    `foreign` are the start offsets of this mention's evidence sentences that lead
    another mention of the same report (the sentence is that mention's subject).
    """
    own = mention
    set_aside: list[SetAside] = []
    lead = mention.evidence[0].start if mention.evidence else None
    alien = {i for i, e in enumerate(mention.evidence) if e.start in foreign and e.start != lead}
    for name in DATE_FIELDS:
        value = getattr(mention, name)
        if value is None or not alien or _year_of_name(mention, value):
            continue
        stating = _stating(mention, value)
        day = mention.published or date.today()
        if any(_announces(mention.evidence[i], value, day) for i in stating):
            continue  # told as the day of the news, not as another event's date
        if stating and set(stating) <= alien:
            own = replace(own, start=None) if name == "start" else replace(own, end=None)
            set_aside.append(
                SetAside(name, value, source, "stated only by a sentence about another event")
            )
    published = mention.published
    dated_by_report = (
        published is not None
        and own.start == published.isoformat()
        and not _stating(mention, own.start)
    )
    return Statement(
        source=source,
        mention=own,
        foreground=not mention.background and not _looks_back(own),
        realized=mention.status in ("ongoing", "completed"),
        dated_by_report=dated_by_report,
        set_aside=tuple(set_aside),
    )


def _looks_back(mention: Mention) -> bool:
    """Whether the report came out long after the event it dates."""
    value = mention.end or mention.start
    if mention.published is None or value is None:
        return False
    last = as_date(value, last=True)
    return last is not None and (mention.published - last).days > RETROSPECTIVE_DAYS
