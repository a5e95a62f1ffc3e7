"""One occasion, several events: a signing and the meeting it was signed at.

Ministers who meet and sign on the same day do both in one room, but a report
often names the room only once, in a sentence told of one of the two ("presided
over the ceremony at the ministry in X"). The other event then has no site of its
own, and takes the site of its twin.
"""

from __future__ import annotations

from dataclasses import replace

from defcoop.iso_dates import parse_day
from defcoop.records import Location, Mention

_TWINS = frozenset({"agreement", "meeting"})
_LOOK_BACK_DAYS = 6  # "on Tuesday" in a report of the next week


def _sited(location: Location | None) -> bool:
    """Whether a location is a site (a town, venue or area), not only a country."""
    return location is not None and location.place_id is not None


def _twins(one: Mention, other: Mention) -> bool:
    """A signing and a meeting of the same parties on the same day.

    A sentence that gives no date of its own is dated by its report, so a day
    apart from the report's own day still counts, within the few days a report
    looks back ("on Tuesday").
    """
    if {one.type, other.type} != _TWINS or set(one.participants) != set(other.participants):
        return False
    days = [parse_day(m.start) if m.start and len(m.start) == 10 else None for m in (one, other)]
    if days[0] is None or days[1] is None:
        return False  # a month or a year is no occasion
    if days[0] == days[1]:
        return True
    published = one.published or other.published
    return published in days and abs((days[0] - days[1]).days) <= _LOOK_BACK_DAYS


def share_sites(mentions: list[Mention]) -> list[Mention]:
    """The mentions, each unsited signing or meeting given the site of its twin."""
    shared: list[Mention] = []
    for mention in mentions:
        if not _sited(mention.location) and mention.type in _TWINS:
            twin = next((m for m in mentions if _sited(m.location) and _twins(mention, m)), None)
            if twin is not None and (
                mention.location is None
                or mention.location.country in (None, twin.location and twin.location.country)
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


def _same_meeting(one: Mention, other: Mention) -> bool:
    """Two meetings of one report between the same parties, one of them undated."""
    return (
        one.type == other.type == "meeting"
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
    joined: list[Mention] = []
    for mention in mentions:
        twin = next((i for i, m in enumerate(joined) if _same_meeting(m, mention)), None)
        if twin is None:
            joined.append(mention)
        else:
            joined[twin] = _merge(joined[twin], mention)
    return joined
