"""Group the sentences of one report into events: one real event, one draft.

A sentence with a strong trigger opens an event unless it continues one already
open (same type, same name, no conflicting date, place or partner); a sentence
with only a weak trigger ("The exercise runs until 9 May.") can only
continue one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from defcoop.extract.acts import dates_another_act
from defcoop.extract.drafts import Draft, interval
from defcoop.extract.facts import SentenceFacts
from defcoop.extract.names import NameHit, edition_of, same_series
from defcoop.extract.tense_cues import FUTURE
from defcoop.extract.triggers import COUNTERPART, has_any_folded
from defcoop.records import EVENT_TYPES, EventType, Place

# Words that say the sentence is about another event than the one before.
_ANOTHER = re.compile(
    r"\b(?:simultaneously|separately|in a separate|another|meanwhile|at the same time|"
    r"in parallel|also (?:had|held) (?:a |an )?(?:meeting|talks))\b",
    re.I,
)
_TWO_COUNTRIES = re.compile(r"\b(?:two|both|three) (?:countries|nations|armies|states)\b", re.I)
# "The sides signed a plan": the signatories, named earlier in the report.
_SIGNATORIES = re.compile(r"\b(?:the|both|two) (?:sides|parties)\b", re.I)
_TWO_PARTIES = re.compile(
    r"\b(?:two|both) (?:ministers|sides|men|delegations|armed forces|"
    r"militaries|armies)\b|\bjoint (?:[\w-]+ ){0,2}(?:committee|commission)\b",
    re.I,
)
# How far apart two dates of one event may lie within a report: courses run for months.
_SLACK_DAYS = {"exercise": 31, "training": 120}
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
    r"maneuvers?|ceremony)\b",
    re.I,
)
_NAME_LIST = re.compile(r"\b(?:code[- ]?)?names\b", re.I)
# Substrings of lower-cased text without which a pattern cannot match (`has_any_folded`).
_ANOTHER_HINTS = ("simultaneous", "separate", "another", "meanwhile", "same time", "parallel",
                  "also ha", "also he")  # fmt: skip
_DEFINITE_HINTS = ("exercise", "drill", "manoeuvre", "maneuver", "ceremony")
_INTRODUCER = re.compile(r"\b(?:dubbed|codenamed|code-named|named|called|titled)\W*$", re.I)
_EXERCISE_WORDS = re.compile(
    r"\b(?:exercises?|drills?|manoeuvres?|maneuvers?|games|competitions?|training|"
    r"(?:edition|iteration)s? of)\b",
    re.I,
)


# How many of the latest events a sentence may continue: a report longer than any news
# report (a 2 MB file) then costs time in proportion to its length, not its square.
_REACH = 64


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


def _edition(drafts: list[Draft], kind: EventType, facts: SentenceFacts) -> NameHit | None:
    """Another year's edition of the latest named series of a kind, dated by a sentence."""
    years = {int(d.first[:4]) for d in facts.dates if d.first and d.first[:4].isdigit()}
    if len(years) != 1:
        return None
    (year,) = years
    for draft in reversed(drafts[-_REACH:]):
        if draft.type == kind and draft.name is not None and draft.name.year is not None:
            return edition_of(draft.name, year) if draft.name.year != year else None
    return None


def _series_type(drafts: list[Draft], name: NameHit) -> EventType | None:
    """The type of an event series the report has named already: "RIMPAC 2020 was scaled
    back", in a report on RIMPAC 2022, is another edition of the exercise."""
    if name.year is None:
        return None
    for draft in reversed(drafts[-_REACH:]):
        if draft.name is not None and same_series(draft.name.key, name.key):
            return draft.type
    return None


def _dates_conflict(draft: Draft, facts: SentenceFacts, name: NameHit | None) -> bool:
    """Whether no date of a sentence lies near enough a date of the draft to be one event.

    A name's year counts only where the side has no date of its own: "Falcon
    TurAz-2018" in September and drills "in May 2018" are two events.
    """
    text = facts.sentence.text
    theirs = [
        interval(d.first, d.last)
        for d in facts.dates
        if not dates_another_act(draft.type, text, d)  # "a deal signed in 2015": the deal's
    ]
    if not theirs and name is not None and name.year is not None:
        theirs.append(interval(str(name.year), None))
    if not theirs:
        return False
    slack = timedelta(days=_SLACK_DAYS.get(draft.type, 7))
    if not draft.dated:
        if draft.name is None or draft.name.year is None:
            return False
        year = Draft(type=draft.type, name=None)
        year._cover(*interval(str(draft.name.year), None))
        return not any(year.near(low, high, slack) for low, high in theirs)
    return not any(draft.near(low, high, slack) for low, high in theirs)


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
        if not _named_alike(draft, name):
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
    sites = [p.place for p in facts.places if p.place.kind != "country"]
    if draft.toured:
        # A tour is at a place in each host it visits.
        sites = [p for p in sites if p.country not in draft.toured]
    if not anaphoric and _places_conflict(draft.places, sites):
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
    if facts.names or not has_any_folded(text.lower(), _DEFINITE_HINTS):
        return False
    return _DEFINITE_EVENT.search(text) is not None


