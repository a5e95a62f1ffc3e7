"""Fill the fields of a mention from the sentences of its draft.

Participants, place, dates and status each come from the sentences that state
the event; the report's main pair of countries fills in "the two countries".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from defcoop.extract.facts import SentenceFacts
from defcoop.extract.grouping import Draft
from defcoop.extract.triggers import COMPLETED, END_VERB, FUTURE, ONGOING, START_VERB
from defcoop.nlp.dates import as_date
from defcoop.records import DateSpan, Evidence, Location, Mention, Place, Status

_TWO = re.compile(
    r"\b(?:two|both|the) (?:countries|nations|armies|sides|states|militaries|ministers|"
    r"parties|allies|brotherly countries)\b|\b(?:bilateral|counterparts?|jointly|joint)\b",
    re.I,
)
_FORCES = re.compile(
    r"\b(?:(?:air|naval|land|ground|special|armed|rapid reaction|peacekeeping|"
    r"special operations) forces?|navy|marines|commandos?|"
    r"\d+(?:st|nd|rd|th) [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Brigade|Division|Battalion|Regiment))\b",
    re.I,
)
_STARTED = re.compile(
    r"\b(?:start\w*|beg[ia]n\w*|begun|commenc\w*|kick\w* off|launch\w*|open\w*|initiat\w*|"
    r"got under ?way|gets under ?way)\b",
    re.I,
)
_ENDED = re.compile(r"\b(?:ended|ends|conclud\w*|completed|wrap\w* up|closing|graduated)\b", re.I)
_RECENT_DAYS = 21
# The words of the act itself, for point events (lower case, as the trigger patterns).
_ACT_WORDS = {
    "meeting": re.compile(
        r"\b(?:meet|meets|met|meeting|talks|visit\w*|travel\w*|consultations|conference|"
        r"discuss\w*|receiv\w*|host\w*)\b"
    ),
    "agreement": re.compile(r"\b(?:sign\w*|ink\w*|conclud\w*|ratif\w*|adopt\w*)\b"),
    "transfer": re.compile(
        r"\b(?:deliver\w*|supply|supplies|donate\w*|sell\w*|transfer\w*|hand\w* over|"
        r"send\w*|ship\w*|buy\w*|purchas\w*|acquir\w*|arriv\w*|receiv\w*|provid\w*|"
        r"lease\w*|turn\w* over|construct\w*|buil[dt]\w*)\b"
    ),
}
_SIGNED_BEFORE = re.compile(r"\b(?:signed|inked|concluded)\b[^,;]{0,30}$", re.I)
_HOSTS = re.compile(
    r"(?:['’]s?)?\s+(?:(?:will|would|is to|to|is set to|plans to|has|have)\s+)?"
    r"(?:host|hosts|hosted|hosting)\b"
)
_POINT_TYPES = ("agreement", "meeting", "transfer")
# A point act told as under way on the day of the report.
_UNDER_WAY = re.compile(
    r"\b(?:is|are) (?:currently |now |presently )?(?:on (?:an?|his|her|their) (?:[\w-]+ ){0,2}"
    r"visit|visiting|in (?:the )?(?:[\w-]+ ){0,2}stages? of|being (?:built|delivered|"
    r"constructed|negotiated))\b"
)


@dataclass(frozen=True)
class ReportContext:
    """What the whole report says that one event may lean on."""

    doc: str
    published: date
    main_countries: tuple[str, ...]  # most often named partners, most frequent first
    lead_end: int = 3  # index of the last sentence of the report's lead
    dateline: Place | None = None  # the city the report is filed from


def main_countries(sentences: list[SentenceFacts]) -> tuple[str, ...]:
    """The partners a report names most often, the most frequent first."""
    counts: Counter[str] = Counter()
    for facts in sentences:
        for code in facts.countries:
            if len(code) == 3 and code.isupper():
                counts[code] += 1
    return tuple(code for code, _ in counts.most_common())


def _participants(draft: Draft, context: ReportContext, location: Location | None) -> list[str]:
    """Countries and alliances taking part, the report's main pair filling 'the two countries'."""
    # A sentence that also opens another kind of event ("met his Kyrgyz counterpart
    # on the sidelines of the drills") names that event's partners, not this one's.
    own = [f for f in draft.sentences if f is draft.opener or f.cues.opens <= {draft.type}]
    codes = list(dict.fromkeys(code for f in own for code in f.countries))
    countries = [c for c in codes if len(c) == 3 and c.isupper()]
    if len(countries) < 2:
        says_two = any(_TWO.search(f.sentence.text) for f in draft.sentences)
        # "the two countries" stands for the report's main pair; with no partner
        # named at all, the report's main country is the one taking part.
        # Cooperation takes two: a transfer, agreement, meeting or course told with one country
        # named has its partner among the report's main countries.
        wanted = 2 if says_two or draft.type in (*_POINT_TYPES, "training") else 1
        for code in context.main_countries[:2]:
            if code not in codes and len(countries) < wanted:
                codes.append(code)
                countries.append(code)
    host = location.country if location is not None else None
    if draft.type in ("exercise", "training") and host and host not in codes:
        codes.append(host)
    elif draft.type == "meeting" and host and host not in codes and len(countries) < 2:
        codes.append(host)  # "hosted his counterpart in New Delhi": the host takes part
    return sorted(codes)


