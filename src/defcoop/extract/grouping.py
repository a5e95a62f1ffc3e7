"""Group the sentences of one report into events: one real event, one draft.

A sentence with a strong trigger opens an event unless it continues one already
open (same type, same name, no conflicting date, place or partner); a sentence
with only a weak trigger ("The exercise runs until 9 May.") can only
continue one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from defcoop.extract.facts import SentenceFacts
from defcoop.extract.names import NameHit, same_series
from defcoop.extract.triggers import COUNTERPART
from defcoop.nlp.dates import as_date
from defcoop.records import EVENT_TYPES, EventType, Place

# Words that say the sentence is about another event than the one before.
_ANOTHER = re.compile(
    r"\b(?:simultaneously|separately|in a separate|another|meanwhile|at the same time|"
    r"in parallel)\b",
    re.I,
)
_TWO_COUNTRIES = re.compile(r"\b(?:two|both|three) (?:countries|nations|armies|states)\b", re.I)
# "The sides signed a plan": the signatories, named earlier in the report.
_SIGNATORIES = re.compile(r"\b(?:the|both|two) (?:sides|parties)\b", re.I)
_TWO_PARTIES = re.compile(r"\b(?:two|both) (?:ministers|sides|men|delegations)\b", re.I)
# How far apart two dates of one event may lie within a report: courses run for months.
_SLACK_DAYS = {"exercise": 31, "training": 120}
_OPEN_END = timedelta(days=45)  # how far "until June 9" or "since Monday" may reach
_ANAPHORA = re.compile(
    r"\W*(?:the|this|that|these|those|its|their|under the|during the|at the|after the)\s+"
    r"(?:new |same |joint |bilateral |trilateral |[\w-]+-(?:day|week|month)(?:-long)? |"
    r"military |naval |)"
    r"(?:signing|agreement|deal|declaration|pact|memorandum|mou|document|treaty|protocol|"
    r"exercises?|drills?|manoeuvres?|maneuvers?|courses?|training|meetings?|talks|visit)\b",
    re.I,
)
_DEFINITE_EVENT = re.compile(
    r"\b(?:the|these|this|those)\s+(?:[\w-]+\s+){0,2}(?:exercises?|drills?|manoeuvres?|"
    r"maneuvers?)\b",
    re.I,
)
_INTRODUCER = re.compile(r"\b(?:dubbed|codenamed|code-named|named|called|titled)\W*$", re.I)
_EXERCISE_WORDS = re.compile(
    r"\b(?:exercises?|drills?|manoeuvres?|maneuvers?|games|competitions?|training)\b", re.I
)


@dataclass
class Draft:
    """An event being assembled from the sentences of one report."""

    type: EventType
    name: NameHit | None
    sentences: list[SentenceFacts] = field(default_factory=list)
    opener: SentenceFacts | None = None

    @property
    def countries(self) -> set[str]:
        """Every partner named in the draft's sentences."""
        return {code for f in self.sentences for code in f.countries}

    @property
    def years(self) -> set[str]:
        """Years of the event dates stated so far."""
        found = {d.first[:4] for f in self.sentences for d in f.dates if d.first}
        found |= {d.last[:4] for f in self.sentences for d in f.dates if d.last}
        if self.name is not None and self.name.year is not None:
            found.add(str(self.name.year))
        return found

    @property
    def places(self) -> list[Place]:
        """Places named as where the event happens."""
        return [p.place for f in self.sentences for p in f.places if p.place.kind != "country"]


def _places_conflict(ours: list[Place], theirs: list[Place]) -> bool:
    """Whether two sets of places cannot be the site of one event.

    A region and a place in the same country can be ("Swabi" in "Khyber
    Pakhtunkhwa"); two different towns, or a town and a sea, cannot.
    """
    if not ours or not theirs:
        return False
    if {p.id for p in ours} & {p.id for p in theirs}:
        return False
    for a in ours:
        for b in theirs:
            if a.country and a.country == b.country and "region" in (a.kind, b.kind):
                return False
    return True


def _name_type(name: NameHit, facts: SentenceFacts) -> EventType | None:
    """The event type a name belongs to, from its own head word or the words next to it."""
    if name.type is not None:
        return name.type
    text = facts.sentence.text
    if name.year is not None and "exercise" in facts.cues.opens | facts.cues.continues:
        return "exercise"
    # A bare name ("Interfax", "Caucasian Eagle") counts only right next to an event noun.
    near = text[max(0, name.start - 30) : name.start] + " " + text[name.end : name.end + 30]
    if _EXERCISE_WORDS.search(near) or _INTRODUCER.search(
        text[max(0, name.start - 14) : name.start]
    ):
        return "exercise"
    return None


def _interval(first: str | None, last: str | None) -> tuple[date, date]:
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


def _dates_conflict(draft: Draft, facts: SentenceFacts, name: NameHit | None) -> bool:
    """Whether no date of a sentence lies near enough a date of the draft to be one event.

    A name's year counts only where the side has no date of its own: "Falcon
    TurAz-2018" in September and drills "in May 2018" are two events.
    """
    ours = [_interval(d.first, d.last) for f in draft.sentences for d in f.dates]
    theirs = [_interval(d.first, d.last) for d in facts.dates]
    if not ours and draft.name is not None and draft.name.year is not None:
        ours.append(_interval(str(draft.name.year), None))
    if not theirs and name is not None and name.year is not None:
        theirs.append(_interval(str(name.year), None))
    if not ours or not theirs:
        return False
    slack = timedelta(days=_SLACK_DAYS.get(draft.type, 7))
    for low_a, high_a in ours:
        for low_b, high_b in theirs:
            gap_after = low_b - high_a if low_b > high_a else timedelta(0)
            gap_before = low_a - high_b if low_a > high_b else timedelta(0)
            if max(gap_after, gap_before) <= slack:
                return False
    return True