def _named_alike(draft: Draft, name: NameHit) -> bool:
    """Whether a name is the draft's, or one of the other names it was told by."""
    assert draft.name is not None
    return same_series(draft.name.key, name.key) or name.key in draft.aliases


def _open_or_attach(
    drafts: list[Draft], kind: EventType, facts: SentenceFacts, name: NameHit | None, opens: bool
) -> None:
    """Attach a sentence to the latest compatible draft of its type, or open a new one."""
    if name is not None:
        for draft in reversed(drafts[-_REACH:]):
            same = draft.type == kind and draft.name is not None and _named_alike(draft, name)
            if same and _compatible(draft, facts, name):
                draft.add(facts)
                return
    if name is None and _refers_back(facts):
        # "The signing took place ...", "The drills will last ...": the event just told.
        latest = next((d for d in reversed(drafts[-_REACH:]) if d.type == kind), None)
        if latest is not None and _compatible(latest, facts, None, anaphoric=True):
            latest.add(facts)
            return
    text = facts.sentence.text
    if opens and has_any_folded(text.lower(), _ANOTHER_HINTS) and _ANOTHER.search(text):
        drafts.append(Draft(type=kind, name=name, sentences=[facts], opener=facts))
        return
    for draft in reversed(drafts[-_REACH:]):
        if draft.type != kind:
            continue
        if _compatible(draft, facts, name):
            draft.add(facts)
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


def group_sentences(
    sentences: list[SentenceFacts], published: date | None = None, lead_end: int = -1
) -> list[Draft]:
    """The events of one report, each with the sentences that state it.

    An act the report's lead tells as today's news ("X has signed a deal with Y"),
    with no date, is dated by the report (`published`): a later sentence about a
    deal of 2003 is then another deal.
    """
    drafts: list[Draft] = []
    previous: SentenceFacts | None = None
    for facts in sentences:
        before = len(drafts)
        _group_sentence(drafts, facts)
        lead_in, previous = previous, facts
        if published is None or facts.index > lead_end:
            continue
        if lead_in is not None and _leads_in(lead_in, facts):
            for draft in drafts[before:]:
                if not draft.dated and draft.countries & set(lead_in.countries):
                    draft.lead_in(lead_in)
        # An act the lead tells as coming lies after the report: a later sentence on
        # deliveries "in March last year" is an earlier act.
        coming = FUTURE.search(facts.sentence.text.lower()) is not None
        low, high = (
            (published, published + _LEAD_PLAN_AHEAD)
            if coming
            else (published - _LEAD_NEWS_AGE, published)
        )
        for draft in drafts[before:]:
            if draft.type in ("agreement", "meeting", "transfer") and not draft.dated:
                draft._cover(low, high)
    return drafts


def _leads_in(lead_in: SentenceFacts, facts: SentenceFacts) -> bool:
    """Whether a lead sentence with no trigger of its own, but a date, opens the news that
    the next sentence tells: "The navy gets three planes from Japan on Monday." then "The
    aircraft will be received at ...": the first dates the second's event."""
    cues = lead_in.cues
    return (
        lead_in.index == facts.index - 1
        and not cues.opens
        and not cues.continues
        and bool(lead_in.dates)
        and not facts.dates
    )


# How far back a dateless act in a report's lead may lie, and how far ahead a coming one.
_LEAD_NEWS_AGE = timedelta(days=14)
_LEAD_PLAN_AHEAD = timedelta(days=366)


def _group_sentence(drafts: list[Draft], facts: SentenceFacts) -> None:
    """Attach one sentence to the events it continues, or open the events it tells."""
    cues = facts.cues
    named: dict[EventType, list[NameHit]] = {}
    for name in facts.names:
        kind = _name_type(name, facts) or _series_type(drafts, name)
        if kind is not None and (name.year is not None or kind in cues.opens | cues.continues):
            named.setdefault(kind, []).append(name)
    if cues.other_edition and not named and not facts.dates:
        return  # "previous iterations": another event, but nothing to code it by
    if cues.other_edition and facts.dates:
        # "The last edition of the exercise was held in Malaysia in 2022": that year's
        # edition of the series the report is about.
        for kind in cues.opens - set(named):
            edition = _edition(drafts, kind, facts)
            if edition is not None:
                named[kind] = [edition]
    text = facts.sentence.text
    aliases: dict[EventType, frozenset[str]] = {}
    if has_any_folded(text.lower(), ("names",)) and _NAME_LIST.search(text):
        # "held under the code names A, B and C": one event by several names, each of
        # which may tell of it later ("During the special exercise B, ...").
        for kind, names in named.items():
            aliases[kind] = frozenset(n.key for n in names[1:])
            named[kind] = names[:1]
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
            if kind in aliases:
                told = next(
                    (
                        d
                        for d in reversed(drafts[-_REACH:])
                        if d.type == kind and d.sentences[-1] is facts
                    ),
                    None,
                )
                if told is not None:
                    told.aliases |= aliases[kind]
            continue
        _open_or_attach(drafts, kind, facts, None, opens)