def _location(draft: Draft, context: ReportContext) -> Location | None:
    """The most specific place the sentences give, the opening sentence first."""
    ordered = [draft.opener] if draft.opener else []
    ordered += [f for f in draft.sentences if f is not draft.opener]
    best: Place | None = None
    for facts in ordered:
        for hit in facts.places:
            if hit.place.kind != "country":
                best = hit.place
                break
            if best is None:
                best = hit.place
        if best is not None and best.kind != "country":
            break
    filed = context.dateline
    if (
        filed is not None
        and draft.type in ("meeting", "agreement")
        and (best is None or (best.kind == "country" and best.country == filed.country))
    ):
        # A signing or a visit with no place of its own, reported from a dateline.
        named = {code for f in draft.sentences for code in f.countries}
        if filed.country in named:
            best = filed
    if best is None:
        host = _recipient(draft) if draft.type == "transfer" else _host_country(draft)
        return Location(name=None, country=host) if host else None
    return Location(
        name=best.name,
        country=best.country or _sector_country(draft, best) or _other_country(draft, context),
        lat=best.lat,
        lon=best.lon,
        place_id=None if best.kind == "country" else best.id,  # a country is no site
    )


def _other_country(draft: Draft, context: ReportContext) -> str | None:
    """For a place of no known country: the country of another place of the event,
    the host the text names, the dateline's country if it takes part, or the first
    country the event's sentences name."""
    for facts in draft.sentences:
        for hit in facts.places:
            if hit.place.country:
                return hit.place.country
    host = _host_country(draft)
    if host is not None:
        return host
    filed = context.dateline
    named = [code for f in draft.sentences for code in f.countries if len(code) == 3]
    if filed is not None and filed.country in named:
        return filed.country
    # A venue in no gazetteer, in a report that names no host: the first country the
    # event's own sentences name, most often the one whose ground it is.
    return named[0] if named else None


_TO_BEFORE = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")
_RECEIVES_AFTER = re.compile(
    r"^(?:['’]s?)?\s+(?:[\w-]+\s+){0,4}?(?:has\s+|have\s+|had\s+|will\s+|is set to\s+)?"
    r"(?:receiv|took delivery|takes delivery|accept|acquir|bought|buys|purchas|got\b|inducted)"
)


def _recipient(draft: Draft) -> str | None:
    """The country a transfer goes to: "delivered to Ghana", "Kenya received ..."."""
    for facts in draft.sentences:
        text = facts.sentence.text
        for actor in facts.actors:
            if actor.kind == "alliance":
                continue
            before = text[max(0, actor.start - 12) : actor.start]
            if _TO_BEFORE.search(before) or _RECEIVES_AFTER.match(text[actor.end :]):
                return actor.code
    return None


def _host_country(draft: Draft) -> str | None:
    """The country a sentence says hosts the event: "Armenia will host the drills"."""
    for facts in draft.sentences:
        text = facts.sentence.text
        for actor in facts.actors:
            if actor.kind != "alliance" and _HOSTS.match(text, actor.end):
                return actor.code
    return None


