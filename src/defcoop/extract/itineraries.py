"""A tour is several visits: one meeting per country visited.

"The Turkish defence minister visits Turkmenistan, Uzbekistan", "a regional tour
that includes Chile and Colombia": each host country receives the visitor on its
own day, so each is a meeting of its own between the visitor and that host.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from defcoop.extract.facts import SentenceFacts
from defcoop.records import Location, Mention, Place

# The words that open the list of countries visited.
_TOUR = re.compile(
    r"\b(?:visit(?:s|ed|ing)?|tour(?:s|ed|ing)?|tour (?:of|that includes?|including)|"
    r"trip to|travel(?:s|led|ed)? to)\s+(?:to\s+)?$",
    re.IGNORECASE,
)
# What may stand between two countries of one list.
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s+and)\s+(?:the\s+)?$")


# "met his Turkish and Kyrgyz counterparts": one meeting with each.
_COUNTERPARTS_AFTER = re.compile(r"\s*(?:(?:,|,?\s+and)\s+|\s+counterparts\b)")


_SEPARATE = re.compile(r"\b(?:meetings|talks with each|separate(?:ly)?)\b", re.I)


def counterpart_countries(facts: SentenceFacts) -> list[str]:
    """The countries of a list of counterparts met one by one ("held meetings with his
    Turkish and Kyrgyz counterparts")."""
    text = facts.sentence.text
    if "counterparts" not in text or not _SEPARATE.search(text):
        return []  # "met his Turkish and Pakistani counterparts": one trilateral meeting
    hits = [a for a in facts.mentioned if a.kind == "demonym"]
    listed: list[str] = []
    for i, hit in enumerate(hits):
        gap = _COUNTERPARTS_AFTER.match(text, hit.end)
        if gap is None:
            listed = []
            continue
        listed.append(hit.code)
        if gap.group(0).strip() == "counterparts":
            return list(dict.fromkeys(listed)) if len(set(listed)) >= 2 else []
        nxt = hits[i + 1].start if i + 1 < len(hits) else -1
        if nxt != hit.end + len(gap.group(0)):
            listed = []
    return []


def visited_countries(facts: SentenceFacts) -> list[str]:
    """Every country a sentence names as visited, in order: each list after a tour word."""
    text = facts.sentence.text
    # Every country or capital named, partners or not: "visiting Brasilia" visits Brazil.
    hits = [a for a in facts.mentioned if a.kind != "alliance" and len(a.code) == 3]
    visited: list[str] = []
    listed_end = -1
    for hit in hits:
        after_tour = _TOUR.search(text[max(0, hit.start - 40) : hit.start]) is not None
        in_list = listed_end >= 0 and _LIST_GAP.match(text[listed_end : hit.start]) is not None
        if after_tour or in_list:
            visited.append(hit.code)
            listed_end = hit.end
        else:
            listed_end = -1
    return list(dict.fromkeys(visited))


def split_tour(
    mention: Mention,
    opener: SentenceFacts,
    main_countries: tuple[str, ...],
    sites: Sequence[Place] = (),
) -> list[Mention]:
    """One meeting per country the opening sentence names as visited, else the mention.

    The visitor is the one partner not visited; failing that, the report's main
    country that is not visited ("He arrived after visiting Brasilia ...": he is
    the report's subject). Each visit is at the event's place if that lies in its
    host country, else at the first site its sentences name there ("travelled on to
    Tashkent"), else in the host country.
    """
    if mention.type != "meeting":
        return [mention]
    hosts = visited_countries(opener) or counterpart_countries(opener)
    if len(hosts) < 2:
        return [mention]
    visitors = [code for code in mention.participants if code not in hosts]
    visitors = visitors or [code for code in main_countries if code not in hosts][:1]
    if len(visitors) != 1:
        return [mention]
    return [
        replace(
            mention,
            participants=tuple(sorted((visitors[0], host))),
            location=_visit_location(mention.location, host, sites),
        )
        for host in hosts
    ]


def _visit_location(location: Location | None, host: str, sites: Sequence[Place]) -> Location:
    """Where the visit to one host was: the event's place there, a site there, the host."""
    if location is not None and location.country == host:
        return location
    site = next((p for p in sites if p.country == host), None)
    if site is None:
        return Location(name=None, country=host)
    return Location(name=site.name, country=host, lat=site.lat, lon=site.lon, place_id=site.id)
