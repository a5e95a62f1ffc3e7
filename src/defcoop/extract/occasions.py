"""One occasion, several events: a signing and the meeting it was signed at.

Ministers who meet and sign on the same day do both in one room, but a report
often names the room only once, in a sentence told of one of the two ("presided
over the ceremony at the ministry in X"). The other event then has no site of its
own, and takes the site of its twin.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from defcoop.iso_dates import parse_day
from defcoop.records import Location, Mention

_TWINS = frozenset({"agreement", "meeting"})
# The twin whose site an unsited event takes: a signing or a handover ceremony is held
# where the ministers met; a meeting, where they signed.
_TWIN_OF = {"agreement": "meeting", "meeting": "agreement", "transfer": "meeting"}
_LOOK_BACK_DAYS = 6  # "on Tuesday" in a report of the next week
_JOIN_REACH = 8


def _sited(location: Location | None) -> bool:
    """Whether a location is a site (a town, venue or area), not only a country."""
    return location is not None and location.place_id is not None


def _day(mention: Mention) -> date | None:
    """The day a mention starts on, when it gives one."""
    return parse_day(mention.start) if mention.start and len(mention.start) == 10 else None


def _twin_days(day: date, published: date | None) -> list[date]:
    """The days a twin of an event of `day` may be dated: the same day; and, where one
    of the two is dated by its report alone, a day within the few days a report looks
    back ("on Tuesday" in a report of the next week)."""
    if published is None:
        return [day]
    if day == published:
        reach = range(-_LOOK_BACK_DAYS, _LOOK_BACK_DAYS + 1)
        return [day + timedelta(days=k) for k in reach]
    return [day, published] if abs((day - published).days) <= _LOOK_BACK_DAYS else [day]


def share_sites(mentions: list[Mention]) -> list[Mention]:
    """The mentions, each unsited signing, meeting or handover given the site of its twin:
    a meeting and a signing (or handover) of the same parties on the same day (one lookup each, so a
    long report costs no more per event than a short one)."""
    sited: dict[tuple[str, frozenset[str], date], tuple[int, Mention]] = {}
    for position, mention in enumerate(mentions):
        day = _day(mention)
        if mention.type in _TWINS and day is not None and _sited(mention.location):
            key = (mention.type, frozenset(mention.participants), day)
            sited.setdefault(key, (position, mention))
    shared: list[Mention] = []
    for mention in mentions:
        day = _day(mention)
        if not _sited(mention.location) and mention.type in _TWIN_OF and day is not None:
            other = _TWIN_OF[mention.type]
            parties = frozenset(mention.participants)
            found = [
                sited[(other, parties, d)]
                for d in _twin_days(day, mention.published)
                if (other, parties, d) in sited
            ]
            twin = min(found, key=lambda pair: pair[0])[1] if found else None
            if twin is not None and (
                mention.location is None
                or mention.location.country in (None, twin.location and twin.location.country)
                # A handover's country is only guessed from its recipient.
                or (mention.type == "transfer" and mention.location.name is None)
            ):
                mention = replace(mention, location=twin.location)
        shared.append(mention)
    return shared


def _merge(one: Mention, other: Mention) -> Mention:
    """One meeting told twice: every field the first leaves open taken from the second."""
    evidence = tuple(sorted({*one.evidence, *other.evidence}, key=lambda e: e.start))
    return replace(
        one,
        name=one.name or other.name,
        location=one.location if _sited(one.location) or other.location is None else other.location,
        start=one.start or other.start,
        status=one.status or other.status,
        evidence=evidence,
    )


# A sentence that tells more of the meeting just told: "At the meeting with ...".
_BACK_TO_THE_MEETING = re.compile(
    r"^\W*(?:at|during|in the course of) (?:the|their|this|that) (?:meeting|talks)\b", re.I
)


def _same_meeting(one: Mention, other: Mention, split: frozenset[int]) -> bool:
    """Two meetings of one report between the same parties, one of them undated, the
    later told as the meeting already named ("At the meeting with the Turkish minister"),
    or the earlier one of several a sentence told at once ("held meetings with his Turkish
    and Kyrgyz counterparts"), which later sentences tell one by one."""
    if one.type != "meeting" or other.type != "meeting" or not one.evidence or not other.evidence:
        return False
    told_back = _BACK_TO_THE_MEETING.match(other.evidence[0].text) is not None
    return (
        (told_back or one.evidence[0].start in split)
        and set(one.participants) == set(other.participants)
        and (one.start is None or other.start is None)
        and (
            not _sited(one.location) or not _sited(other.location) or one.location == other.location
        )
    )


def join_meetings(mentions: list[Mention]) -> list[Mention]:
    """The mentions, a meeting told in two places of a report (its sentences grouped
    apart, "held meetings with his Turkish and Kyrgyz counterparts" and "At the meeting
    with the Turkish minister ...") joined into one."""
    leads = Counter(m.evidence[0].start for m in mentions if m.type == "meeting" and m.evidence)
    split = frozenset(offset for offset, count in leads.items() if count > 1)
    joined: list[Mention] = []
    by_parties: dict[frozenset[str], list[int]] = {}
    for mention in mentions:
        bucket = by_parties.setdefault(frozenset(mention.participants), [])
        # The latest few meetings of the same parties: a report tells one twice close by.
        twin = next(
            (i for i in bucket[-_JOIN_REACH:] if _same_meeting(joined[i], mention, split)), None
        )
        if twin is None:
            bucket.append(len(joined))
            joined.append(mention)
        else:
            joined[twin] = _merge(joined[twin], mention)
    return joined


def share_visit(mentions: list[Mention]) -> list[Mention]:
    """The mentions, each undated or unsited meeting that is done given the one day and
    the one site the other done meetings of the same parties in its report give:
    meetings of one visit ("the Chief of Staff also had a meeting with him"), told apart,
    happen when and where it does."""
    done: dict[frozenset[str], list[Mention]] = {}
    for mention in mentions:
        if mention.type == "meeting" and mention.status == "completed":
            done.setdefault(frozenset(mention.participants), []).append(mention)
    shared: list[Mention] = []
    for mention in mentions:
        visit = done.get(frozenset(mention.participants), []) if mention.type == "meeting" else []
        if len(visit) > 1 and mention.status == "completed":
            days = {m.start for m in visit if m.start}
            sites = {m.location for m in visit if _sited(m.location)}
            if mention.start is None and len(days) == 1:
                mention = replace(mention, start=next(iter(days)))
            if not _sited(mention.location) and len(sites) == 1:
                mention = replace(mention, location=next(iter(sites)))
        shared.append(mention)
    return shared