def _compatible(
    draft: Draft, facts: SentenceFacts, name: NameHit | None, anaphoric: bool = False
) -> bool:
    """Whether a sentence can be about the same real event as a draft.

    An anaphoric sentence ("The signing took place ...") may name another place:
    it tells where, not which.
    """
    if (
        facts.cues.other_edition
        and draft.opener is not None
        and not draft.opener.cues.other_edition
    ):
        return False
    if name is not None and draft.name is not None:
        if not same_series(name.key, draft.name.key):
            return False
        if name.year and draft.name.year and name.year != draft.name.year:
            return False
        if name.year is None or draft.name.year is None or name.year == draft.name.year:
            # "the annual BALTOPS exercise, initiated in 1972": the series itself;
            # the same name (and year): the same event, wherever each sentence places it.
            return name.year is None or not _dates_conflict(draft, facts, name)
    elif draft.name is not None and any(_name_type(n, facts) == draft.type for n in facts.names):
        return False
    if _dates_conflict(draft, facts, name):
        return False
    if not anaphoric and _places_conflict(
        draft.places, [p.place for p in facts.places if p.place.kind != "country"]
    ):
        return False
    if draft.type in ("meeting", "agreement"):
        theirs = set(facts.countries)
        ours = draft.countries
        if len(ours) >= 2 and theirs - ours:
            return False
    return True


def _refers_back(facts: SentenceFacts) -> bool:
    """Whether a sentence tells more of an event already named ("the units in the drills")."""
    text = facts.sentence.text
    if _ANAPHORA.match(text):
        return True
    return not facts.names and not facts.dates and _DEFINITE_EVENT.search(text) is not None


def _open_or_attach(
    drafts: list[Draft], kind: EventType, facts: SentenceFacts, name: NameHit | None, opens: bool
) -> None:
    """Attach a sentence to the latest compatible draft of its type, or open a new one."""
    if name is not None:
        for draft in reversed(drafts):
            same = (
                draft.type == kind
                and draft.name is not None
                and same_series(draft.name.key, name.key)
            )
            if same and _compatible(draft, facts, name):
                if draft.sentences[-1] is not facts:
                    draft.sentences.append(facts)
                return
    if name is None and _refers_back(facts):
        # "The signing took place ...", "The drills will last ...": the event just told.
        latest = next((d for d in reversed(drafts) if d.type == kind), None)
        if latest is not None and _compatible(latest, facts, None, anaphoric=True):
            if latest.sentences[-1] is not facts:
                latest.sentences.append(facts)
            return
    if opens and _ANOTHER.search(facts.sentence.text):
        drafts.append(Draft(type=kind, name=name, sentences=[facts], opener=facts))
        return
    for draft in reversed(drafts):
        if draft.type != kind:
            continue
        if _compatible(draft, facts, name):
            if draft.sentences[-1] is not facts:
                draft.sentences.append(facts)
            if draft.name is None and name is not None:
                draft.name = name
            return
        if name is None and not opens:
            return  # a weak mention that does not fit the latest draft fits none
    if opens:
        drafts.append(Draft(type=kind, name=name, sentences=[facts], opener=facts))


def is_event(draft: Draft) -> bool:
    """Whether a draft is a reportable event: partners the text names, not only implies."""
    explicit = draft.countries
    if draft.type == "meeting":
        cued = any(COUNTERPART.search(f.sentence.text.lower()) for f in draft.sentences)
        paired = any(_TWO_PARTIES.search(f.sentence.text) for f in draft.sentences)
        return len(explicit) >= 2 or (len(explicit) == 1 and cued) or paired
    signatories = draft.type == "agreement" and any(
        _SIGNATORIES.search(f.sentence.text) for f in draft.sentences
    )
    return (
        bool(explicit)
        or signatories
        or draft.name is not None
        or any(_TWO_COUNTRIES.search(f.sentence.text) for f in draft.sentences)
    )


def group_sentences(sentences: list[SentenceFacts]) -> list[Draft]:
    """The events of one report, each with the sentences that state it."""
    drafts: list[Draft] = []
    for facts in sentences:
        cues = facts.cues
        named: dict[EventType, list[NameHit]] = {}
        for name in facts.names:
            kind = _name_type(name, facts)
            if kind is not None and (name.year is not None or kind in cues.opens | cues.continues):
                named.setdefault(kind, []).append(name)
        if cues.other_edition and not named and not facts.dates:
            continue  # "previous iterations": another event, but nothing to code it by
        for kind in EVENT_TYPES:
            opens = kind in cues.opens or kind in named
            if kind == "agreement" and kind not in cues.opens:
                opens = False  # a named agreement is an event only where it is signed
            if not opens and kind not in cues.continues and kind not in named:
                continue
            dated_name = any(n.year is not None for n in named.get(kind, []))
            if cues.generic and not dated_name and kind in ("exercise", "training"):
                opens = False  # "the two countries regularly hold joint drills"
            if kind in named:
                for name in named[kind]:
                    _open_or_attach(drafts, kind, facts, name, opens)
                continue
            _open_or_attach(drafts, kind, facts, None, opens)
    return drafts