def _sector_country(draft: Draft, place: Place) -> str | None:
    """The country whose part of a sea the text names: "the Kazakh part of the Caspian"."""
    for facts in draft.sentences:
        for hit in facts.places:
            if hit.place.id != place.id:
                continue
            before = facts.sentence.text[max(0, hit.start - 45) : hit.start]
            for actor in facts.mentioned:
                if (
                    actor.end <= hit.start
                    and facts.sentence.text[actor.start : hit.start] in before
                ):
                    gap = facts.sentence.text[actor.end : hit.start]
                    if re.search(r"\b(?:sector|part|waters|coast|side)\b", gap):
                        return actor.code
    return None


def _precision(value: str) -> int:
    """How many parts an ISO value has: 1 year, 2 month, 3 day."""
    return value.count("-") + 1


def _is_lead_news(draft: Draft, context: ReportContext) -> bool:
    """Whether the report's lead tells of the event as today's news, with no date.

    "X and Y have signed a memorandum", "drills have begun": such news is dated
    by its publication.
    """
    opener = draft.opener or draft.sentences[0]
    if opener.index > context.lead_end or opener.cues.other_edition:
        return False
    text = opener.sentence.text
    if FUTURE.search(text.lower()):
        return False
    if draft.type in _POINT_TYPES:
        return True
    return _STARTED.search(text) is not None or ONGOING.search(text.lower()) is not None


def _dates(draft: Draft, context: ReportContext) -> tuple[str | None, str | None]:
    """Start and end of the event from the date expressions of its sentences."""
    start: str | None = None
    end: str | None = None

    # An exercise told in phases ("land forces from August 1 to 5", "aviation from
    # July 29 to August 10") spans them all: the earliest start, the latest end.
    spanning = draft.type in ("exercise", "training")

    def better(
        old: str | None, new: str | None, latest: bool = False, phase: bool = False
    ) -> str | None:
        if new is None:
            return old
        if old is None or (_precision(new) > _precision(old) and new.startswith(old)):
            return new
        if phase and spanning and _precision(new) == _precision(old):
            return max(old, new) if latest else min(old, new)
        return old

    for facts in draft.sentences:
        text = facts.sentence.text
        for span in facts.dates:
            if draft.type == "transfer" and _SIGNED_BEFORE.search(text[: span.start]):
                continue  # "under a contract signed on October 23": the signing's date
            if _dates_another_act(draft.type, text, span):
                continue
            role = _role(draft, text, span)
            if role == "range" and draft.type in _POINT_TYPES and span.first and span.last:
                # A one-day act dated by a span ("last week"): the month, if it is one.
                same_month = span.first[:7] == span.last[:7]
                start = better(start, span.first[:7] if same_month else span.first[:4])
            elif role == "range":
                start = better(start, span.first, phase=True)
                end = better(end, span.last, latest=True, phase=True)
            elif role == "until":
                end = better(end, span.last or span.first)
            elif role == "end":
                end = better(end, span.first)
            else:
                start = better(start, span.first)
    if start is None and _is_lead_news(draft, context):
        start = context.published.isoformat()
    if start is None and draft.name is not None and draft.name.year is not None:
        start = str(draft.name.year)
    if start is not None and end is not None and end < start and not end.startswith(start):
        end = None
    if draft.type in _POINT_TYPES:
        end = None
    return start, end


# The acts a date may belong to when a sentence tells both a deal and a delivery:
# "received on October 8 the first of the jets ordered in 2016".
_DEAL_ACT = re.compile(r"\b(?:sign\w*|ink\w*|order\w*|contract\w*|deal)\b", re.I)
_DELIVERY_ACT = re.compile(
    r"\b(?:deliver\w*|receiv\w*|arriv\w*|hand\w* over|took delivery|donat\w*|transferr\w*)\b",
    re.I,
)


def _dates_another_act(kind: str, text: str, span: DateSpan) -> bool:
    """Whether a date stands nearer the other act of a deal-and-delivery sentence."""
    if kind not in ("agreement", "transfer"):
        return False
    own, other = (_DEAL_ACT, _DELIVERY_ACT) if kind == "agreement" else (_DELIVERY_ACT, _DEAL_ACT)

    def distance(pattern: re.Pattern[str]) -> int | None:
        gaps = [max(m.start() - span.end, span.start - m.end(), 0) for m in pattern.finditer(text)]
        return min(gaps) if gaps else None

    mine, theirs = distance(own), distance(other)
    return mine is not None and theirs is not None and theirs < mine


def _role(draft: Draft, text: str, span: DateSpan) -> str:
    """Whether a date bounds the start, the end, or both ends of the event."""
    if span.role == "range" and span.first and span.last:
        return "range"
    if span.role == "until":
        return "until"
    if span.role == "since":
        return "start"
    if draft.type in _POINT_TYPES:
        return "start"
    before = text[max(0, span.start - 40) : span.start]
    before = before.lower()
    if END_VERB.search(before):
        return "end"
    if START_VERB.search(before):
        return "start"
    if _ENDED.search(text) and not _STARTED.search(text):
        return "end"
    return "start"


def _future_near(text: str, kind: str) -> bool:
    """Whether the future tense governs the act itself ("will meet", "to sign").

    A meeting reported in a sentence that also says "the drills will continue"
    is in the past; only a future cue shortly before the act's own word counts.
    """
    trigger = _ACT_WORDS.get(kind)
    if trigger is None:
        return FUTURE.search(text) is not None
    for match in trigger.finditer(text):
        if FUTURE.search(text[max(0, match.start() - 50) : match.end()]):
            return True
    return False


def _status(draft: Draft, start: str | None, end: str | None, published: date) -> Status | None:
    """Planned, ongoing or completed, from the dates and then from tense and aspect."""
    first = as_date(start, last=False)
    if first is not None and first > published:
        return "planned"
    last = as_date(end, last=True) if end else None
    if last is not None and last < published:
        return "completed"
    opener = draft.opener or draft.sentences[0]
    text = opener.sentence.text.lower()  # the trigger patterns are lower case
    precise_past = first is not None and start is not None and start.count("-") == 2
    future = _future_near(text, draft.type) if draft.type in _POINT_TYPES else FUTURE.search(text)
    if future and not (precise_past and first is not None and first < published):
        return "planned"
    if draft.type in _POINT_TYPES:
        # "is on an official visit", "are in the final stages of construction": under way.
        under_way = (
            _UNDER_WAY.search(text) is not None
            and COMPLETED.search(text) is None  # "who is on a visit, has met ...": done
            and (first is None or first >= published)
        )
        return "ongoing" if under_way else "completed"
    if first is not None and last is not None and first <= published <= last:
        return "ongoing"
    if _ENDED.search(text):
        return "completed"
    if ONGOING.search(text):
        if first is None or (published - first).days <= _RECENT_DAYS:
            return "ongoing"
        return "completed"
    if COMPLETED.search(text):
        return "completed"
    if first is not None and (published - first).days > _RECENT_DAYS:
        return "completed"
    return "ongoing"


def _forces(draft: Draft) -> tuple[str, ...]:
    """Forces and units named in the sentences: air force, navy, 1st Commando Brigade."""
    found = [m.group(0) for f in draft.sentences for m in _FORCES.finditer(f.sentence.text)]
    return tuple(dict.fromkeys(found))


def build_mention(draft: Draft, context: ReportContext) -> Mention:
    """The mention a draft stands for, every field from its sentences."""
    location = _location(draft, context)
    start, end = _dates(draft, context)
    evidence = tuple(
        Evidence(text=f.sentence.text, start=f.sentence.start, end=f.sentence.end)
        for f in sorted(draft.sentences, key=lambda f: f.index)
    )
    return Mention(
        doc=context.doc,
        type=draft.type,
        name=draft.name.text if draft.name is not None else None,
        participants=tuple(_participants(draft, context, location)),
        location=location,
        start=start,
        end=end,
        status=_status(draft, start, end, context.published),
        evidence=evidence,
        forces=_forces(draft),
        published=context.published,
    )
